using System.Globalization;
using System.Net;
using System.Text;
using ComputeEconomics.Models;
using ComputeEconomics.Output;
using ComputeEconomics.Statistics;
using ScottPlot;

namespace ComputeEconomics.Compare;

/// <summary>
/// compare.html: one self-contained page (charts embedded as PNG data, a Content-Security-Policy that allows no network
/// access and no script) with the headline metric's histograms side by side, the paired differences with 95 % error
/// bars, and the table of every difference.
/// </summary>
public static partial class ComparePage
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly Color Bar = Color.FromHex("#7C9CC8"), Ink = Color.FromHex("#202020"), Rule = Color.FromHex("#5A5A5A");

    /// <summary>The headline histogram of each scenario (shared bins), then the paired-difference charts.</summary>
    /// <remarks>The cancellation is checked before each chart is drawn.</remarks>
    public static List<ChartImage> Charts(CompareResult result, CancellationToken cancellation = default)
    {
        var charts = new List<ChartImage>();
        var columns = result.Runs.Select(r => r.Headline).ToList();
        var shared = SharedEdges(columns, Distributions.DefaultBins);
        var own = columns.Select(c => SharedEdges(new[] { c }, Distributions.DefaultBins)).ToList();
        bool share = Shares(shared, own);
        for (int i = 0; i < result.Runs.Count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            var run = result.Runs[i];
            var edges = share ? shared : own[i];
            var h = Binned(result.Headline, run.Headline, edges);
            var summary = Summarizer.Summarize(result.Headline, run.Headline, MetricInfo.UpperTail(result.Headline));
            var scale = Scale(result.Headline, MetricUnit(result), edges);
            string name = $"hist-{Slug(run.Label)}";
            if (charts.Any(c => c.Name == name)) name += $"-{i + 1}";   // labels a#2 and a-2 slug alike
            charts.Add(Output.Charts.Histogram(name, $"{run.Label}: {result.Headline}", h, summary, scale));
        }
        foreach (var (metric, statistic) in DiffMetrics(result))
        {
            cancellation.ThrowIfCancellationRequested();
            charts.Add(DiffChart(result, metric, statistic));
        }
        return charts;
    }

    /// <summary>The headline metric's mean, then each event probability (at most three).</summary>
    private static IEnumerable<(string Metric, string Statistic)> DiffMetrics(CompareResult result) =>
        new[] { (result.Headline, "mean") }.Concat(result.Rows.Where(r => r.Statistic == "probability")
            .Select(r => (r.Metric, r.Statistic)).Distinct().Take(3));

    private static string MetricUnit(CompareResult result) =>
        result.Rows.FirstOrDefault(r => r.Metric == result.Headline)?.Unit ?? "";

    private static AxisScale Scale(string metric, string unit, double[] values) => unit switch
    {
        "USD" or "USD bn" => MetricFormat.Scale(metric, unit, values),
        "fraction" or "probability" => AxisScale.Percent(metric),
        _ => AxisScale.Plain(metric, unit),
    };

    /// <summary>
    /// Whether the panels share one set of bins: when each scenario's own range is at least a quarter of the common range
    /// (a variant of one scenario); otherwise (a neocloud beside a hyperscaler) each gets its own.
    /// </summary>
    public static bool Shares(double[] shared, IReadOnlyList<double[]> own) =>
        shared.Length > 1 && own.All(e => e.Length > 1 && e[^1] - e[0] >= 0.25 * (shared[^1] - shared[0]));

    /// <summary>Bins over [min P0.1, max P99.9] of the scenarios, so the histograms share one x axis.</summary>
    public static double[] SharedEdges(IReadOnlyList<double[]> columns, int bins)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var c in columns)
        {
            var sorted = c.Where(x => !double.IsNaN(x)).Order().ToArray();
            if (sorted.Length == 0) continue;
            lo = Math.Min(lo, Quantiles.FromSorted(sorted, 0.001));
            hi = Math.Max(hi, Quantiles.FromSorted(sorted, 0.999));
        }
        if (!double.IsFinite(lo) || !double.IsFinite(hi)) return Array.Empty<double>();
        if (hi <= lo) { double w = Math.Max(Math.Abs(lo) * 0.01, 1); lo -= w / 2; hi += w / 2; bins = 1; }
        return Enumerable.Range(0, bins + 1).Select(i => i == bins ? hi : lo + (hi - lo) * i / bins).ToArray();
    }

    /// <summary>Counts of <paramref name="values"/> in <paramref name="edges"/> (last bin closed), with those below, above and absent.</summary>
    public static Histogram Binned(string metric, double[] values, double[] edges)
    {
        int bins = Math.Max(edges.Length - 1, 0);
        var counts = new long[bins];
        long below = 0, above = 0, absent = 0;
        foreach (var x in values)
        {
            if (double.IsNaN(x)) absent++;
            else if (bins == 0 || x < edges[0]) below++;
            else if (x > edges[^1]) above++;
            else counts[Math.Min(bins - 1, (int)((x - edges[0]) / (edges[^1] - edges[0]) * bins))]++;
        }
        return new Histogram(metric, edges, counts, below, above, absent);
    }

    /// <summary>Bars of each scenario's paired difference from the baseline, error bars ± 1.96 paired s.e.</summary>
    private static ChartImage DiffChart(CompareResult result, string metric, string statistic)
    {
        var rows = result.Rows.Where(r => r.Metric == metric && r.Statistic == statistic).ToList();
        var scale = Scale(metric, rows.FirstOrDefault()?.Unit ?? "", rows.Select(r => r.Diff).ToArray());
        string what = statistic == "probability" ? $"P({metric})" : $"mean {metric}";
        string title = $"Paired difference of {what} from {result.Baseline}";
        var plt = new Plot();
        plt.Title(title, 18);
        plt.YLabel($"Difference, {scale.Label}", 15);
        plt.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plt.Axes.Left.TickLabelStyle.FontSize = 13;
        plt.Grid.MajorLineColor = Color.FromHex("#E4E4E4");
        double[] xs = rows.Select((_, i) => (double)i).ToArray();
        double[] ys = rows.Select(r => scale.Apply(r.Diff)).ToArray();
        plt.Add.Bars(rows.Select((r, i) => new ScottPlot.Bar { Position = i, Value = ys[i], FillColor = Bar, LineWidth = 0, Size = 0.6 }).ToList());
        var eb = plt.Add.ErrorBar(xs, ys, rows.Select(r => double.IsFinite(r.DiffStdError) ? scale.Apply(PairedDifference.Z95 * r.DiffStdError) : 0).ToArray());
        eb.Color = Ink;
        eb.LineWidth = 2;
        eb.CapSize = 10;
        plt.Add.HorizontalLine(0, 1, Rule, LinePattern.Solid);
        plt.Axes.SetLimitsX(-0.75, rows.Count - 0.25);
        plt.Axes.Bottom.SetTicks(xs, rows.Select(r => r.Scenario).ToArray());
        string caption = $"{what}: each scenario minus {result.Baseline}, path by path on common random numbers; "
            + "bars ± 1.96 paired standard errors (95 % interval). "
            + string.Join("; ", rows.Select(r => $"{r.Scenario} {scale.Format(r.Diff)} ± {scale.Format(PairedDifference.Z95 * r.DiffStdError)}"))
            + $" ({scale.Label}).";
        string name = $"diff-{Slug(metric)}";
        return new ChartImage(name, title, caption, plt.GetImageBytes(Output.Charts.Width, Output.Charts.Height, ImageFormat.Png),
            plt.GetSvgXml(Output.Charts.Width, Output.Charts.Height));
    }

    private static string Slug(string s) => new(s.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
