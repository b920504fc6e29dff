using System.Globalization;
using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Output;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Lab;

/// <summary>
/// Issue item 3: a lab takes its inference cost per Mtok from a fleet run's summary.json (`ce run --out`):
/// the cost_per_mtok quantiles P1..P99 are an empirical distribution sampled once per path.
/// </summary>
public sealed class LabCouplingTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"ce-lab-coupling-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    /// <summary>A deterministic fleet (zero volatility, no failures): every path has the same cost per Mtok.</summary>
    private const string Fleet = """
        model: fleet
        name: fleet-for-lab
        horizon_months: 36
        paths: 16
        band_paths: 0
        market:
          regime: { initial: 0, normal_to_bust: 0, bust_to_normal: 0 }
          price: { initial: 0.8, unit: mtok, drift: -0.3, drift_bust: -0.6, volatility: 0 }
          utilisation: { initial: 0.6, mean: 0.6, mean_bust: 0.4, reversion: 2, volatility: 0 }
          electricity: { initial: 0.08, drift: 0.0, volatility: 0 }
        catalog:
          - { name: H100 }
        fleet:
          purchase: { generation: H100, units: 100 }
          failures: { enabled: false }
        """;

    private string WriteFleetSummary(out RunResult fleet)
    {
        var scenario = ScenarioLoader.FromText(Fleet, "test");
        using var cpu = new CpuBackend();
        fleet = Simulator.Run(ScenarioCompiler.Compile(scenario), cpu, new RunOptions { Paths = scenario.Paths, BandPaths = 0 });
        string outDir = Path.Combine(_dir, "fleet-run");
        Writers.WriteAll(outDir, new Dictionary<string, string> { ["summary.json"] = Writers.SummaryJson(RunSummary.From(fleet)) });
        return Path.Combine(outDir, "summary.json");
    }

    private static string LabUsing(string summaryPath) => LabFixture.Deterministic
        .Replace("inference_cost_per_mtok: 4.0", $"inference_cost_from: '{summaryPath}'", StringComparison.Ordinal);

    [Fact]
    public void DegenerateFleetDistributionGivesExactlyTheFleetCost()
    {
        string path = WriteFleetSummary(out var fleet);
        var fleetCost = fleet.Columns[fleet.Job.MetricNames.ToList().IndexOf("cost_per_mtok")];
        Assert.All(fleetCost, c => Assert.Equal(fleetCost[0], c));
        Assert.True(fleetCost[0] > 0 && double.IsFinite(fleetCost[0]));

        var lab = LabFixture.Run(LabUsing(path), new[] { "lab.inference_cost_decline=0" });
        var month0 = LabFixture.Column(lab, "inference_cost_month0");
        var mean = LabFixture.Column(lab, "inference_cost_per_mtok");
        for (int p = 0; p < lab.Paths; p++)
        {
            Assert.Equal(fleetCost[0], month0[p]);
            LabFixture.AssertRelative(fleetCost[0], mean[p], 1e-12, "cost per Mtok paid over the horizon");
        }
        // The same lab with the number written in instead gives bit-identical paths.
        string literal = fleetCost[0].ToString("R", CultureInfo.InvariantCulture);
        var direct = LabFixture.Run(LabFixture.Deterministic, new[] { "lab.inference_cost_decline=0", $"lab.inference_cost_per_mtok={literal}" });
        BitCompare.AssertIdentical(direct, lab, "cost from the fleet file vs the same number");
    }

    [Fact]
    public void CostIsSampledFromTheQuantileFunction()
    {
        // A summary.json in the fleet layout with distinct quantiles: P(cost <= p25) must be 0.25 and the
        // draws must stay within [p1, p99] (flat tails); 4000 paths, checked to 4 standard errors.
        Directory.CreateDirectory(_dir);
        string path = Path.Combine(_dir, "summary.json");
        File.WriteAllText(path, """
            { "model": "fleet", "metrics": { "cost_per_mtok": {
              "p1": 0.10, "p5": 0.20, "p25": 0.30, "p50": 0.40, "p75": 0.60, "p95": 0.90, "p99": 1.50 } } }
            """);
        const int n = 4000;
        var r = LabFixture.Run(LabUsing(path), paths: n);
        var cost = LabFixture.Column(r, "inference_cost_month0");
        Assert.All(cost, c => Assert.InRange(c, 0.10, 1.50));
        foreach (var (q, level) in new[] { (0.30, 0.25), (0.40, 0.50), (0.90, 0.95) })
        {
            double share = cost.Count(c => c <= q) / (double)n;
            double se = Math.Sqrt(level * (1 - level) / n);
            Assert.True(Math.Abs(share - level) <= 4 * se, $"P(cost <= {q}) = {share}, expected {level} +/- {4 * se:F4}");
        }
        // Between P25 and P50 the quantile function is linear: the draws there are uniform on [0.30, 0.40].
        var mid = cost.Where(c => c > 0.30 && c < 0.40).ToArray();
        double m = mid.Average(), seMid = 0.1 / Math.Sqrt(12 * mid.Length);
        Assert.True(Math.Abs(m - 0.35) <= 4 * seMid, $"mean of draws in (P25, P50) = {m}, expected 0.35 +/- {4 * seMid:F4}");
    }

    [Fact]
    public void MissingOrWrongFileIsAValidationErrorNamingTheField()
    {
        string missing = Path.Combine(_dir, "nope", "summary.json");
        var ex = Assert.Throws<InputException>(() => ScenarioLoader.FromText(LabUsing(missing), "test"));
        var e = Assert.Single(ex.Errors);
        Assert.Equal("lab.inference_cost_from", e.Field);
        Assert.Equal(missing, e.Value);
        Assert.Contains("existing file", e.Rule, StringComparison.Ordinal);

        Directory.CreateDirectory(_dir);
        string market = Path.Combine(_dir, "market.json");
        File.WriteAllText(market, """{ "model": "market", "metrics": {} }""");
        var ex2 = Assert.Throws<InputException>(() => ScenarioLoader.FromText(LabUsing(market), "test"));
        Assert.Contains("fleet run", Assert.Single(ex2.Errors).Rule, StringComparison.Ordinal);
    }
}
