using ComputeEconomics.Backends;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Tests.Fleet;

/// <summary>Small deterministic fleet scenarios and helpers shared by the fleet tests.</summary>
internal static class FleetFixture
{
    /// <summary>One generation "G", zero volatility, no regime switching, no failures: every path is the closed form.</summary>
    public const string Deterministic = """
        model: fleet
        name: closed-form
        horizon_months: 72
        paths: 4
        band_paths: 4
        market:
          regime: { initial: 0, normal_to_bust: 0, bust_to_normal: 0 }
          price: { initial: 2.0, unit: gpu_hour, drift: -0.2, drift_bust: -0.5, volatility: 0 }
          utilisation: { initial: 0.7, mean: 0.7, mean_bust: 0.5, reversion: 2, volatility: 0 }
          electricity: { initial: 0.1, drift: 0.0, volatility: 0 }
        catalog:
          - { name: G, available_month: -12, unit_capex: 30000, perf: 1, tokens_per_second: 1000, power_kw: 1.0,
              annual_failure_rate: 0, physical_life_months: 60, capex_decline: 0 }
        fleet:
          purchase: { generation: G, units: 100 }
          failures: { enabled: false }
          replacement: { policy: never, resale_fraction: 0.8 }
          operations: { pue: 1.2, idle_power_share: 0.3, colo_usd_per_kw_month: 100, staff_usd_month: 1000, maintenance_rate: 0.02 }
          financing: { debt_share: 0.5, debt_rate: 0.06, debt_term_months: 24, tax_rate: 0.2, initial_cash: 1000000, wacc: 0.1, terminal_value: true }
          depreciation:
            book: { method: straight_line, useful_life_months: 48, salvage_fraction: 0.1 }
            tax: { method: straight_line, useful_life_months: 36 }
        """;

    public static RunResult Run(string yaml, IEnumerable<string>? overrides = null, IBackend? backend = null, int? batch = null)
        => TestSupport.ScenarioRuns.Run(yaml, overrides, backend, batch: batch);

    public static double[] Column(RunResult r, string metric) => TestSupport.ScenarioRuns.Column(r, metric);

    public static double Mean(RunResult r, string metric) => Column(r, metric).Average();

    /// <summary>Relative tolerance, or 1e-6 absolute for values near zero (money in USD).</summary>
    public static void AssertRelative(double expected, double actual, double tolerance, string what)
        => TestSupport.ScenarioRuns.AssertRelative(expected, actual, tolerance, what, absolute: 1e-6);
}
