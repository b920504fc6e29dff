using ComputeEconomics.Backends;
using ComputeEconomics.Compare;
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
    public void CompareObservesTheCancellationInItsPairingAndCharts()
    {
        var loaded = CompareRunner.Load(CompareSpec.Entries(new[] { "neocloud-h100" }, new[] { "v: fleet.operations.pue=1.4" }, new[] { "paths=300", "horizon_months=24" }));
        using var backend = new CpuBackend(1);
        var runs = 0;
        RunResult Run(CompareScenario s) { runs++; return Simulator.Run(s.Job, backend, CompareRunner.Options(s, null, CancellationToken.None)); }
        string headline = CompareRunner.Headline(loaded, null);
        Assert.ThrowsAny<OperationCanceledException>(() => CompareRunner.Run(loaded, headline, Run, Cancelled()));
        Assert.Equal(1, runs);   // the baseline ran; the variant did not start
        var result = CompareRunner.Run(loaded, headline, Run);
        Assert.NotEmpty(CompareOutput.Files(result));
        Assert.ThrowsAny<OperationCanceledException>(() => CompareOutput.Files(result, Cancelled()));
        string dir = Path.Combine(Path.GetTempPath(), $"ce-cancel-compare-{Guid.NewGuid():N}");
        Assert.ThrowsAny<OperationCanceledException>(() => CompareOutput.Write(dir, result, Cancelled()));
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void TheReportObservesTheCancellationBeforeEachChart()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"ce-cancel-report-{Guid.NewGuid():N}");
        try
        {
            var r = TestSupport.CeProcess.Run(new[] { "run", "--paths", "300", "--backend", "cpu", "--set", "horizon_months=24", "--out", dir, "--quiet" });
            Assert.True(r.ExitCode == 0, r.ToString());
            var run = RunDirectory.Load(dir);
            Assert.NotEmpty(HtmlReport.ForRun(run).Charts);
            Assert.ThrowsAny<OperationCanceledException>(() => HtmlReport.ForRun(run, null, Cancelled()));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void TheMergeObservesTheCancellationBeforeReadingAShard()
    {
        var dirs = new[] { "/nonexistent/ce-shard-a", "/nonexistent/ce-shard-b" };
        Assert.Throws<InputException>(() => SweepMerge.Merge(dirs));   // not cancelled: the missing shards are reported
        Assert.ThrowsAny<OperationCanceledException>(() => SweepMerge.Merge(dirs, Cancelled()));
    }
}
