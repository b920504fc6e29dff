using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Output;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Sweeps;

namespace ComputeEconomics.Tests.Reliability;

/// <summary>
/// Issue 17, item 4: the phases after the simulation observe the cancellation (what SIGINT and SIGTERM trigger) too:
/// the statistics (exact and streamed), the report's distributions and the merge of shards. Proven by what the code
/// observes (a cancelled token makes each throw where it would otherwise have finished), not by the clock.
/// </summary>
public sealed class PhaseCancellationTests
{
    private static IModelJob Job() => ScenarioCompiler.Compile(ScenarioLoader.Load(null, new[] { "paths=600", "horizon_months=24" }));

    private static CancellationToken Cancelled()
    {
        var cts = new CancellationTokenSource();
        cts.Cancel();
        return cts.Token;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheStatisticsPhaseObservesTheCancellation(bool streamed)
    {
        var job = Job();
        var run = Simulator.Run(job, new CpuBackend(1), new RunOptions
        {
            Paths = 600, BandPaths = 10, Sink = streamed ? new StreamingStatistics(job, Distributions.MonthMetrics) : null,
        });
        Assert.NotNull(RunSummary.From(run));   // the same run finishes without a cancellation
        Assert.ThrowsAny<OperationCanceledException>(() => RunSummary.From(run, cancellation: Cancelled()));
        Assert.ThrowsAny<OperationCanceledException>(() => Distributions.Files(run, Cancelled()));
    }

    [Fact]
    public void TheBootstrapsObserveTheCancellation()
    {
        var rows = Enumerable.Range(0, 64).Select(i => Math.Sin(i)).ToArray();
        var mixed = new[] { rows.Reverse().ToArray() };
        Assert.NotNull(SobolAnalysis.Jansen(rows, rows, mixed, 10, 1));
        Assert.ThrowsAny<OperationCanceledException>(() => SobolAnalysis.Jansen(rows, rows, mixed, 10, 1, Cancelled()));
        Assert.ThrowsAny<OperationCanceledException>(() => SweepOptimizer.BootstrapStdError(rows, mixed[0], "npv", "p50", 1, Cancelled()));
    }

    [Fact]
    public void TheCalibrationObservesTheCancellation()
    {
        string data = Path.Combine(Reports.SchemaTests.RepoRoot(), "data", "gpu_rents.csv");
        var settings = new ComputeEconomics.Calibration.CalibrationSettings(data, "H100", null, null, 12, 1);
        Assert.ThrowsAny<OperationCanceledException>(() => ComputeEconomics.Calibration.PriceCalibration.Run(settings, Cancelled()));
    }

    [Fact]
    public void TheMergeObservesTheCancellationBeforeReadingAShard()
    {
        var dirs = new[] { "/nonexistent/ce-shard-a", "/nonexistent/ce-shard-b" };
        Assert.Throws<InputException>(() => SweepMerge.Merge(dirs));   // not cancelled: the missing shards are reported
        Assert.ThrowsAny<OperationCanceledException>(() => SweepMerge.Merge(dirs, Cancelled()));
    }
}
