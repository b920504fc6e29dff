using ComputeEconomics.Output;
using ScottPlot;

namespace ComputeEconomics.Calibration;

/// <summary>The chart of `ce calibrate price`: the observations against the fitted level and the forecast bands.</summary>
public static class CalibrationChart
{
    private static readonly Color Outer = Color.FromHex("#C9D7EA");
    private static readonly Color Inner = Color.FromHex("#7C9CC8");
    private static readonly Color Dark = Color.FromHex("#1B365D");
    private static readonly Color Accent = Color.FromHex("#B24A1E");
    private static readonly Color Grey = Color.FromHex("#8A8A8A");

    /// <summary>PNG and SVG of the chart (960 x 520, as the run charts).</summary>
    public static ChartImage Render(CalibrationResult r)
    {
        var plt = new Plot();
        string title = $"{r.Settings.Generation} rent: data and {r.Chosen.Process.Name.Replace('_', ' ')} fit to {Months.Format(r.LastMonth)}";
        plt.Title(title, 18);
        plt.YLabel($"USD per GPU-hour ({r.Data.Contracts[0]}, typical vendor)", 14);
        plt.Grid.MajorLineColor = Color.FromHex("#E4E4E4");
        var hist = r.Forecast.History;
        var fut = r.Forecast.Months;
        double X(int month) => Months.FirstDay(month).ToDateTime(TimeOnly.MinValue).AddDays(14).ToOADate();
        var hx = hist.Select(b => X(b.Month)).ToArray();
        var fx = fut.Select(b => X(b.Month)).ToArray();
        Band(plt, fx, fut.Select(b => b.P5).ToArray(), fut.Select(b => b.P95).ToArray(), Outer, "forecast 90% band");
        Band(plt, fx, fut.Select(b => b.P25).ToArray(), fut.Select(b => b.P75).ToArray(), Inner, "forecast 50% band");
        Band(plt, hx, hist.Select(b => b.P5).ToArray(), hist.Select(b => b.P95).ToArray(), Outer.WithAlpha(0.6), "filtered level 90%");
        Line(plt, hx, hist.Select(b => b.P50).ToArray(), Dark, "filtered market level");
        Line(plt, fx, fut.Select(b => b.P50).ToArray(), Dark.WithAlpha(0.7), "forecast median");
        Points(plt, r.Fitted.Select(o => (X(o.MonthIndex), o.Value)).ToList(), Grey, MarkerShape.FilledCircle, "fitted observations");
        Points(plt, r.Later.Select(o => (X(o.MonthIndex), o.Value)).ToList(), Accent, MarkerShape.FilledDiamond, "later observations (backtest)");
        plt.Axes.DateTimeTicksBottom();
        plt.Axes.Left.Min = 0;
        plt.ShowLegend(Alignment.UpperRight);
        plt.Legend.FontSize = 12;
        double top = Math.Max(r.Fitted.Concat(r.Later).Max(o => o.Value), Math.Max(fut.Max(b => b.P95), hist.Max(b => b.P95)));
        plt.Axes.SetLimitsY(0, top * 1.08);
        string caption = "Grey points: the data fitted; red diamonds: later observations; line: the filtered market level; bands: forecast quantiles (parameter, state and process uncertainty).";
        var png = plt.GetImageBytes(Charts.Width, Charts.Height, ImageFormat.Png);
        var svg = plt.GetSvgXml(Charts.Width, Charts.Height);
        return new ChartImage("calibration", title, caption, png, svg);
    }

    private static void Band(Plot plt, double[] x, double[] lo, double[] hi, Color color, string label)
    {
        if (x.Length == 0) return;
        var f = plt.Add.FillY(x, lo, hi);
        f.FillColor = color;
        f.LineWidth = 0;
        f.LegendText = label;
    }

    private static void Line(Plot plt, double[] x, double[] y, Color color, string label)
    {
        if (x.Length == 0) return;
        var s = plt.Add.Scatter(x, y, color);
        s.MarkerSize = 0;
        s.LineWidth = 2.5f;
        s.LegendText = label;
    }

    private static void Points(Plot plt, List<(double X, double Y)> pts, Color color, MarkerShape shape, string label)
    {
        if (pts.Count == 0) return;
        var s = plt.Add.ScatterPoints(pts.Select(p => p.X).ToArray(), pts.Select(p => p.Y).ToArray(), color);
        s.MarkerShape = shape;
        s.MarkerSize = 6;
        s.LegendText = label;
    }
}
