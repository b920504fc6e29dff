using System.Globalization;
using ComputeEconomics.Statistics;
using ScottPlot;

namespace ComputeEconomics.Output;

/// <summary>One rendered chart: the same figure as PNG bytes and SVG text, with the words that go around it.</summary>
/// <param name="Name">File stem, lower case with hyphens (charts/NAME.png, charts/NAME.svg).</param>
/// <param name="Title">Title, also drawn on the chart.</param>
/// <param name="Caption">One or two sentences saying how to read it (units, what the bands are).</param>
/// <param name="Png">PNG image, <see cref="Charts.Width"/> x <see cref="Charts.Height"/> pixels.</param>
/// <param name="Svg">
/// SVG document of the same figure. The stored text carries the title as the root's first child, <c>&lt;title&gt;</c>,
/// and the caption as <c>&lt;desc&gt;</c>, so a charts/NAME.svg opened on its own (a slide, a screen reader) names what
/// it shows (SVG 2, section 5.9; SVG Accessibility API Mappings: the root's title is its accessible name).
/// </param>
public sealed record ChartImage(string Name, string Title, string Caption, byte[] Png, string Svg)
{
    /// <summary>The SVG document, with the title and caption as its text alternative.</summary>
    public string Svg { get; init; } = SvgText.WithTitle(Svg, Title, Caption);
}

/// <summary>Text alternatives for SVG documents.</summary>
public static class SvgText
{
    /// <summary>
    /// <paramref name="svg"/> with <c>role="img"</c> on its root and <paramref name="title"/> and
    /// <paramref name="caption"/> (XML-escaped) as the root's first <c>title</c> and <c>desc</c> children; a document
    /// that already has a root title is returned as it is.
    /// </summary>
    public static string WithTitle(string svg, string title, string caption)
    {
        int open = svg.IndexOf("<svg", StringComparison.Ordinal);
        int end = open < 0 ? -1 : svg.IndexOf('>', open);
        if (end < 0 || svg[end - 1] == '/') return svg;
        var after = svg.AsSpan(end + 1).TrimStart();
        if (after.StartsWith("<title", StringComparison.Ordinal)) return svg;
        string desc = caption.Length == 0 ? "" : "<desc>" + System.Security.SecurityElement.Escape(caption) + "</desc>";
        return new System.Text.StringBuilder(svg.Length + title.Length + desc.Length + 40)
            .Append(svg, 0, open + 4).Append(" role=\"img\"").Append(svg, open + 4, end + 1 - open - 4)
            .Append("<title>").Append(System.Security.SecurityElement.Escape(title)).Append("</title>").Append(desc)
            .Append(svg, end + 1, svg.Length - end - 1).ToString();
    }
}

/// <summary>How the values of an axis are shown: the unit word and the scale applied to the data.</summary>
/// <param name="Label">Axis label including the unit, e.g. "Cash, USD millions".</param>
/// <param name="Divisor">Data are divided by this before plotting (1e6 for millions; 0.01 for percent).</param>
public sealed record AxisScale(string Label, double Divisor)
{
    /// <summary>Money in USD, scaled to thousands, millions or billions by the largest magnitude in <paramref name="values"/>.</summary>
    public static AxisScale Money(string quantity, IEnumerable<double> values)
    {
        double max = 0;
        foreach (var v in values) if (double.IsFinite(v)) max = Math.Max(max, Math.Abs(v));
        return max >= 1e9 ? new($"{quantity}, USD billions", 1e9)
             : max >= 1e6 ? new($"{quantity}, USD millions", 1e6)
             : max >= 1e4 ? new($"{quantity}, USD thousands", 1e3)
             : new($"{quantity}, USD", 1);
    }

    /// <summary>A fraction shown as percent.</summary>
    public static AxisScale Percent(string quantity) => new($"{quantity}, %", 0.01);

    /// <summary>Values shown as they are, with <paramref name="unit"/> in the label (omitted when empty).</summary>
    public static AxisScale Plain(string quantity, string unit) => new(unit.Length == 0 ? quantity : $"{quantity}, {unit}", 1);

    /// <summary>The value in axis units.</summary>
    public double Apply(double x) => x / Divisor;

    /// <summary>The value in axis units as text, with the unit word ("-12.3 M" style is left to the caller).</summary>
    public string Format(double x)
    {
        double v = Apply(x);
        if (double.IsNaN(v)) return "-";
        double a = Math.Abs(v);
        string fmt = a >= 100 ? "N0" : a >= 10 ? "N1" : "N2";
        return ComputeEconomics.Format.Fixed(v, fmt);   // never "-0.00"
    }
}

/// <summary>A histogram computed at run time: bin edges and counts, with what fell outside the range shown.</summary>
/// <param name="Metric">Metric name.</param>
/// <param name="Edges">Bin edges, ascending, one more than <paramref name="Counts"/>.</param>
/// <param name="Counts">Paths per bin [Edges[i], Edges[i+1]) (the last bin closed).</param>
/// <param name="Below">Paths below Edges[0] (not drawn).</param>
/// <param name="Above">Paths above the last edge (not drawn).</param>
/// <param name="Absent">Paths on which the metric does not exist (NaN).</param>
public sealed record Histogram(string Metric, double[] Edges, long[] Counts, long Below, long Above, long Absent)
{
    /// <summary>Present paths: in the bins plus below and above.</summary>
    public long Present => Counts.Sum() + Below + Above;
}

/// <summary>One bar of a tornado chart: the output metric with one input at its low and at its high setting, the others at base.</summary>
/// <param name="Parameter">Input name as the reader knows it (e.g. "market.price.drift").</param>
/// <param name="LowSetting">The low input value as text (e.g. "-0.5").</param>
/// <param name="HighSetting">The high input value as text.</param>
/// <param name="OutputAtLow">The metric with the input at its low setting.</param>
/// <param name="OutputAtHigh">The metric with the input at its high setting.</param>
public sealed record TornadoBar(string Parameter, string LowSetting, string HighSetting, double OutputAtLow, double OutputAtHigh);

/// <summary>Sobol indices of one input with confidence intervals (e.g. bootstrap 95 %).</summary>
/// <param name="Parameter">Input name.</param>
/// <param name="First">First-order index S1.</param>
/// <param name="FirstLow">Lower end of the S1 interval.</param>
/// <param name="FirstHigh">Upper end of the S1 interval.</param>
/// <param name="Total">Total-order index ST.</param>
/// <param name="TotalLow">Lower end of the ST interval.</param>
/// <param name="TotalHigh">Upper end of the ST interval.</param>
public sealed record SobolIndex(string Parameter, double First, double FirstLow, double FirstHigh, double Total, double TotalLow, double TotalHigh);

/// <summary>
/// The report charts, drawn with ScottPlot 5 (SkiaSharp; renders headless, no display needed). Every chart has a title,
/// axis labels with units, and stays readable in greyscale: bands differ by lightness, lines by dash pattern.
/// Each function takes plain arrays or records and returns a <see cref="ChartImage"/> (PNG and SVG).
/// </summary>
public static partial class Charts
{
    /// <summary>Image width in pixels.</summary>
    public const int Width = 960;
    /// <summary>Image height in pixels.</summary>
    public const int Height = 520;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // A single-hue blue ramp: each step differs in lightness, so the chart reads the same printed in grey.
    private static readonly Color Outer = Color.FromHex("#C9D7EA");
    private static readonly Color Inner = Color.FromHex("#7C9CC8");
    private static readonly Color Dark = Color.FromHex("#1B365D");
    private static readonly Color Ink = Color.FromHex("#202020");
    private static readonly Color Accent = Color.FromHex("#B24A1E");
    private static readonly Color Mid = Color.FromHex("#5A5A5A");

    /// <summary>
    /// Fan chart of one monthly series: P5-P95 (light), P25-P75 (darker) and the median (line), x in years from the start.
    /// </summary>
    /// <param name="name">File stem.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="quantity">What the series is, e.g. "Cash"; the unit is added by <paramref name="scale"/>.</param>
    /// <param name="rows">Per-month percentiles (NaN months are skipped).</param>
    /// <param name="scale">Unit and scaling of the values; null: money scaled by magnitude.</param>
    /// <param name="start">Calendar month of t = 0 (YYYY-MM), for the x label; may be empty.</param>
    public static ChartImage Fan(string name, string title, string quantity, IReadOnlyList<BandRow> rows, AxisScale? scale = null, string start = "")
    {
        var valid = rows.Where(r => double.IsFinite(r.P5) && double.IsFinite(r.P95)).ToArray();
        scale ??= AxisScale.Money(quantity, valid.SelectMany(r => new[] { r.P5, r.P95 }));
        var plt = NewPlot(title, XYears(start), scale.Label);
        if (valid.Length > 0)
        {
            double[] x = valid.Select(r => r.Month / 12.0).ToArray();
            AddBand(plt, x, valid.Select(r => scale.Apply(r.P5)).ToArray(), valid.Select(r => scale.Apply(r.P95)).ToArray(), Outer, "P5-P95");
            AddBand(plt, x, valid.Select(r => scale.Apply(r.P25)).ToArray(), valid.Select(r => scale.Apply(r.P75)).ToArray(), Inner, "P25-P75");
            AddLine(plt, x, valid.Select(r => scale.Apply(r.P50)).ToArray(), Dark, 2.5f, LinePattern.Solid, "Median");
            if (valid.Any(r => r.P5 < 0) && valid.Any(r => r.P95 > 0)) plt.Add.HorizontalLine(0, 1, Mid, LinePattern.Dotted);
        }
        YearTicks(plt, rows.Count / 12.0);
        plt.ShowLegend(Alignment.UpperRight);
        string caption = $"Shaded: the middle 90 % (P5-P95) and middle 50 % (P25-P75) of paths at each month; line: the median. {scale.Label}.";
        return Render(plt, name, title, caption);
    }

    /// <summary>
    /// Book value against market value of the fleet: the market-value fan (P5-P95, P25-P75, median) and the book value
    /// median as a heavy dashed line. The space between the two lines is the depreciation gap.
    /// </summary>
    public static ChartImage BookVsMarket(string name, IReadOnlyList<BandRow> book, IReadOnlyList<BandRow> market, string start = "")
    {
        const string title = "Book value against market value of the fleet";
        var b = book.Where(r => double.IsFinite(r.P50)).ToArray();
        var m = market.Where(r => double.IsFinite(r.P5) && double.IsFinite(r.P95)).ToArray();
        var scale = AxisScale.Money("Value", b.Select(r => r.P50).Concat(m.Select(r => r.P95)));
        var plt = NewPlot(title, XYears(start), scale.Label);
        if (m.Length > 0)
        {
            double[] x = m.Select(r => r.Month / 12.0).ToArray();
            AddBand(plt, x, m.Select(r => scale.Apply(r.P5)).ToArray(), m.Select(r => scale.Apply(r.P95)).ToArray(), Outer, "Market value P5-P95");
            AddBand(plt, x, m.Select(r => scale.Apply(r.P25)).ToArray(), m.Select(r => scale.Apply(r.P75)).ToArray(), Inner, "Market value P25-P75");
            AddLine(plt, x, m.Select(r => scale.Apply(r.P50)).ToArray(), Dark, 2.5f, LinePattern.Solid, "Market value, median");
        }
        if (b.Length > 0)
            AddLine(plt, b.Select(r => r.Month / 12.0).ToArray(), b.Select(r => scale.Apply(r.P50)).ToArray(), Accent, 3f, LinePattern.Dashed, "Book value, median");
        YearTicks(plt, Math.Max(book.Count, market.Count) / 12.0);
        plt.ShowLegend(Alignment.UpperRight);
        string caption = "Dashed: what the books carry (median path). Solid line and bands: what the fleet would fetch (median, middle 50 % and 90 % of paths). "
            + $"Book above market is value not yet written off: the depreciation gap. {scale.Label}.";
        return Render(plt, name, title, caption);
    }

    /// <summary>
    /// Histogram of a per-path metric with the mean (solid), the bad-case quantile (dashed: P5, or P95 where less is
    /// better) and CVaR5 (dotted, on the same tail) marked and labelled.
    /// </summary>
    /// <param name="name">File stem.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="histogram">Bins computed at run time.</param>
    /// <param name="summary">The metric's statistics (mean, P5 or P95, CVaR5 are drawn).</param>
    /// <param name="scale">Unit and scaling of the metric.</param>
    public static ChartImage Histogram(string name, string title, Histogram histogram, MetricSummary summary, AxisScale scale)
    {
        var plt = NewPlot(title, scale.Label, "Share of paths, %");
        long present = Math.Max(1, histogram.Present);
        var bars = new List<Bar>();
        for (int i = 0; i < histogram.Counts.Length; i++)
        {
            double lo = scale.Apply(histogram.Edges[i]), hi = scale.Apply(histogram.Edges[i + 1]);
            bars.Add(new Bar
            {
                Position = (lo + hi) / 2, Size = (hi - lo) * 0.92, Value = 100.0 * histogram.Counts[i] / present,
                FillColor = Inner, LineWidth = 0,
            });
        }
        if (bars.Count > 0) plt.Add.Bars(bars);
        if (histogram.Edges.Length > 1 && histogram.Edges[0] < 0 && histogram.Edges[^1] > 0)
            plt.Add.VerticalLine(0, 1, Mid, LinePattern.Dotted);
        Marker(plt, scale, summary.Mean, "Mean", Ink, LinePattern.Solid);
        // The bad-case quantile and CVaR5 sit on the unfavourable tail: the upper one where less is better.
        bool upper = summary.Cvar5Tail == "upper";
        var (badLabel, bad) = upper ? ("P95", summary.P95) : ("P5", summary.P5);
        Marker(plt, scale, bad, badLabel, Dark, LinePattern.Dashed);
        Marker(plt, scale, summary.Cvar5, upper ? "CVaR5 (mean of the highest 5 %)" : "CVaR5 (mean of worst 5 %)", Accent, LinePattern.Dotted);
        plt.Axes.SetLimitsY(0, double.NaN);
        plt.Axes.Margins(bottom: 0);
        plt.ShowLegend(Alignment.UpperRight);
        string outside = histogram.Below + histogram.Above > 0
            ? $" {ComputeEconomics.Format.Percent((double)(histogram.Below + histogram.Above) / present)} of paths lie outside the range drawn (P0.1-P99.9)." : "";
        string absent = histogram.Absent > 0 ? $" The metric does not exist on {histogram.Absent:N0} paths; they are not counted." : "";
        string caption = $"Distribution across {histogram.Present:N0} paths. Mean {scale.Format(summary.Mean)}, {badLabel} {scale.Format(bad)}, "
            + $"CVaR5 {scale.Format(summary.Cvar5)} ({(upper ? "upper tail: less is better" : "lower tail")}; {scale.Label}).{outside}{absent}";
        return Render(plt, name, title, caption);
    }

    /// <summary>
    /// Survival curve: share of paths not yet defaulted at the end of each month, as a step line from 100 %.
    /// </summary>
    /// <param name="name">File stem.</param>
    /// <param name="survival">survival[m] = share (0..1) of paths without the event by the end of month m.</param>
    /// <param name="start">Calendar month of t = 0, for the x label.</param>
    /// <param name="eventName">The event, as a noun: "default", "insolvency".</param>
    public static ChartImage Survival(string name, IReadOnlyList<double> survival, string start = "", string eventName = "default")
    {
        string title = $"Paths not in {eventName}, by month";
        var plt = NewPlot(title, XYears(start), $"Paths without {eventName}, %");
        if (survival.Count > 0)
        {
            var xs = new List<double> { 0 };
            var ys = new List<double> { 100 };
            for (int m = 0; m < survival.Count; m++)
            {
                xs.Add(m / 12.0); ys.Add(100 * survival[m]);
                xs.Add((m + 1) / 12.0); ys.Add(100 * survival[m]);
            }
            var line = plt.Add.Scatter(xs.ToArray(), ys.ToArray(), Dark);
            line.MarkerSize = 0;
            line.LineWidth = 2.5f;
            line.FillY = true;
            line.FillYValue = 0;
            line.FillYColor = Outer.WithAlpha(0.6);
        }
        YearTicks(plt, survival.Count / 12.0);
        plt.Axes.SetLimitsY(0, 105);
        plt.Axes.Margins(bottom: 0);
        double end = survival.Count > 0 ? survival[^1] : double.NaN;
        string caption = $"Share of all paths without {eventName} by the end of each month (a Kaplan-Meier curve with no censoring). "
            + $"At the horizon: {ComputeEconomics.Format.Percent(end)}.";
        return Render(plt, name, title, caption);
    }

    /// <summary>
    /// Heatmap of a metric over two sweep axes, with the value printed in each cell when the grid is at most 12 x 12.
    /// A lightness-monotonic colour map (viridis) keeps the order readable in greyscale.
    /// </summary>
    /// <param name="name">File stem.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">X axis name with unit.</param>
    /// <param name="xValues">The x axis settings as text, one per column.</param>
    /// <param name="yLabel">Y axis name with unit.</param>
    /// <param name="yValues">The y axis settings as text, one per row.</param>
    /// <param name="values">values[row (y index), column (x index)]; NaN cells are drawn grey.</param>
    /// <param name="valueScale">Unit and scaling of the metric (colour bar label).</param>
    public static ChartImage Heatmap(string name, string title, string xLabel, IReadOnlyList<string> xValues, string yLabel,
        IReadOnlyList<string> yValues, double[,] values, AxisScale valueScale)
    {
        int rows = values.GetLength(0), cols = values.GetLength(1);
        if (rows != yValues.Count || cols != xValues.Count)
            throw new ArgumentException($"values is {rows} x {cols}; the axes have {yValues.Count} y and {xValues.Count} x settings", nameof(values));
        var plt = NewPlot(title, xLabel, yLabel);
        // k x k pixels per cell: a browser scaling the SVG's embedded bitmap then blurs only the cells' edges, not the cells.
        int k = Math.Max(1, 240 / Math.Max(rows, cols));
        var scaled = new double[rows * k, cols * k];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                for (int i = 0; i < k; i++)
                    for (int j = 0; j < k; j++)
                        scaled[(rows - 1 - r) * k + i, c * k + j] = valueScale.Apply(values[r, c]); // heatmap row 0 is drawn at the top
        var hm = plt.Add.Heatmap(scaled);
        hm.Colormap = new ScottPlot.Colormaps.Viridis();
        // Rectangle gives the outer edges (Position/Extent would give the edge cells' centres): cell (r, c) centred on (c, r).
        hm.Rectangle = new CoordinateRect(-0.5, cols - 0.5, -0.5, rows - 0.5);
        hm.NaNCellColor = Color.FromHex("#BBBBBB");
        var bar = plt.Add.ColorBar(hm);
        bar.Label = valueScale.Label;
        if (rows <= 12 && cols <= 12)
        {
            var range = hm.GetRange();
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                {
                    double v = valueScale.Apply(values[r, c]);
                    if (!double.IsFinite(v)) continue;
                    double span = range.Max - range.Min;
                    double frac = span > 0 ? (v - range.Min) / span : 0.5;
                    var t = plt.Add.Text(valueScale.Format(values[r, c]), c, r);
                    t.LabelAlignment = Alignment.MiddleCenter;
                    t.LabelFontSize = 13;
                    t.LabelFontColor = frac > 0.6 ? Ink : Colors.White;
                }
        }
        plt.Axes.Bottom.SetTicks(Enumerable.Range(0, cols).Select(i => (double)i).ToArray(), xValues.ToArray());
        plt.Axes.Left.SetTicks(Enumerable.Range(0, rows).Select(i => (double)i).ToArray(), yValues.ToArray());
        plt.Axes.SetLimits(-0.5, cols - 0.5, -0.5, rows - 0.5);
        plt.HideGrid();
        return Render(plt, name, title, $"{valueScale.Label} for each pair of settings; lighter is higher.");
    }

    /// <summary>
    /// A metric over one sweep axis: the estimate at each setting joined by a line, with error bars
    /// (for example +/- 1.96 standard errors, or P25-P75: say which in <paramref name="errorMeaning"/>).
    /// </summary>
    /// <param name="name">File stem.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">Axis name with unit.</param>
    /// <param name="x">Settings of the swept input, ascending (positions 0, 1, ... for a listed axis).</param>
    /// <param name="y">The metric at each setting.</param>
    /// <param name="errorLow">Distance from y down to the lower end of the bar (&gt;= 0, NaN: no bar); null: no bars at all.</param>
    /// <param name="errorHigh">Distance from y up to the upper end of the bar (&gt;= 0, NaN: no bar); null: no bars at all.</param>
    /// <param name="yScale">Unit and scaling of the metric.</param>
    /// <param name="errorMeaning">What the bars are, e.g. "95 % confidence interval of the mean"; when there are no bars, why.</param>
    /// <param name="xTickLabels">Labels of the settings (a listed, non-numeric axis); null: numeric ticks.</param>
    /// <exception cref="ArgumentException">Lengths differ, or a distance is negative (an interval end passed for a distance).</exception>
    public static ChartImage LineWithErrors(string name, string title, string xLabel, IReadOnlyList<double> x, IReadOnlyList<double> y,
        IReadOnlyList<double>? errorLow, IReadOnlyList<double>? errorHigh, AxisScale yScale, string errorMeaning,
        IReadOnlyList<string>? xTickLabels = null)
    {
        CheckErrors(x.Count, y.Count, errorLow, errorHigh);
        var plt = NewPlot(title, xLabel, yScale.Label);
        double[] xs = x.ToArray();
        double[] ys = y.Select(yScale.Apply).ToArray();
        bool bars = errorLow != null && errorHigh != null && errorHigh.Any(double.IsFinite);
        if (bars)
        {
            var eb = plt.Add.ErrorBar(xs, ys, errorHigh!.Select(e => double.IsFinite(e) ? e / yScale.Divisor : 0).ToArray());
            eb.YErrorNegative = errorLow!.Select(e => double.IsFinite(e) ? e / yScale.Divisor : 0).ToArray();
            eb.Color = Mid;
            eb.LineWidth = 1.5f;
            eb.CapSize = 6;
            eb.LegendText = errorMeaning;
        }
        var line = plt.Add.Scatter(xs, ys, Dark);
        line.LineWidth = 2.5f;
        line.MarkerSize = 8;
        line.LegendText = "Estimate";
        if (ys.Any(v => v < 0) && ys.Any(v => v > 0)) plt.Add.HorizontalLine(0, 1, Mid, LinePattern.Dotted);
        if (xTickLabels != null) plt.Axes.Bottom.SetTicks(xs, xTickLabels.ToArray());
        plt.ShowLegend(Alignment.UpperRight);
        return Render(plt, name, title, bars ? $"{yScale.Label} at each setting; bars: {errorMeaning}." : $"{yScale.Label} at each setting; no error bars: {errorMeaning}.");
    }

    private static void CheckErrors(int n, int ny, IReadOnlyList<double>? low, IReadOnlyList<double>? high)
    {
        if (ny != n || low != null && low.Count != n || high != null && high.Count != n)
            throw new ArgumentException($"x has {n} values, y {ny}, errorLow {low?.Count}, errorHigh {high?.Count}: they must match");
        if ((low == null) != (high == null)) throw new ArgumentException("give both error distances or neither");
        foreach (var e in (low ?? Array.Empty<double>()).Concat(high ?? Array.Empty<double>()))
            if (e < 0) throw new ArgumentException($"error distance {e.ToString("R", Inv)} is negative: pass distances from y, not the interval's ends");
    }

    /// <summary>
    /// A metric against one input of a space-filling design (Latin hypercube, Sobol): every point as a dot, and a line
    /// through the trend (for example the mean of the metric in bins of the input: its partial dependence).
    /// </summary>
    /// <param name="name">File stem.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">The input's name with unit.</param>
    /// <param name="x">The input at each point.</param>
    /// <param name="y">The metric at each point.</param>
    /// <param name="yScale">Unit and scaling of the metric.</param>
    /// <param name="trendX">X of the trend line, ascending.</param>
    /// <param name="trendY">Y of the trend line.</param>
    /// <param name="trendMeaning">What the line is.</param>
    public static ChartImage ScatterWithTrend(string name, string title, string xLabel, IReadOnlyList<double> x, IReadOnlyList<double> y,
        AxisScale yScale, IReadOnlyList<double> trendX, IReadOnlyList<double> trendY, string trendMeaning)
    {
        if (y.Count != x.Count || trendY.Count != trendX.Count)
            throw new ArgumentException($"x has {x.Count} values and y {y.Count}; trendX {trendX.Count} and trendY {trendY.Count}: they must match");
        var plt = NewPlot(title, xLabel, yScale.Label);
        var dots = plt.Add.Scatter(x.ToArray(), y.Select(yScale.Apply).ToArray(), Inner);
        dots.LineWidth = 0;
        dots.MarkerSize = 6;
        dots.LegendText = "Sweep point";
        if (trendX.Count > 0)
            AddLine(plt, trendX.ToArray(), trendY.Select(yScale.Apply).ToArray(), Dark, 2.5f, LinePattern.Solid, trendMeaning);
        var ys = y.Where(double.IsFinite).ToArray();
        if (ys.Any(v => v < 0) && ys.Any(v => v > 0)) plt.Add.HorizontalLine(0, 1, Mid, LinePattern.Dotted);
        plt.ShowLegend(Alignment.UpperRight);
        return Render(plt, name, title, $"{yScale.Label} at each point of the design against this input (the other inputs vary too); line: {trendMeaning}.");
    }

    /// <summary>
    /// Tornado chart: for each input, the metric with the input at its low (light bar) and high (dark bar) setting,
    /// drawn from the base value; inputs sorted by swing, the largest on top.
    /// </summary>
    /// <param name="name">File stem.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="baseValue">The metric with every input at its base setting.</param>
    /// <param name="bars">One bar per input (any order).</param>
    /// <param name="scale">Unit and scaling of the metric.</param>
    public static ChartImage Tornado(string name, string title, double baseValue, IReadOnlyList<TornadoBar> bars, AxisScale scale)
    {
        var plt = NewPlot(title, scale.Label, "");
        var sorted = bars.OrderBy(b => Math.Abs(b.OutputAtHigh - b.OutputAtLow)).ToArray(); // largest last = top
        double b0 = scale.Apply(baseValue);
        var low = new List<Bar>();
        var high = new List<Bar>();
        for (int i = 0; i < sorted.Length; i++)
        {
            low.Add(new Bar { Position = i, ValueBase = b0, Value = scale.Apply(sorted[i].OutputAtLow), FillColor = Outer, LineColor = Dark, LineWidth = 1, Size = 0.7 });
            high.Add(new Bar { Position = i, ValueBase = b0, Value = scale.Apply(sorted[i].OutputAtHigh), FillColor = Dark, LineColor = Dark, LineWidth = 1, Size = 0.7 });
        }
        if (sorted.Length > 0)
        {
            var lowPlot = plt.Add.Bars(low);
            lowPlot.Horizontal = true;
            lowPlot.LegendText = "Input at its low setting";
            var highPlot = plt.Add.Bars(high);
            highPlot.Horizontal = true;
            highPlot.LegendText = "Input at its high setting";
        }
        var baseLine = plt.Add.VerticalLine(b0, 1.5f, Ink, LinePattern.Dashed);
        baseLine.LegendText = $"Base {scale.Format(baseValue)}";
        plt.Axes.Left.SetTicks(Enumerable.Range(0, sorted.Length).Select(i => (double)i).ToArray(),
            sorted.Select(b => $"{b.Parameter}\n{b.LowSetting} .. {b.HighSetting}").ToArray());
        plt.Axes.SetLimitsY(-0.6, Math.Max(0.6, sorted.Length - 0.4));
        plt.ShowLegend(Alignment.LowerRight);
        return Render(plt, name, title, $"{scale.Label} when one input moves from its low to its high setting, the others at base; widest swing on top.");
    }

    /// <summary>
    /// Sobol indices as grouped bars: first order (dark) and total order (light), each with its confidence interval.
    /// Inputs sorted by total index, the largest on the left.
    /// </summary>
    /// <param name="name">File stem.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="indices">One entry per input.</param>
    /// <param name="intervalMeaning">What the error bars are, e.g. "95 % bootstrap interval".</param>
    public static ChartImage Sobol(string name, string title, IReadOnlyList<SobolIndex> indices, string intervalMeaning)
    {
        var plt = NewPlot(title, "", "Sobol index (share of output variance)");
        var sorted = indices.OrderByDescending(s => s.Total).ToArray();
        var first = new List<Bar>();
        var total = new List<Bar>();
        for (int i = 0; i < sorted.Length; i++)
        {
            var s = sorted[i];
            first.Add(new Bar { Position = i - 0.2, Value = s.First, Size = 0.38, FillColor = Dark, LineWidth = 0 });
            total.Add(new Bar { Position = i + 0.2, Value = s.Total, Size = 0.38, FillColor = Outer, LineColor = Dark, LineWidth = 1 });
        }
        if (sorted.Length > 0)
        {
            var f = plt.Add.Bars(first); f.LegendText = "First order S1";
            var t = plt.Add.Bars(total); t.LegendText = "Total order ST";
            double[] fx = sorted.Select((_, i) => i - 0.2).ToArray(), tx = sorted.Select((_, i) => i + 0.2).ToArray();
            var fe = plt.Add.ErrorBar(fx, sorted.Select(s => s.First).ToArray(), sorted.Select(s => Math.Max(0, s.FirstHigh - s.First)).ToArray());
            fe.YErrorNegative = sorted.Select(s => Math.Max(0, s.First - s.FirstLow)).ToArray();
            var te = plt.Add.ErrorBar(tx, sorted.Select(s => s.Total).ToArray(), sorted.Select(s => Math.Max(0, s.TotalHigh - s.Total)).ToArray());
            te.YErrorNegative = sorted.Select(s => Math.Max(0, s.Total - s.TotalLow)).ToArray();
            foreach (var e in new[] { fe, te }) { e.Color = Ink; e.LineWidth = 1.5f; e.CapSize = 6; }
            fe.LegendText = intervalMeaning;
        }
        plt.Axes.Bottom.SetTicks(Enumerable.Range(0, sorted.Length).Select(i => (double)i).ToArray(), sorted.Select(s => s.Parameter).ToArray());
        plt.Axes.SetLimitsY(Math.Min(0, sorted.Select(s => s.FirstLow).DefaultIfEmpty(0).Min()), Math.Max(1.05, sorted.Select(s => s.TotalHigh).DefaultIfEmpty(1).Max() * 1.05));
        plt.Axes.Margins(bottom: 0);
        plt.ShowLegend(Alignment.UpperRight);
        return Render(plt, name, title, $"Share of the output's variance due to each input alone (S1) and with its interactions (ST); bars: {intervalMeaning}.");
    }

    // ---- shared drawing --------------------------------------------------------------------------------------

    private static string XYears(string start) => start.Length > 0 ? $"Years from {start}" : "Years from the start";

    /// <summary>Whole-year ticks on a time axis in years (half years when it spans under 3 years).</summary>
    private static void YearTicks(Plot plt, double years)
    {
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(years < 3 ? 0.5 : 1);
        plt.Axes.SetLimitsX(0, Math.Max(years, 1 / 12.0));
    }

    private static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plt = new Plot();
        plt.Font.Set(FontName);
        plt.Title(title, 20);
        plt.XLabel(xLabel, 15);
        plt.YLabel(yLabel, 15);
        plt.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plt.Axes.Left.TickLabelStyle.FontSize = 13;
        plt.Grid.MajorLineColor = Color.FromHex("#E4E4E4");
        plt.Legend.FontSize = 13;
        plt.Legend.BackgroundColor = Colors.White.WithAlpha(0.9);
        plt.Legend.OutlineColor = Color.FromHex("#BBBBBB");
        return plt;
    }

    /// <summary>A sans-serif font present on this machine (DejaVu and Liberation ship with Debian), else ScottPlot's default.</summary>
    private static readonly string FontName = PickFont();

    private static string PickFont()
    {
        foreach (var candidate in new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica" })
        {
            using var tf = SkiaSharp.SKTypeface.FromFamilyName(candidate);
            if (tf != null && string.Equals(tf.FamilyName, candidate, StringComparison.OrdinalIgnoreCase)) return candidate;
        }
        return Fonts.Default;
    }

    private static void AddBand(Plot plt, double[] x, double[] lo, double[] hi, Color color, string label)
    {
        var f = plt.Add.FillY(x, lo, hi);
        f.FillColor = color;
        f.LineWidth = 0;
        f.LegendText = label;
    }

    private static void AddLine(Plot plt, double[] x, double[] y, Color color, float width, LinePattern pattern, string label)
    {
        var s = plt.Add.Scatter(x, y, color);
        s.MarkerSize = 0;
        s.LineWidth = width;
        s.LinePattern = pattern;
        s.LegendText = label;
    }

    private static void Marker(Plot plt, AxisScale scale, double value, string label, Color color, LinePattern pattern)
    {
        if (!double.IsFinite(value)) return;
        var line = plt.Add.VerticalLine(scale.Apply(value), 2.5f, color, pattern);
        line.LegendText = $"{label}: {scale.Format(value)}";
    }

    private static ChartImage Render(Plot plt, string name, string title, string caption)
    {
        byte[] png = plt.GetImageBytes(Width, Height, ImageFormat.Png);
        string svg = plt.GetSvgXml(Width, Height);
        return new ChartImage(name, title, caption, png, svg);
    }
}
