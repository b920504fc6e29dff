using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Kernels;

/// <summary>
/// The fleet's lane kernel (CE_FLEET_KERNEL=lanes: a group of lanes of one warp a path, warp shuffles gathering the
/// cohorts' parts to the leader lane) gives the classic kernel's per-path metrics and bands bit for bit, on ILGPU's CPU
/// accelerator (a warp of 4 threads there, so 4 lanes a path: slots l, l + 4 on lane l). The expected values are the
/// classic kernel's and the cpu backend's, the reference the equivalence tests already hold to each other. The CPU
/// accelerator emulates a warp with threads and a barrier per shuffle, so the runs are small.
/// </summary>
public class FleetLanesTests
{
    private const int Paths = 96;

    private static IModelJob Job(string scenario, params string[] overrides) =>
        ScenarioCompiler.Compile(ScenarioLoader.Load(scenario, new[] { $"paths={Paths}" }.Concat(overrides)));

    private static RunResult Run(IModelJob job, IBackend backend, int? batch = null, long bandPaths = 20)
        => Simulator.Run(job, backend, new RunOptions { Paths = Paths, BandPaths = bandPaths, BatchSize = batch });

    private static IlgpuBackend Lanes()
    {
        var b = IlgpuBackend.CreateCpu();
        b.FleetLanes = true;
        return b;
    }

    public static TheoryData<string, string[]> Scenarios() => new()
    {
        { "benchmark-fleet", new[] { "horizon_months=60" } },
        { "neocloud-h100", Array.Empty<string>() },
        // The kernel's other branches the lanes must gather: replacement and failure policies, units of production,
        // impairment, the counterparty's default and renewal, tranches and covenants (coreweave).
        { "neocloud-h100", new[] { "horizon_months=48", "fleet.replacement.policy=fixed_age", "fleet.failures.policy=retire", "fleet.depreciation.book.method=units_of_production" } },
        { "neocloud-h100", new[] { "horizon_months=48", "fleet.replacement.policy=margin", "fleet.replacement.margin_months=2", "fleet.financing.ltv_max=0.9" } },
        { "coreweave", new[] { "horizon_months=48" } },
        { "hyperscaler-fleet", new[] { "horizon_months=48" } },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void LanesGiveTheClassicKernelsMetricsAndBandsBitForBit(string scenario, string[] overrides)
    {
        var job = Job(scenario, overrides);
        using var cpu = new CpuBackend();
        using var classic = IlgpuBackend.CreateCpu();
        using var lanes = Lanes();
        var reference = Run(job, classic);
        BitCompare.AssertIdentical(reference, Run(job, lanes), $"{scenario} {string.Join(' ', overrides)}: lanes vs classic (ilgpu-cpu)");
        BitCompare.AssertIdentical(Run(job, cpu), Run(job, lanes, batch: 37), $"{scenario}: lanes (batch 37, padded) vs the cpu backend");
    }

    [Fact]
    public void ThePathsThatRanWroteEveryMetric()
    {
        // The simulator fills the metric buffer with NaN; a padded lane launch must still write each real path's metrics.
        using var lanes = Lanes();
        var r = Run(Job("benchmark-fleet", "horizon_months=24"), lanes, batch: 13);
        int npv = r.Job.MetricNames.ToList().IndexOf("npv");
        Assert.DoesNotContain(r.Columns[npv], double.IsNaN);
    }

    [Fact]
    public void LanesServeOnePathWithAsManyLanesAsTheWarpAllows()
    {
        using var lanes = Lanes();
        Assert.Equal(Math.Min(IlgpuBackend.MaxLanesPerPath, 4), lanes.LanesPerPath);   // ILGPU's CPU accelerator: warps of 4
        Assert.StartsWith("lanes (4 lanes a path", lanes.FleetKernelDescription, StringComparison.Ordinal);
    }

    [Fact]
    public void AssetClassesAreRefusedNamingTheFieldAndTheSwitch()
    {
        var job = Job("neocloud-h100", "horizon_months=12", "fleet.depreciation.asset_classes.network.share=0.1");
        using var lanes = Lanes();
        var ex = Assert.Throws<InputException>(() => Run(job, lanes));
        Assert.Contains("fleet.depreciation.asset_classes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CE_FLEET_KERNEL=lanes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASweepPackingSeveralPointsInALaunchExits2NamingTheSwitch()
    {
        // The built-in sweep: 4 points of the grid packed into one launch.
        var r = CeProcess.Run(new[] { "sweep", "useful-life-debate", "--paths", "4", "--backend", "ilgpu-cpu", "--out", Path.Combine(Path.GetTempPath(), $"lanes-sweep-{Guid.NewGuid():N}") },
            new Dictionary<string, string> { ["CE_FLEET_KERNEL"] = "lanes" });
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("sweep points packed in one launch", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("CE_FLEET_KERNEL=lanes", r.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidSwitchExits2NamingIt()
    {
        var r = CeProcess.Run(new[] { "run", "--paths", "8", "--backend", "ilgpu-cpu", "--quiet" },
            new Dictionary<string, string> { ["CE_FLEET_KERNEL"] = "warps" });
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("CE_FLEET_KERNEL", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("warps", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("classic or lanes", r.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRunSaysWhichKernelRanAndRefusesLanesOnTheCpuBackend()
    {
        var env = new Dictionary<string, string> { ["CE_FLEET_KERNEL"] = "lanes" };
        var ok = CeProcess.Run(new[] { "run", "benchmark-fleet", "--paths", "8", "--set", "horizon_months=12", "--backend", "ilgpu-cpu" }, env);
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("fleet kernel: lanes", ok.StdErr, StringComparison.Ordinal);
        var cpu = CeProcess.Run(new[] { "run", "--paths", "8", "--backend", "cpu", "--quiet" }, env);
        Assert.True(cpu.ExitCode == 2, cpu.ToString());
        Assert.Contains("CE_FLEET_KERNEL", cpu.StdErr, StringComparison.Ordinal);
    }
}
