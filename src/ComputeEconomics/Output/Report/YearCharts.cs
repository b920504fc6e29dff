using System.Globalization;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Output;

/// <summary>
/// A kind's by-year section of the run report (<see cref="IModelKind.ReportByYear"/>, <see cref="IModelKind.ReportShares"/>):
/// each per-year family as its median by year with P5-P95 whiskers, and the kind's shares of paths with 95% intervals.
/// </summary>
public static class YearCharts
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The section, or null when the kind declares nothing to chart (or the run has one year).</summary>
    public static ReportSection? For(RunSummary s, string start, CancellationToken cancellation = default)
    {
        if (KindRules.Find(s.Model) is not IModelKind kind) return null;
        var charts = new List<ChartImage>();
        foreach (var format in kind.ReportByYear)
        {
            var family = kind.Metrics.Families.FirstOrDefault(f => f.Format == format);
            if (family == null) continue;
            var years = Enumerable.Range(1, int.MaxValue - 1).Select(family.Name)
                .TakeWhile(n => s.Metrics.Any(m => m.Name == n)).Select(n => s.Metric(n)).ToList();
            if (years.Count < 2) continue;
            cancellation.ThrowIfCancellationRequested();
            charts.Add(Family(s.Model, family, years, start));
        }
        var (section, sharesTitle, events) = kind.ReportShares;
        var shares = events.Where(e => s.Probabilities.ContainsKey(e.Event)).ToList();
        if (shares.Count > 0)
        {
            cancellation.ThrowIfCancellationRequested();
            var p = shares.Select(e => s.Probabilities[e.Event]).ToList();
            charts.Add(Charts.LineWithErrors("shares", sharesTitle, "", Enumerable.Range(0, p.Count).Select(i => (double)i).ToList(),
                p.Select(x => x.P).ToList(), p.Select(x => 1.96 * x.StdError).ToList(), p.Select(x => 1.96 * x.StdError).ToList(),
                AxisScale.Percent("Share of paths"), "95 % confidence interval", shares.Select(e => e.Label).ToList()));
        }
        if (charts.Count == 0) return null;
        return new ReportSection(section, $"Per-year values across all {s.Paths:N0} paths: the median with whiskers from P5 to P95.", charts);
    }

    private static ChartImage Family(string model, MetricFamily family, IReadOnlyList<Statistics.MetricSummary> years, string start)
    {
        string metric = family.Name(1), title = family.Format.Replace("_y{k}", "", StringComparison.Ordinal).Replace('_', ' ')
            .Replace("gdp", "GDP", StringComparison.Ordinal).Replace("mtok", "Mtok", StringComparison.Ordinal);
        string unit = MetricFormat.UnitOf(metric, model);
        var scale = MetricFormat.Scale(title, unit, years.SelectMany(y => new[] { y.P5, y.P95 }).Where(double.IsFinite));
        int first = start.Length >= 4 && int.TryParse(start[..4], NumberStyles.None, Inv, out int y0) ? y0 : 1;
        var labels = Enumerable.Range(0, years.Count).Select(k => (first + k).ToString(Inv)).ToList();
        return Charts.LineWithErrors($"year-{family.Format.Replace("_y{k}", "", StringComparison.Ordinal).Replace('_', '-')}", $"{char.ToUpperInvariant(title[0])}{title[1..]} by year",
            start.Length >= 4 ? "year" : "year of the horizon", Enumerable.Range(0, years.Count).Select(k => (double)k).ToList(),
            years.Select(y => y.P50).ToList(), years.Select(y => y.P50 - y.P5).ToList(), years.Select(y => y.P95 - y.P50).ToList(),
            scale, "P5 to P95 across paths", labels);
    }
}
