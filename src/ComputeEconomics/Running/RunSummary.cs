using System.Reflection;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Statistics;

namespace ComputeEconomics.Running;

/// <summary>Everything a run reports: statistics of each metric, event probabilities, bands and the manifest.</summary>
public sealed class RunSummary : IRunStatistics
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
    /// <summary>The sampled uncertain inputs (empty without uncertain fields).</summary>
    public IReadOnlyList<InputSummary> Inputs { get; init; } = Array.Empty<InputSummary>();
    /// <summary>
    /// Per metric, plain-MC variance of the mean at the same paths over the estimator's (antithetic and qmc; empty otherwise).
    /// </summary>
    public IReadOnlyDictionary<string, double> VarianceReduction { get; init; } = new Dictionary<string, double>();
    /// <summary>How the standard errors were estimated.</summary>
    public string StdErrorMethod { get; init; } = "iid paths: sd / sqrt(N)";
    /// <summary>How the quantiles and CVaR were computed: "exact" (every path kept and sorted) or "sketch" (streamed).</summary>
    public string StatisticsMethod { get; init; } = "exact";
    /// <summary>With "sketch": the largest rank-error bound of a quantile over the metrics, as a share of the paths (0 when exact).</summary>
    public double QuantileRankError { get; init; }
    /// <summary>With "sketch": true when the per-path metrics were reduced on the device (--statistics device), false when
    /// they came to the host and were reduced there.</summary>
    public bool ReducedOnDevice { get; init; }
    /// <summary>When the run's statistics were complete (UTC, whole seconds): the date a report gives its figures; null when
    /// unknown (a summary.json written before it was recorded).</summary>
    public DateTimeOffset? CompletedUtc { get; init; }
    /// <summary>Why an adaptive run (--target-stderr) stopped; null for a fixed number of paths.</summary>
    public StoppingInfo? Stopping { get; init; }

    /// <summary>The metric called <paramref name="name"/>.</summary>
    public MetricSummary Metric(string name) => Metrics.First(m => m.Name == name);

    /// <summary>The time now in UTC, to the second.</summary>
    private static DateTimeOffset Now()
    {
        var t = DateTimeOffset.UtcNow;
        return t.AddTicks(-(t.Ticks % TimeSpan.TicksPerSecond));
    }

    /// <summary>Engine version with the commit it was built from.</summary>
    public static string Version()
    {
        var info = typeof(RunSummary).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return info ?? typeof(RunSummary).Assembly.GetName().Version?.ToString() ?? "0.0.0";
    }

    /// <summary>Bytes a path that one statistics thread holds: its sort column and the radix sort's two key arrays (each
    /// thread keeps all three from metric to metric).</summary>
    public const int StatisticsBytesPerPath = 3 * sizeof(double);

    /// <summary>Threads for the per-metric statistics: all cores, bounded so the threads' sort buffers
    /// (<see cref="StatisticsBytesPerPath"/> a path each) stay under about 2 GiB.</summary>
    public static int StatisticsThreads(long paths) =>
        (int)Math.Clamp((2L << 30) / Math.Max(1, paths * StatisticsBytesPerPath), 1, Environment.ProcessorCount);

    /// <summary>Statistics of a run.</summary>
    /// <param name="r">The run.</param>
    /// <param name="fields">The uncertain inputs' fields (for their distributions' descriptions).</param>
    /// <param name="stopping">Why an adaptive run stopped.</param>
    /// <param name="cancellation">Observed between metrics (SIGINT/SIGTERM stop the statistics phase too).</param>
    public static RunSummary From(RunResult r, IReadOnlyList<UncertainField>? fields = null, StoppingInfo? stopping = null,
        CancellationToken cancellation = default)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        cancellation.ThrowIfCancellationRequested();
        if (r.Streamed is { } streamed) return Streamed(r, streamed, sw, cancellation);
        var job = r.Job;
        string sampling = job.Scenario.Sampling;
        int scramblings = job.Scenario.Scramblings;
        bool pairedOrReplicated = sampling is "antithetic" or "qmc";   // an estimator other than iid paths
        var (summaries, factors) = MetricStatistics(r, pairedOrReplicated ? sampling : null, scramblings, cancellation);
        var metrics = new List<MetricSummary>(summaries);
        var reduction = new Dictionary<string, double>();
        if (pairedOrReplicated)
            for (int k = 0; k < summaries.Length; k++) reduction[summaries[k].Name] = factors[k];
        cancellation.ThrowIfCancellationRequested();
        var probabilities = EventProbabilities(r, pairedOrReplicated ? sampling : null, scramblings);
        cancellation.ThrowIfCancellationRequested();
        var inputs = InputSummaries(r, fields);
        cancellation.ThrowIfCancellationRequested();
        var bands = new Dictionary<string, BandRow[]>();
        if (r.BandPaths > 0)
            Fill(bands, job, Statistics.Bands.ComputeAll(r.Bands, (int)r.BandPaths, job.Months, job.SeriesNames.Count));
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
            Inputs = inputs,
            VarianceReduction = reduction,
            CompletedUtc = Now(),
            StdErrorMethod = sampling switch
            {
                "antithetic" => "antithetic pairs: sd of pair averages / sqrt(pairs)",
                "qmc" => $"randomised QMC: sd of the {scramblings} scramblings' means / sqrt({scramblings})",
                _ => "iid paths: sd / sqrt(N)",
            },
            Stopping = stopping,
        };
    }

    /// <summary>The statistics of a run whose batches were reduced as they finished (plain Monte Carlo, no uncertain inputs).</summary>
    private static RunSummary Streamed(RunResult r, StreamingStatistics s, System.Diagnostics.Stopwatch sw, CancellationToken cancellation)
    {
        var job = r.Job;
        var metrics = new MetricSummary[job.MetricNames.Count];
        // One sort scratch a concurrent worker, reused from metric to metric (each metric's statistics are one thread's,
        // whatever the scheduling: the results do not depend on it).
        int held = s.MaxHeld;
        ParallelScratch.For(metrics.Length, SummaryThreads, () => new SketchScratch(held), (k, scratch) => metrics[k] = s.Summary(k, scratch), cancellation);
        var probabilities = new Dictionary<string, Probability>();
        foreach (var name in job.EventMetrics)
        {
            int k = IndexOf(job, name);
            probabilities[name] = Summarizer.EventProbability(s.PositiveCount(k), s.MomentsOf(k).Count);
        }
        foreach (var e in ModelKinds.For(job.Scenario.Model).DerivedEvents)
            probabilities[e.Name] = Summarizer.EventProbability(s.NegativeCount(IndexOf(job, e.Metric)), r.Paths);
        var bands = new Dictionary<string, BandRow[]>();
        if (r.BandPaths > 0)
            Fill(bands, job, Statistics.Bands.ComputeAll(r.Bands, (int)r.BandPaths, job.Months, job.SeriesNames.Count));
        return new RunSummary
        {
            Scenario = job.Scenario.Name, Model = job.Scenario.Model, Question = job.Scenario.Question, Seed = job.Scenario.Seed,
            Paths = r.Paths, Sampling = job.Scenario.Sampling, Backend = r.Backend, Device = r.Device, MathPath = r.MathPath,
            ElapsedSeconds = r.Elapsed.TotalSeconds, KernelSeconds = r.KernelTime.TotalSeconds,
            StatisticsSeconds = sw.Elapsed.TotalSeconds, EngineVersion = Version(),
            Metrics = metrics, Probabilities = probabilities, Bands = bands, BandPaths = r.BandPaths,
            StatisticsMethod = "sketch", QuantileRankError = s.RelativeRankError, ReducedOnDevice = s.OnDevice,
            CompletedUtc = Now(),
        };
    }

    private static void Fill(Dictionary<string, BandRow[]> bands, IModelJob job, BandRow[][] rows)
    {
        for (int i = 0; i < rows.Length; i++) bands[job.SeriesNames[i]] = rows[i];
    }

    /// <summary>
    /// Every metric's statistics, one metric per task with its own sort buffer: each metric is computed by one thread in
    /// one order, so the results do not depend on the number of cores. With <paramref name="sampling"/> (antithetic, qmc)
    /// the standard error comes from the estimator's groups, and the variance reduction factor beside it.
    /// </summary>
    private static (MetricSummary[] Summaries, double[] Factors) MetricStatistics(RunResult r, string? sampling, int scramblings,
        CancellationToken cancellation)
    {
        var job = r.Job;
        int metricCount = job.MetricNames.Count;
        var summaries = new MetricSummary[metricCount];
        var factors = new double[metricCount];
        ParallelScratch.For(metricCount, StatisticsThreads(r.Paths), () => (Column: new double[r.Paths], Keys: new ulong[2 * r.Paths]),
            (k, scratch) =>
            {
                var m = Summarizer.Summarize(job.MetricNames[k], r.Columns[k], scratch.Column, scratch.Keys, MetricInfo.UpperTail(job.MetricNames[k]));
                if (sampling != null)
                {
                    // The paths of a pair are dependent: the error comes from the pair averages (Estimators).
                    double se = Estimators.StdError(r.Columns[k], sampling, scramblings);
                    factors[k] = Estimators.VarianceReductionFactor(r.Columns[k], se);
                    m = m with { StdError = se };
                }
                summaries[k] = m;
            }, cancellation);
        return (summaries, factors);
    }

    /// <summary>Workers of a streamed run's per-metric statistics (each holds one <see cref="SketchScratch"/>).</summary>
    public static int SummaryThreads => Environment.ProcessorCount;

    /// <summary>The kernel's event flags and the kind's derived events as probabilities.</summary>
    private static Dictionary<string, Probability> EventProbabilities(RunResult r, string? sampling, int scramblings)
    {
        var job = r.Job;
        var probabilities = new Dictionary<string, Probability>();
        foreach (var name in job.EventMetrics)
        {
            var p = Summarizer.EventProbability(r.Columns[IndexOf(job, name)]);
            probabilities[name] = sampling != null ? p with { StdError = Estimators.StdError(r.Columns[IndexOf(job, name)], sampling, scramblings) } : p;
        }
        foreach (var e in ModelKinds.For(job.Scenario.Model).DerivedEvents)
            probabilities[e.Name] = NegativeProbability(r, r.Columns[IndexOf(job, e.Metric)], sampling, scramblings);
        return probabilities;
    }

    /// <summary>The drawn inputs, and which moves the kind's headline metric: Spearman rank correlation, path by path.</summary>
    private static List<InputSummary> InputSummaries(RunResult r, IReadOnlyList<UncertainField>? fields)
    {
        var job = r.Job;
        var inputs = new List<InputSummary>();
        var scratch = new double[r.Paths];
        int headline = Math.Max(0, IndexOf(job, ModelKinds.For(job.Scenario.Model).Headline));
        for (int f = 0; f < r.InputNames.Count; f++)
        {
            var m = Summarizer.Summarize(r.InputNames[f], r.Inputs[f], scratch, upperTail: false);
            var d = fields?.FirstOrDefault(x => x.Path == r.InputNames[f])?.Distribution.Describe() ?? "";
            double rho = Estimators.Spearman(r.Inputs[f], r.Columns[headline]);
            inputs.Add(new InputSummary(r.InputNames[f], d, m.Mean, m.StdDev, m.P5, m.P50, m.P95, m.Min, m.Max)
            {
                Against = job.MetricNames[headline],
                RankCorrelation = rho,
            });
        }
        return inputs;
    }

    /// <summary>P(x &lt; 0) over the paths; with <paramref name="sampling"/> (antithetic, qmc) its error from the estimator's groups.</summary>
    private static Probability NegativeProbability(RunResult r, double[] column, string? sampling, int scramblings)
    {
        var p = Summarizer.EventProbability(column.Count(x => x < 0), r.Paths);
        if (sampling == null) return p;
        var flags = column.Select(x => double.IsNaN(x) ? double.NaN : x < 0 ? 1.0 : 0.0).ToArray();
        return p with { StdError = Estimators.StdError(flags, sampling, scramblings) };
    }

    private static int IndexOf(IModelJob job, string name)
    {
        for (int i = 0; i < job.MetricNames.Count; i++) if (job.MetricNames[i] == name) return i;
        return -1;
    }
}

/// <summary>The sampled values of one uncertain input across the paths.</summary>
/// <param name="Field">Field path.</param>
/// <param name="Distribution">The distribution as written, in words.</param>
/// <param name="Mean">Mean of the drawn values.</param>
/// <param name="StdDev">Their sample standard deviation.</param>
/// <param name="P5">5th percentile of the drawn values (type 7).</param>
/// <param name="P50">Their median.</param>
/// <param name="P95">Their 95th percentile.</param>
/// <param name="Min">Smallest drawn value.</param>
/// <param name="Max">Largest drawn value.</param>
public sealed record InputSummary(string Field, string Distribution, double Mean, double StdDev, double P5, double P50, double P95,
    double Min, double Max)
{
    /// <summary>The headline metric the rank correlation is taken against (npv for fleets).</summary>
    public string Against { get; init; } = "";
    /// <summary>Spearman rank correlation between this input's draws and <see cref="Against"/> across paths: a
    /// Monte Carlo sensitivity of the answer to the input (its square is roughly the share of rank variance it explains).</summary>
    public double RankCorrelation { get; init; } = double.NaN;
}
