using ComputeEconomics.Models.Fleet;
using Xunit;

namespace ComputeEconomics.Tests.Fleet;

/// <summary>
/// Market value with the option to idle (docs/model.md 5): a unit is worth the strip of monthly calls on its margin. With
/// one regime, constant utilisation and electricity, and a horizon of one month, the fleet's market value is n times the
/// Black-Scholes strip at the month-0 price, which these tests compute on their own.
/// </summary>
public class OptionValueTests
{
    // One unit's month: revenue a = perf P0 theta H, running cost c = kW PUE H E (idle + (1 - idle) theta) + kW colo.
    private const double P0 = 2.0, Theta = 0.6, E0 = 0.1, Pue = 1.3, Idle = 0.3, Colo = 600, Wacc = 0.12, Units = 100;
    private const int Life = 24;

    private static string Yaml(double drift, double volatility, bool option, double colo = Colo, double decay = 0) => $$"""
        model: fleet
        horizon_months: 1
        paths: 1
        band_paths: 0
        market:
          regime: { initial: 0, normal_to_bust: 0, bust_to_normal: 0 }
          price: { initial: {{P0}}, unit: gpu_hour, drift: {{drift}}, drift_bust: {{drift}}, volatility: {{volatility}} }
          utilisation: { initial: {{Theta}}, mean: {{Theta}}, mean_bust: {{Theta}}, volatility: 0 }
          electricity: { initial: {{E0}}, drift: 0, volatility: 0 }
        catalog:
          - { name: G, available_month: 0, unit_capex: 10000, perf: 1, tokens_per_second: 1, power_kw: 1,
              annual_failure_rate: 0, physical_life_months: {{Life}}, capex_decline: 0, rent_age_decay: {{decay}} }
        fleet:
          purchase: { generation: G, units: {{Units}} }
          failures: { enabled: false }
          operations: { pue: {{Pue}}, idle_power_share: {{Idle}}, colo_usd_per_kw_month: {{colo}} }
          financing: { wacc: {{Wacc}} }
          valuation: { option_to_idle: {{(option ? "true" : "false")}} }
        """;

    private static double Revenue => P0 * Theta * 730;
    private static double Cost(double colo) => Pue * 730 * E0 * (Idle + (1 - Idle) * Theta) + colo;

    /// <summary>sum_{k=1..L} (1+rho)^-k [a e^(mu k/12) N(d1) - c N(d2)], v = sigma sqrt(k/12) (Black 1976 per month);
    /// max(a e^(mu k/12) - c, 0) when sigma = 0.</summary>
    private static double Strip(double drift, double sigma, double colo)
    {
        double rho = Math.Pow(1 + Wacc, 1.0 / 12) - 1, c = Cost(colo), sum = 0;
        for (int k = 1; k <= Life; k++)
        {
            double forward = Revenue * Math.Exp(drift * k / 12.0), v = sigma * Math.Sqrt(k / 12.0);
            double call = v == 0 ? Math.Max(forward - c, 0)
                : forward * Phi((Math.Log(forward / c) + v * v / 2) / v) - c * Phi((Math.Log(forward / c) - v * v / 2) / v);
            sum += call / Math.Pow(1 + rho, k);
        }
        return sum;
    }

    /// <summary>Standard normal CDF by erfc (Abramowitz-Stegun 7.1.26 is too coarse; MathNet's erfc, 1e-15).</summary>
    private static double Phi(double z) => 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-z / Math.Sqrt(2));

    private static double Value(string yaml) => FleetFixture.Column(FleetFixture.Run(yaml), "final_market_value")[0] / Units;

    [Theory]
    [InlineData(-0.2, 0.4)]
    [InlineData(-0.4, 0.25)]
    [InlineData(0.0, 0.6)]
    public void ValueIsTheBlackScholesStripOfMonthlyCalls(double drift, double sigma)
    {
        // Near the money (a / c = 876 / 668 = 1.31): the linear interpolation in moneyness between nodes 2% apart in log
        // moneyness errs by about (0.02 m)^2 / 8 x G'' (the strip is convex and smooth when sigma > 0), below 2e-3 of it
        // here; the sigma = 0 limit, with kinks, has the rigorous bound of the next test.
        double expected = Strip(drift, sigma, Colo);
        FleetFixture.AssertRelative(expected, Value(Yaml(drift, sigma, option: true)), 2e-3, $"call strip, mu {drift}, sigma {sigma}");
    }

    [Fact]
    public void WithoutVolatilityItIsTheSumOfPositiveMargins()
    {
        // sigma = 0: max(margin, 0) is deterministic; the margin turns negative after ln(876/668)/0.4 x 12 = 8 months.
        double expected = Strip(-0.4, 0, Colo);
        // Interpolating a hinge max(beta m - 1, 0) linearly between nodes m0 < m1 errs by at most beta (m1 - m0)/4 per unit
        // strike; nodes 0.02 apart in log moneyness hold at most one month's kink (they are |mu|/12 = 0.033 apart), so the
        // error is at most max_k (1+rho)^-k a e^(mu k/12) (e^0.02 - 1)/4 <= a (e^0.02 - 1)/4.
        double bound = Revenue * (Math.Exp(FleetCompiler.OptionDx) - 1) / 4;
        double actual = Value(Yaml(-0.4, 0, option: true));
        Assert.True(Math.Abs(actual - expected) <= bound, $"sum of positive margins {expected}, got {actual}, bound {bound}");
        // The old value runs every month: max(0, sum_k (1+rho)^-k (a e^(mu k/12) - c)), which also counts the negative months.
        double rho = Math.Pow(1 + Wacc, 1.0 / 12) - 1, forward = 0;
        for (int k = 1; k <= Life; k++) forward += (Revenue * Math.Exp(-0.4 * k / 12.0) - Cost(Colo)) / Math.Pow(1 + rho, k);
        double old = Value(Yaml(-0.4, 0, option: false));
        FleetFixture.AssertRelative(Math.Max(0, forward), old, 1e-12, "old value closed form");
        Assert.True(old < expected, $"running every month ({old}) is worth less than idling when the margin is negative ({expected})");
    }

    [Fact]
    public void WithoutVolatilityAndAlwaysInTheMoneyItIsTheOldValue()
    {
        // Colocation 130: a / c = 876 / 198 = 4.4 and e^(-0.2 x 2) a / c = 3.0 > 1 every month: every call is exercised, so the
        // strip is the forward margin, linear in moneyness between nodes: equal to the old value up to rounding.
        double withOption = Value(Yaml(-0.2, 0, option: true, colo: 130));
        double old = Value(Yaml(-0.2, 0, option: false, colo: 130));
        FleetFixture.AssertRelative(old, withOption, 1e-12, "option value = forward value when every month is in the money");
        FleetFixture.AssertRelative(Strip(-0.2, 0, 130), old, 1e-12, "forward value closed form");
    }

    [Fact]
    public void TheTableIsBlackScholesAtItsNodes()
    {
        // At a node the table is the strip itself (no interpolation): G(x_j, R) against the closed form above with a = c e^x_j.
        double rho = Math.Pow(1 + Wacc, 1.0 / 12) - 1;
        var table = FleetCompiler.CallStripTable(-0.2, 0.4, rho, Life);
        int j = 225;   // x = -4 + 225 x 0.02 = 0.5
        double x = FleetCompiler.OptionX0 + j * FleetCompiler.OptionDx, sum = 0;
        for (int k = 1; k <= Life; k++)
        {
            double f = Math.Exp(x - 0.2 * k / 12.0), v = 0.4 * Math.Sqrt(k / 12.0);
            sum += (f * Phi((Math.Log(f) + v * v / 2) / v) - Phi((Math.Log(f) - v * v / 2) / v)) / Math.Pow(1 + rho, k);
        }
        FleetFixture.AssertRelative(sum, table[Life * FleetCompiler.OptionNodes + j], 1e-12, "table node");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ARentAgeDecayIsValuedAsALowerDrift(bool option)
    {
        // G launches in month 0, so its rent factor e^(-decay x age) is 1 at the valuation; ahead, its rent falls at the index
        // drift minus the decay: the value equals that of a generation without decay under drift mu - decay.
        double decayed = Value(Yaml(-0.2, 0.4, option, decay: 0.15));
        double lowerDrift = Value(Yaml(-0.35, 0.4, option));
        FleetFixture.AssertRelative(lowerDrift, decayed, 1e-12, "decay 0.15 at drift -0.2 against drift -0.35");
    }

    [Fact]
    public void ARentAgeDecayLowersTheRentByTheGenerationsAge()
    {
        // Closed form on the deterministic fixture (G launched in month -12, alive in months 0..59, always running):
        // revenue_t = 100 x 0.7 x 730 x 2 e^(-0.2 t/12) x e^(-0.1 (t + 12)/12).
        var r = FleetFixture.Run(FleetFixture.Deterministic.Replace("perf: 1,", "perf: 1, rent_age_decay: 0.1,"));
        double expected = 0;
        for (int t = 0; t < 60; t++) expected += 100 * 0.7 * 730 * 2 * Math.Exp(-0.2 * t / 12) * Math.Exp(-0.1 * (t + 12) / 12.0);
        FleetFixture.AssertRelative(expected, FleetFixture.Column(r, "total_revenue")[0], 1e-12, "decayed revenue");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ValueIsNeverBelowScrap(bool option)
    {
        // Colocation 5,000 $/kW-month: a / c = 876 / 5,068 and falling; the strip is worth little, the forward margin is
        // negative; with scrap_usd 1,234 the unit is worth at least that.
        string yaml = Yaml(-0.2, 0.4, option, colo: 5000).Replace("valuation: {", "valuation: { scrap_usd: 1234,");
        double v = Value(yaml);
        double withoutScrap = Value(Yaml(-0.2, 0.4, option, colo: 5000));
        Assert.True(withoutScrap < 1234, $"the case needs a value below the scrap: {withoutScrap}");
        Assert.Equal(1234, v, 1e-9);
    }
}
