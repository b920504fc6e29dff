using ComputeEconomics.Kernels;
using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Models;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace ComputeEconomics.Backends;

/// <summary>
/// ILGPU backends: the ILGPU CPU accelerator (ilgpu-cpu), CUDA and OpenCL. One owner of the Context and
/// the Accelerator. Kernels are loaded once per model type and cached; device buffers are allocated for
/// the largest batch and reused.
/// </summary>
public sealed partial class IlgpuBackend : IBackend, IDeviceReduction
{
    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly bool _doubleMath;
    private readonly Dictionary<Type, Delegate> _kernels = new();
    private MemoryBuffer1D<double, Stride1D.Dense>? _data, _scratch, _metrics;
    private MemoryBuffer1D<float, Stride1D.Dense>? _bands;
    private object? _dataOwner;
    private MemoryBuffer? _models;

    private readonly int _explicitGroupSize;
    /// <summary>CUDA launch shape, read from the environment once, when the backend is created.</summary>
    private readonly int _cudaGroupSize = Tuning.GroupSize, _cudaMinGroups = Tuning.MinGroupsPerMultiprocessor;

    private IlgpuBackend(string name, Context context, Accelerator accelerator, bool doubleMath, string mathPath, int explicitGroupSize = 0)
    {
        _explicitGroupSize = explicitGroupSize;
        Name = name;
        _context = context;
        _accelerator = accelerator;
        _doubleMath = doubleMath;
        RadixSortChunks = accelerator.AcceleratorType != AcceleratorType.CPU;
        MathPath = mathPath;
    }

    /// <summary>
    /// CUDA launch shape: threads per group and the minimum number of groups per multiprocessor the kernel is
    /// compiled for (0 = no register cap). Defaults measured on an H100 (docs/performance.md); override with
    /// CE_CUDA_GROUP_SIZE and CE_CUDA_MIN_GROUPS_PER_SM. Results do not depend on them.
    /// </summary>
    public static class Tuning
    {
        // 384 threads, one group per multiprocessor: ptxas caps the fleet kernel at 168 registers (12 warps a
        // multiprocessor instead of 8 at its natural 186), the fastest of 12 shapes measured on an H100.
        public static int GroupSize => Group(out _);
        public static int MinGroupsPerMultiprocessor => MinGroups(out _);
        /// <summary>auto (libdevice when NVVM is found, else float), float, or libdevice (required).</summary>
        public static string MathChoice => Environment.GetEnvironmentVariable("CE_CUDA_MATH") is { Length: > 0 } m ? m : "auto";

        private static int Group(out string? error) => Env("CE_CUDA_GROUP_SIZE", 384, 32, 1024, out error);
        private static int MinGroups(out string? error) => Env("CE_CUDA_MIN_GROUPS_PER_SM", 1, 0, 64, out error);

        private static int Env(string name, int fallback, int min, int max, out string? error)
        {
            error = null;
            string? text = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrEmpty(text)) return fallback;
            if (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int v) && v >= min && v <= max)
                return v;
            error = $"must be an integer from {min} to {max}";
            return fallback;
        }

        /// <summary>The first invalid CUDA setting in the environment, named with its value and rule; null when all are valid.</summary>
        public static string? Invalid() => Errors().FirstOrDefault() is { } e ? $"{e.Field}={e.Value}: {e.Rule}" : null;

        /// <summary>Every invalid CUDA setting in the environment (the variable, its value, the rule); empty when all are valid.</summary>
        public static List<ValidationError> Errors()
        {
            var errors = new List<ValidationError>();
            Group(out string? group);
            MinGroups(out string? minGroups);
            foreach (var (name, rule) in new[] { ("CE_CUDA_GROUP_SIZE", group), ("CE_CUDA_MIN_GROUPS_PER_SM", minGroups) })
                if (rule != null) errors.Add(new ValidationError(name, Environment.GetEnvironmentVariable(name)!, rule));
            if (MathChoice is not ("auto" or "float" or "libdevice"))
                errors.Add(new ValidationError("CE_CUDA_MATH", MathChoice, "must be auto, float or libdevice"));
            return errors;
        }

        public static string Describe() => $"{GroupSize} threads per group, " +
            (MinGroupsPerMultiprocessor > 0 ? $"compiled for at least {MinGroupsPerMultiprocessor} groups per multiprocessor" : "no register cap");
    }

    public string Name { get; }
    public string MathPath { get; }
    public TimeSpan TransferTime => _transfer.Elapsed;
    private readonly System.Diagnostics.Stopwatch _transfer = new();
    public string Device => $"{_accelerator.Name} ({_accelerator.AcceleratorType}, {Memory(_accelerator.AcceleratorType, _accelerator.MemorySize)})";

    /// <summary>Device memory in MiB; the CPU accelerator reports no real limit, so it says host memory.</summary>
    private static string Memory(AcceleratorType type, long bytes) =>
        type == AcceleratorType.CPU ? "host memory" : $"{bytes / (1 << 20)} MiB";

    /// <summary>The ILGPU CPU accelerator (always available).</summary>
    /// <param name="explicitGroupSize">0: the auto-grouped kernel. Above 0: the explicitly grouped kernel that CUDA
    /// launches, with groups of this many threads (tests run the CUDA entry point this way, without a GPU).</param>
    public static IlgpuBackend CreateCpu(int explicitGroupSize = 0)
    {
        var context = Context.Create(b => b.CPU().EnableAlgorithms());
        var acc = context.CreateCPUAccelerator(0);
        return new IlgpuBackend("ilgpu-cpu", context, acc, true, "double (IEEE, .NET System.Math on the ILGPU CPU accelerator)", explicitGroupSize);
    }

    /// <summary>Threads per group of the explicitly grouped kernel, or 0 when this backend launches the auto-grouped one.</summary>
    private int GroupSize => _accelerator.AcceleratorType == AcceleratorType.Cuda ? _cudaGroupSize : _explicitGroupSize;

    /// <summary>
    /// The first CUDA device. Tries libdevice (double transcendentals at hardware speed, needs CUDA_HOME with
    /// nvvm); falls back to float hardware transcendentals. Returns null with the reason when there is no CUDA device.
    /// </summary>
    public static IlgpuBackend? TryCreateCuda(out string reason)
    {
        Context? context = null;
        string mathPath;
        bool libdevice = false;
        try
        {
            if (Tuning.Invalid() is { } invalid)
            {
                reason = $"invalid CUDA setting: {invalid}";
                return null;
            }
            string mathChoice = Tuning.MathChoice;
            string floatWhy = "float transcendentals requested (CE_CUDA_MATH=float)";
            if (mathChoice != "float")
            {
                try
                {
                    context = Context.Create(b => b.Cuda().EnableAlgorithms().LibDevice());
                    libdevice = true;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    context?.Dispose();
                    context = null;
                    floatWhy = $"libdevice unavailable ({ex.GetType().Name}: {FirstLine(ex.Message)})";
                }
            }
            if (context == null && mathChoice == "libdevice")
            {
                reason = $"CE_CUDA_MATH=libdevice but {floatWhy}";
                return null;
            }
            context ??= Context.Create(b => b.Cuda().EnableAlgorithms());
            var devices = context.GetCudaDevices();
            if (devices.Count == 0)
            {
                context.Dispose();
                reason = "no CUDA device found";
                return null;
            }
            var acc = devices[0].CreateAccelerator(context);
            mathPath = libdevice ? "double via libdevice (CUDA NVVM)" : $"float hardware transcendentals ({floatWhy}), money in double";
            reason = libdevice ? "CUDA device with libdevice" : "CUDA device without libdevice";
            return new IlgpuBackend("cuda", context, acc, libdevice, mathPath);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            context?.Dispose();
            reason = $"CUDA unavailable: {FirstLine(ex.Message)}";
            return null;
        }
    }

    /// <summary>The first OpenCL device (GPUs first unless <paramref name="gpuOnly"/> is false and none exists).</summary>
    public static IlgpuBackend? TryCreateOpenCL(bool gpuOnly, out string reason)
    {
        Context? context = null;
        try
        {
            context = Context.Create(b => b.OpenCL().EnableAlgorithms());
            var devices = new List<CLDevice>();
            foreach (var d in context.GetCLDevices()) devices.Add(d);
            var dev = devices.FirstOrDefault(d => d.DeviceType == CLDeviceType.CL_DEVICE_TYPE_GPU)
                      ?? (gpuOnly ? null : devices.FirstOrDefault());
            if (dev == null)
            {
                context.Dispose();
                reason = gpuOnly ? "no OpenCL GPU found" : "no OpenCL device found";
                return null;
            }
            var acc = dev.CreateAccelerator(context);
            reason = "OpenCL device";
            return new IlgpuBackend("opencl", context, acc, true, "double (OpenCL built-ins)");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            context?.Dispose();
            reason = $"OpenCL unavailable: {FirstLine(ex.Message)}";
            return null;
        }
    }

    /// <summary>Accelerators ILGPU can see, for `ce devices`.</summary>
    public static IReadOnlyList<string> ListDevices()
    {
        var lines = new List<string>();
        try
        {
            using var context = Context.Create(b => b.Default().EnableAlgorithms());
            foreach (var d in context)
            {
                string cc = d is CudaDevice cd ? $", compute capability {cd.Architecture}" : "";
                lines.Add($"{d.AcceleratorType,-8} {d.Name}, {Memory(d.AcceleratorType, d.MemorySize)}{cc}");
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            lines.Add($"ILGPU device discovery failed: {FirstLine(ex.Message)}");
        }
        return lines;
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();

    public long MaxBatch(IModelJob job)
    {
        long perPath = (job.ScratchPerPath + job.MetricNames.Count) * sizeof(double);
        long budget = _accelerator.AcceleratorType == AcceleratorType.CPU ? 256L << 20 : _accelerator.MemorySize / 2;
        // Kernels index scratch and metrics with 32-bit offsets: a batch's buffers stay below 2^31 elements.
        long indexLimit = int.MaxValue / (job.ScratchPerPath + job.MetricNames.Count);
        return Math.Clamp(Math.Min(budget / perPath, indexLimit), 1, 1 << 22);
    }

    /// <remarks>
    /// On the CPU accelerator a batch is launched in pieces of <see cref="CpuLaunchPaths"/> paths and the token is
    /// checked between them (the batch's buffers and results are the same). A GPU batch is one launch (at most
    /// 4,194,304 paths: about 0.25 s of the default scenario on an H100, docs/performance.md); the simulator checks
    /// the token between batches.
    /// </remarks>
    public void Run(IModelJob job, long pathOffset, int count, double[] metrics, float[] bands, long bandPaths,
        CancellationToken cancellation = default)
        => Guarded(job, count, () => job.Accept(new Runner(this, pathOffset, count, metrics, bands, bandPaths, cancellation)));

    /// <summary>Paths per launch on the CPU accelerator: about 0.1 s each on two cores, so a cancellation is seen within it.</summary>
    public const int CpuLaunchPaths = 1024;

    /// <summary>Bytes copied from the device to the host so far.</summary>
    public long BytesToHost => Interlocked.Read(ref _bytesToHost);
    private long _bytesToHost;

    /// <summary>Run <paramref name="body"/>, mapping a device out-of-memory to <see cref="DeviceOutOfMemoryException"/> (the simulator halves the batch).</summary>
    private T Guarded<T>(IModelJob job, int count, Func<T> body)
    {
        long elements = (long)count * (job.ScratchPerPath + job.MetricNames.Count);
        if (elements > int.MaxValue)   // a --batch above MaxBatch: the simulator halves it, as after an out-of-memory
            throw new DeviceOutOfMemoryException(
                $"{Device}: a batch of {count} paths needs {elements} elements in one buffer, above the 2^31 the kernels index");
        try
        {
            return body();
        }
        catch (CudaException ex) when (ex.Error.Contains("OUT_OF_MEMORY", StringComparison.Ordinal))
        {
            ReleaseBatchBuffers();
            throw new DeviceOutOfMemoryException($"{Device}: {ex.Error} for a batch of {count} paths", ex);
        }
        catch (CLException ex) when (ex.Error.ToString().Contains("OUT_OF", StringComparison.Ordinal))
        {
            ReleaseBatchBuffers();
            throw new DeviceOutOfMemoryException($"{Device}: {ex.Error} for a batch of {count} paths", ex);
        }
    }

    /// <summary>Free the per-batch buffers so a smaller batch can allocate afresh.</summary>
    private void ReleaseBatchBuffers()
    {
        _scratch?.Dispose(); _scratch = null;
        _metrics?.Dispose(); _metrics = null;
        _keys?.Dispose(); _keys = null;
    }

    private sealed class Runner : IModelVisitor<bool>
    {
        private readonly IlgpuBackend _b;
        private readonly long _offset, _bandPaths;
        private readonly int _count;
        private readonly double[]? _metrics;
        private readonly float[] _bands;
        private readonly CancellationToken _cancellation;

        // metrics: where the metrics are copied; null: they stay on the device (a device reduction follows).
        public Runner(IlgpuBackend b, long offset, int count, double[]? metrics, float[] bands, long bandPaths, CancellationToken cancellation)
        {
            _b = b; _offset = offset; _count = count; _metrics = metrics; _bands = bands; _bandPaths = bandPaths; _cancellation = cancellation;
        }

        public bool Visit<TModel>(ModelJob<TModel> job) where TModel : unmanaged, IPathModel
        {
            _b.Launch(job, _offset, _count, _metrics, _bands, _bandPaths, _cancellation);
            return true;
        }
    }

    /// <summary>Device buffers for a batch of <paramref name="count"/> paths of <paramref name="job"/> (reused while large enough).</summary>
    private void EnsureBuffers<TModel>(ModelJob<TModel> job, int count, long bandLen) where TModel : unmanaged, IPathModel
    {
        var acc = _accelerator;
        if (!ReferenceEquals(_dataOwner, job))
        {
            _data?.Dispose();
            _data = acc.Allocate1D(job.Data);
            _models?.Dispose();
            _models = acc.Allocate1D(job.Variants);
            _dataOwner = job;
        }
        if (_bands == null || _bands.Length < bandLen) { _bands?.Dispose(); _bands = acc.Allocate1D<float>(bandLen); }
        long scratchLen = job.ScratchPerPath * count;
        if (_scratch == null || _scratch.Length < scratchLen) { _scratch?.Dispose(); _scratch = acc.Allocate1D<double>(scratchLen); }
        long metricLen = (long)count * job.MetricNames.Count;
        if (_metrics == null || _metrics.Length < metricLen) { _metrics?.Dispose(); _metrics = acc.Allocate1D<double>(metricLen); }
    }

    private void Launch<TModel>(ModelJob<TModel> job, long offset, int count, double[]? metrics, float[] bands, long bandPaths,
        CancellationToken cancellation)
        where TModel : unmanaged, IPathModel
    {
        if (FleetLanes && job is ModelJob<FleetModel> fleet)
        {
            LaunchLanes(fleet, offset, count, metrics, bands, bandPaths, cancellation);
            return;
        }
        var acc = _accelerator;
        int k = job.MetricNames.Count;
        long bandStride = (long)job.Months * job.SeriesNames.Count;
        WaitForAbandoned(cancellation);
        EnsureBuffers(job, count, Math.Max(1, bandPaths * bandStride));
        bool fresh = !_kernels.TryGetValue(typeof(TModel), out var known);
        Delegate kernel = known ?? Compile(GetKernel<TModel>, cancellation);
        var info = new BatchInfo
        {
            PathOffset = offset,
            BandPaths = bandPaths,
            MetricCount = k,
            BandStride = bandStride,
            BatchCount = count,
            PathsPerVariant = job.PathsPerVariant,
            PerPathVariants = job.PerPathVariants ? 1 : 0,
            FirstVariantPath = job.FirstVariantPath,
        };
        var modelView = ((MemoryBuffer1D<TModel, Stride1D.Dense>)_models!).View;
        if (kernel is Action<KernelConfig, ArrayView<TModel>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<float>, BatchInfo> grouped)
            grouped(new KernelConfig((count + GroupSize - 1) / GroupSize, GroupSize),
                modelView, _data!.View, _scratch!.View, _metrics!.View, _bands!.View, info);
        else
        {
            var auto = (Action<Index1D, ArrayView<TModel>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<float>, BatchInfo>)kernel;
            // Pieces of the batch: batch path a + i is launched as index i with PathOffset + a and the views moved by a, so
            // it writes where the whole launch would (the stride stays BatchCount); one piece on a GPU.
            int piece = acc.AcceleratorType == AcceleratorType.CPU ? CpuLaunchPaths : count;
            for (int a = 0; a < count; a += piece)
            {
                cancellation.ThrowIfCancellationRequested();
                void LaunchPiece() => auto(Math.Min(piece, count - a), modelView, _data!.View, _scratch!.View.SubView(a, _scratch.Length - a),
                    _metrics!.View.SubView(a, _metrics.Length - a), _bands!.View, info with { PathOffset = offset + a });
                // A fresh kernel's first launch on the CPU accelerator JITs its generated code (seconds): waited for like a compilation.
                if (fresh && a == 0 && acc.AcceleratorType == AcceleratorType.CPU) Compile(() => { LaunchPiece(); acc.Synchronize(); return true; }, cancellation);
                else LaunchPiece();
                if (piece < count) acc.Synchronize();   // a piece at a time, so the token is checked while the batch runs
            }
        }
        acc.Synchronize();   // explicit, so the copies below are timed apart from the kernel
        CopyResults(offset, count, k, bandStride, metrics, bands, bandPaths);
    }

    /// <summary>The batch's metrics (unless they stay on the device) and its band paths' series, to the host.</summary>
    private void CopyResults(long offset, int count, int k, long bandStride, double[]? metrics, float[] bands, long bandPaths)
    {
        var acc = _accelerator;
        _transfer.Start();
        if (metrics != null)
        {
            _metrics!.View.SubView(0, (long)count * k).CopyToCPU(acc.DefaultStream, metrics.AsSpan(0, count * k));
            Interlocked.Add(ref _bytesToHost, (long)count * k * sizeof(double));
        }
        long bandFirst = offset, bandEnd = Math.Min(offset + count, bandPaths);
        if (bandEnd > bandFirst)
        {
            long start = bandFirst * bandStride, len = (bandEnd - bandFirst) * bandStride;
            _bands!.View.SubView(start, len).CopyToCPU(acc.DefaultStream, bands.AsSpan((int)start, (int)len));
            Interlocked.Add(ref _bytesToHost, len * sizeof(float));
        }
        acc.Synchronize();
        _transfer.Stop();
    }

    /// <summary>A compilation still running after a cancelled wait (<see cref="Compile"/>), or null.</summary>
    private Task? _compiling;

    /// <summary>
    /// Run <paramref name="load"/>, a kernel compilation (seconds on the CPU accelerator; on CUDA the PTX and its load),
    /// which ILGPU cannot cancel, on a worker thread and wait for it or for <paramref name="cancellation"/>: SIGINT or
    /// SIGTERM during the compilation stops the run at once instead of after it. An abandoned compilation finishes on
    /// its own (a later call waits for it first; <see cref="Dispose"/> then leaves the context to the process's exit).
    /// </summary>
    private T Compile<T>(Func<T> load, CancellationToken cancellation)
    {
        WaitForAbandoned(cancellation);
        if (!cancellation.CanBeCanceled) return load();
        var task = Task.Factory.StartNew(() =>
        {
            using var bound = _accelerator.BindScoped();   // a CUDA context is current per thread: loading the module needs it here
            return load();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        _compiling = task;
        try
        {
            task.Wait(cancellation);
        }
        catch (AggregateException) { }   // the compiler's own failure: rethrown as itself below
        return task.GetAwaiter().GetResult();
    }

    /// <summary>Wait for a compilation (or first launch) that a cancelled call left running, before touching its buffers.</summary>
    private void WaitForAbandoned(CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        if (_compiling is not { IsCompleted: false } pending) return;
        try
        {
            pending.Wait(cancellation);
        }
        catch (AggregateException) { }   // its failure was nobody's to see: the next call compiles afresh
    }

    /// <summary>Kernels compiled so far (the path kernels of each model; the lane kernel; the reduction kernels count as one).</summary>
    public int KernelsLoaded => _kernels.Count + (_lanesKernel != null ? 1 : 0) + (_blockMomentsKernel != null ? 1 : 0);

    private Delegate GetKernel<TModel>() where TModel : unmanaged, IPathModel
    {
        if (_kernels.TryGetValue(typeof(TModel), out var d)) return d;
        if (GroupSize > 0)
        {
            // Explicit groups with a specialization: ptxas caps the registers so that MinGroupsPerMultiprocessor
            // groups of GroupSize threads fit on one multiprocessor (docs/performance.md, "Kernel design on a GPU").
            var spec = _accelerator.AcceleratorType == AcceleratorType.Cuda
                ? new KernelSpecialization(_cudaGroupSize, _cudaMinGroups > 0 ? _cudaMinGroups : null)
                : default;
            Delegate g = _doubleMath
                ? _accelerator.LoadStreamKernel<ArrayView<TModel>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<float>, BatchInfo>(
                    PathKernels.PathKernelGrouped<TModel, DoubleMath>, spec)
                : _accelerator.LoadStreamKernel<ArrayView<TModel>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<float>, BatchInfo>(
                    PathKernels.PathKernelGrouped<TModel, FloatMath>, spec);
            _kernels[typeof(TModel)] = g;
            return g;
        }
        Delegate kernel = _doubleMath
            ? _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<TModel>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<float>, BatchInfo>(
                PathKernels.PathKernel<TModel, DoubleMath>)
            : _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<TModel>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<float>, BatchInfo>(
                PathKernels.PathKernel<TModel, FloatMath>);
        _kernels[typeof(TModel)] = kernel;
        return kernel;
    }

    /// <summary>Run the Philox known-answer kernel on this accelerator: 6 input words per block, 4 output words.</summary>
    public uint[] Philox(uint[] inputs, uint poison = 0xDEADBEEF)
    {
        int n = inputs.Length / 6;
        using var input = _accelerator.Allocate1D(inputs);
        using var output = _accelerator.Allocate1D<uint>(n * 4);
        output.MemSetToZero();
        var fill = Enumerable.Repeat(poison, n * 4).ToArray();
        output.CopyFromCPU(fill);
        var kernel = _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<uint>, ArrayView<uint>>(PathKernels.PhiloxKernel);
        kernel(n, input.View, output.View);
        return output.GetAsArray1D();
    }

    public void Dispose()
    {
        // An interrupted compilation still holds the accelerator (and its lock, which freeing a buffer takes): leave all of
        // it to the process's exit, which follows an interruption.
        if (_compiling is { IsCompleted: false }) return;
        _data?.Dispose(); _scratch?.Dispose(); _metrics?.Dispose(); _keys?.Dispose(); _sortTemp?.Dispose(); _bands?.Dispose(); _models?.Dispose();
        _accelerator.Dispose();
        _context.Dispose();
    }
}
