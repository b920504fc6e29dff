using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ComputeEconomics.Kernels;
using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Models;

namespace ComputeEconomics.Backends;

/// <summary>
/// The cpu backend: the per-path functions called directly from .NET on all cores (JIT-compiled,
/// IEEE double math). Each worker thread owns its scratch, so the thread count never changes a result.
/// </summary>
public sealed class CpuBackend : IBackend
{
    private readonly int _threads;
    private readonly bool _floatMath;
    private readonly bool _lockstep;
    private long _lockstepPaths;

    /// <summary>Paths this backend has simulated in lockstep so far (the rest one at a time): what the tests check to know
    /// the lockstep, not a fallback, produced the results they compare.</summary>
    public long LockstepPaths => Interlocked.Read(ref _lockstepPaths);

    /// <summary>CE_CPU_KERNEL, read when the backend is created: "lockstep" (default: fleet paths four at a time,
    /// <see cref="FleetModel.SimulateLockstep{TMath}"/>) or "scalar" (one at a time); the same results bit for bit.</summary>
    public static class KernelSetting
    {
        public const string Variable = "CE_CPU_KERNEL";
        public const string Rule = "must be lockstep or scalar (the cpu backend's fleet kernel)";

        public static string Value => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } v ? v : "lockstep";

        /// <summary>The setting named with its value and rule when it is neither lockstep nor scalar; null when valid.</summary>
        public static string? Invalid() => Value is "lockstep" or "scalar" ? null : $"{Variable}={Value}: {Rule}";
    }

    /// <param name="threads">Worker threads; 0 = all cores.</param>
    /// <param name="floatMath">Use the GPU's float transcendental policy (<see cref="FloatMath"/>) instead of
    /// IEEE double: lets the precision policy be measured on a machine without a GPU.</param>
    /// <param name="lockstep">Fleet paths four at a time in vectors (null: from CE_CPU_KERNEL, lockstep unless "scalar").</param>
    public CpuBackend(int threads = 0, bool floatMath = false, bool? lockstep = null)
    {
        _threads = threads > 0 ? threads : Environment.ProcessorCount;
        _floatMath = floatMath;
        _lockstep = lockstep ?? KernelSetting.Value != "scalar";
    }

    /// <summary>Which fleet kernel runs, for `ce bench` and the run's backend line.</summary>
    public string KernelDescription => !_lockstep ? "scalar (a path at a time)"
        : !FleetModel.LockstepSupported ? "scalar (a path at a time: this CPU has no AVX2 for the lockstep)"
        : $"lockstep (fleet paths {FleetModel.LockstepLanes} at a time in 256-bit vectors; per-path parameter sets one at a time)";

    public string Name => "cpu";
    public string Device => $"{Environment.ProcessorCount}-core CPU ({_threads} threads), .NET {Environment.Version}";
    public string MathPath => _floatMath ? "float transcendentals (the GPU policy), money in double" : "double (IEEE, .NET System.Math)";
    public int Threads => _threads;

    public long MaxBatch(IModelJob job) => 1 << 14;

    /// <summary>Results are written straight into host memory: no transfers.</summary>
    public TimeSpan TransferTime => TimeSpan.Zero;

    public void Run(IModelJob job, long pathOffset, int count, double[] metrics, float[] bands, long bandPaths,
        CancellationToken cancellation = default)
        => job.Accept(new Runner(this, pathOffset, count, metrics, bands, bandPaths) { Cancellation = cancellation });

    private sealed class Runner : IModelVisitor<bool>
    {
        private readonly CpuBackend _b;
        private readonly long _offset, _bandPaths;
        private readonly int _count;
        private readonly double[] _metrics;
        private readonly float[] _bands;
        public CancellationToken Cancellation { get; init; }

        public Runner(CpuBackend b, long offset, int count, double[] metrics, float[] bands, long bandPaths)
        {
            _b = b; _offset = offset; _count = count; _metrics = metrics; _bands = bands; _bandPaths = bandPaths;
        }

        public unsafe bool Visit<TModel>(ModelJob<TModel> job) where TModel : unmanaged, IPathModel
        {
            TModel[] variants = job.Variants;
            long perVariant = job.PathsPerVariant;
            bool perPath = job.PerPathVariants;
            long firstVariantPath = job.FirstVariantPath;
            int k = job.MetricNames.Count;
            long bandStride = (long)job.Months * job.SeriesNames.Count;
            double[] data = job.Data;
            long scratchLen = job.ScratchPerPath;
            bool lockstep = _b._lockstep && !perPath && typeof(TModel) == typeof(FleetModel) && FleetModel.LockstepSupported;
            int chunk = Math.Max(1, Math.Min(256, _count / (_b._threads * 8) + 1));
            if (lockstep) chunk = (chunk + FleetModel.LockstepLanes - 1) / FleetModel.LockstepLanes * FleetModel.LockstepLanes;   // whole groups
            var ranges = Partitioner.Create(0, _count, chunk);
            var options = new ParallelOptions { MaxDegreeOfParallelism = _b._threads, CancellationToken = Cancellation };
            long offset = _offset, bandPaths = _bandPaths;
            bool floatMath = _b._floatMath;
            double[] metrics = _metrics;
            float[] bands = _bands.Length == 0 ? new float[1] : _bands;
            Parallel.ForEach(ranges, options, () => new double[scratchLen * (lockstep ? FleetModel.LockstepLanes : 1)], (range, _, scratch) =>
            {
                fixed (double* pData = data)
                fixed (double* pScratch = scratch)
                fixed (double* pMetrics = metrics)
                fixed (float* pBands = bands)
                {
                    var vData = new PtrVec<double>(pData);
                    var vScratch = new PtrVec<double>(pScratch);
                    var vMetrics = new PtrVec<double>(pMetrics);
                    var vBands = new PtrVec<float>(pBands);
                    Span<PathSlot> group = stackalloc PathSlot[FleetModel.LockstepLanes];
                    int i = range.Item1, inLockstep = 0;
                    while (i < range.Item2)
                    {
                        long variant = VariantOf(offset + i, perPath, perVariant, firstVariantPath, out long path);
                        TModel model = variants[variant];
                        // A group of four paths of one parameter set runs in lockstep (the same bits as one at a time).
                        if (lockstep && i + group.Length <= range.Item2 && SameVariant(offset + i + group.Length - 1, variant, perVariant))
                        {
                            for (int l = 0; l < group.Length; l++)
                                group[l] = Slot(path + l, i + l, variant == 0, bandPaths, bandStride);
                            ref FleetModel fleet = ref Unsafe.As<TModel, FleetModel>(ref model);
                            if (floatMath) fleet.SimulateLockstep<FloatMath>(group, vData, pScratch, vMetrics, vBands);
                            else fleet.SimulateLockstep<DoubleMath>(group, vData, pScratch, vMetrics, vBands);
                            i += group.Length;
                            inLockstep += group.Length;
                            continue;
                        }
                        var slot = Slot(path, i, perPath || variant == 0, bandPaths, bandStride);
                        if (floatMath) model.Simulate<FloatMath, PtrVec<double>, PtrVec<float>>(slot, vData, vScratch, vMetrics, vBands);
                        else model.Simulate<DoubleMath, PtrVec<double>, PtrVec<float>>(slot, vData, vScratch, vMetrics, vBands);
                        i++;
                    }
                    if (inLockstep > 0) Interlocked.Add(ref _b._lockstepPaths, inLockstep);
                }
                return scratch;
            }, _ => { });
            return true;
        }

        /// <summary>The parameter set of global path <paramref name="global"/> and its path index within it.</summary>
        private static long VariantOf(long global, bool perPath, long perVariant, long firstVariantPath, out long path)
        {
            if (perPath) { path = global; return global - firstVariantPath; }
            long variant = global / perVariant;
            path = global - variant * perVariant;
            return variant;
        }

        /// <summary>True when global path <paramref name="last"/> belongs to <paramref name="variant"/> too.</summary>
        private static bool SameVariant(long last, long variant, long perVariant) => last / perVariant == variant;

        /// <summary>Where path <paramref name="path"/> (batch index <paramref name="i"/>) writes: its metrics column, its bands
        /// when it owns them (the first parameter set's paths, or every path of per-path sets) and is among the band paths.</summary>
        private PathSlot Slot(long path, int i, bool ownBands, long bandPaths, long bandStride) => new()
        {
            Path = path,
            MetricBase = i,
            MetricStride = _count,
            BandBase = ownBands && path < bandPaths ? path * bandStride : -1,
            ScratchBase = 0,
            ScratchStride = 1,
        };
    }

    public void Dispose() { }
}
