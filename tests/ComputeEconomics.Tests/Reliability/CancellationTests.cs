using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Sweeps;
using ComputeEconomics.Tests.Sweeps;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Reliability;

/// <summary>
/// Issue 18: prompt stopping proven by what the code observes, not by the wall clock: a cancellation (what SIGINT and
/// SIGTERM trigger) reaches every loop, so no further chunk of paths, batch or sweep point starts once it is set.
/// The time from the signal to the exit is measured in benchmarks (CancellationBenchmarks), not asserted here.
/// </summary>
public sealed class CancellationTests : TempFolderTest
{
    public CancellationTests() : base("ce-cancel-") { }

    private static IModelJob Job(long paths) => ScenarioCompiler.Compile(ScenarioLoader.Load(null, new[] { $"paths={paths}", "horizon_months=24" }));

    [Theory]
    [InlineData("cpu")]
    [InlineData("ilgpu-cpu")]
    public void ACancelledTokenStopsTheBackendBeforeAnyChunkOfPaths(string backendName)
    {
        var job = Job(4096);
        using var backend = BackendFactory.Create(backendName, 1, out _);
        var metrics = new double[job.MetricNames.Count * 4096];
        Array.Fill(metrics, -12345.0);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Simulator.Run(job, backend, new RunOptions { Paths = 4096, BandPaths = 0, Cancellation = cts.Token }));
        // Both stop inside a batch: cpu between chunks of paths, ilgpu-cpu between launches of IlgpuBackend.CpuLaunchPaths.
        Assert.ThrowsAny<OperationCanceledException>(() => backend.Run(job, 0, 4096, metrics, Array.Empty<float>(), 0, cts.Token));
        Assert.All(metrics, m => Assert.Equal(-12345.0, m));        // not one path was simulated (nothing copied back)
    }

    [Fact]
    public void ACancellationDuringTheKernelsCompilationIsNotHeldUntilItEnds()
    {
        // ILGPU compiles the fleet kernel in seconds on the CPU accelerator and cannot be cancelled; SIGTERM there used to
        // wait for the compilation and the first launch (2-6 s measured, load about 20). The backend now waits for it on
        // the token: cancelled 100 ms in, the run ends with the kernel still compiling (none loaded yet).
        var job = Job(64);
        var backend = IlgpuBackend.CreateCpu();   // not disposed here: an interrupted compilation leaves it to the process's exit
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var metrics = new double[job.MetricNames.Count * 64];
        Assert.ThrowsAny<OperationCanceledException>(() => backend.Run(job, 0, 64, metrics, Array.Empty<float>(), 0, cts.Token));
        Assert.Equal(0, backend.KernelsLoaded);
        // The abandoned compilation is waited for by the next call, which then runs normally.
        backend.Run(job, 0, 64, metrics, Array.Empty<float>(), 0);
        Assert.Equal(1, backend.KernelsLoaded);
        backend.Dispose();
    }

    [Fact]
    public void NoBatchStartsAfterTheCancellation()
    {
        var job = Job(1 << 20);
        using var cts = new CancellationTokenSource();
        var reports = new List<long>();
        var options = new RunOptions
        {
            Paths = 1 << 20, BatchSize = 512, BandPaths = 0, Cancellation = cts.Token,
            Progress = done => { reports.Add(done); cts.Cancel(); },
        };
        Assert.ThrowsAny<OperationCanceledException>(() => Simulator.Run(job, new CpuBackend(1), options));
        Assert.Equal(new long[] { 512 }, reports);     // the first batch finished, and nothing after the cancellation
    }

    [Fact]
    public void NoSweepPointStartsAfterTheCancellationAndEveryFinishedPointIsCheckpointed()
    {
        var plan = SweepTestData.Plan(SweepTestData.Grid);
        string cp = Path.Combine(Dir, "cp.csv");
        using var cts = new CancellationTokenSource();
        int pointsAtCancel = -1, lastPointsDone = 0;
        var options = new SweepRunOptions
        {
            CheckpointPath = cp, Cancellation = cts.Token, BatchSize = 64,
            Progress = p =>
            {
                lastPointsDone = p.PointsDone;
                if (p.PointsDone >= 2 && pointsAtCancel < 0) { pointsAtCancel = p.PointsDone; cts.Cancel(); }
            },
        };
        Assert.ThrowsAny<OperationCanceledException>(() => SweepTestData.Run(plan, options, threads: 1));
        Assert.Equal(pointsAtCancel, lastPointsDone);                            // no point finished after the cancellation
        Assert.Equal(2 + pointsAtCancel, File.ReadAllLines(cp).Length);           // ce header, CSV header, one row per finished point
    }
}
