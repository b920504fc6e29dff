using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Lab;

/// <summary>Behaviour of the lab kind (SPEC 6): insolvency by year, funding, a self-funding lab, determinism.</summary>
public class LabBehaviourTests
{
    [Fact]
    public void InsolventByYearIsNonDecreasingInYearOnEveryPath()
    {
        var r = LabFixture.Run(LabFixture.Risky);
        var flags = Enumerable.Range(1, 5).Select(k => LabFixture.Column(r, $"insolvent_by_year_{k}")).ToArray();
        var month = LabFixture.Column(r, "insolvency_month");
        var insolvent = LabFixture.Column(r, "insolvent");
        for (int p = 0; p < r.Paths; p++)
        {
            for (int k = 1; k < 5; k++)
                Assert.True(flags[k][p] >= flags[k - 1][p], $"path {p}: insolvent by year {k + 1} < by year {k}");
            for (int k = 0; k < 5; k++)
                Assert.Equal(!double.IsNaN(month[p]) && month[p] < 12 * (k + 1) ? 1.0 : 0.0, flags[k][p]);
            Assert.Equal(insolvent[p], flags[4][p]);
        }
        // The case must be informative: some paths fail, some survive, and failures spread over the years.
        double pEnd = flags[4].Average(), pYear1 = flags[0].Average();
        Assert.InRange(pEnd, 0.05, 0.95);
        Assert.True(pYear1 < pEnd, $"P(insolvent by year 1) {pYear1} should be below P(by year 5) {pEnd}");
        // The reported probabilities are the same per-path flags.
        var summary = Running.RunSummary.From(r);
        for (int k = 1; k < 5; k++)
            Assert.True(summary.Probabilities[$"insolvent_by_year_{k + 1}"].P >= summary.Probabilities[$"insolvent_by_year_{k}"].P);
    }

    [Fact]
    public void LabWhoseCostsAreBelowRevenueFromMonthZeroNeverRaisesAndNeverDefaults()
    {
        // Per paying user: revenue 20; costs 2 Mtok x (1 + 3 x 0.2) x 1.0 USD x (1.5 x 0.5)^(t/12) (falling) + 10% revenue
        // share = 5.2 at most, and no fixed costs: the burn is negative in every month whatever the users, regime or draws.
        const string yaml = """
            model: lab
            name: self-funding
            horizon_months: 60
            paths: 1000
            market:
              regime: { initial: 0, normal_to_bust: 0.2, bust_to_normal: 0.1 }
              price: { initial: 3.0, unit: mtok, drift: -0.5, drift_bust: -1.0, volatility: 0.6 }
            lab:
              initial_cash: 1000000
              users: { paying_initial: 5000, ceiling: 100000, growth_rate: 1.0, growth_volatility: 1.5, churn_monthly: 0.05, churn_monthly_bust: 0.3, free_per_paying: 3 }
              arpu_usd_month: 20
              tokens: { mtok_per_paying_user_month: 2, free_user_share: 0.2, growth: 0.5 }
              revenue_share: 0.1
              inference: own_fleet
              inference_cost_per_mtok: 1.0
              inference_cost_decline: 0.5
              training: { usd_month: 0, growth: 0 }
              staff: { usd_month: 0, growth: 0 }
              funding: { runway_months: 600, round_months: 12, success_probability: 1, success_probability_bust: 1 }
              ownership: { founders: 0.6, early_investors: 0.25 }
            """;
        var r = LabFixture.Run(yaml);
        for (int p = 0; p < r.Paths; p++)
        {
            double M(string name) => LabFixture.Column(r, name)[p];
            Assert.Equal(0.0, M("capital_raised"));
            Assert.Equal(0.0, M("rounds"));
            Assert.Equal(0.0, M("failed_raises"));
            Assert.Equal(0.0, M("insolvent"));
            for (int k = 1; k <= 5; k++) Assert.Equal(0.0, M($"insolvent_by_year_{k}"));
            Assert.Equal(0.0, M("months_to_break_even"));
            Assert.Equal(1_000_000.0, M("min_cash"));
            Assert.True(M("final_cash") > 1_000_000.0);
            Assert.Equal(0.6, M("founders_ownership"));
            Assert.Equal(0.25, M("early_investors_ownership"));
        }
    }

    [Fact]
    public void BustClosesTheFundingWindow()
    {
        // The closed-form lab raises in the normal regime; held in a bust (success 0) it cannot, and fails.
        var normal = LabFixture.Run(LabFixture.Deterministic);
        var bust = LabFixture.Run(LabFixture.Deterministic, new[] { "market.regime.initial=1" });
        for (int p = 0; p < normal.Paths; p++)
        {
            Assert.True(LabFixture.Column(normal, "rounds")[p] >= 1);
            Assert.Equal(0.0, LabFixture.Column(normal, "insolvent")[p]);
            Assert.Equal(0.0, LabFixture.Column(bust, "rounds")[p]);
            Assert.True(LabFixture.Column(bust, "failed_raises")[p] >= 1);
            Assert.Equal(1.0, LabFixture.Column(bust, "insolvent")[p]);
            Assert.True(LabFixture.Column(bust, "final_cash")[p] < 0);
            Assert.Equal(0.0, LabFixture.Column(bust, "final_arr")[p]);
        }
    }

    [Fact]
    public void RoundsDiluteFoundersAndEarlyInvestorsAlike()
    {
        var r = LabFixture.Run(LabFixture.Risky, paths: 500);
        var f = LabFixture.Column(r, "founders_ownership");
        var e = LabFixture.Column(r, "early_investors_ownership");
        var rounds = LabFixture.Column(r, "rounds");
        Assert.Contains(rounds, x => x > 0);
        for (int p = 0; p < r.Paths; p++)
        {
            // Both keep the same share pre/post in each round, so their ratio is the initial 0.6 / 0.25.
            LabFixture.AssertRelative(0.6 / 0.25, f[p] / e[p], 1e-12, $"path {p}: founders / early investors");
            if (rounds[p] == 0) Assert.Equal(0.6, f[p]);
            else Assert.True(f[p] < 0.6);
        }
    }

    [Fact]
    public void CpuAndIlgpuCpuGiveBitIdenticalResults()
    {
        var job = ScenarioCompiler.Compile(ScenarioLoader.FromText(LabFixture.Risky, "test"));
        using var cpu = new CpuBackend();
        using var ilgpu = IlgpuBackend.CreateCpu();
        var options = new RunOptions { Paths = 300, BandPaths = 40 };
        var a = Simulator.Run(job, cpu, options);
        var b = Simulator.Run(job, ilgpu, options);
        Assert.Contains(LabFixture.Column(a, "insolvent"), x => x == 1.0);
        Assert.Contains(LabFixture.Column(a, "rounds"), x => x > 0);
        BitCompare.AssertIdentical(a, b, "lab: cpu vs ilgpu-cpu");
    }

    [Fact]
    public void ApiStartupNeedsTheMarketPriceInMtok()
    {
        var ex = Assert.Throws<InputException>(() => ScenarioLoader.FromText(LabFixture.Risky, "test", new[] { "market.price.unit=gpu_hour" }));
        var e = Assert.Single(ex.Errors);
        Assert.Equal("market.price.unit", e.Field);
        Assert.Equal("gpu_hour", e.Value);
    }

    [Fact]
    public void OwnFleetNeedsACost()
    {
        var ex = Assert.Throws<InputException>(() => ScenarioLoader.FromText(LabFixture.Deterministic, "test", new[] { "lab.inference_cost_per_mtok=null" }));
        var e = Assert.Single(ex.Errors);
        Assert.Equal("lab.inference_cost_per_mtok", e.Field);
        Assert.Equal("(missing)", e.Value);
    }
}
