using System.Globalization;
using System.Text;
using ComputeEconomics.Running;
using ComputeEconomics.Statistics;

namespace ComputeEconomics.Output;

/// <summary>
/// The per-path shapes a report draws, computed at run time from every path (the per-path columns are not kept):
/// a histogram of each metric (histograms.csv) and the default survival curve (survival.csv).
/// </summary>
public static class Distributions
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Bins per histogram.</summary>
    public const int DefaultBins = 60;

    /// <summary>
    /// Histogram of <paramref name="values"/> (NaN = absent) over [P0.1, P99.9] of the present values, so a few extreme
    /// paths do not squeeze the picture; the paths outside are counted in <see cref="Histogram.Below"/> and
    /// <see cref="Histogram.Above"/>. When every value is equal, one bin of width 1 (or 1 % of the value) centred on it.
    /// </summary>
    public static Histogram HistogramOf(string metric, ReadOnlySpan<double> values, int bins = DefaultBins) =>
        HistogramOf(metric, values, bins, new double[values.Length], Span<ulong>.Empty);

    /// <summary>
    /// <see cref="HistogramOf(string, ReadOnlySpan{double}, int)"/> sorting a copy in <paramref name="scratch"/> (at least
    /// <c>values.Length</c>) with the radix sort's keys in <paramref name="keys"/> (twice that; shorter: allocated), so a
    /// run's histograms reuse one scratch across the metrics. The same histogram either way.
    /// </summary>
    public static Histogram HistogramOf(string metric, ReadOnlySpan<double> values, int bins, Span<double> scratch, Span<ulong> keys)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var sorted = scratch[..values.Length];
        values.CopyTo(sorted);
        int n = Quantiles.SortPresent(sorted, keys);
        long absent = values.Length - n;
        if (n == 0) return new Histogram(metric, Array.Empty<double>(), Array.Empty<long>(), 0, 0, absent);
        ReadOnlySpan<double> present = sorted[..n];
        return Binned(metric, Quantiles.FromSorted(present, 0.001), Quantiles.FromSorted(present, 0.999), bins, present,
            ReadOnlySpan<long>.Empty, absent);
    }

    /// <summary>
    /// <paramref name="values"/> (each of weight 1, or of <paramref name="weights"/>' weight) in <paramref name="bins"/>
    /// equal bins over [lo, hi]; one bin around lo when the range is empty.
    /// </summary>
    private static Histogram Binned(string metric, double lo, double hi, int bins, ReadOnlySpan<double> values,
        ReadOnlySpan<long> weights, long absent)
    {
        if (!(hi > lo))
        {
            double half = Math.Max(Math.Abs(lo) * 0.005, 0.5);
            lo -= half; hi += half; bins = 1;
        }
        var edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) edges[i] = lo + (hi - lo) * i / bins;
        edges[bins] = hi;
        var counts = new long[bins];
        long below = 0, above = 0;
        double width = (hi - lo) / bins;
        for (int i = 0; i < values.Length; i++)
        {
            double x = values[i];
            long w = weights.IsEmpty ? 1 : weights[i];
            if (x < lo) { below += w; continue; }
            if (x > hi) { above += w; continue; }
            int b = (int)Math.Min(bins - 1, Math.Floor((x - lo) / width));
            counts[b] += w;
        }
        return new Histogram(metric, edges, counts, below, above, absent);
    }

    /// <summary>
    /// Share of paths not defaulted by the end of each month: survival[m] = 1 - #(default month &lt;= m) / paths.
    /// <paramref name="defaultMonths"/> holds each path's default month (0-based) or NaN when it never defaults.
    /// </summary>
    public static double[] SurvivalOf(ReadOnlySpan<double> defaultMonths, int months)
    {
        var defaultsAt = new long[months];
        foreach (double d in defaultMonths)
        {
            if (double.IsNaN(d)) continue;
            int m = (int)Math.Clamp(Math.Floor(d), 0, months - 1);
            defaultsAt[m]++;
        }
        var survival = new double[months];
        long cumulative = 0;
        double paths = Math.Max(1, defaultMonths.Length);
        for (int m = 0; m < months; m++)
        {
            cumulative += defaultsAt[m];
            survival[m] = 1.0 - cumulative / paths;
        }
        return survival;
    }

    /// <summary>Month-of-event metrics that make a survival curve, with the event's name, in order of preference.</summary>
    public static readonly (string Metric, string Event)[] SurvivalEvents = { ("default_month", "default"), ("insolvency_month", "insolvency") };

    /// <summary>The files a run adds for its report: histograms.csv for every non-event metric, survival.csv when the model defaults.</summary>
    public static Dictionary<string, string> Files(RunResult result, CancellationToken cancellation = default)
    {
        if (result.Streamed is { } streamed) return StreamedFiles(result, streamed, cancellation);
        var job = result.Job;
        var histograms = new List<Histogram>();
        double[] scratch = new double[result.Paths];   // one sort copy and one pair of radix keys for every metric
        ulong[] keys = new ulong[2 * result.Paths];
        for (int k = 0; k < job.MetricNames.Count; k++)
        {
            cancellation.ThrowIfCancellationRequested();
            if (!job.EventMetrics.Contains(job.MetricNames[k]))
                histograms.Add(HistogramOf(job.MetricNames[k], result.Columns[k], DefaultBins, scratch, keys));
        }
        var files = new Dictionary<string, string> { ["histograms.csv"] = HistogramsCsv(histograms) };
        foreach (var (metric, what) in SurvivalEvents)
        {
            int dm = IndexOf(job.MetricNames, metric);
            if (dm < 0) continue;
            files["survival.csv"] = SurvivalCsv(SurvivalOf(result.Columns[dm], job.Months), result.Paths, what);
            break;
        }
        return files;
    }

    /// <summary>The month-of-event metrics a streamed run counts per month (for survival.csv).</summary>
    public static IEnumerable<string> MonthMetrics => SurvivalEvents.Select(e => e.Metric);

    /// <summary><see cref="Files"/> of a streamed run: histograms from each metric's sketch, survival from the exact month counts.</summary>
    private static Dictionary<string, string> StreamedFiles(RunResult result, StreamingStatistics s, CancellationToken cancellation)
    {
        var job = result.Job;
        var histograms = new List<Histogram>();
        var scratch = new SketchScratch(s.MaxHeld);   // one sort scratch for every metric's sketch
        for (int k = 0; k < job.MetricNames.Count; k++)
            if (!cancellation.IsCancellationRequested && !job.EventMetrics.Contains(job.MetricNames[k]))
                histograms.Add(HistogramOf(job.MetricNames[k], s.Sketches[k], s.MomentsOf(k).Absent, DefaultBins, scratch));
        cancellation.ThrowIfCancellationRequested();
        var files = new Dictionary<string, string> { ["histograms.csv"] = HistogramsCsv(histograms) };
        foreach (var (metric, what) in SurvivalEvents)
        {
            int dm = IndexOf(job.MetricNames, metric);
            if (dm < 0 || s.MonthCounts(dm) is not { } counts) continue;
            var survival = new double[counts.Length];
            long cumulative = 0;
            double paths = Math.Max(1, result.Paths);
            for (int m = 0; m < counts.Length; m++)
            {
                cumulative += counts[m];
                survival[m] = 1.0 - cumulative / paths;
            }
            files["survival.csv"] = SurvivalCsv(survival, result.Paths, what);
            break;
        }
        return files;
    }

    /// <summary>
    /// <see cref="HistogramOf(string, ReadOnlySpan{double}, int)"/> from a sketch: the range from its P0.1 and P99.9, each
    /// held value counted with its weight (a bin's count is within twice the sketch's rank-error bound of the true one).
    /// The sketch is sorted in <paramref name="scratch"/> when given (reused across metrics), else in arrays of its own.
    /// </summary>
    public static Histogram HistogramOf(string metric, QuantileSketch sketch, long absent, int bins = DefaultBins,
        SketchScratch? scratch = null)
    {
        if (sketch.Count == 0) return new Histogram(metric, Array.Empty<double>(), Array.Empty<long>(), 0, 0, absent);
        var sorted = sketch.Sorted(scratch ?? new SketchScratch(sketch.Held));
        return Binned(metric, sorted.Quantile(0.001), sorted.Quantile(0.999), bins, sorted.Values, sorted.Weights, absent);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++) if (names[i] == name) return i;
        return -1;
    }

    /// <summary>histograms.csv: metric, kind (bin, below, above, absent), lo, hi, count.</summary>
    public static string HistogramsCsv(IEnumerable<Histogram> histograms)
    {
        var sb = new StringBuilder("metric,kind,lo,hi,count\n");
        foreach (var h in histograms)
        {
            for (int i = 0; i < h.Counts.Length; i++)
                sb.Append(h.Metric).Append(",bin,").Append(Writers.F(h.Edges[i])).Append(',').Append(Writers.F(h.Edges[i + 1]))
                  .Append(',').Append(h.Counts[i].ToString(Inv)).Append('\n');
            sb.Append(h.Metric).Append(",below,,,").Append(h.Below.ToString(Inv)).Append('\n');
            sb.Append(h.Metric).Append(",above,,,").Append(h.Above.ToString(Inv)).Append('\n');
            sb.Append(h.Metric).Append(",absent,,,").Append(h.Absent.ToString(Inv)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Parse histograms.csv. Throws <see cref="FormatException"/> naming the line on malformed content.</summary>
    public static Dictionary<string, Histogram> ParseHistograms(string csv)
    {
        var edges = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var counts = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        var extra = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (line, no) in DataLines(csv, "metric,kind,lo,hi,count"))
        {
            var f = line.Split(',');
            if (f.Length != 5) throw new FormatException($"line {no}: expected 5 fields, found {f.Length}");
            string metric = f[0];
            if (!extra.ContainsKey(metric))
            {
                order.Add(metric); edges[metric] = new(); counts[metric] = new(); extra[metric] = new long[3];
            }
            long count = long.Parse(f[4], NumberStyles.Integer, Inv);
            if (count < 0) throw new FormatException($"line {no}: count {f[4]} must be >= 0");
            switch (f[1])
            {
                case "bin":
                    double lo = Finite(f[2], no), hi = Finite(f[3], no);
                    var e = edges[metric];
                    if (e.Count == 0) e.Add(lo);
                    else if (lo != e[^1]) throw new FormatException($"line {no}: bin starts at {f[2]}, not where the last one ended ({e[^1].ToString("R", Inv)})");
                    if (!(hi > lo)) throw new FormatException($"line {no}: bin [{f[2]}, {f[3]}] must have lo < hi");
                    e.Add(hi);
                    counts[metric].Add(count);
                    break;
                case "below": extra[metric][0] = count; break;
                case "above": extra[metric][1] = count; break;
                case "absent": extra[metric][2] = count; break;
                default: throw new FormatException($"line {no}: kind '{f[1]}' must be bin, below, above or absent");
            }
        }
        return order.ToDictionary(m => m, m => new Histogram(m, edges[m].ToArray(), counts[m].ToArray(), extra[m][0], extra[m][1], extra[m][2]), StringComparer.Ordinal);
    }

    /// <summary>survival.csv: event, month, survival (share of paths without the event by the end of the month), paths.</summary>
    public static string SurvivalCsv(IReadOnlyList<double> survival, long paths, string eventName = "default")
    {
        var sb = new StringBuilder("event,month,survival,paths\n");
        for (int m = 0; m < survival.Count; m++)
            sb.Append(eventName).Append(',').Append(m.ToString(Inv)).Append(',').Append(Writers.F(survival[m])).Append(',').Append(paths.ToString(Inv)).Append('\n');
        return sb.ToString();
    }

    /// <summary>Parse survival.csv into the event name and survival[month]. Throws <see cref="FormatException"/> on malformed content.</summary>
    public static (string Event, double[] Survival) ParseSurvival(string csv)
    {
        var values = new List<double>();
        string eventName = "default";
        foreach (var (line, no) in DataLines(csv, "event,month,survival,paths"))
        {
            var f = line.Split(',');
            if (f.Length != 4) throw new FormatException($"line {no}: expected 4 fields, found {f.Length}");
            eventName = f[0];
            f = f[1..];
            int month = int.Parse(f[0], NumberStyles.Integer, Inv);
            if (month != values.Count) throw new FormatException($"line {no}: month {month} out of order (expected {values.Count})");
            double s = double.Parse(f[1], NumberStyles.Float, Inv);
            if (!(s >= 0 && s <= 1)) throw new FormatException($"line {no}: survival {f[1]} must be in [0, 1]");
            values.Add(s);
        }
        return (eventName, values.ToArray());
    }

    /// <summary>Parse bands.csv (series, month, p5, p25, p50, p75, p95) into rows per series; empty cells are NaN.</summary>
    public static Dictionary<string, BandRow[]> ParseBands(string csv)
    {
        var rows = new Dictionary<string, List<BandRow>>(StringComparer.Ordinal);
        foreach (var (line, no) in DataLines(csv, "series,month,p5,p25,p50,p75,p95"))
        {
            var f = line.Split(',');
            if (f.Length != 7) throw new FormatException($"line {no}: expected 7 fields, found {f.Length}");
            if (!rows.TryGetValue(f[0], out var list)) rows[f[0]] = list = new();
            list.Add(new BandRow(int.Parse(f[1], NumberStyles.Integer, Inv), D(f[2], no), D(f[3], no), D(f[4], no), D(f[5], no), D(f[6], no)));
        }
        return rows.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>A band cell: empty is NaN (no value that month); anything else must be a finite number.</summary>
    private static double D(string s, int line) => s.Length == 0 ? double.NaN : Finite(s, line);

    /// <summary>A finite number (double.Parse also reads "NaN" and "Infinity", which no run writes).</summary>
    private static double Finite(string s, int line) => double.Parse(s, NumberStyles.Float, Inv) is var x && double.IsFinite(x)
        ? x : throw new FormatException($"line {line}: {s} must be a finite number");

    private static IEnumerable<(string Line, int Number)> DataLines(string csv, string header)
    {
        var lines = csv.Replace("\r\n", "\n").Split('\n');
        if (lines.Length == 0 || lines[0] != header) throw new FormatException($"line 1: header must be '{header}'");
        for (int i = 1; i < lines.Length; i++)
            if (lines[i].Length > 0) yield return (lines[i], i + 1);
    }
}
