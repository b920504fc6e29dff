using System.Globalization;
using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Statistics;

namespace ComputeEconomics.Running;

/// <summary>
/// A precision target: run until the standard error of METRIC's mean is at most VALUE (an absolute amount in the metric's
/// unit) or VALUE% of |mean| (relative).
/// </summary>
public sealed record TargetStdError(string Metric, double Value, bool Relative)
{
    /// <summary>Parse <c>METRIC.mean=VALUE</c> or <c>METRIC.mean=VALUE%</c> (<c>METRIC=...</c> means its mean).</summary>
    public static TargetStdError Parse(string text, IReadOnlyList<string> metrics)
    {
        int eq = text.IndexOf('=');
        if (eq <= 0) throw new InputException("--target-stderr", text, "must have the form METRIC.mean=VALUE or METRIC.mean=VALUE% (e.g. npv.mean=0.5%)");
        string name = text[..eq].Trim(), value = text[(eq + 1)..].Trim();
        if (name.EndsWith(".mean", StringComparison.Ordinal)) name = name[..^".mean".Length];
        if (!metrics.Contains(name))
            throw new InputException("--target-stderr", text[..eq], $"must name a metric's mean, METRIC.mean, with METRIC one of: {string.Join(", ", metrics)}");
        bool relative = value.EndsWith('%');
        if (relative) value = value[..^1];
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v) || v <= 0)
            throw new InputException("--target-stderr", text[(eq + 1)..], "must be a positive number, or a positive percentage of |mean| such as 0.5%");
        return new TargetStdError(name, relative ? v / 100 : v, relative);
    }

    /// <summary>The absolute standard error wanted when the mean is <paramref name="mean"/>.</summary>
    public double Threshold(double mean) => Relative ? Value * Math.Abs(mean) : Value;

    public override string ToString()
        => $"{Metric}.mean={(Relative ? (Value * 100).ToString("G6", CultureInfo.InvariantCulture) + "%" : Value.ToString("G6", CultureInfo.InvariantCulture))}";
}

/// <summary>Why an adaptive run stopped.</summary>
/// <param name="Target">The target as given.</param>
/// <param name="StoppedBy">"target" (the standard error reached the target) or "max_paths".</param>
/// <param name="Paths">Paths simulated.</param>
/// <param name="Mean">The metric's mean at the stop.</param>
/// <param name="StdError">Its standard error at the stop (the sampling scheme's estimator).</param>
/// <param name="Threshold">The absolute standard error wanted at the stop.</param>
/// <param name="Stages">Paths after each stage.</param>
public sealed record StoppingInfo(TargetStdError Target, string StoppedBy, long Paths, double Mean, double StdError, double Threshold,
    IReadOnlyList<long> Stages);

/// <summary>
/// Sequential stopping: paths 0 .. n-1 for n = first, 2 first, 4 first, ... (capped at maxPaths); after each stage the standard
/// error of the target metric is checked and the run stops once it is at most the target. Each stage simulates only the new
/// paths (<see cref="Simulator.Run"/> with resume) and path indices are fixed, so the result is the run of the final number of
/// paths, bit for bit, and the stopping point is a deterministic function of (scenario, seed, target, first, maxPaths).
/// </summary>
public static class AdaptiveRunner
{
    /// <summary>Paths of the first stage.</summary>
    public const long DefaultFirstStage = 4096;

    public static (RunResult Result, StoppingInfo Stopping) Run(IModelJob job, IBackend backend, RunOptions options,
        TargetStdError target, long maxPaths, long firstStage = DefaultFirstStage, Action<string>? stageDone = null)
    {
        CheckMaxPaths(job, backend, options, maxPaths);
        int k = job.MetricNames.ToList().IndexOf(target.Metric);
        if (k < 0) throw new InputException("--target-stderr", target.Metric, $"must be a metric of the {job.Scenario.Model} model");
        string sampling = job.Scenario.Sampling;
        long n = Math.Clamp(firstStage, 1, maxPaths);
        var stages = new List<long>();
        RunResult? result = null;
        while (true)
        {
            result = Simulator.Run(job, backend, options with { Paths = n }, result);
            stages.Add(n);
            double[] column = result.Columns[k];
            double mean = Statistics.Moments.Of(column).Mean;
            double se = Estimators.StdError(column, sampling, job.Scenario.Scramblings);
            double threshold = target.Threshold(mean);
            stageDone?.Invoke($"{n:N0} paths: {target.Metric}.mean {mean:G6}, stderr {se:G4} (target {threshold:G4})");
            if (se <= threshold)
                return (result, new StoppingInfo(target, "target", n, mean, se, threshold, stages));
            if (n >= maxPaths)
                return (result, new StoppingInfo(target, "max_paths", n, mean, se, threshold, stages));
            n = Math.Min(2 * n, maxPaths);
        }
    }

    /// <summary>Most paths an adaptive run may grow to: the field rule of <c>paths</c>.</summary>
    public const long MaxPathsLimit = 1_000_000_000;

    /// <summary>
    /// Refuse (exit code 2, naming --max-paths) a cap the run could not reach: above <see cref="MaxPathsLimit"/>, or whose
    /// last stage would not fit in host memory (every path's metrics are kept: the statistics are exact). Checked before
    /// the first stage, not at the stage that would fail hours later.
    /// </summary>
    public static void CheckMaxPaths(IModelJob job, IBackend backend, RunOptions options, long maxPaths)
    {
        string value = maxPaths.ToString(CultureInfo.InvariantCulture);
        if (maxPaths < 1 || maxPaths > MaxPathsLimit)
            throw new InputException("--max-paths", value, $"must be in [1, {MaxPathsLimit.ToString(CultureInfo.InvariantCulture)}] (the rule of paths)");
        var estimate = MemoryEstimate.For(job, backend, options with { Paths = maxPaths, Sink = null });
        try
        {
            estimate.ThrowIfTooLarge();
        }
        catch (InputException)
        {
            double gib = 1L << 30;
            throw new InputException("--max-paths", value, FormattableString.Invariant(
                $"needs about {estimate.HostBytes / gib:0.00} GiB of host memory at its last stage but {estimate.HostAvailableBytes / gib:0.00} GiB is available: ")
                + "--target-stderr keeps every path's metrics (8 bytes x metrics x paths, exact statistics); give a smaller --max-paths or a looser target");
        }
    }
}
