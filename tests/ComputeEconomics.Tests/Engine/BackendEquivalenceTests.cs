using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Engine;

/// <summary>
/// Determinism (README): the same seed gives bit-identical per-path results and bands whatever the backend
/// (cpu, ilgpu-cpu: both IEEE double), batch size or thread count.
/// </summary>
public class BackendEquivalenceTests
{
    private const int Paths = 300;

    private static IModelJob MarketJob() => new MarketYaml
    {
        Horizon = 48, P01 = 0.04, P10 = 0.1, PriceVol = 0.35, UtilVol = 0.4, ElecVol = 0.15,
        Correlation = new[] { new[] { 1.0, 0.5, 0.1 }, new[] { 0.5, 1.0, 0.0 }, new[] { 0.1, 0.0, 1.0 } },
    }.Compile();

    /// <summary>The built-in default fleet scenario, shortened.</summary>
    private static IModelJob FleetJob() =>
        ScenarioCompiler.Compile(ScenarioLoader.Load(null, new[] { $"paths={Paths}", "horizon_months=60" }));

    /// <summary>The built-in economy scenario with a near capex cliff (failures, covenants and cascades on many paths).</summary>
    private static IModelJob EconomyJob() =>
        ScenarioCompiler.Compile(ScenarioLoader.Load(null, new[] { "model=economy", $"paths={Paths}", "horizon_months=72", "economy.cliff_year=2" }));

    public static TheoryData<string> Models() => new() { "market", "fleet", "economy" };

    private static IModelJob Job(string model) => model switch { "market" => MarketJob(), "economy" => EconomyJob(), _ => FleetJob() };

    private static RunResult Run(IModelJob job, IBackend backend, int? batch = null, long bandPaths = 100)
        => Simulator.Run(job, backend, new RunOptions { Paths = Paths, BandPaths = bandPaths, BatchSize = batch });

    [Theory]
    [MemberData(nameof(Models))]
    public void CpuAndIlgpuCpuGiveBitIdenticalResults(string model)
    {
        var job = Job(model);
        using var cpu = new CpuBackend();
        using var ilgpu = IlgpuBackend.CreateCpu();
        var a = Run(job, cpu);
        var b = Run(job, ilgpu);
        AssertNoNaNWherePathsRan(a, model);
        BitCompare.AssertIdentical(a, b, $"{model}: cpu vs ilgpu-cpu");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void TheExplicitlyGroupedKernelThatCudaLaunchesGivesTheSameResults(string model)
    {
        // CUDA launches PathKernelGrouped (ceil(count / group) groups, threads past the batch return at once); run that
        // entry point on the CPU accelerator with groups that do not divide the batch, and a batch of one.
        var job = Job(model);
        using var cpu = new CpuBackend();
        var reference = Run(job, cpu);
        foreach (int group in new[] { 1, 5, 16 })   // the CPU accelerator allows at most 16 threads a group
        {
            using var grouped = IlgpuBackend.CreateCpu(explicitGroupSize: group);
            BitCompare.AssertIdentical(reference, Run(job, grouped), $"{model}: grouped kernel, {group} threads per group");
            BitCompare.AssertIdentical(reference, Run(job, grouped, batch: 7), $"{model}: grouped kernel, {group} threads, batch 7");
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void ResultsDoNotDependOnTheBatchSize(string model)
    {
        var job = Job(model);
        using var cpu = new CpuBackend();
        using var ilgpu = IlgpuBackend.CreateCpu();
        var reference = Run(job, cpu, batch: Paths);
        foreach (int batch in new[] { 1, 7, 64, Paths })
        {
            BitCompare.AssertIdentical(reference, Run(job, cpu, batch), $"{model}: cpu, batch {batch}");
            BitCompare.AssertIdentical(reference, Run(job, ilgpu, batch), $"{model}: ilgpu-cpu, batch {batch}");
        }
        Assert.Equal(Paths / 7 + 1, Run(job, cpu, 7).Batches);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void ResultsDoNotDependOnTheThreadCount(string model)
    {
        var job = Job(model);
        using var one = new CpuBackend(1);
        using var two = new CpuBackend(2);
        using var all = new CpuBackend();
        using var many = new CpuBackend(5);
        var reference = Run(job, one);
        BitCompare.AssertIdentical(reference, Run(job, two), $"{model}: 1 vs 2 threads");
        BitCompare.AssertIdentical(reference, Run(job, all), $"{model}: 1 thread vs all cores");
        BitCompare.AssertIdentical(reference, Run(job, many, batch: 13), $"{model}: 1 thread vs 5 threads, batch 13");
    }

    [Fact]
    public void AReusedIlgpuBackendGivesTheSameResultsForLaterRunsWithMoreBandPaths()
    {
        // One backend serves several runs of the same job (a sweep, a rerun with more band paths): each must give
        // what the cpu backend gives. Run in a child process: a kernel writing past a too-small device buffer fails
        // an ILGPU bounds assertion on a worker thread, which terminates the process.
        var check = typeof(IsolatedBackendChecks).GetMethod(nameof(IsolatedBackendChecks.ReusedIlgpuBackendWithMoreBandPaths))!;
        var r = IsolatedProcess.Run(check, TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, $"reused ilgpu-cpu backend, band paths 10 then 300, 0, 50: {r}");
    }

    [Fact]
    public void AReusedIlgpuBackendRunsAnotherJobCorrectly()
    {
        using var cpu = new CpuBackend();
        using var ilgpu = IlgpuBackend.CreateCpu();
        var market = MarketJob();
        var fleet = FleetJob();
        BitCompare.AssertIdentical(Run(market, cpu), Run(market, ilgpu), "market first");
        BitCompare.AssertIdentical(Run(fleet, cpu), Run(fleet, ilgpu), "fleet after market");
        BitCompare.AssertIdentical(Run(market, cpu, batch: 64), Run(market, ilgpu, batch: 64), "market again");
    }

    [Fact]
    public void EveryBandValueOfTheRecordedPathsIsWritten()
    {
        // The simulator fills the band buffer with NaN before the run; every recorded path writes every month.
        var job = MarketJob();
        using var ilgpu = IlgpuBackend.CreateCpu();
        using var cpu = new CpuBackend();
        foreach (var backend in new IBackend[] { cpu, ilgpu })
        {
            var r = Run(job, backend, batch: 64, bandPaths: 150);
            Assert.Equal(150L * job.Months * job.SeriesNames.Count, r.Bands.LongLength);
            int firstNaN = Array.FindIndex(r.Bands, float.IsNaN);
            Assert.True(firstNaN < 0, $"{backend.Name}: band value {firstNaN} was never written");
        }
    }

    private static void AssertNoNaNWherePathsRan(RunResult r, string model)
    {
        // The simulator pre-fills the metric buffer with NaN; a market path writes every metric.
        if (model != "market") return;
        for (int k = 0; k < r.Columns.Length; k++)
            Assert.DoesNotContain(r.Columns[k], double.IsNaN);
    }
}
