using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Sector;

/// <summary>
/// The sector kind (SPEC 7): Sequoia's arithmetic exactly, the zero-volatility closed form, the gap-closing flags,
/// lognormal growth against its mean, and cpu / ilgpu-cpu determinism.
/// </summary>
public class SectorTests
{
    private static RunResult Run(string yaml, IEnumerable<string>? overrides = null, IBackend? backend = null, long? paths = null)
        => TestSupport.ScenarioRuns.Run(yaml, overrides, backend, paths);

    private static double[] Column(RunResult r, string metric) => TestSupport.ScenarioRuns.Column(r, metric);

    private static void AssertRelative(double expected, double actual, double tolerance, string what)
        => TestSupport.ScenarioRuns.AssertRelative(expected, actual, tolerance, what);

    private const string Sequoia = """
        model: sector
        name: sequoia
        horizon_months: 12
        paths: 20
        market:
          regime: { initial: 0, normal_to_bust: 0.05, bust_to_normal: 0.1 }
        sector:
          capex_reported: [150]
          ai_revenue_reported: [70]
          tco_multiple: 2
          target_margin: 0.5
          capex_volatility: 0.4
          ai_revenue_volatility: 0.6
        """;

    // Sequoia Capital, "AI's $600B question" (D. Cahn, 2024-06-20): Nvidia data-centre run-rate ~150 x 2 (total
    // data-centre cost) x 2 (50% gross margin of the end seller) = 600; and "AI's $200B question" (2023-09):
    // 50 x 2 x 2 = 200 with a "$125B hole" (docs/sources.md section 7).
    [Theory]
    [InlineData(150.0, 70.0, 600.0, 530.0)]
    [InlineData(50.0, 75.0, 200.0, 125.0)]
    public void SequoiaArithmeticIsReproducedExactly(double capex, double revenue, double required, double gap)
    {
        var r = Run(Sequoia, new[] { $"sector.capex_reported=[{capex}]", $"sector.ai_revenue_reported=[{revenue}]", "horizon_months=36" });
        // Year 1 is reported, so every path gives the published arithmetic whatever the later volatility.
        Assert.All(Column(r, "required_revenue_y1"), x => Assert.Equal(required, x));
        Assert.All(Column(r, "revenue_gap_y1"), x => Assert.Equal(gap, x));
        // Later years are uncertain.
        Assert.True(Column(r, "required_revenue_y3").Distinct().Count() > 1);
    }

    [Fact]
    public void ShippedSequoiaScenarioGivesSixHundredBillion()
    {
        var s = ScenarioLoader.Load("sequoia-600b", new[] { "paths=50" });
        using var cpu = new CpuBackend();
        var r = Simulator.Run(ScenarioCompiler.Compile(s), cpu, new RunOptions { Paths = 50, BandPaths = 0 });
        Assert.All(Column(r, "required_revenue_y1"), x => Assert.Equal(600.0, x));
    }

    private const string ClosedFormYaml = """
        model: sector
        name: sector-closed-form
        horizon_months: 96
        paths: 3
        band_paths: 3
        market:
          regime: { initial: 0, normal_to_bust: 0, bust_to_normal: 0 }
        sector:
          capex_reported: [100, 150, 220]
          capex_growth: 0.25
          capex_growth_bust: -0.2
          capex_volatility: 0
          ai_revenue_reported: [20, 35]
          ai_revenue_growth: 1.5
          ai_revenue_growth_bust: 0.3
          ai_revenue_volatility: 0
          tco_multiple: 2.5
          target_margin: 0.4
          book_life_years: 6
          economic_life_years: 3
          short_lived_share: 0.7
          gdp_usd_b: 25000
          gdp_growth: 0.05
          domestic_share: 0.4
        """;

    /// <summary>SPEC 7 written out: C_y reported, then C_{y-1}(1 + g); straight-line depreciation from the year of
    /// spending; required = C x TCO / (1 - margin); GDP_y = GDP_1 (1 + g_GDP)^y; contribution = d (C_y - C_{y-1}) / GDP_{y-1}.</summary>
    [Theory]
    [InlineData("cpu", 0)]
    [InlineData("ilgpu-cpu", 0)]
    [InlineData("cpu", 1)]
    public void ZeroVolatilityMatchesClosedForm(string backendName, int regime)
    {
        using var backend = BackendFactory.Create(backendName, 0, out _);
        var r = Run(ClosedFormYaml, new[] { $"market.regime.initial={regime}" }, backend);
        const int years = 8;
        double gC = regime == 0 ? 0.25 : -0.2, gR = regime == 0 ? 1.5 : 0.3;
        double[] reportedC = { 100, 150, 220 }, reportedR = { 20, 35 };
        var c = new double[years];
        var rev = new double[years];
        for (int y = 0; y < years; y++)
        {
            c[y] = y < 3 ? reportedC[y] : reportedC[2] * Math.Pow(1 + gC, y - 2);
            rev[y] = y < 2 ? reportedR[y] : reportedR[1] * Math.Pow(1 + gR, y - 1);
        }
        double cum = 0, totalC = 0, totalR = 0, peakShare = 0, peakContribution = double.NegativeInfinity;
        int closeYear = -1;
        for (int y = 0; y < years; y++)
        {
            double book = 0, econ = 0;
            for (int j = Math.Max(0, y - 5); j <= y; j++) book += 0.7 * c[j] / 6;
            for (int j = Math.Max(0, y - 2); j <= y; j++) econ += 0.7 * c[j] / 3;
            double required = c[y] * 2.5 / (1 - 0.4);
            double gap = required - rev[y];
            double gdp = 25000 * Math.Pow(1.05, y);
            double contribution = y == 0 ? double.NaN : 0.4 * (c[y] - c[y - 1]) / (25000 * Math.Pow(1.05, y - 1));
            if (gap <= 0 && closeYear < 0) closeYear = y + 1;
            cum += econ - book; totalC += c[y]; totalR += rev[y];
            peakShare = Math.Max(peakShare, c[y] / gdp);
            if (y > 0) peakContribution = Math.Max(peakContribution, contribution);
            for (int p = 0; p < r.Paths; p++)
            {
                int k = y + 1;
                AssertRelative(c[y], Column(r, $"capex_y{k}")[p], 1e-9, $"capex_y{k}");
                AssertRelative(rev[y], Column(r, $"ai_revenue_y{k}")[p], 1e-9, $"ai_revenue_y{k}");
                AssertRelative(required, Column(r, $"required_revenue_y{k}")[p], 1e-9, $"required_revenue_y{k}");
                AssertRelative(gap, Column(r, $"revenue_gap_y{k}")[p], 1e-9, $"revenue_gap_y{k}");
                AssertRelative(book, Column(r, $"book_depreciation_y{k}")[p], 1e-9, $"book_depreciation_y{k}");
                AssertRelative(econ, Column(r, $"economic_depreciation_y{k}")[p], 1e-9, $"economic_depreciation_y{k}");
                AssertRelative(econ - book, Column(r, $"overstatement_y{k}")[p], 1e-9, $"overstatement_y{k}");
                AssertRelative(c[y] / gdp, Column(r, $"capex_share_gdp_y{k}")[p], 1e-9, $"capex_share_gdp_y{k}");
                AssertRelative(contribution, Column(r, $"gdp_contribution_y{k}")[p], 1e-9, $"gdp_contribution_y{k}");
            }
        }
        for (int p = 0; p < r.Paths; p++)
        {
            AssertRelative(cum, Column(r, "cumulative_overstatement")[p], 1e-9, "cumulative_overstatement");
            AssertRelative(totalC, Column(r, "total_capex")[p], 1e-9, "total_capex");
            AssertRelative(totalR, Column(r, "total_ai_revenue")[p], 1e-9, "total_ai_revenue");
            AssertRelative(peakShare, Column(r, "peak_capex_share_gdp")[p], 1e-9, "peak_capex_share_gdp");
            AssertRelative(peakContribution, Column(r, "peak_gdp_contribution")[p], 1e-9, "peak_gdp_contribution");
            AssertRelative(closeYear > 0 ? closeYear : double.NaN, Column(r, "gap_close_year")[p], 0, "gap_close_year");
            for (int k = 1; k <= years; k++)
                Assert.Equal(closeYear > 0 && closeYear <= k ? 1.0 : 0.0, Column(r, $"gap_closed_by_year_{k}")[p]);
        }
        // The normal case closes the gap within the horizon (AI revenue x2.5 a year against capex x1.25); the bust never does.
        Assert.Equal(regime == 0, closeYear > 0);
    }

    [Fact]
    public void SixYearBookLifeAgainstThreeYearEconomicLifeOverstatesEarnings()
    {
        // Constant capex C from year 1: in year k the economic charge is min(k, 3) C/3 and the book charge min(k, 6) C/6,
        // so the overstatement is C/6, 2C/6, 3C/6, then 2C/6, C/6 and 0 from year 6 on (SPEC 5, applied per year).
        var r = Run(ClosedFormYaml, new[] { "sector.capex_reported=[120]", "sector.capex_growth=0", "sector.short_lived_share=1" });
        double[] expected = { 20, 40, 60, 40, 20, 0, 0, 0 };
        for (int k = 1; k <= 8; k++)
            AssertRelative(expected[k - 1], Column(r, $"overstatement_y{k}")[0], 1e-12, $"overstatement_y{k}");
    }

    [Fact]
    public void StochasticCapexHasTheLognormalMean()
    {
        // E[C_y] = C_last (1 + g)^(y - last) under the -sigma^2/2 correction; 4000 paths, 4 standard errors.
        var r = Run(ClosedFormYaml, new[] { "sector.capex_volatility=0.3", "sector.ai_revenue_volatility=0.5", "sector.shock_correlation=0.6" }, paths: 4000);
        var c6 = Column(r, "capex_y6");
        double mean = SampleStats.Mean(c6), se = SampleStats.StdError(c6);
        double expected = 220 * Math.Pow(1.25, 3);
        Assert.True(Math.Abs(mean - expected) <= 4 * se, $"mean capex year 6 {mean}, expected {expected} +/- {4 * se}");
        // Year 4's shocks: capex_y4 / capex_y3 and ai_revenue_y4 / ai_revenue_y3 share the block of year index 3.
        var lnC = Column(r, "capex_y4").Zip(Column(r, "capex_y3"), (a, b) => Math.Log(a / b)).ToArray();
        var lnR = Column(r, "ai_revenue_y4").Zip(Column(r, "ai_revenue_y3"), (a, b) => Math.Log(a / b)).ToArray();
        double corr = SampleStats.Correlation(lnC, lnR);
        Assert.True(Math.Abs(corr - 0.6) <= 4 * (1 - 0.36) / Math.Sqrt(4000), $"shock correlation {corr}, expected 0.6");
        // Gap-closing flags are non-decreasing in the year on every path.
        for (int p = 0; p < r.Paths; p++)
            for (int k = 2; k <= 8; k++)
                Assert.True(Column(r, $"gap_closed_by_year_{k}")[p] >= Column(r, $"gap_closed_by_year_{k - 1}")[p]);
    }

    [Fact]
    public void CpuAndIlgpuCpuGiveBitIdenticalResults()
    {
        var job = ScenarioCompiler.Compile(ScenarioLoader.FromText(ClosedFormYaml, "test", new[]
        {
            "sector.capex_volatility=0.3", "sector.ai_revenue_volatility=0.5", "market.regime.normal_to_bust=0.05",
            "market.regime.bust_to_normal=0.1",
        }));
        using var cpu = new CpuBackend();
        using var ilgpu = IlgpuBackend.CreateCpu();
        var options = new RunOptions { Paths = 300, BandPaths = 40 };
        var a = Simulator.Run(job, cpu, options);
        BitCompare.AssertIdentical(a, Simulator.Run(job, ilgpu, options), "sector: cpu vs ilgpu-cpu");
    }

    [Fact]
    public void HorizonMustBeWholeYears()
    {
        var ex = Assert.Throws<InputException>(() => ScenarioLoader.FromText(ClosedFormYaml, "test", new[] { "horizon_months=30" }));
        var e = Assert.Single(ex.Errors);
        Assert.Equal("horizon_months", e.Field);
        Assert.Equal("30", e.Value);
    }
}
