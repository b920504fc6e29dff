using System.Globalization;
using ComputeEconomics.Sweeps;
using ComputeEconomics.Running;

namespace ComputeEconomics.Output.Report;

/// <summary>The HTML report of a sweep (`ce sweep --report`): the chosen metric over the axes.</summary>
public static class SweepReportPage
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// A page with the metric <paramref name="column"/> (a table column such as npv_mean, or null for the first
    /// metric's mean): a line with 95% error bars over a single numeric axis, a heatmap over the first two axes of a
    /// grid (other axes at their first value), and the best point.
    /// </summary>
    public static ReportPage Build(SweepPlan plan, SweepTable table, IReadOnlyList<SweepRow> rows, string? column,
        string backend, double elapsedSeconds)
    {
        column ??= table.Metrics.Contains("npv") ? "npv_mean" : $"{table.Metrics[0]}_mean";
        int value = table.IndexOf(column);
        string metric = column.EndsWith("_mean", StringComparison.Ordinal) ? column[..^"_mean".Length] : column;
        int stderr = column.EndsWith("_mean", StringComparison.Ordinal) ? table.IndexOf($"{metric}_stderr") : -1;
        var ordered = rows.OrderBy(r => r.Point).ToList();
        var values = ordered.Select(r => r.Values[value]).ToList();
        var scale = metric.Contains("probability", StringComparison.Ordinal) || metric is "default" or "irr"
            ? AxisScale.Percent(column) : AxisScale.Money(column, values.Where(double.IsFinite));
        var charts = new List<ChartImage>();
        var axes = table.Axes;
        if (axes.Count == 1 && ordered.All(r => double.TryParse(r.Axis[0], NumberStyles.Float, Inv, out _)))
        {
            var x = ordered.Select(r => double.Parse(r.Axis[0], NumberStyles.Float, Inv)).ToList();
            var lo = ordered.Select(r => stderr >= 0 ? r.Values[value] - 1.96 * r.Values[stderr] : r.Values[value]).ToList();
            var hi = ordered.Select(r => stderr >= 0 ? r.Values[value] + 1.96 * r.Values[stderr] : r.Values[value]).ToList();
            charts.Add(Charts.LineWithErrors("sweep-line", $"{column} over {axes[0].Name}", axes[0].Name, x, values, lo, hi, scale,
                stderr >= 0 ? "95% interval of the Monte Carlo mean (1.96 standard errors)" : "no standard error for this statistic"));
        }
        if (axes.Count >= 2 && plan.Design == "grid")
        {
            var xs = ordered.Select(r => r.Axis[0]).Distinct().ToList();
            var ys = ordered.Select(r => r.Axis[1]).Distinct().ToList();
            var grid = new double[ys.Count, xs.Count];
            for (int i = 0; i < ys.Count; i++) for (int j = 0; j < xs.Count; j++) grid[i, j] = double.NaN;
            foreach (var r in ordered.Where(r => Enumerable.Range(2, axes.Count - 2).All(k => r.Axis[k] == ordered[0].Axis[k])))
                grid[ys.IndexOf(r.Axis[1]), xs.IndexOf(r.Axis[0])] = r.Values[value];
            charts.Add(Charts.Heatmap("sweep-heatmap", $"{column} over {axes[0].Name} and {axes[1].Name}", axes[0].Name, xs,
                axes[1].Name, ys, grid, scale));
        }
        var best = ordered.Where(r => double.IsFinite(r.Values[value])).OrderByDescending(r => r.Values[value]).FirstOrDefault();
        var key = new List<KeyFigure> { new("points", ordered.Count.ToString("N0", Inv), plan.Design) };
        if (best != null)
            key.Add(new KeyFigure($"highest {column}", Answers.Money(best.Values[value]),
                string.Join(", ", axes.Select((a, k) => $"{a.Name} = {best.Axis[k]}"))));
        return new ReportPage
        {
            Title = $"{plan.Base.Name}: sweep",
            Question = plan.Base.Question,
            KeyFigures = key,
            Sections = charts.Count == 0 ? Array.Empty<ReportSection>()
                : new[] { new ReportSection($"{column} across the sweep", "Every point uses the same random numbers (common random numbers), so differences between points are paired.", charts) },
            Manifest = new (string, string)[]
            {
                ("scenario", plan.Base.Name), ("seed", plan.Base.Seed.ToString(Inv)), ("paths per point", plan.Base.Paths.ToString("N0", Inv)),
                ("design", plan.Design), ("points", ordered.Count.ToString("N0", Inv)), ("backend", backend),
                ("elapsed", $"{elapsedSeconds.ToString("0.0", Inv)} s"), ("engine version", RunSummary.Version()),
            },
        };
    }
}
