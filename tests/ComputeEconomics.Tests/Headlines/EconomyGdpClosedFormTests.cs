using ComputeEconomics.Backends;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Headlines;

/// <summary>
/// The economy's GDP arithmetic over several years, re-derived from docs/model.md 10 alone: with growing hyperscaler
/// capex and no power wall, each month's capex is R_H/12 after that month's growth (R_H &lt;- R_H e^(ln(1 + g)/12), Shocks
/// before Hyperscaler in every month), the chip maker sells chip_share of it, and at each year close
/// contribution_k = domestic_share (I_k - I_{k-1}) / GDP_{k-1}, GDP_k = GDP_{k-1} (1 + base_growth + contribution_k)
/// from I_0 = ai_capex_prior_usd_b and GDP_0 = gdp_usd_b. The existing power-wall test holds capex flat after year 1, so
/// the compounding of GDP_{k-1} in the denominator was never compared with a closed form.
/// </summary>
public class EconomyGdpClosedFormTests
{
    /// <summary>The deterministic economy of <see cref="Economy.EconomyTests"/> over four years, with capex growing 25% a
    /// year, no lab compute and no power wall.</summary>
    private static readonly string[] Sets =
    {
        "horizon_months=48", "economy.lab1_compute_usd_b=0", "economy.hyper_capex_growth=0.25", "economy.power_gw_per_year=10000",
    };

    [Theory]
    [InlineData("cpu")]
    [InlineData("ilgpu-cpu")]
    public void GdpCompoundsWithTheChangeInCapexYearByYear(string backendName)
    {
        using var backend = BackendFactory.Create(backendName, 0, out _);
        var r = ScenarioRuns.Run(Economy.EconomyTests.Deterministic, Sets, backend);
        const int years = 4;
        double gdp = 20000, previous = 500, total = 0;
        for (int k = 1; k <= years; k++)
        {
            double capex = 0;
            for (int t = 12 * (k - 1); t < 12 * k; t++) capex += 1200.0 / 12 * Math.Pow(1.25, (t + 1) / 12.0);
            double contribution = 0.4 * (capex - previous) / gdp;
            double growth = 0.01 + contribution;
            gdp *= 1 + growth;
            previous = capex;
            total += capex;
            foreach (var (metric, expected) in new[]
            {
                ($"ai_capex_y{k}", capex), ($"chip_revenue_y{k}", 0.6 * capex),
                ($"gdp_contribution_y{k}", contribution), ($"gdp_growth_y{k}", growth),
            })
                Assert.All(ScenarioRuns.Column(r, metric), x => ScenarioRuns.AssertRelative(expected, x, 1e-12, metric));
        }
        // The case is informative: the contribution changes from year to year, so a GDP_0 (not GDP_{k-1}) denominator
        // or a missing compounding would move the later years by more than the tolerance.
        Assert.True(total > 4 * 1200, "capex should grow over the horizon");
        Assert.All(ScenarioRuns.Column(r, "capex_blocked"), x => Assert.InRange(x, 0, 1e-9));   // none blocked, to rounding
    }
}
