using System.Globalization;
using ComputeEconomics.Running;
using ComputeEconomics.Sweeps;

namespace ComputeEconomics.Output.Report;

/// <summary>The values behind a sweep's line chart: one per setting of its single axis.</summary>
/// <param name="X">Settings (positions 0, 1, ... for a listed, non-numeric axis).</param>
/// <param name="Y">The statistic at each setting.</param>
/// <param name="ErrorLow">Distance from Y down to the bar's end (1.96 standard errors); null when the statistic has no standard error.</param>
/// <param name="ErrorHigh">Distance from Y up to the bar's end; null with <paramref name="ErrorLow"/>.</param>
/// <param name="Labels">Labels of a listed axis; null when the settings are numbers.</param>
public sealed record SweepLine(IReadOnlyList<double> X, IReadOnlyList<double> Y, IReadOnlyList<double>? ErrorLow,
    IReadOnlyList<double>? ErrorHigh, IReadOnlyList<string>? Labels);

/// <summary>What a sweep report states besides its plan and table (null members: not known).</summary>
/// <param name="SourceYaml">The scenario file as written, comments included (the inputs' sources).</param>
/// <param name="Overrides">The --set assignments of the command line.</param>
/// <param name="Device">The device the points ran on.</param>
/// <param name="MathPath">The precision policy of the backend.</param>
public sealed record SweepRunFacts(string? SourceYaml, IReadOnlyList<string> Overrides, string Device, string MathPath);

/// <summary>
/// The HTML report of a sweep (`ce sweep --report`): the chosen statistic over the axes, in its unit
/// (<see cref="MetricFormat"/>), the best point in the objective's direction and, with <c>--optimize</c>, the runners-up
/// compared path by path.
/// </summary>
public static class SweepReportPage
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Rows of the best-points table when no optimisation was run.</summary>
    public const int TopPoints = 5;

    /// <summary>
    /// A page with the statistic <paramref name="column"/> (a table column such as npv_mean; null: the objective's, else
    /// the first metric's mean): a line with 95% error bars over a single axis (bars only where the statistic has a
    /// standard error), a heatmap over the first two axes of a grid (other axes at their first value), a scatter with
    /// its binned means per axis for Latin hypercube and Sobol designs; the best point and the runners-up.
    /// </summary>
    /// <param name="plan">The sweep.</param>
    /// <param name="table">Its columns.</param>
    /// <param name="rows">One row per point, any order.</param>
    /// <param name="column">The statistic shown; null: the objective's, else the first metric's mean.</param>
    /// <param name="backend">Backend name, for the manifest.</param>
    /// <param name="elapsedSeconds">Run time, for the manifest.</param>
    /// <param name="optimization">The <c>--optimize</c> result: its direction and its paired comparisons; null when none.</param>
    /// <param name="cancellation">Checked before each chart is drawn.</param>
    /// <param name="run">What the manifest and the inputs table state besides the plan: the scenario file as written (its
    /// comments cite the sources), the --set overrides, the device and math path; null: none known.</param>
    public static ReportPage Build(SweepPlan plan, SweepTable table, IReadOnlyList<SweepRow> rows, string? column,
        string backend, double elapsedSeconds, OptimizationResult? optimization = null, CancellationToken cancellation = default,
        SweepRunFacts? run = null)
    {
        column ??= optimization?.Objective.Column ?? (table.Metrics.Contains("npv") ? "npv_mean" : $"{table.Metrics[0]}_mean");
        int value = table.IndexOf(column);
        if (value < 0) throw new InputException("--optimize", column, $"is not a column of the sweep ({string.Join(", ", table.StatColumns)})");
        var ordered = rows.OrderBy(r => r.Point).ToList();
        string unit = MetricFormat.ColumnUnit(column, table.Metrics, plan.Base.Model);
        var scale = MetricFormat.Scale(column, unit, ordered.Select(r => r.Values[value]));
        bool max = optimization?.Objective.Maximize ?? Maximize(column, table);
        var charts = ChartsFor(plan, table, ordered, column, scale, cancellation);
        var tables = new List<ReportTable>
        {
            optimization != null ? OptimizerTable(optimization, table, unit) : TopTable(table, ordered, column, max, unit),
        };
        return new ReportPage
        {
            Title = $"{plan.Base.Name}: sweep",
            Question = plan.Base.Question,
            KeyFigures = Key(plan, table, ordered, column, max, unit, optimization),
            Sections = charts.Count == 0 ? Array.Empty<ReportSection>()
                : new[] { new ReportSection($"{column} across the sweep", "Every point uses the same random numbers (common random numbers), so differences between points are paired.", charts) },
            Tables = tables,
            Model = plan.Base.Model,
            Inputs = ScenarioInputs.Rows(Scenarios.ScenarioLoader.ToYaml(plan.Base), run?.SourceYaml, run?.Overrides ?? Array.Empty<string>()),
            InputNotes = ScenarioInputs.Header(run?.SourceYaml).Append(
                $"The swept fields ({string.Join(", ", table.Axes.Select(a => a.Name))}) take each point's value; the table gives the base scenario's.").ToList(),
            Manifest = Manifest(plan, ordered.Count, backend, elapsedSeconds, run),
        };
    }

    /// <summary>How a run of many points (a sweep, or the runs of <c>ce sensitivity</c>) was made: scenario, seed, paths,
    /// design, backend, device, math path, sampling, statistics, engine version, completion time, elapsed, overrides.</summary>
    public static (string, string)[] Manifest(SweepPlan plan, int points, string backend, double elapsedSeconds, SweepRunFacts? run) =>
        new (string, string)[]
        {
            ("scenario", plan.Base.Name), ("seed", plan.Base.Seed.ToString(Inv)), ("paths per point", plan.Base.Paths.ToString("N0", Inv)),
            ("design", plan.Design), ("points", points.ToString("N0", Inv)), ("backend", backend),
            ("device", run?.Device is { Length: > 0 } d ? d : "-"), ("math path", run?.MathPath is { Length: > 0 } m ? m : "-"),
            ("sampling", plan.Base.Sampling),
            ("statistics", "exact at every point (every path's metrics kept and sorted); standard errors: " + plan.Base.Sampling switch
            {
                "antithetic" => "antithetic pairs, sd of pair averages / sqrt(pairs)",
                "qmc" => $"randomised QMC, sd of the {plan.Base.Scramblings} scramblings' means / sqrt({plan.Base.Scramblings})",
                _ => "iid paths, sd / sqrt(paths)",
            } + "; every point on the same paths (common random numbers)"),
            ("engine version", EngineVersion.Display(RunSummary.Version())),
            ("completed", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", Inv) + " UTC"),
            ("elapsed", $"{elapsedSeconds.ToString("0.0", Inv)} s"),
            ("overrides (--set)", run is { Overrides.Count: > 0 } ? string.Join("  ", run.Overrides) : "none"),
        };

    /// <summary>The direction of "best" for a column: the optimiser's automatic goal; highest for columns it cannot rank.</summary>
    private static bool Maximize(string column, SweepTable table)
    {
        try { return Objective.Parse(column, "auto", table).Maximize; }
        catch (InputException) { return true; }
    }

    /// <summary>The standard-error column of a mean or a probability; -1 for other statistics (they have none).</summary>
    public static int StdErrorColumn(SweepTable table, string column)
    {
        if (column.EndsWith("_probability", StringComparison.Ordinal)) return table.IndexOf(column + "_stderr");
        if (column.EndsWith("_mean", StringComparison.Ordinal)) return table.IndexOf(column[..^"_mean".Length] + "_stderr");
        return -1;
    }

    /// <summary>The statistic over a single axis with error bars of 1.96 standard errors each way (distances, not ends).</summary>
    public static SweepLine Line(SweepTable table, IReadOnlyList<SweepRow> ordered, string column)
    {
        int value = table.IndexOf(column), se = StdErrorColumn(table, column);
        bool numeric = ordered.All(r => double.TryParse(r.Axis[0], NumberStyles.Float, Inv, out _));
        var labels = numeric ? null : ordered.Select(r => r.Axis[0]).ToList();
        var x = numeric ? ordered.Select(r => double.Parse(r.Axis[0], NumberStyles.Float, Inv)).ToList()
            : Enumerable.Range(0, ordered.Count).Select(i => (double)i).ToList();
        var y = ordered.Select(r => r.Values[value]).ToList();
        var err = se < 0 ? null : ordered.Select(r => 1.96 * r.Values[se]).ToList();
        return new SweepLine(x, y, err, err, labels);
    }

    private static List<ChartImage> ChartsFor(SweepPlan plan, SweepTable table, List<SweepRow> ordered, string column, AxisScale scale,
        CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        var charts = new List<ChartImage>();
        var axes = table.Axes;
        int value = table.IndexOf(column);
        if (axes.Count == 1 && plan.Design == "grid")
        {
            var line = Line(table, ordered, column);
            string meaning = line.ErrorLow != null ? "95% interval of the Monte Carlo estimate (1.96 standard errors)"
                : $"the {column[(column.LastIndexOf('_') + 1)..]} statistic has no standard error here";
            charts.Add(Charts.LineWithErrors("sweep-line", $"{column} over {axes[0].Name}", axes[0].Name, line.X, line.Y,
                line.ErrorLow, line.ErrorHigh, scale, meaning, line.Labels));
        }
        else if (axes.Count >= 2 && plan.Design == "grid")
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
        else
        {
            for (int k = 0; k < axes.Count; k++)
            {
                cancellation.ThrowIfCancellationRequested();   // SIGINT/SIGTERM: within one chart
                charts.Add(PerAxis(table, ordered, column, k, scale));
            }
        }
        return charts;
    }

    /// <summary>One axis of a space-filling design: every point, and the mean of the statistic in bins of the axis.</summary>
    private static ChartImage PerAxis(SweepTable table, List<SweepRow> ordered, string column, int k, AxisScale scale)
    {
        var axis = table.Axes[k];
        int value = table.IndexOf(column);
        string name = $"sweep-axis-{k}";
        string title = $"{column} against {axis.Name}";
        if (ordered.All(r => double.TryParse(r.Axis[k], NumberStyles.Float, Inv, out _)))
        {
            var x = ordered.Select(r => double.Parse(r.Axis[k], NumberStyles.Float, Inv)).ToList();
            var y = ordered.Select(r => r.Values[value]).ToList();
            int bins = Math.Clamp(ordered.Count / 8, 2, 10);
            var (bx, by) = BinnedMeans(x, y, bins);
            return Charts.ScatterWithTrend(name, title, axis.Name, x, y, scale, bx, by,
                $"mean of the points in {bx.Length} bins of equal count (the partial dependence on {axis.Name})");
        }
        // A listed text axis: the mean over the points with each value.
        var labels = ordered.Select(r => r.Axis[k]).Distinct().ToList();
        var means = labels.Select(l => ordered.Where(r => r.Axis[k] == l).Select(r => r.Values[value]).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average()).ToList();
        return Charts.LineWithErrors(name, title, axis.Name, Enumerable.Range(0, labels.Count).Select(i => (double)i).ToList(), means,
            null, null, scale, $"each value is the mean over the design's points with that {axis.Name}", labels);
    }

    /// <summary>
    /// Sort the points by x (non-finite y left out) and cut them into <paramref name="bins"/> groups of equal count
    /// (sizes differ by at most one); returns each group's mean x and mean y.
    /// </summary>
    public static (double[] X, double[] Y) BinnedMeans(IReadOnlyList<double> x, IReadOnlyList<double> y, int bins)
    {
        var pairs = x.Zip(y).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)).OrderBy(p => p.First).ToArray();
        int n = pairs.Length;
        bins = Math.Min(bins, n);
        var bx = new double[bins];
        var by = new double[bins];
        for (int g = 0; g < bins; g++)
        {
            int from = (int)((long)g * n / bins), to = (int)((long)(g + 1) * n / bins);
            var group = pairs[from..to];
            bx[g] = group.Average(p => p.First);
            by[g] = group.Average(p => p.Second);
        }
        return (bx, by);
    }

    private static string AxesText(SweepTable table, SweepRow row) =>
        string.Join(", ", table.Axes.Select((a, k) => $"{a.Name} = {Show(row.Axis[k])}"));

    /// <summary>An axis value for reading: a number to 6 significant digits (designs draw 0.670358376151853), text as written.</summary>
    private static string Show(string axisValue) =>
        double.TryParse(axisValue, NumberStyles.Float, Inv, out double v) ? v.ToString("G6", Inv) : axisValue;

    private static List<KeyFigure> Key(SweepPlan plan, SweepTable table, List<SweepRow> ordered, string column, bool max, string unit,
        OptimizationResult? optimization)
    {
        int value = table.IndexOf(column);
        var key = new List<KeyFigure> { new("points", ordered.Count.ToString("N0", Inv), plan.Design) };
        if (optimization != null)
        {
            var b = optimization.Ranking[0];
            key.Add(new KeyFigure($"best point ({(max ? "highest" : "lowest")} {column})", MetricFormat.Format(b.Value, unit),
                $"point {b.Row.Point}: {AxesText(table, b.Row)}"));
            return key;
        }
        var finite = ordered.Where(r => double.IsFinite(r.Values[value]));
        var best = (max ? finite.OrderByDescending(r => r.Values[value]) : finite.OrderBy(r => r.Values[value])).FirstOrDefault();
        if (best == null) return key;
        var tied = finite.Where(r => r.Values[value] == best.Values[value]).ToList();
        string which = string.Join("; ", tied.Take(3).Select(r => $"point {r.Point}: {AxesText(table, r)}")) + (tied.Count > 3 ? $"; and {tied.Count - 3:N0} more" : "");
        key.Add(tied.Count > 1
            ? new KeyFigure($"{(max ? "highest" : "lowest")} {column}: a tie", MetricFormat.Format(best.Values[value], unit),
                $"{tied.Count} of {ordered.Count:N0} points give exactly this value, so the sweep does not tell them apart: {which}")
            : new KeyFigure($"{(max ? "highest" : "lowest")} {column}", MetricFormat.Format(best.Values[value], unit),
                $"point {best.Point}: {AxesText(table, best)}"));
        return key;
    }

    private static string Heading(string column, string unit) =>
        MetricFormat.Words(unit) is { Length: > 0 } w ? $"{column} ({w})" : column;

    private static ReportTable TopTable(SweepTable table, List<SweepRow> ordered, string column, bool max, string unit)
    {
        int value = table.IndexOf(column), se = StdErrorColumn(table, column);
        var finite = ordered.Where(r => double.IsFinite(r.Values[value]));
        var top = (max ? finite.OrderByDescending(r => r.Values[value]) : finite.OrderBy(r => r.Values[value])).ThenBy(r => r.Point).Take(TopPoints).ToList();
        var header = new List<string> { "rank", "point" };
        header.AddRange(table.Axes.Select(a => a.Name));
        header.Add(Heading(column, unit));
        if (se >= 0) header.Add("+/- 1.96 s.e.");
        var rows = top.Select((r, i) =>
        {
            // Equal values share a rank (1, 1, 3): a sweep whose axis does not move the statistic ranks nothing first.
            int rank = 1 + finite.Count(o => max ? o.Values[value] > r.Values[value] : o.Values[value] < r.Values[value]);
            var cells = new List<string> { rank.ToString(Inv), r.Point.ToString(Inv) };
            cells.AddRange(r.Axis.Select(Show));
            cells.Add(MetricFormat.Cell(r.Values[value], unit));
            if (se >= 0) cells.Add(MetricFormat.Cell(1.96 * r.Values[se], unit));
            return (IReadOnlyList<string>)cells;
        }).ToList();
        return new ReportTable($"Best points ({(max ? "highest" : "lowest")} {column})",
            $"The {top.Count} best of {ordered.Count:N0} points.", header, rows,
            "Ranked by the estimate alone: run the sweep with --optimize to re-run the best points and compare them path by path (paired standard errors).");
    }

    private static ReportTable OptimizerTable(OptimizationResult r, SweepTable table, string unit)
    {
        var o = r.Objective;
        var header = new List<string> { "rank", "point" };
        header.AddRange(table.Axes.Select(a => a.Name));
        header.AddRange(new[] { Heading(o.Column, unit), "best - this", "s.e. (paired)", "s.e. (independent draws)", "z" });
        var rows = r.Ranking.Select(c =>
        {
            var cells = new List<string> { c.Rank.ToString(Inv), c.Row.Point.ToString(Inv) };
            cells.AddRange(c.Row.Axis.Select(Show));
            cells.Add(MetricFormat.Cell(c.Value, unit));
            if (c.Rank == 1) cells.AddRange(new[] { "-", "-", "-", "-" });
            else cells.AddRange(new[]
            {
                MetricFormat.Cell(c.Difference, unit), MetricFormat.Cell(c.PairedStdError, unit), MetricFormat.Cell(c.UnpairedStdError, unit),
                double.IsFinite(c.Z) ? c.Z.ToString("0.0", Inv) : "-",
            });
            return (IReadOnlyList<string>)cells;
        }).ToList();
        string method = string.Join("; ", r.Ranking.Skip(1).Select(c => c.Method).Distinct());
        return new ReportTable($"Best point and runners-up ({(o.Maximize ? "highest" : "lowest")} {o.Column})",
            $"{r.PointsRanked:N0} points ranked; the best and {r.Ranking.Count - 1} runners-up re-run and compared path by path.",
            header, rows,
            $"Standard errors: {(method.Length > 0 ? method : "-")}. z = (best - this) / paired s.e.; none where the paired s.e. is rounding noise "
            + $"(at most {SweepOptimizer.RoundingNoise:0e0} of the values' scale: the difference is the same on every path).");
    }
}
