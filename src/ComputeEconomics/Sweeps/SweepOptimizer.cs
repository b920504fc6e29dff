using System.Globalization;
using System.Text;
using ComputeEconomics.Backends;
using ComputeEconomics.Kernels.Random;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Statistics;

namespace ComputeEconomics.Sweeps;

/// <summary>What a sweep optimises: a statistic of a metric (npv.mean, npv.cvar5) or an event probability (default_probability).</summary>
public sealed record Objective(string Column, string Metric, string Statistic, bool Maximize)
{
    /// <summary>Statistics that can be optimised (counts and standard errors cannot).</summary>
    public static readonly string[] Optimisable = { "mean", "sd", "p1", "p5", "p25", "p50", "p75", "p95", "p99", "cvar5", "min", "max" };

    /// <summary>
    /// Parse <c>METRIC.STAT</c>, <c>METRIC_STAT</c> or <c>EVENT_probability</c>; <paramref name="goal"/> is max, min or auto
    /// (min for sd, for metrics whose <see cref="MetricInfo.Better"/> is Lower and for probabilities of events that are not
    /// <see cref="Better.Higher"/>, else max). Throws <see cref="InputException"/> naming <paramref name="option"/> (--optimize;
    /// --metric for ce sensitivity).
    /// </summary>
    public static Objective Parse(string spec, string goal, SweepTable table, string option = "--optimize")
    {
        if (goal is not ("auto" or "max" or "min")) throw new InputException("--goal", goal, "must be auto, max or min");
        string column = spec.Trim().Replace('.', '_');
        string? metric = null, stat = null;
        foreach (var m in table.Metrics)
            foreach (var s in Optimisable)
                if (column == $"{m}_{s}") { metric = m; stat = s; }
        foreach (var e in table.Events)
            if (column == $"{e}_probability") { metric = e; stat = "probability"; }
        if (metric == null || stat == null)
            throw new InputException(option, spec,
                $"must be METRIC.STAT or EVENT_probability; metrics: {string.Join(", ", table.Metrics)}; statistics: {string.Join(", ", Optimisable)}; events: {string.Join(", ", table.Events.Select(e => e + "_probability"))}");
        var better = MetricInfo.For(metric).Better;
        bool autoMax = stat switch { "sd" => false, "probability" => better == Better.Higher, _ => better != Better.Lower };
        bool max = goal == "max" || goal == "auto" && autoMax;
        return new Objective(column, metric, stat, max);
    }
}

/// <summary>A point compared with the best one, paired path by path.</summary>
/// <param name="Rank">1 = best.</param>
/// <param name="Row">The point's row.</param>
/// <param name="Value">The objective at the point.</param>
/// <param name="Difference">Objective at the best point minus objective here.</param>
/// <param name="PairedStdError">
/// Standard error of the difference from the paired per-path results (common random numbers); exactly 0 when it is no
/// larger than rounding noise (<see cref="SweepOptimizer.RoundingNoise"/>): the difference is then the same on every path.
/// </param>
/// <param name="UnpairedStdError">What it would be with independent draws, sqrt(se_best² + se²) (means and probabilities only; NaN otherwise).</param>
/// <param name="Method">How the paired standard error was estimated.</param>
public sealed record Comparison(int Rank, SweepRow Row, double Value, double Difference, double PairedStdError, double UnpairedStdError, string Method)
{
    /// <summary>
    /// Difference over its paired standard error; NaN (no z-score) when that error is 0, i.e. rounding noise: a
    /// difference that holds on every path is not a sampling question.
    /// </summary>
    public double Z => PairedStdError > 0 ? Difference / PairedStdError : double.NaN;
}

/// <summary>The best point and its runners-up.</summary>
public sealed record OptimizationResult(Objective Objective, IReadOnlyList<Comparison> Ranking, int PointsRanked);

/// <summary>
/// <c>--optimize</c>: ranks the points by the objective, then re-runs the best point and the runners-up (deterministic:
/// same seed, same path indices, so the same per-path values as in the sweep; this is checked) to get their per-path
/// metric and the paired difference's standard error. Only two per-path columns are held at a time.
/// Means and probabilities: the standard error of the mean of per-path differences. Other statistics (quantiles, CVaR,
/// sd, min, max): a paired bootstrap over path indices (<see cref="BootstrapReplicates"/> replicates, Philox-drawn).
/// </summary>
public static class SweepOptimizer
{
    /// <summary>Bootstrap replicates for the paired standard error of a non-mean statistic.</summary>
    public const int BootstrapReplicates = 200;
    private const uint BootstrapStream = 0x4F505449u; // "OPTI"

    public static OptimizationResult Optimize(SweepPlan plan, SweepTable table, IReadOnlyList<SweepRow> rows, Objective objective,
        IBackend backend, int runnersUp, int? batchSize, CancellationToken cancellation)
    {
        int col = table.IndexOf(objective.Column);
        var ranked = rows.Where(r => !double.IsNaN(r.Values[col]))
            .OrderBy(r => objective.Maximize ? -r.Values[col] : r.Values[col]).ThenBy(r => r.Point).ToList();
        if (ranked.Count == 0) throw new InputException("--optimize", objective.Column, "is absent (NaN) at every point");
        var options = new RunOptions { Paths = plan.Base.Paths, BatchSize = batchSize, BandPaths = 0, Cancellation = cancellation };
        var best = ranked[0];
        double[] bestPaths = PerPath(plan, best.Point, objective, backend, options);
        Check(best, col, bestPaths, objective);
        var list = new List<Comparison> { new(1, best, best.Values[col], 0, 0, 0, "-") };
        for (int k = 1; k < Math.Min(ranked.Count, runnersUp + 1); k++)
        {
            var row = ranked[k];
            double[] other = PerPath(plan, row.Point, objective, backend, options);
            cancellation.ThrowIfCancellationRequested();   // before the comparison's bootstrap
            Check(row, col, other, objective);
            list.Add(Compare(k + 1, best, row, col, bestPaths, other, objective, (uint)plan.Base.Seed, cancellation));
        }
        return new OptimizationResult(objective, list, ranked.Count);
    }

    private static double Sq(double x) => x * x;

    /// <summary>
    /// Relative size of rounding noise: a paired standard error at most this times the root mean square of the two
    /// points' per-path values is taken as 0. Doubles carry 2.2e-16 relative; sums over 10^8 paths lose a few more
    /// digits; a genuine Monte Carlo error this small relative to the values would need some 10^18 paths.
    /// </summary>
    public const double RoundingNoise = 1e-9;

    /// <summary>
    /// The comparison of <paramref name="row"/> (rank <paramref name="rank"/>) with <paramref name="best"/> from their
    /// per-path values. A paired standard error within <see cref="RoundingNoise"/> of the values' scale is set to 0.
    /// </summary>
    public static Comparison Compare(int rank, SweepRow best, SweepRow row, int col, double[] bestPaths, double[] other,
        Objective objective, uint seed, CancellationToken cancellation = default)
    {
        double diff = best.Values[col] - row.Values[col];
        double floor = RoundingNoise * Rms(bestPaths, other);
        if (objective.Statistic is "mean" or "probability")
        {
            var d = new double[bestPaths.Length];
            for (int i = 0; i < d.Length; i++) d[i] = bestPaths[i] - other[i];
            double paired = Moments.Of(d).StdError;
            double unpaired = Math.Sqrt(Sq(Moments.Of(bestPaths).StdError) + Sq(Moments.Of(other).StdError));
            return paired <= floor
                ? new Comparison(rank, row, row.Values[col], diff, 0, unpaired, "paired per-path differences: the same on every path up to rounding (no z)")
                : new Comparison(rank, row, row.Values[col], diff, paired, unpaired, "paired per-path differences");
        }
        double se = BootstrapStdError(bestPaths, other, objective.Metric, objective.Statistic, seed, cancellation);
        return se <= floor
            ? new Comparison(rank, row, row.Values[col], diff, 0, double.NaN, $"paired bootstrap, {BootstrapReplicates} replicates: no spread beyond rounding (no z)")
            : new Comparison(rank, row, row.Values[col], diff, se, double.NaN, $"paired bootstrap, {BootstrapReplicates} replicates");
    }

    /// <summary>Root mean square of the present (non-NaN) values of both arrays; 0 when none.</summary>
    private static double Rms(double[] a, double[] b)
    {
        double sum = 0;
        long n = 0;
        foreach (var x in a.Concat(b))
        {
            if (double.IsNaN(x)) continue;
            sum += x * x;
            n++;
        }
        return n == 0 ? 0 : Math.Sqrt(sum / n);
    }

    /// <summary>The per-path values behind the objective at one point (0/1 flags for an event).</summary>
    private static double[] PerPath(SweepPlan plan, int point, Objective o, IBackend backend, RunOptions options)
    {
        var job = ScenarioCompiler.Compile(plan.ScenarioAt(point));
        var r = Simulator.Run(job, backend, options);
        string metric = o.Metric == "npv_negative" ? "npv" : o.Metric;
        int k = job.MetricNames.ToList().IndexOf(metric);
        double[] values = r.Columns[k];
        if (o.Metric == "npv_negative") return values.Select(x => x < 0 ? 1.0 : 0.0).ToArray();
        return values;
    }

    private static void Check(SweepRow row, int col, double[] perPath, Objective o)
    {
        double again = Statistic(perPath, o.Metric, o.Statistic);
        if (BitConverter.DoubleToInt64Bits(again) != BitConverter.DoubleToInt64Bits(row.Values[col]))
            throw new InvalidOperationException(
                $"re-running point {row.Point} gave {o.Column} = {again:R}, not {row.Values[col]:R}: results are not reproducible on this backend");
    }

    /// <summary>
    /// The statistic of per-path values of <paramref name="metric"/> exactly as the sweep computes it (Summarizer,
    /// EventProbability); the metric's name decides CVaR's tail.
    /// </summary>
    public static double Statistic(double[] values, string metric, string statistic)
    {
        if (statistic == "probability") return Summarizer.EventProbability(values).P;
        var m = Summarizer.Summarize(metric, values, MetricInfo.UpperTail(metric));
        return statistic switch
        {
            "mean" => m.Mean,
            "sd" => m.StdDev,
            "p1" => m.P1,
            "p5" => m.P5,
            "p25" => m.P25,
            "p50" => m.P50,
            "p75" => m.P75,
            "p95" => m.P95,
            "p99" => m.P99,
            "cvar5" => m.Cvar5,
            "min" => m.Min,
            "max" => m.Max,
            _ => throw new ArgumentOutOfRangeException(nameof(statistic), statistic, "unknown statistic"),
        };
    }

    /// <summary>Standard deviation over bootstrap replicates of stat(a*) - stat(b*), a* and b* resampled with the same path indices.</summary>
    /// <remarks>The cancellation is checked before each replicate.</remarks>
    public static double BootstrapStdError(double[] a, double[] b, string metric, string statistic, uint seed,
        CancellationToken cancellation = default)
    {
        int n = a.Length;
        var ra = new double[n];
        var rb = new double[n];
        var m = default(Moments);
        for (int rep = 0; rep < BootstrapReplicates; rep++)
        {
            cancellation.ThrowIfCancellationRequested();
            for (int i = 0; i < n; i++)
            {
                uint w = Philox4x32.Block(seed, i, (uint)rep, 0, BootstrapStream).X;
                int j = (int)((ulong)w * (ulong)n >> 32);
                ra[i] = a[j];
                rb[i] = b[j];
            }
            m.Push(Statistic(ra, metric, statistic) - Statistic(rb, metric, statistic));
        }
        return m.StdDev;
    }

    /// <summary>
    /// optimize.csv: the best point first, then the runners-up with their paired differences. Written with CsvHelper,
    /// so a method text with a comma is one quoted field.
    /// </summary>
    public static string Csv(OptimizationResult r, SweepTable table)
    {
        var inv = CultureInfo.InvariantCulture;
        var header = new[] { "rank", "point" }.Concat(table.Axes.Select(a => a.Name))
            .Concat(new[] { "objective", "goal", "value", "difference_from_best", "stderr_paired", "stderr_unpaired", "z", "method" });
        var rows = r.Ranking.Select(c => new[] { c.Rank.ToString(inv), c.Row.Point.ToString(inv) }.Concat(c.Row.Axis)
            .Concat(new[] { r.Objective.Column, r.Objective.Maximize ? "max" : "min", Format.Csv(c.Value) })
            .Concat(c.Rank == 1
                ? new[] { "", "", "", "", "-" }
                : new[] { Format.Csv(c.Difference), Format.Csv(c.PairedStdError), Format.Csv(c.UnpairedStdError), Format.Csv(c.Z), c.Method }));
        return CsvText.Write(header, rows);
    }
}
