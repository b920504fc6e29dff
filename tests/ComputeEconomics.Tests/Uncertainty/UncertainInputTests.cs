using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Output;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.TestSupport;
using ComputeEconomics.Uncertainty;

namespace ComputeEconomics.Tests.Uncertainty;

/// <summary>Uncertain scenario fields: binding, sampling, correlation, per-path runs (docs/uncertainty.md).</summary>
public class UncertainInputTests
{
    private const string Small = "horizon_months: 48\nband_paths: 16\n";

    private static LoadedScenario Load(string yaml, params string[] overrides) => ScenarioLoader.FromTextWithUncertainty(yaml, "test", overrides);

    private static double[] Draws(LoadedScenario s, int field, int n)
    {
        var sampler = new InputSampler(s.Uncertainty, (uint)s.Scenario.Seed);
        var x = new double[n];
        var values = new double[s.Uncertainty.Fields.Count];
        for (int p = 0; p < n; p++) { sampler.Draw(p, values); x[p] = values[field]; }
        return x;
    }

    private static double Quantile(double[] x, double p)
    {
        var s = x.OrderBy(v => v).ToArray();
        return ComputeEconomics.Statistics.Quantiles.FromSorted(s, p);
    }

    // Expected values: a 90% interval's bounds are its 5th and 95th percentiles by definition. Tolerance: 4 standard errors
    // of the sample quantile, sqrt(p (1-p) / N) / f(x_p) (asymptotic normality of sample quantiles; Serfling 1980, 2.3.3),
    // with f the density of the lognormal (or normal) fitted to the interval.
    [Theory]
    [InlineData(0.03, 0.09)]     // both positive: lognormal
    [InlineData(-0.02, 0.04)]    // a negative bound: normal
    public void NinetyPercentIntervalReproducesItsBoundsAsP5AndP95(double p5, double p95)
    {
        const int n = 40_000;
        var s = Load($"market:\n  price:\n    drift: {{p5: {p5}, p95: {p95}}}\n");
        Assert.Single(s.Uncertainty.Fields);
        var x = Draws(s, 0, n);
        bool log = p5 > 0;
        double mu = log ? (Math.Log(p5) + Math.Log(p95)) / 2 : (p5 + p95) / 2;
        double sigma = log ? (Math.Log(p95) - Math.Log(p5)) / (2 * Distribution.Z95) : (p95 - p5) / (2 * Distribution.Z95);
        double phi = Math.Exp(-0.5 * Distribution.Z95 * Distribution.Z95) / Math.Sqrt(2 * Math.PI);
        foreach (var (p, bound) in new[] { (0.05, p5), (0.95, p95) })
        {
            double density = log ? phi / (bound * sigma) : phi / sigma;
            double se = Math.Sqrt(p * (1 - p) / n) / density;
            double q = Quantile(x, p);
            Assert.True(Math.Abs(q - bound) <= 4 * se, $"P{p * 100} of {n} draws = {q:R}, bound {bound}, 4 se = {4 * se:G4} (mu {mu}, sigma {sigma})");
        }
        // The field itself is bound to the median for validation and for non-sampling uses.
        Assert.Equal(log ? Math.Sqrt(p5 * p95) : (p5 + p95) / 2, s.Scenario.Market.Price.Drift, 12);
    }

    [Fact]
    public void DistributionsHaveTheirClosedFormMoments()
    {
        // Means: uniform (a+b)/2; triangular (a+m+b)/3; PERT (a + 4m + b)/6 (Malcolm et al. 1959); beta a + (b-a) alpha/(alpha+beta).
        // Tolerance 4 sd / sqrt(N) with the distribution's own sd bounded by (b-a)/2.
        const int n = 20_000;
        var s = Load("""
            fleet:
              financing:
                debt_share: {dist: uniform, low: 0.2, high: 0.8}
                debt_rate: {dist: triangular, low: 0.05, mode: 0.08, high: 0.2}
                tax_rate: {dist: pert, low: 0.1, mode: 0.2, high: 0.4}
              operations:
                maintenance_rate: {dist: beta, alpha: 2, beta: 5, low: 0, high: 0.1}
            """);
        var expected = new[] { 0.5, (0.05 + 0.08 + 0.2) / 3, (0.1 + 4 * 0.2 + 0.4) / 6, 0.1 * 2 / 7.0 };
        var halfWidth = new[] { 0.3, 0.075, 0.15, 0.05 };
        for (int f = 0; f < 4; f++)
        {
            var x = Draws(s, f, n);
            double mean = x.Average();
            Assert.True(Math.Abs(mean - expected[f]) <= 4 * halfWidth[f] / Math.Sqrt(n),
                $"{s.Uncertainty.Fields[f].Path}: mean {mean:R}, expected {expected[f]:R}");
            Assert.True(x.Min() >= expected[f] - 2 * halfWidth[f] && x.Max() <= expected[f] + 2 * halfWidth[f]);
        }
    }

    [Fact]
    public void TruncationBoundsAreRespectedAndConditional()
    {
        // Normal(0, 1) truncated to [0, inf): the half-normal, mean sqrt(2/pi) (closed form).
        var s = Load("market:\n  price:\n    drift: {dist: normal, mean: 0, sd: 1, min: 0, max: 5}\n");
        var x = Draws(s, 0, 20_000);
        Assert.True(x.Min() >= 0 && x.Max() <= 5);
        double sd = Math.Sqrt(1 - 2 / Math.PI);
        Assert.True(Math.Abs(x.Average() - Math.Sqrt(2 / Math.PI)) <= 4 * sd / Math.Sqrt(x.Length), $"mean {x.Average():R}");
    }

    [Theory]
    [InlineData("{dist: normal, mean: 0.2, sd: 0}")]
    [InlineData("{p5: 0.2, p95: 0.2}")]
    [InlineData("{dist: uniform, low: 0.2, high: 0.2}")]
    [InlineData("{dist: lognormal, median: 0.2, sigma: 0}")]
    public void FieldWithZeroSpreadEqualsTheFixedValueExactly(string dist)
    {
        const int paths = 64;
        var fixedRun = ScenarioLoader.FromText(ScenarioLoader.EmbeddedText("neocloud-h100")!, "t",
            new[] { $"paths={paths}", "horizon_months=48", "band_paths=8", "market.price.volatility=0.2" });
        var loaded = ScenarioLoader.FromTextWithUncertainty(ScenarioLoader.EmbeddedText("neocloud-h100")!, "t",
            new[] { $"paths={paths}", "horizon_months=48", "band_paths=8", $"market.price.volatility={dist}" });
        Assert.Single(loaded.Uncertainty.Fields);
        using var cpu = new CpuBackend();
        var expected = Simulator.Run(ScenarioCompiler.Compile(fixedRun), cpu, new RunOptions { Paths = paths, BandPaths = 8 });
        var actual = Simulator.Run(ScenarioCompiler.Compile(loaded.Scenario), cpu,
            new RunOptions { Paths = paths, BandPaths = 8, PerPathJobs = new UncertainJobSource(loaded) });
        Assert.All(actual.Inputs[0], v => Assert.Equal(0.2, v));
        BitCompare.AssertIdentical(expected, actual, $"zero-spread {dist} vs the fixed value");
    }

    [Theory]
    [InlineData("ilgpu-cpu")]
    [InlineData("cpu")]
    public void UncertainRunsAreBitIdenticalAcrossBackendsAndBatchSizes(string backendName)
    {
        const int paths = 48;
        var loaded = ScenarioLoader.FromTextWithUncertainty(ScenarioLoader.EmbeddedText("neocloud-h100")!, "t", new[]
        {
            $"paths={paths}", "horizon_months=48", "band_paths=10", "market.price.volatility={p5: 0.1, p95: 0.4}",
            "fleet.depreciation.book.useful_life_months={dist: triangular, low: 36, mode: 60, high: 84}",
            "catalog[0].unit_capex={dist: uniform, low: 20000, high: 30000}",
        });
        var job = ScenarioCompiler.Compile(loaded.Scenario);
        using var reference = new CpuBackend(threads: 1);
        var baseline = Simulator.Run(job, reference, new RunOptions { Paths = paths, BandPaths = 10, PerPathJobs = new UncertainJobSource(loaded) });
        using var backend = BackendFactory.Create(backendName, 0, out _);
        var other = Simulator.Run(job, backend, new RunOptions { Paths = paths, BandPaths = 10, BatchSize = 7, PerPathJobs = new UncertainJobSource(loaded) });
        BitCompare.AssertIdentical(baseline, other, $"{backendName}, batches of 7");
        for (int f = 0; f < 3; f++) Assert.Equal(baseline.Inputs[f], other.Inputs[f]);
        // The inputs really vary per path, and the paths' results with them.
        double[] Input(string name) => baseline.Inputs[baseline.InputNames.ToList().IndexOf(name)];
        Assert.Equal(paths, Input("catalog[0].unit_capex").Distinct().Count());
        Assert.All(Input("fleet.depreciation.book.useful_life_months"), v => Assert.True(v == Math.Round(v) && v >= 36 && v <= 84));
        // Resuming a run of 20 paths to 48 gives the run of 48 at once.
        var first = Simulator.Run(job, backend, new RunOptions { Paths = 20, BandPaths = 10, PerPathJobs = new UncertainJobSource(loaded) });
        var resumed = Simulator.Run(job, backend, new RunOptions { Paths = paths, BandPaths = 10, PerPathJobs = new UncertainJobSource(loaded) }, first);
        BitCompare.AssertIdentical(baseline, resumed, "resumed");
    }

    [Fact]
    public void AddingAnUncertainFieldDoesNotChangeTheOthersDraws()
    {
        var one = Load("market:\n  price:\n    volatility: {p5: 0.1, p95: 0.4}\n");
        var two = Load("fleet:\n  financing:\n    debt_rate: {p5: 0.05, p95: 0.12}\nmarket:\n  price:\n    volatility: {p5: 0.1, p95: 0.4}\n");
        Assert.Equal("market.price.volatility", two.Uncertainty.Fields[1].Path);
        Assert.Equal(Draws(one, 0, 500), Draws(two, 1, 500));
        // The two fields have their own streams: their uniforms are unrelated.
        var sampler = new InputSampler(two.Uncertainty, (uint)two.Scenario.Seed);
        var u0 = Enumerable.Range(0, 2000).Select(p => sampler.Uniform(0, p)).ToArray();
        var u1 = Enumerable.Range(0, 2000).Select(p => sampler.Uniform(1, p)).ToArray();
        Assert.True(Math.Abs(SampleStats.Correlation(u0, u1)) < 4 / Math.Sqrt(2000));
    }

    // Spearman's rho of the draws against the requested rank correlation. Tolerance: 4 standard errors of atanh(r_s),
    // sqrt(1.06 / (N - 3)) (Fieller, Hartley and Pearson 1957, Biometrika 44).
    [Theory]
    [InlineData(0.6)]
    [InlineData(-0.4)]
    public void RankCorrelationIsReproduced(double rho)
    {
        const int n = 20_000;
        var s = Load($"""
            fleet:
              financing:
                debt_rate: {"{dist: uniform, low: 0.05, high: 0.15}"}
            market:
              price:
                volatility: {"{p5: 0.1, p95: 0.4}"}
              electricity:
                drift: {"{dist: normal, mean: 0.02, sd: 0.01, min: -0.5, max: 0.5}"}
            uncertainty:
              correlation:
                - {"{"}fields: [fleet.financing.debt_rate, market.price.volatility], rank: {rho}{"}"}
            """);
        var a = Draws(s, 0, n);
        var b = Draws(s, 1, n);
        var c = Draws(s, 2, n);
        double rs = SampleStats.Correlation(Ranks(a), Ranks(b));
        double tol = 4 * Math.Sqrt(1.06 / (n - 3));
        Assert.True(Math.Abs(Math.Atanh(rs) - Math.Atanh(rho)) <= tol, $"Spearman {rs:R}, wanted {rho}");
        double rc = SampleStats.Correlation(Ranks(a), Ranks(c));
        Assert.True(Math.Abs(Math.Atanh(rc)) <= tol, $"uncorrelated field has Spearman {rc:R}");
        // Marginals keep their distribution: uniform on [0.05, 0.15].
        Assert.True(Math.Abs(a.Average() - 0.1) <= 4 * 0.1 / Math.Sqrt(12 * n));
    }

    private static double[] Ranks(double[] x)
    {
        var order = Enumerable.Range(0, x.Length).OrderBy(i => x[i]).ToArray();
        var r = new double[x.Length];
        for (int k = 0; k < order.Length; k++) r[order[k]] = k;
        return r;
    }

    [Theory]
    [InlineData("market.price.volatility={dist: normal, mean: 0.2, sd: 0.1}", "market.price.volatility", "must be in [0, 5]")]
    [InlineData("market.price.volatility={dist: normal, mean: 0.2, sd: -1}", "market.price.volatility.sd", "must be >= 0")]
    [InlineData("market.price.volatility={dist: gamma, mean: 0.2}", "market.price.volatility.dist", "must be one of")]
    [InlineData("market.price.volatility={dist: uniform, low: 0.1}", "market.price.volatility.high", "is required by uniform")]
    [InlineData("market.price.volatility={dist: uniform, low: 0.1, high: 0.2, mode: 3}", "market.price.volatility.mode", "is not a parameter of uniform")]
    [InlineData("market.price.volatility={p5: 0.4, p95: 0.1}", "market.price.volatility.p95", "must be >= p5")]
    [InlineData("market.price.volatility={dist: normal, mean: 0.2, sd: 0.1, min: 3, max: 4}", "market.price.volatility", "leave no probability")]
    [InlineData("paths={dist: uniform, low: 10, high: 20}", "paths", "a distribution is allowed on scalar scenario fields except")]
    [InlineData("fleet.depreciation.book.useful_life_months={dist: uniform, low: 0, high: 20}", "fleet.depreciation.book.useful_life_months", "must be in [1, 600]")]
    public void BadDistributionsNameTheFieldValueAndRule(string set, string field, string rule)
    {
        var ex = Assert.Throws<InputException>(() => ScenarioLoader.LoadWithUncertainty(null, new[] { set }));
        Assert.Contains(ex.Errors, e => e.Field == field && e.Rule.Contains(rule, StringComparison.Ordinal));
    }

    [Fact]
    public void ImpossibleOrUnknownCorrelationsAreRefused()
    {
        string three = "market:\n  price:\n    volatility: {p5: 0.1, p95: 0.4}\n    drift: {p5: -0.3, p95: 0.1}\n  electricity:\n    drift: {p5: -0.01, p95: 0.05}\n";
        var ex = Assert.Throws<InputException>(() => Load(three + """
            uncertainty:
              correlation:
                - {fields: [market.price.volatility, market.price.drift], rank: 0.9}
                - {fields: [market.price.volatility, market.electricity.drift], rank: 0.9}
                - {fields: [market.price.drift, market.electricity.drift], rank: -0.9}
            """));
        Assert.Contains(ex.Errors, e => e.Field == "uncertainty.correlation" && e.Rule.Contains("positive definite"));
        var ex2 = Assert.Throws<InputException>(() => Load(three + "uncertainty:\n  correlation:\n    - {fields: [market.price.volatility, fleet.units], rank: 0.5}\n"));
        Assert.Contains(ex2.Errors, e => e.Field == "uncertainty.correlation[0].fields" && e.Value == "fleet.units");
    }

    [Fact]
    public void SummaryReportsTheSampledInputsAndScenarioYamlReproducesThem()
    {
        var loaded = ScenarioLoader.FromTextWithUncertainty(ScenarioLoader.EmbeddedText("neocloud-h100")!, "t",
            new[] { "paths=400", "horizon_months=24", "band_paths=0", "fleet.financing.debt_rate={p5: 0.06, p95: 0.14}" });
        using var cpu = new CpuBackend();
        var r = Simulator.Run(ScenarioCompiler.Compile(loaded.Scenario), cpu, new RunOptions { Paths = 400, BandPaths = 0, PerPathJobs = new UncertainJobSource(loaded) });
        var summary = RunSummary.From(r, loaded.Uncertainty.Fields);
        var input = Assert.Single(summary.Inputs);
        Assert.Equal("fleet.financing.debt_rate", input.Field);
        Assert.True(input.P5 < input.P50 && input.P50 < input.P95);
        string json = Writers.SummaryJson(summary);
        Assert.Contains("\"inputs\"", json);
        Assert.Contains("\"p95\"", json);
        var again = ScenarioLoader.FromTextWithUncertainty(ScenarioLoader.ToYaml(loaded), "scenario.yaml");
        Assert.Equal(loaded.Uncertainty.Fields[0].Distribution.Describe(), again.Uncertainty.Fields[0].Distribution.Describe());
        Assert.Equal(ScenarioLoader.ToYaml(loaded.Scenario), ScenarioLoader.ToYaml(again.Scenario));
    }

    [Fact]
    public void SweepsRefuseDistributionsWithAClearRule()
    {
        var errors = new List<ValidationError>();
        var node = YamlBinder.Parse("market:\n  price:\n    volatility: {p5: 0.1, p95: 0.3}\n", "t", errors)!;
        YamlBinder.Bind<Scenario>(node, errors);
        Assert.Contains(errors, e => e.Field == "market.price.volatility" && e.Rule.Contains("distribution"));
    }
}
