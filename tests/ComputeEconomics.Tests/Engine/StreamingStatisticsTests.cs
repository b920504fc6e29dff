using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Statistics;

namespace ComputeEconomics.Tests.Engine;

/// <summary>
/// Streamed statistics (--statistics sketch) on the default fleet scenario: no per-path column is kept, the result is
/// bit-identical whatever the batch size, moments and probabilities equal the exact run's, and every quantile is one of
/// the exact run's path values within the sketch's stated rank bound.
/// </summary>
public class StreamingStatisticsTests
{
    private const int Paths = 3000;
    private const int Capacity = 256;   // small, so the sketch compacts at this path count

    private static IModelJob FleetJob() =>
        ScenarioCompiler.Compile(ScenarioLoader.Load(null, new[] { $"paths={Paths}", "horizon_months=60" }));

    private static RunResult Streamed(IModelJob job, int? batch) =>
        Simulator.Run(job, new CpuBackend(), new RunOptions
        {
            Paths = Paths, BandPaths = 50, BatchSize = batch,
            Sink = new StreamingStatistics(job, new[] { "default_month" }, Capacity),
        });

    [Fact]
    public void AStreamedRunKeepsNoColumnAndGivesTheSameSummaryWhateverTheBatch()
    {
        var job = FleetJob();
        var a = RunSummary.From(Streamed(job, 97));
        var b = RunSummary.From(Streamed(job, 1024));
        var r = Streamed(job, null);
        Assert.All(r.Columns, c => Assert.Empty(c));
        Assert.Equal("sketch", a.StatisticsMethod);
        Assert.True(a.QuantileRankError > 0);
        Assert.Equal(a.Metrics, b.Metrics);
        Assert.Equal(a.Probabilities, b.Probabilities);
        Assert.Equal(a.QuantileRankError, b.QuantileRankError);
    }

    /// <summary>
    /// The final statistics pass one sort scratch from metric to metric: a scratch that last held another metric's
    /// sketch (here every metric in reverse order through one scratch) gives each metric the summary it gets alone.
    /// </summary>
    [Fact]
    public void SummariesThroughOneReusedScratchEqualEachMetricsOwn()
    {
        var job = FleetJob();
        var s = Streamed(job, 700).Streamed!;
        var shared = new SketchScratch();
        var reversed = Enumerable.Range(0, job.MetricNames.Count).Reverse().Select(j => (j, m: s.Summary(j, shared))).ToArray();
        Assert.Equal(s.MaxHeld, shared.Capacity);
        foreach (var (j, m) in reversed) Assert.Equal(s.Summary(j), m);
        Assert.Equal(RunSummary.From(Streamed(job, null)).Metrics, reversed.OrderBy(r => r.j).Select(r => r.m));
    }

    [Fact]
    public void MomentsAndProbabilitiesMatchTheExactRunAndQuantilesAreWithinTheBound()
    {
        var job = FleetJob();
        var exactRun = Simulator.Run(job, new CpuBackend(), new RunOptions { Paths = Paths, BandPaths = 50 });
        var exact = RunSummary.From(exactRun);
        var streamedRun = Streamed(job, 500);
        var sketch = RunSummary.From(streamedRun);
        Assert.Equal(exact.Probabilities, sketch.Probabilities);
        for (int k = 0; k < job.MetricNames.Count; k++)
        {
            var e = exact.Metrics[k];
            var s = sketch.Metrics[k];
            Assert.Equal(e.Count, s.Count);
            Assert.Equal(e.Absent, s.Absent);
            if (e.Count < 2) { Assert.Equal(e.Mean, s.Mean); continue; }   // NaN statistics of an absent metric
            Assert.Equal(e.Min, s.Min);
            Assert.Equal(e.Max, s.Max);
            Assert.Equal(e.Mean, s.Mean, Math.Abs(e.Mean) * 1e-12 + 1e-9);
            Assert.Equal(e.StdDev, s.StdDev, Math.Abs(e.StdDev) * 1e-9 + 1e-9);
            var sorted = exactRun.Columns[k].Where(v => !double.IsNaN(v)).OrderBy(v => v).ToArray();
            long bound = streamedRun.Streamed!.Sketches[k].RankErrorBound;
            foreach (var (p, v) in new[] { (0.01, s.P1), (0.05, s.P5), (0.5, s.P50), (0.95, s.P95), (0.99, s.P99) })
            {
                if (sorted.Length == 0) { Assert.True(double.IsNaN(v)); continue; }
                long target = (long)Math.Round((sorted.Length - 1) * p, MidpointRounding.AwayFromZero);
                int lo = Array.IndexOf(sorted, v), hi = Array.LastIndexOf(sorted, v);
                Assert.True(lo >= 0 && lo <= target + bound && hi >= target - bound,
                    $"{job.MetricNames[k]} p{p}: {v} holds ranks {lo}..{hi}, target {target} +- {bound}");
            }
        }
    }

    [Fact]
    public void TheSurvivalCurveOfAStreamedRunEqualsTheExactOne()
    {
        var job = ScenarioCompiler.Compile(ScenarioLoader.Load("frontier-lab", new[] { "paths=1500" }));
        var exact = Output.Distributions.Files(Simulator.Run(job, new CpuBackend(), new RunOptions { Paths = 1500, BandPaths = 0 }));
        var streamed = Output.Distributions.Files(Simulator.Run(job, new CpuBackend(), new RunOptions
        {
            Paths = 1500, BandPaths = 0, BatchSize = 333, Sink = new StreamingStatistics(job, Output.Distributions.MonthMetrics, Capacity),
        }));
        Assert.Equal(exact["survival.csv"], streamed["survival.csv"]);
        Assert.Contains("insolvency,", streamed["survival.csv"]);
    }

    [Fact]
    public void BatchesOutOfPathOrderAreRefused()
    {
        var stats = new StreamingStatistics(FleetJob(), Array.Empty<string>());
        var ex = Assert.Throws<InvalidOperationException>(() => stats.Add(new double[FleetJob().MetricNames.Count], 1, 5));
        Assert.Contains("path order", ex.Message);
    }

    [Theory]
    [InlineData("auto", 5_000_000, null, false)]
    [InlineData("auto", 5_000_001, null, true)]
    [InlineData("auto", 50_000_000, "sampling: antithetic", false)]
    [InlineData("exact", 50_000_000, null, false)]
    [InlineData("sketch", 10, null, true)]
    public void AutoStreamsAboveFiveMillionPathsUnlessEveryPathIsNeeded(string mode, long paths, string? needs, bool streams) =>
        Assert.Equal(streams, StatisticsChoice.Streams(mode, paths, needs));

    /// <summary>
    /// Auto on a GPU backend reduces on the device above one chunk (2^20 paths) unless the run needs every path; the
    /// other backends keep the host rule (sketch above 5,000,000); device and sketch are taken as asked.
    /// </summary>
    [Theory]
    [InlineData("auto", 1_048_576, null, "cuda", "exact")]
    [InlineData("auto", 1_048_577, null, "cuda", "device")]
    [InlineData("auto", 50_000_000, null, "opencl", "device")]
    [InlineData("auto", 50_000_000, "--target-stderr", "cuda", "exact")]
    [InlineData("auto", 50_000_000, "sampling: qmc", "opencl", "exact")]
    [InlineData("auto", 50_000_000, null, "ilgpu-cpu", "sketch")]
    [InlineData("auto", 2_000_000, null, "ilgpu-cpu", "exact")]
    [InlineData("auto", 50_000_000, null, "cpu", "sketch")]
    [InlineData("device", 10, null, "ilgpu-cpu", "device")]
    [InlineData("sketch", 50_000_000, null, "cuda", "sketch")]
    [InlineData("exact", 50_000_000, null, "cuda", "exact")]
    public void AutoReducesOnAGpuAboveOneChunkUnlessEveryPathIsNeeded(string mode, long paths, string? needs, string backend, string chosen) =>
        Assert.Equal(chosen, StatisticsChoice.Choose(mode, paths, needs, backend));

    [Fact]
    public void ASketchWhereEveryPathIsNeededAndAnUnknownModeAreRefusedNamingTheOption()
    {
        var a = Assert.Throws<InputException>(() => StatisticsChoice.Streams("sketch", 10, "uncertain inputs"));
        Assert.Equal("--statistics", a.Errors[0].Field);
        Assert.Contains("uncertain inputs", a.Errors[0].Rule);
        var b = Assert.Throws<InputException>(() => StatisticsChoice.Streams("approx", 10, null));
        Assert.Equal("--statistics", b.Errors[0].Field);
        Assert.Equal("approx", b.Errors[0].Value);
    }

    /// <summary>
    /// The estimate's end-of-run term bounds what the final statistics really sort: after a streamed run (capacity 256,
    /// so the sketches compact), the largest sketch holds at most levels x capacity values, levels from the closed form
    /// ceil(log2(paths / capacity)) + 1, and a scratch sized by the run serves every metric without growing.
    /// </summary>
    [Fact]
    public void TheLargestSketchHoldsNoMoreThanTheEstimateCounts()
    {
        var job = FleetJob();
        var s = Streamed(job, 500).Streamed!;
        int levels = (int)Math.Ceiling(Math.Log2((double)Paths / Capacity)) + 1;
        Assert.Equal(levels, StreamingStatistics.SketchLevels(Paths, Capacity));
        Assert.InRange(s.MaxHeld, Capacity, levels * Capacity);
        var scratch = new SketchScratch(s.MaxHeld);
        for (int j = 0; j < job.MetricNames.Count; j++) s.Summary(j, scratch);
        Assert.Equal(s.MaxHeld, scratch.Capacity);
    }

    /// <summary>
    /// A streamed run's estimate grows with the paths only through the sketches' levels: from 1e7 to 2e8 paths (10 and 14
    /// levels of 32,768 values, closed form above) it grows by the overhead times, per level, every metric's level
    /// (8 bytes a value) and the final statistics' sorted views of one (16 bytes a value, one a summary worker and one for
    /// the histograms).
    /// </summary>
    [Fact]
    public void AStreamedEstimateGrowsWithThePathsOnlyThroughTheSketchLevels()
    {
        var job = ScenarioCompiler.Compile(ScenarioLoader.Load(null, Array.Empty<string>()));
        using var cpu = new CpuBackend();
        long Host(long paths) =>
            MemoryEstimate.For(job, cpu, new RunOptions { Paths = paths, Sink = new StreamingStatistics(job, Array.Empty<string>()) }).HostBytes;
        const int capacity = QuantileSketch.DefaultCapacity;
        int levels7 = (int)Math.Ceiling(Math.Log2(1e7 / capacity)) + 1, levels8 = (int)Math.Ceiling(Math.Log2(2e8 / capacity)) + 1;
        Assert.Equal((10, 14), (levels7, levels8));
        double perLevel = (double)capacity * (job.MetricNames.Count * sizeof(double) + (RunSummary.SummaryThreads + 1) * 16);
        Assert.InRange(Host(200_000_000) - Host(10_000_000) - MemoryEstimate.HeapOverhead * (levels8 - levels7) * perLevel, -2, 2);
        Assert.Equal(Host(16_777_216), Host(10_000_000));   // 32,768 x 2^9: still 10 levels
    }

    [Fact]
    public void TheDefaultScenarioAt200MillionStreamedPathsIsEstimatedUnder2GiBAndRefusedWhenExact()
    {
        var job = ScenarioCompiler.Compile(ScenarioLoader.Load(null, Array.Empty<string>()));
        using var cpu = new CpuBackend();
        var streamed = MemoryEstimate.For(job, cpu, new RunOptions { Paths = 200_000_000, Sink = new StreamingStatistics(job, Array.Empty<string>()) });
        Assert.True(streamed.HostBytes < 2L << 30, streamed.ToString());
        // Exact: 8 bytes x metrics x paths alone is far beyond the machine; the refusal names the flag to use.
        var exact = MemoryEstimate.For(job, cpu, new RunOptions { Paths = 200_000_000 });
        Assert.True(exact.HostBytes > 200_000_000L * job.MetricNames.Count * sizeof(double));
        var small = exact with { HostAvailableBytes = exact.HostBytes };   // a machine with just that much: over 80 %
        Assert.Contains("--statistics sketch", Assert.Throws<InputException>(small.ThrowIfTooLarge).Errors[0].Rule);
    }

    /// <summary>The refusal names the part that takes the memory and its knob: a batch buffer of 8 bytes x metrics x
    /// batch paths (the closed form) is --batch's; the band paths' series, 4 bytes x series x months x band paths, are
    /// band_paths'; streamed statistics have no per-path columns, so there it is the paths, without --statistics.</summary>
    [Fact]
    public void ARefusalNamesThePartThatTakesTheMemoryAndItsKnob()
    {
        var job = ScenarioCompiler.Compile(ScenarioLoader.Load(null, Array.Empty<string>()));
        using var cpu = new CpuBackend();
        ValidationError Refusal(RunOptions o)
        {
            var e = MemoryEstimate.For(job, cpu, o);
            return Assert.Throws<InputException>((e with { HostAvailableBytes = e.HostBytes }).ThrowIfTooLarge).Errors[0];
        }
        var batch = Refusal(new RunOptions { Paths = 50_000_000, BatchSize = 40_000_000, Sink = new StreamingStatistics(job, Array.Empty<string>()) });
        Assert.Equal(("--batch", "40000000"), (batch.Field, batch.Value));
        Assert.Contains(FormattableString.Invariant($"{40_000_000L * job.MetricNames.Count * 8 / (double)(1L << 30):0.00} GiB of it the batch buffer"), batch.Rule);
        var bands = Refusal(new RunOptions { Paths = 10_000_000, BandPaths = 10_000_000, Sink = new StreamingStatistics(job, Array.Empty<string>()) });
        Assert.Equal(("band_paths", "10000000"), (bands.Field, bands.Value));
        long bandBytes = 10_000_000L * job.Months * job.SeriesNames.Count * sizeof(float);
        Assert.Contains(FormattableString.Invariant($"{bandBytes / (double)(1L << 30):0.00} GiB of it the band paths"), bands.Rule);
        var streamed = Refusal(new RunOptions { Paths = 10_000_000, Sink = new StreamingStatistics(job, Array.Empty<string>()) });
        Assert.Equal("paths", streamed.Field);
        Assert.DoesNotContain("--statistics", streamed.Rule);
    }
}
