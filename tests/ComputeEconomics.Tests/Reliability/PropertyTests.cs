using System.Globalization;
using System.Reflection;
using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Output;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using Xunit.Abstractions;

namespace ComputeEconomics.Tests.Reliability;

/// <summary>
/// Property (issue "reliability", item 1): any scenario that validates runs to finite results. Every numeric
/// field of the scenario records that has a [Range] is set to a random value inside its range (log-uniform over
/// wide ranges), several fields at a time; a scenario that validates must give finite statistics and outputs
/// with no NaN or Infinity.
/// </summary>
public class PropertyTests
{
    private readonly ITestOutputHelper _out;
    public PropertyTests(ITestOutputHelper output) { _out = output; }

    private static IEnumerable<(string Path, RangeAttribute Range, bool Whole)> NumericFields(Type t, string prefix, int depth)
    {
        if (depth > 4) yield break;
        foreach (var (key, prop) in YamlBinder.Fields(t))
        {
            var type = Nullable.GetUnderlyingType(prop.PropertyType) ?? prop.PropertyType;
            string path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            if ((type == typeof(double) || type == typeof(int) || type == typeof(long)) && prop.GetCustomAttribute<RangeAttribute>() is { } r)
                yield return (path, r, type != typeof(double));
            else if (type.IsClass && type != typeof(string) && !type.IsGenericType && type.Namespace == typeof(Scenario).Namespace)
                foreach (var f in NumericFields(type, path, depth + 1)) yield return f;
        }
    }

    private static string Draw(Random rng, RangeAttribute r, bool whole)
    {
        double lo = r.Min, hi = r.Max;
        double x = hi - lo > 1e3 && lo >= 0
            ? Math.Exp(Math.Log(Math.Max(lo, 1e-3)) + rng.NextDouble() * (Math.Log(hi) - Math.Log(Math.Max(lo, 1e-3))))
            : lo + rng.NextDouble() * (hi - lo);
        if (whole) x = Math.Round(x);
        x = Math.Clamp(x, lo, hi);
        return x.ToString("R", CultureInfo.InvariantCulture);
    }

    [Fact]
    public void AnyScenarioThatValidatesRunsToFiniteResults()
    {
        const int seed = 7, cases = 300;
        _out.WriteLine($"property seed {seed}, {cases} cases");
        var fields = NumericFields(typeof(Scenario), "", 0)
            .Where(f => f.Path is not ("seed" or "paths" or "band_paths" or "horizon_months") && !f.Path.StartsWith("sweep", StringComparison.Ordinal))
            .ToList();
        var bases = new[] { "neocloud-h100", "hyperscaler-fleet", "inference-provider", "frontier-lab", "api-startup", "hyperscaler-capex", "ouroboros-base", "capex-cliff" };
        var rng = new Random(seed);
        int ran = 0;
        using var backend = new CpuBackend(1);
        for (int i = 0; i < cases; i++)
        {
            string name = bases[rng.Next(bases.Length)];
            var overrides = new List<string> { "paths=16", "band_paths=16" };
            for (int j = 0; j < 4; j++)
            {
                var (path, range, whole) = fields[rng.Next(fields.Count)];
                overrides.Add($"{path}={Draw(rng, range, whole)}");
            }
            Scenario scenario;
            IModelJob job;
            try
            {
                scenario = ScenarioLoader.Load(name, overrides);
                job = ScenarioCompiler.Compile(scenario);
            }
            catch (InputException)
            {
                continue;   // cross-field rules may reject a combination; the fuzz test checks those messages
            }
            var summary = RunSummary.From(Simulator.Run(job, backend, new RunOptions { Paths = 16, BandPaths = 16 }));
            foreach (var m in summary.Metrics)
                foreach (var v in new[] { m.Mean, m.P1, m.P99, m.Min, m.Max, m.Cvar5 })
                    Assert.True(m.Count == 0 || double.IsFinite(v),
                        $"case {i} ({name}, {string.Join(" ", overrides)}): {m.Name} has {v} over {m.Count} values");
            string outputs = Writers.SummaryJson(summary) + Writers.MetricsCsv(summary.Metrics, summary.Model) + Writers.BandsCsv(summary);
            Assert.False(outputs.Contains("NaN") || outputs.Contains("Infinity"), $"case {i} ({name}, {string.Join(" ", overrides)}): an output holds NaN or Infinity");
            ran++;
        }
        _out.WriteLine($"{ran} of {cases} validated and ran");
        Assert.True(ran > cases / 3, $"only {ran} cases validated");
    }
}
