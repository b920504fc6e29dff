using System.Reflection;
using ComputeEconomics.Running;
using ComputeEconomics.Statistics;

namespace ComputeEconomics.Output;

/// <summary>Everything a run reports: statistics of each metric, event probabilities, bands and the manifest.</summary>
public sealed class RunSummary
{
    public required string Scenario { get; init; }
    public required string Model { get; init; }
    public required string Question { get; init; }
    public required long Seed { get; init; }
    public required long Paths { get; init; }
    public required string Sampling { get; init; }
    public required string Backend { get; init; }
    public required string Device { get; init; }
    public required string MathPath { get; init; }
    public required double ElapsedSeconds { get; init; }
    public required double KernelSeconds { get; init; }
    public required double StatisticsSeconds { get; init; }
    public required string EngineVersion { get; init; }
    public required IReadOnlyList<MetricSummary> Metrics { get; init; }
    public required IReadOnlyDictionary<string, Probability> Probabilities { get; init; }
    /// <summary>Per series name, per month percentiles.</summary>
    public required IReadOnlyDictionary<string, BandRow[]> Bands { get; init; }
    public required long BandPaths { get; init; }

    /// <summary>The metric called <paramref name="name"/>.</summary>
    public MetricSummary Metric(string name) => Metrics.First(m => m.Name == name);

    /// <summary>Engine version with the commit it was built from.</summary>
    public static string Version()
    {
        var info = typeof(RunSummary).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return info ?? typeof(RunSummary).Assembly.GetName().Version?.ToString() ?? "0.0.0";
    }

    /// <summary>Statistics of a run.</summary>
    public static RunSummary From(RunResult r)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var job = r.Job;
        var scratch = new double[r.Paths];
        var metrics = new List<MetricSummary>();
        for (int k = 0; k < job.MetricNames.Count; k++)
            metrics.Add(Summarizer.Summarize(job.MetricNames[k], r.Columns[k], scratch));
        var probabilities = new Dictionary<string, Probability>();
        foreach (var name in job.EventMetrics)
            probabilities[name] = Summarizer.EventProbability(r.Columns[IndexOf(job, name)]);
        if (job.Scenario.Model == "fleet")
        {
            int npv = IndexOf(job, "npv");
            long losses = r.Columns[npv].Count(x => x < 0);
            probabilities["npv_negative"] = Summarizer.EventProbability(losses, r.Paths);
        }
        var bands = new Dictionary<string, BandRow[]>();
        if (r.BandPaths > 0)
            for (int s = 0; s < job.SeriesNames.Count; s++)
                bands[job.SeriesNames[s]] = Statistics.Bands.Compute(r.Bands, (int)r.BandPaths, job.Months, job.SeriesNames.Count, s);
        return new RunSummary
        {
            Scenario = job.Scenario.Name,
            Model = job.Scenario.Model,
            Question = job.Scenario.Question,
            Seed = job.Scenario.Seed,
            Paths = r.Paths,
            Sampling = job.Scenario.Sampling,
            Backend = r.Backend,
            Device = r.Device,
            MathPath = r.MathPath,
            ElapsedSeconds = r.Elapsed.TotalSeconds,
            KernelSeconds = r.KernelTime.TotalSeconds,
            StatisticsSeconds = sw.Elapsed.TotalSeconds,
            EngineVersion = Version(),
            Metrics = metrics,
            Probabilities = probabilities,
            Bands = bands,
            BandPaths = r.BandPaths,
        };
    }

    private static int IndexOf(IModelJob job, string name)
    {
        for (int i = 0; i < job.MetricNames.Count; i++) if (job.MetricNames[i] == name) return i;
        return -1;
    }
}
