using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Economy;

/// <summary>
/// The economy kind: money is conserved on every path (the ledger identity), the power wall and the GDP arithmetic in
/// closed form, and the contagion chain (a lab's default, the hyperscaler's cut, the chip maker's fall) month by month.
/// </summary>
public class EconomyTests
{
    private static double[] Column(RunResult r, string metric) => ScenarioRuns.Column(r, metric);

    private static readonly string[] Balances =
        { "cash_startups", "cash_lab1", "cash_lab2", "cash_neocloud", "cash_hyperscaler", "cash_chip_maker" };
    private static readonly string[] Outlets = { "out_wages", "out_energy", "out_taxes", "out_investors", "out_imports" };
    private static readonly string[] Inflows = { "in_venture", "in_debt", "in_end_users", "in_other_cash" };

    private const string Base = """
        model: economy
        name: economy-test
        horizon_months: 96
        paths: 1500
        band_paths: 0
        """;

    /// <summary>
    /// Money is conserved: on every path, sum(final balances) + sum(outlets) = sum(initial balances) + sum(inflows), to
    /// rounding (relative 1e-12 of the gross money that entered). Checked on the default economy, a capex cliff in year 2
    /// with harsh tightening (defaults, covenants, cascades), and a power wall, on both backends; the runs must contain
    /// failures, so the default paths of the ledger are exercised.
    /// </summary>
    [Theory]
    [InlineData("cpu", "economy.cliff_year=0")]
    [InlineData("cpu", "economy.cliff_year=2")]
    [InlineData("ilgpu-cpu", "economy.cliff_year=2")]
    [InlineData("cpu", "economy.power_gw_per_year=3")]
    public void MoneyIsConservedOnEveryPath(string backendName, string setting)
    {
        using var backend = BackendFactory.Create(backendName, 0, out _);
        var r = ScenarioRuns.Run(Base, new[] { setting, "economy.failure_hit=0.5", "economy.venture_growth_cliff=-0.3" }, backend);
        var initial = Column(r, "initial_cash");
        var held = Balances.Select(n => Column(r, n)).ToArray();
        var outs = Outlets.Select(n => Column(r, n)).ToArray();
        var ins = Inflows.Select(n => Column(r, n)).ToArray();
        int failures = 0;
        for (int i = 0; i < initial.Length; i++)
        {
            double left = held.Sum(c => c[i]) + outs.Sum(c => c[i]);
            double right = initial[i] + ins.Sum(c => c[i]);
            Assert.True(Math.Abs(left - right) <= 1e-12 * right,
                $"path {i}: balances + outlets {left:R} != initial + inflows {right:R} (difference {left - right:E3})");
            if (!double.IsNaN(Column(r, "lab1_fail_month")[i]) || !double.IsNaN(Column(r, "neocloud_fail_month")[i])) failures++;
        }
        Assert.True(failures > 0, "no path failed: the default branches of the ledger went unchecked");
    }

    /// <summary>The four shipped economy scenarios load from the built-in library, run, and conserve money on every path.</summary>
    [Theory]
    [InlineData("ouroboros-base")]
    [InlineData("capex-cliff")]
    [InlineData("power-wall")]
    [InlineData("circular-deals")]
    public void ShippedEconomyScenariosConserveMoney(string name)
    {
        var s = ScenarioLoader.Load(name, new[] { "paths=300" });
        using var cpu = new CpuBackend();
        var r = Simulator.Run(ScenarioCompiler.Compile(s), cpu, new RunOptions { Paths = 300, BandPaths = 0 });
        var initial = Column(r, "initial_cash");
        for (int i = 0; i < initial.Length; i++)
        {
            double left = Balances.Sum(n => Column(r, n)[i]) + Outlets.Sum(n => Column(r, n)[i]);
            double right = initial[i] + Inflows.Sum(n => Column(r, n)[i]);
            Assert.True(Math.Abs(left - right) <= 1e-12 * right, $"{name}, path {i}: {left:R} != {right:R}");
        }
    }

    /// <summary>A deterministic economy (no volatility, no venture, one hyperscaler at 1,200B a year, flat); also the base
    /// of Headlines/EconomyGdpClosedFormTests.</summary>
    internal const string Deterministic = """
        model: economy
        name: economy-closed-form
        horizon_months: 36
        paths: 4
        band_paths: 4
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
          lab2_compute_usd_b: 0
          lab2_cash_usd_b: 1
          compute_growth: 0
          lab1_hyper_share: 1
          neo_gw: 0
          neo_debt_usd_b: 0
          hyper_capex_usd_b: 1200
          hyper_capex_growth: 0
          capex_per_gw_usd_b: 50
          chip_share: 0.6
          gdp_usd_b: 20000
          base_growth: 0.01
          domestic_share: 0.4
          ai_capex_prior_usd_b: 500
        """;

    /// <summary>
    /// The power wall in closed form: a hyperscaler planning 1,200B a year (100B a month = 2 GW at 50B/GW) with 12 GW
    /// connectable a year deploys 600B (six months) and leaves 600B undeployed every year; the chip maker sells 60% of
    /// it; GDP growth = 1% + 0.4 x (600 - 500) / 20,000 in year 1 and exactly 1% after (no change in capex).
    /// </summary>
    [Theory]
    [InlineData("cpu")]
    [InlineData("ilgpu-cpu")]
    public void ThePowerWallCapsDeployedCapexInClosedForm(string backendName)
    {
        using var backend = BackendFactory.Create(backendName, 0, out _);
        var r = ScenarioRuns.Run(Deterministic, new[] { "economy.power_gw_per_year=12", "economy.lab1_compute_usd_b=0" }, backend);
        for (int y = 1; y <= 3; y++)
        {
            Assert.All(Column(r, $"ai_capex_y{y}"), x => ScenarioRuns.AssertRelative(600, x, 1e-12, $"ai_capex_y{y}"));
            Assert.All(Column(r, $"chip_revenue_y{y}"), x => ScenarioRuns.AssertRelative(360, x, 1e-12, $"chip_revenue_y{y}"));
        }
        Assert.All(Column(r, "capex_blocked"), x => ScenarioRuns.AssertRelative(1800, x, 1e-12, "capex_blocked"));
        Assert.All(Column(r, "gdp_contribution_y1"), x => ScenarioRuns.AssertRelative(0.4 * 100 / 20000, x, 1e-12, "contribution y1"));
        Assert.All(Column(r, "gdp_growth_y1"), x => ScenarioRuns.AssertRelative(0.01 + 0.002, x, 1e-12, "growth y1"));
        Assert.All(Column(r, "gdp_growth_y2"), x => ScenarioRuns.AssertRelative(0.01, x, 1e-12, "growth y2"));
        Assert.All(Column(r, "cascade"), x => Assert.Equal(0.0, x));
        Assert.All(Column(r, "first_to_fail"), x => Assert.Equal(0.0, x));
    }

    /// <summary>
    /// The contagion chain month by month: lab 1 buys 12B a year of compute from the hyperscaler (1B a month, plus 0.3B
    /// of wages) with 6.5 months of cash and no funding, so it pays months 1-6 and defaults in month 7; the hyperscaler
    /// cuts its 1,200B rate by half from month 7 (a capex cut: more than the 20% distress drop), so year 1 deploys
    /// 6 x 100 + 6 x 50 = 900 and year 2 600, a fall of a third in the chip maker's revenue (distress, month 24): the
    /// cascade. The chip maker invests nothing here (chip_invest_share 0), so no stake is lost.
    /// </summary>
    [Theory]
    [InlineData("cpu")]
    [InlineData("ilgpu-cpu")]
    public void ALabDefaultCascadesToTheHyperscalerAndTheChipMaker(string backendName)
    {
        using var backend = BackendFactory.Create(backendName, 0, out _);
        var r = ScenarioRuns.Run(Deterministic, new[]
        {
            "economy.power_gw_per_year=1000", "economy.lab1_compute_usd_b=12", "economy.lab_wage_share=0.3",
            "economy.lab1_cash_usd_b=8.45", "economy.capex_cut_on_default=0.5", "economy.chip_invest_share=0",
        }, backend);
        Assert.All(Column(r, "lab1_fail_month"), x => Assert.Equal(7.0, x));
        Assert.All(Column(r, "hyperscaler_cut_month"), x => Assert.Equal(7.0, x));
        Assert.All(Column(r, "chip_decline_month"), x => Assert.Equal(24.0, x));
        Assert.All(Column(r, "first_to_fail"), x => Assert.Equal(2.0, x));
        Assert.All(Column(r, "first_lab1"), x => Assert.Equal(1.0, x));
        Assert.All(Column(r, "first_hyperscaler"), x => Assert.Equal(0.0, x));
        Assert.All(Column(r, "cascade"), x => Assert.Equal(1.0, x));
        Assert.All(Column(r, "ai_capex_y1"), x => ScenarioRuns.AssertRelative(900, x, 1e-12, "ai_capex_y1"));
        Assert.All(Column(r, "ai_capex_y2"), x => ScenarioRuns.AssertRelative(600, x, 1e-12, "ai_capex_y2"));
        Assert.All(Column(r, "lab2_fail_month"), x => Assert.True(double.IsNaN(x)));
        Assert.All(Column(r, "round_trip_share"), x => Assert.Equal(0.0, x));
    }

    /// <summary>
    /// "Will costs go down?" in closed form: 48B per GW over 4 years is 1B per GW-month of hardware, 0.73 x 0.1 USD/kWh x
    /// PUE 1.25 = 0.09125B of energy; a GW serves 1e9 Mtok a month at month 0 and twice as many each year, so at the end of
    /// year k the cost is 1.09125 / 2^k USD per Mtok (hardware 1 / 2^k), the efficiency gain 1.09125 (1 - 2^-k); the API
    /// price halves a year from 10 (10 / 2^k), the margin is their difference, and a user paying 20 USD a month for 3 Mtok
    /// is subsidised by 3 x 10 / 2^k - 20 USD a month (10 / 2^k - 20/3 per Mtok).
    /// </summary>
    [Theory]
    [InlineData("cpu")]
    [InlineData("ilgpu-cpu")]
    public void CostPerMillionTokensSplitsInClosedForm(string backendName)
    {
        using var backend = BackendFactory.Create(backendName, 0, out _);
        var r = ScenarioRuns.Run(Deterministic, new[]
        {
            "market.electricity.initial=0.1", "market.electricity.drift=0", "market.electricity.volatility=0",
            "economy.capex_per_gw_usd_b=48", "economy.life_years=4", "economy.pue=1.25", "economy.tokens_per_gw_mtok=1e9",
            "economy.efficiency_gain=1", "economy.efficiency_volatility=0", "economy.api_price_usd_mtok=10",
            "economy.api_price_change=-0.5", "economy.price_usd_month=20", "economy.tokens_per_user_mtok=3",
        }, backend);
        for (int k = 1; k <= 3; k++)
        {
            double f = Math.Pow(2, -k);
            void Check(string metric, double expected) =>
                Assert.All(Column(r, $"{metric}_y{k}"), x => ScenarioRuns.AssertRelative(expected, x, 1e-12, $"{metric}_y{k}", 1e-12));
            Check("cost_per_mtok", 1.09125 * f);
            Check("hardware_per_mtok", f);
            Check("energy_per_mtok", 0.09125 * f);
            Check("efficiency_gain_per_mtok", 1.09125 * (1 - f));
            Check("margin_per_mtok", (10 - 1.09125) * f);
            Check("subsidy_per_mtok", 10 * f - 20.0 / 3);
            Check("subsidy_per_user", 30 * f - 20);
        }
    }

    /// <summary>
    /// Round-tripping: with the chip maker investing 10% of its revenue in the labs, the labs' compute payments carry
    /// that money back to it through the hyperscaler's GPU purchases; without investments none of its revenue is its own.
    /// </summary>
    [Fact]
    public void RoundTrippedRevenueComesOnlyFromTheChipMakersInvestments()
    {
        var with = ScenarioRuns.Run(Base, new[] { "economy.chip_invest_share=0.1", "paths=200" });
        var without = ScenarioRuns.Run(Base, new[] { "economy.chip_invest_share=0", "paths=200" });
        Assert.All(Column(without, "round_trip_share"), x => Assert.Equal(0.0, x));
        Assert.All(Column(with, "round_trip_share"), x => Assert.InRange(x, 1e-6, 0.1));
    }
}
