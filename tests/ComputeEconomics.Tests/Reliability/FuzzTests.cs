using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Output;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using Xunit.Abstractions;

namespace ComputeEconomics.Tests.Reliability;

/// <summary>
/// Issue "reliability", item 1: at least 1,000 mutated scenario files, each validated and (when valid) run
/// for a few paths with its outputs written. Every case must end as exit code 0 or 2 (an InputException whose
/// errors each name a field and a rule), within a time limit, leave no output directory on failure, and a
/// valid scenario must produce finite statistics. The seed and the count are printed so a failure reproduces.
/// </summary>
public class FuzzTests
{
    private readonly ITestOutputHelper _out;
    public FuzzTests(ITestOutputHelper output) { _out = output; }

    public const int Cases = 1000;

    [Fact]
    public async Task MutatedScenariosEndInExitCode0Or2WithNamedFieldsAndFiniteResults()
    {
        int seed = Environment.GetEnvironmentVariable("CE_FUZZ_SEED") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 20261126;
        _out.WriteLine($"fuzz seed {seed}, {Cases} cases (set CE_FUZZ_SEED to reproduce)");
        var bases = ScenarioLoader.EmbeddedNames().Select(n => ScenarioLoader.EmbeddedText(n)!).ToList();
        var fuzzer = new ScenarioFuzzer(seed, bases);
        string root = Path.Combine(Path.GetTempPath(), $"ce-fuzz-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        int valid = 0, invalid = 0;
        using var backend = new CpuBackend(1);
        try
        {
            for (int i = 0; i < Cases; i++)
            {
                var (bytes, mutation) = fuzzer.Next();
                string file = Path.Combine(root, $"case{i}.yaml");
                File.WriteAllBytes(file, bytes);
                string outDir = Path.Combine(root, $"out{i}");
                var task = Task.Run(() => RunCase(file, outDir, backend));
                if (await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(30))) != task)
                    Assert.Fail($"case {i} (seed {seed}, {mutation}) did not finish within 30 s");
                var (code, message) = await task;
                Assert.True(code is 0 or 2, $"case {i} (seed {seed}, {mutation}): exit code {code}: {message}");
                if (code == 2)
                {
                    invalid++;
                    Assert.False(Directory.Exists(outDir), $"case {i} (seed {seed}, {mutation}) left {outDir} behind");
                }
                else valid++;
            }
        }
        finally
        {
            Directory.Delete(root, true);
        }
        _out.WriteLine($"{valid} valid, {invalid} rejected with exit code 2");
        Assert.True(valid > 50 && invalid > 300, $"the mutations should exercise both sides: {valid} valid, {invalid} invalid");
    }

    /// <summary>What `ce validate FILE` then `ce run FILE --paths 8 --out DIR` would return, in process.</summary>
    private static (int Code, string Message) RunCase(string file, string outDir, IBackend backend)
    {
        try
        {
            var scenario = ScenarioLoader.Load(file);
            ScenarioCompiler.Compile(scenario);
            if (scenario.Sweep != null)
            {
                // `ce validate` of a sweep checks the plan and every point; the short run is the first point.
                var plan = ComputeEconomics.Sweeps.SweepPlan.Load(file, new[] { "paths=8" });
                var point = ScenarioCompiler.Compile(plan.ScenarioAt(0));
                Simulator.Run(point, backend, new RunOptions { Paths = 8, BandPaths = 0 });
            }
            var small = ScenarioLoader.Load(file, new[] { "paths=8", "band_paths=8" });
            var job = ScenarioCompiler.Compile(small);
            var result = Simulator.Run(job, backend, new RunOptions { Paths = 8, BandPaths = 8 });
            var summary = RunSummary.From(result);
            foreach (var m in summary.Metrics)
                foreach (var v in new[] { m.Mean, m.P1, m.P50, m.P99, m.Cvar5, m.Min, m.Max })
                    if (m.Count > 0 && !double.IsFinite(v))
                        return (1, $"metric {m.Name} has a non-finite statistic {v} although it has {m.Count} values");
            string json = Writers.SummaryJson(summary);
            string csv = Writers.MetricsCsv(summary.Metrics, summary.Model) + Writers.BandsCsv(summary);
            if (json.Contains("NaN") || json.Contains("Infinity") || csv.Contains("NaN") || csv.Contains("Infinity"))
                return (1, "an output holds NaN or Infinity");
            Writers.WriteAll(outDir, new Dictionary<string, string> { ["summary.json"] = json, ["metrics.csv"] = csv });
            return (0, "ok");
        }
        catch (InputException ex)
        {
            foreach (var e in ex.Errors)
                if (string.IsNullOrWhiteSpace(e.Field) || string.IsNullOrWhiteSpace(e.Rule))
                    return (1, $"an error does not name its field and rule: '{e}'");
            return (2, ex.Message);
        }
        catch (Exception ex)
        {
            return (1, ex.ToString());
        }
    }
}
