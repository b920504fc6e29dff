using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Tests.TestSupport;

/// <summary>Run a YAML scenario in process and read its per-path metrics: shared by the model tests.</summary>
internal static class ScenarioRuns
{
    public static RunResult Run(string yaml, IEnumerable<string>? overrides = null, IBackend? backend = null, long? paths = null, int? batch = null)
    {
        var scenario = ScenarioLoader.FromText(yaml, "test", overrides);
        var job = ScenarioCompiler.Compile(scenario);
        var own = backend ?? new CpuBackend();
        try
        {
            return Simulator.Run(job, own, new RunOptions { Paths = paths ?? scenario.Paths, BandPaths = scenario.BandPaths, BatchSize = batch });
        }
        finally
        {
            if (backend == null) own.Dispose();
        }
    }

    public static double[] Column(RunResult r, string metric)
    {
        int k = r.Job.MetricNames.ToList().IndexOf(metric);
        Assert.True(k >= 0, $"no metric {metric}");
        return r.Columns[k];
    }

    /// <summary>|actual - expected| within <paramref name="tolerance"/> relative (or <paramref name="absolute"/>); NaN expects NaN.</summary>
    public static void AssertRelative(double expected, double actual, double tolerance, string what, double absolute = 0)
    {
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"{what}: expected NaN (absent), got {actual:R}");
            return;
        }
        double scale = Math.Max(Math.Abs(expected), 1e-300);
        Assert.True(Math.Abs(actual - expected) <= tolerance * scale || Math.Abs(actual - expected) < absolute,
            $"{what}: expected {expected:R}, got {actual:R} (relative error {Math.Abs(actual - expected) / scale:E2})");
    }
}
