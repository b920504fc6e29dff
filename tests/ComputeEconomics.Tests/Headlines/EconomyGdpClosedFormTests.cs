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
    private const string Yaml = """
        model: economy
        name: economy-gdp-closed-form
        horizon_months: 48
        paths: 3
        band_paths: 0
        market:
          regime: { initial: 0, normal_to_bust: 0, bust_to_normal: 0 }
        economy:
          venture_usd_b: 0
          debt_usd_b: 0
          users_m: 0
          user_volatility: 0
          direct_volatility: 0
          lab1_direct_usd_b: 0
          lab2_direct_usd_b: 0
          lab1_compute_usd_b: 0
          lab2_compute_usd_b: 0
          lab2_cash_usd_b: 1
          compute_growth: 0
          lab1_hyper_share: 1
          neo_gw: 0
          neo_debt_usd_b: 0
          hyper_capex_usd_b: 1200
          hyper_capex_growth: 0.25
          power_gw_per_year: 10000
          capex_per_gw_usd_b: 50
          chip_share: 0.6
          gdp_usd_b: 20000
          base_growth: 0.01
          domestic_share: 0.4
          ai_capex_prior_usd_b: 500
        """;

    [Theory]
    [InlineData("cpu")]
    [InlineData("ilgpu-cpu")]
    public void GdpCompoundsWithTheChangeInCapexYearByYear(string backendName)
    {
        using var backend = BackendFactory.Create(backendName, 0, out _);
        var r = ScenarioRuns.Run(Yaml, null, backend);
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
