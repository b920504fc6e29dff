using BenchmarkDotNet.Attributes;
using ComputeEconomics.Backends;
using ComputeEconomics.Kernels;
using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Models;
using ComputeEconomics.Running;

namespace ComputeEconomics.Benchmarks;

/// <summary>
/// Throughput of the fleet kernel on the benchmark scenario, per backend, in path-months: divide
/// Paths x Months by the mean time. Baseline: the same per-path function in a plain single-thread loop.
/// </summary>
[MemoryDiagnoser]
public class FleetKernelBenchmarks
{
    [Params(20_000)]
    public int Paths { get; set; }

    private IModelJob _job = null!;
    private IBackend _cpu = null!, _ilgpuCpu = null!;
    private IBackend? _gpu;
    private double[] _metrics = null!;

    [GlobalSetup]
    public void Setup()
    {
        _job = BenchmarkScenario.Job(Paths);
        _cpu = new CpuBackend();
        _ilgpuCpu = IlgpuBackend.CreateCpu();
        _gpu = IlgpuBackend.TryCreateCuda(out _);
        _metrics = new double[(long)Paths * _job.MetricNames.Count];
        // Warm the JIT and the ILGPU kernel caches outside the measurement.
        _cpu.Run(_job, 0, 256, _metrics, Array.Empty<float>(), 0);
        _ilgpuCpu.Run(_job, 0, 256, _metrics, Array.Empty<float>(), 0);
        _gpu?.Run(_job, 0, 256, _metrics, Array.Empty<float>(), 0);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cpu.Dispose();
        _ilgpuCpu.Dispose();
        _gpu?.Dispose();
    }

    /// <summary>A plain single-thread scalar loop over the per-path function: the reference.</summary>
    [Benchmark(Baseline = true)]
    public unsafe double ScalarLoop()
    {
        var job = (ModelJob<FleetModel>)_job;
        var model = job.Model;
        var scratch = new double[job.ScratchPerPath];
        int k = job.MetricNames.Count;
        float dummy = 0;
        fixed (double* pData = job.Data) fixed (double* pScratch = scratch) fixed (double* pMetrics = _metrics)
        {
            for (int i = 0; i < Paths; i++)
            {
                var slot = new PathSlot { Path = i, MetricBase = i, MetricStride = Paths, BandBase = -1, ScratchBase = 0, ScratchStride = 1 };
                model.Simulate<DoubleMath, PtrVec<double>, PtrVec<float>>(slot, new PtrVec<double>(pData),
                    new PtrVec<double>(pScratch), new PtrVec<double>(pMetrics), new PtrVec<float>(&dummy));
            }
        }
        return _metrics[0];
    }

    [Benchmark]
    public double Cpu()
    {
        _cpu.Run(_job, 0, Paths, _metrics, Array.Empty<float>(), 0);
        return _metrics[0];
    }

    [Benchmark]
    public double IlgpuCpu()
    {
        _ilgpuCpu.Run(_job, 0, Paths, _metrics, Array.Empty<float>(), 0);   // returns after the copy back: synchronised
        return _metrics[0];
    }

    /// <summary>CUDA when present; on a machine without one it fails, so its row reads NA rather than a time.</summary>
    [Benchmark]
    public double Cuda()
    {
        if (_gpu == null) throw new InvalidOperationException("no CUDA device: nothing to measure");
        _gpu.Run(_job, 0, Paths, _metrics, Array.Empty<float>(), 0);
        return _metrics[0];
    }
}

/// <summary>Scaling of the cpu backend with paths, months and cohorts.</summary>
public class FleetScalingBenchmarks
{
    [Params(5_000, 20_000)] public int Paths { get; set; }
    [Params(60, 120)] public int Months { get; set; }
    [Params(1, 4, 8)] public int Cohorts { get; set; }

    private IModelJob _job = null!;
    private CpuBackend _cpu = null!;
    private double[] _metrics = null!;

    [GlobalSetup]
    public void Setup()
    {
        _job = BenchmarkScenario.Job(Paths, Months, Cohorts);
        _cpu = new CpuBackend();
        _metrics = new double[(long)Paths * _job.MetricNames.Count];
        _cpu.Run(_job, 0, 256, _metrics, Array.Empty<float>(), 0);
    }

    [Benchmark]
    public double Run()
    {
        _cpu.Run(_job, 0, Paths, _metrics, Array.Empty<float>(), 0);
        return _metrics[0];
    }
}

/// <summary>CPU scaling with threads (the target: 2 threads at least 1.7x one thread).</summary>
public class CpuThreadBenchmarks
{
    [Params(1, 2)] public int Threads { get; set; }

    /// <summary>The cpu backend's fleet kernel (CE_CPU_KERNEL): four paths in lockstep in vectors, or one at a time.</summary>
    [Params("lockstep", "scalar")] public string Kernel { get; set; } = "lockstep";

    private IModelJob _job = null!;
    private CpuBackend _cpu = null!;
    private double[] _metrics = null!;
    private const int Paths = 20_000;

    [GlobalSetup]
    public void Setup()
    {
        _job = BenchmarkScenario.Job(Paths);
        _cpu = new CpuBackend(Threads, lockstep: Kernel == "lockstep");
        _metrics = new double[(long)Paths * _job.MetricNames.Count];
        _cpu.Run(_job, 0, 256, _metrics, Array.Empty<float>(), 0);
    }

    [Benchmark]
    public double Run()
    {
        _cpu.Run(_job, 0, Paths, _metrics, Array.Empty<float>(), 0);
        return _metrics[0];
    }
}

/// <summary>
/// The whole run on the cpu backend, as `ce run` does it (issue 17, item 6: "end to end"): batches, the kernel, the
/// streamed statistics (moments, quantiles, CVaR, histograms) and the result, for 20,000 paths of the benchmark scenario
/// (2.4 M path-months); no files. Divide 2.4 M by the mean time for path-months per second end to end.
/// </summary>
public class CpuEndToEndBenchmarks
{
    [Params(1, 2)] public int Threads { get; set; }

    [Params("lockstep", "scalar")] public string Kernel { get; set; } = "lockstep";

    private IModelJob _job = null!;
    private CpuBackend _cpu = null!;
    private const int Paths = 20_000;

    [GlobalSetup]
    public void Setup()
    {
        _job = BenchmarkScenario.Job(Paths);
        _cpu = new CpuBackend(Threads, lockstep: Kernel == "lockstep");
        Run(256);
    }

    [Benchmark]
    public double Run() => Run(Paths);

    /// <summary>What `ce bench` times end to end: the run, then its statistics (<see cref="RunSummary.From"/>).</summary>
    private double Run(int paths) => RunSummary.From(Simulator.Run(_job, _cpu, new RunOptions { Paths = paths, BandPaths = 0 })).Metric("npv").Mean;
}

/// <summary>
/// The fleet kernel on CUDA at sizes that fill a GPU (1 M and 4 M paths of the benchmark scenario); each call
/// returns after the per-path metrics are on the host (synchronised). Fails its setup where there is no CUDA device.
/// </summary>
[MemoryDiagnoser]
public class CudaFleetKernelBenchmarks
{
    [Params(1 << 20, 1 << 22)]
    public int Paths { get; set; }

    private IModelJob _job = null!;
    private IBackend _gpu = null!;
    private double[] _metrics = null!;

    [GlobalSetup]
    public void Setup()
    {
        _job = BenchmarkScenario.Job(Paths);
        _gpu = IlgpuBackend.TryCreateCuda(out string why) ?? throw new InvalidOperationException($"no CUDA backend: {why}");
        _metrics = new double[(long)Paths * _job.MetricNames.Count];
        _gpu.Run(_job, 0, Paths, _metrics, Array.Empty<float>(), 0);   // kernel compiled, buffers allocated
    }

    [GlobalCleanup]
    public void Cleanup() => _gpu?.Dispose();

    [Benchmark]
    public double Cuda()
    {
        _gpu.Run(_job, 0, Paths, _metrics, Array.Empty<float>(), 0);
        return _metrics[0];
    }
}
