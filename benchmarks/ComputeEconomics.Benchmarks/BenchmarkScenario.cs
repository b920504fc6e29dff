using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Benchmarks;

/// <summary>The documented benchmark scenario (scenarios/benchmark-fleet.yaml) with size overrides.</summary>
internal static class BenchmarkScenario
{
    /// <summary>Compile benchmark-fleet with <paramref name="months"/> and expansions until <paramref name="cohorts"/> cohorts exist.</summary>
    public static IModelJob Job(long paths, int months = 120, int cohorts = 8)
    {
        // Cohorts: the initial purchase plus one expansion every 12 months up to month 12 * (cohorts - 1).
        var overrides = new List<string>
        {
            $"paths={paths}", $"horizon_months={months}", "band_paths=0",
            cohorts <= 1 ? "fleet.expansion.every_months=0" : $"fleet.expansion.until_month={12 * (cohorts - 1)}",
        };
        return ScenarioCompiler.Compile(ScenarioLoader.Load("benchmark-fleet", overrides));
    }
}
