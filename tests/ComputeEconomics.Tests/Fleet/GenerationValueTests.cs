using ComputeEconomics.Backends;

namespace ComputeEconomics.Tests.Fleet;

/// <summary>
/// The operating pass computes the generation's part of a unit's market value once for adjacent cohorts of the same
/// generation (docs/performance.md, "CPU throughput of the fleet kernel"); each cohort must still be valued at its own
/// remaining life. Expected values: the closed form of docs/model.md 5 with zero volatility (as in
/// <see cref="ClosedFormTests"/>: V(R) = max(0, p_t u H sum_{k=1..R} q^k - c (1 - (1 + rho)^-R) / rho), q = e^(mu/12) / (1 + rho)),
/// written here from the scenario's inputs, not from the engine.
/// </summary>
public class GenerationValueTests
{
    [Theory]
    [InlineData("cpu")]
    [InlineData("ilgpu-cpu")]
    public void TwoCohortsOfOneGenerationAreEachValuedAtTheirOwnRemainingLife(string backendName)
    {
        // A second cohort of generation G (50 units) bought at month 12, in the slot after the first (100 units, month 0).
        string yaml = FleetFixture.Deterministic.Replace("purchase: { generation: G, units: 100 }",
            "purchase: { generation: G, units: 100 }\n  expansion: { every_months: 12, units: 50, growth: 0, until_month: 12 }");
        using var backend = BackendFactory.Create(backendName, 0, out _);
        var r = FleetFixture.Run(yaml, backend: backend);

        const int life = 60, t = 35;
        const double H = 730, p0 = 2.0, mu = -0.2, util = 0.7, elec = 0.1, kw = 1.0, pue = 1.2, idle = 0.3, colo = 100, wacc = 0.1;
        double rho = Math.Pow(1 + wacc, 1.0 / 12) - 1;
        double q = Math.Exp(mu / 12) / (1 + rho);
        double opcost = kw * pue * H * elec * (idle + (1 - idle) * util) + kw * colo;
        double price = p0 * Math.Exp(mu * t / 12);
        double UnitValue(int remaining)
        {
            double sumQ = 0;
            for (int k = 1; k <= remaining; k++) sumQ += Math.Pow(q, k);
            double annuity = (1 - Math.Pow(1 + rho, -remaining)) / rho;
            return Math.Max(0, price * util * H * sumQ - opcost * annuity);
        }
        double first = 100 * UnitValue(life - t), second = 50 * UnitValue(life - (t - 12));
        Assert.True(Math.Abs(first / 100 - second / 50) > 1e-3 * Math.Abs(second / 50), "the two ages must differ in value");
        for (int path = 0; path < r.Paths; path++)
            FleetFixture.AssertRelative(first + second, FleetFixture.Column(r, "market_value_y3")[path], 1e-9, "market_value_y3");
    }
}
