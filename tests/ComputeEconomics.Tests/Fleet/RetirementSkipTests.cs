using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Fleet;

/// <summary>
/// The retirement pass skips the months before the first in which a held cohort can reach its physical life or the fixed
/// replacement age (FleetPath.NextRetirement, lowered by every purchase and by the opening book). The margin policy runs
/// the pass every month; with margin_months at its largest allowed value (600), above every horizon here, no streak can
/// end a cohort, so it retires exactly the cohorts the policy never retires, in the same months, without the skip. The two
/// runs must agree bit for bit, path by path and band by band: a purchase that did not lower the month, or a month set too
/// late, would keep a cohort one month too long and move its path's revenue, book and cash.
/// </summary>
public class RetirementSkipTests
{
    public static TheoryData<string, string[]> Scenarios() => new()
    {
        // Expansions every year into newer generations (different physical lives), failures replaced in kind.
        { "benchmark-fleet", Array.Empty<string>() },
        // Failures written off; a short horizon that still reaches the first retirements.
        { "neocloud-h100", new[] { "fleet.failures.policy=retire" } },
        // The opening book: vintages bought before month 0 (OpenBook), some retiring within the horizon.
        { "coreweave", Array.Empty<string>() },
        { "oracle", Array.Empty<string>() },
    };

    /// <summary>A generation of short life bought after one of long life: the later purchase retires first (month 12 + 18 =
    /// 30, before the first cohort's 60), so the skip is right only if the purchase lowers the month.</summary>
    private const string ShortLifeLater = """
        model: fleet
        horizon_months: 72
        paths: 48
        band_paths: 48
        market:
          regime: { initial: 0, normal_to_bust: 0.02, bust_to_normal: 0.1 }
          price: { initial: 2.0, unit: gpu_hour, drift: -0.2, drift_bust: -0.5, volatility: 0.3 }
          utilisation: { initial: 0.7, mean: 0.7, mean_bust: 0.5, reversion: 2, volatility: 0.2 }
          electricity: { initial: 0.1, drift: 0.0, volatility: 0.1 }
        catalog:
          - { name: A, available_month: -12, unit_capex: 30000, perf: 1, tokens_per_second: 1000, power_kw: 1.0,
              annual_failure_rate: 0.05, physical_life_months: 60, capex_decline: 0.1 }
          - { name: B, available_month: 6, unit_capex: 40000, perf: 2, tokens_per_second: 2000, power_kw: 1.2,
              annual_failure_rate: 0.05, physical_life_months: 18, capex_decline: 0.1 }
        fleet:
          purchase: { generation: A, units: 100 }
          expansion: { every_months: 12, units: 20, growth: 0, until_month: 36 }
          failures: { enabled: true, policy: retire }
          replacement: { policy: never, resale_fraction: 0.8 }
          financing: { debt_share: 0.5, debt_rate: 0.06, debt_term_months: 24, initial_cash: 1000000, wacc: 0.1 }
        """;

    [Fact]
    public void ALaterPurchaseThatRetiresFirstIsRetiredOnTime()
    {
        var never = FleetFixture.Run(ShortLifeLater);
        var everyMonth = FleetFixture.Run(ShortLifeLater, new[] { "fleet.replacement.policy=margin", "fleet.replacement.margin_months=600" });
        BitCompare.AssertIdentical(everyMonth, never, "short life bought later: policy never (skipping) vs margin 600");
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void SkippingMonthsWithNothingToRetireChangesNoResult(string scenario, string[] overrides)
    {
        IModelJob Job(params string[] policy) =>
            ScenarioCompiler.Compile(ScenarioLoader.Load(scenario, new[] { "paths=48", "band_paths=48" }.Concat(overrides).Concat(policy)));
        var skipping = Job("fleet.replacement.policy=never");
        var everyMonth = Job("fleet.replacement.policy=margin", "fleet.replacement.margin_months=600");
        Assert.True(skipping.Months < 600, "the horizon must stay below margin_months so no streak can end a cohort");
        using var cpu = new CpuBackend(threads: 1);
        RunResult Run(IModelJob job) => Simulator.Run(job, cpu, new RunOptions { Paths = 48, BandPaths = 48 });
        var a = Run(skipping);
        var b = Run(everyMonth);
        Assert.True(FleetFixture.Column(a, "total_capex").Any(x => x > 0), "the run must buy something");
        BitCompare.AssertIdentical(b, a, $"{scenario}: policy never (skipping) vs margin 600 (the pass every month)");
    }
}
