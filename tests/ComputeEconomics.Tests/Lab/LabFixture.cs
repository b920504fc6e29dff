using ComputeEconomics.Backends;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Tests.Lab;

/// <summary>Lab scenarios written as YAML (as a user would) and run helpers shared by the lab tests.</summary>
internal static class LabFixture
{
    /// <summary>
    /// Zero volatility everywhere, no regime switching, own fleet at a fixed cost, funding rounds that always
    /// succeed: every path is the closed form. Burns from month 0, so it raises.
    /// </summary>
    public const string Deterministic = """
        model: lab
        name: lab-closed-form
        horizon_months: 48
        paths: 3
        band_paths: 3
        market:
          regime: { initial: 0, normal_to_bust: 0, bust_to_normal: 0 }
          price: { initial: 8.0, unit: mtok, drift: -0.5, drift_bust: -1.0, volatility: 0 }
          utilisation: { volatility: 0 }
          electricity: { volatility: 0 }
        lab:
          initial_cash: 50000000
          users: { paying_initial: 20000, ceiling: 500000, growth_rate: 1.8, growth_volatility: 0, churn_monthly: 0.04, churn_monthly_bust: 0.1, free_per_paying: 3 }
          arpu_usd_month: 25
          tokens: { mtok_per_paying_user_month: 1.5, free_user_share: 0.2, growth: 0.8 }
          api: { mtok_month: 200000, growth: 1.5 }
          revenue_share: 0.1
          inference: own_fleet
          inference_cost_per_mtok: 4.0
          inference_cost_decline: 0.3
          training: { usd_month: 2000000, growth: 0.5 }
          staff: { usd_month: 1500000, growth: 0.25 }
          funding: { runway_months: 6, round_months: 12, success_probability: 1, success_probability_bust: 0, revenue_multiple: 20, revenue_multiple_bust: 4 }
          ownership: { founders: 0.5, early_investors: 0.3 }
        """;

    /// <summary>An app start-up buying tokens at a volatile API price, with busts that close the funding window.</summary>
    public const string Risky = """
        model: lab
        name: lab-risky
        horizon_months: 60
        paths: 2000
        band_paths: 50
        market:
          regime: { initial: 0, normal_to_bust: 0.03, bust_to_normal: 0.05 }
          price: { initial: 3.0, unit: mtok, drift: -0.8, drift_bust: -1.2, volatility: 0.4 }
        lab:
          initial_cash: 8000000
          users: { paying_initial: 20000, ceiling: 800000, growth_rate: 1.5, growth_volatility: 0.8, churn_monthly: 0.05, churn_monthly_bust: 0.12, free_per_paying: 2 }
          arpu_usd_month: 20
          tokens: { mtok_per_paying_user_month: 2.5, free_user_share: 0.1, growth: 1.5 }
          inference: api_index
          staff: { usd_month: 800000, growth: 0.3 }
          funding: { runway_months: 9, round_months: 18, success_probability: 0.25, success_probability_bust: 0, revenue_multiple: 15, revenue_multiple_bust: 4 }
        """;

    public static RunResult Run(string yaml, IEnumerable<string>? overrides = null, IBackend? backend = null, long? paths = null)
        => TestSupport.ScenarioRuns.Run(yaml, overrides, backend, paths);

    public static double[] Column(RunResult r, string metric) => TestSupport.ScenarioRuns.Column(r, metric);

    public static void AssertRelative(double expected, double actual, double tolerance, string what)
        => TestSupport.ScenarioRuns.AssertRelative(expected, actual, tolerance, what);
}
