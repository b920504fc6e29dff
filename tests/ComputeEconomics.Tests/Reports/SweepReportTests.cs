using ComputeEconomics.Backends;
using ComputeEconomics.Output;
using ComputeEconomics.Output.Report;
using ComputeEconomics.Sweeps;
using ComputeEconomics.Tests.Sweeps;

namespace ComputeEconomics.Tests.Reports;

/// <summary>`ce sweep --report`: a heatmap over two grid axes, a line with error bars over one axis, the best point.</summary>
public class SweepReportTests
{
    [Fact]
    public void TwoAxisGridGivesAHeatmapWhoseCellsAreThePointValues()
    {
        var plan = SweepTestData.Plan(SweepTestData.Grid, paths: 300);
        var outcome = SweepTestData.Run(plan);
        var page = SweepReportPage.Build(plan, outcome.Table, outcome.Rows, "npv_mean", "cpu", 1.0);
        var chart = Assert.Single(page.Charts);
        Assert.Equal("sweep-heatmap", chart.Name);
        Assert.NotEmpty(chart.Png);
        // The best point named in the key figures is the row with the highest npv_mean.
        int col = outcome.Table.IndexOf("npv_mean");
        var best = outcome.Rows.OrderByDescending(r => r.Values[col]).First();
        Assert.Contains($"book_life = {best.Axis[1]}", page.KeyFigures[1].Detail);
        string html = HtmlReport.Render(page);
        Assert.Contains("sweep-heatmap", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", ""));
    }

    [Fact]
    public void OneNumericAxisGivesALineWithErrorBars()
    {
        var plan = SweepTestData.Plan("""
            scenario: neocloud-h100
            sweep:
              axes:
                - field: fleet.financing.debt_share
                  values: [0.3, 0.5, 0.7]
            """, paths: 200);
        var outcome = SweepTestData.Run(plan);
        var page = SweepReportPage.Build(plan, outcome.Table, outcome.Rows, null, "cpu", 1.0);
        Assert.Equal("sweep-line", Assert.Single(page.Charts).Name);
    }

    private const string DebtShare = """
        scenario: neocloud-h100
        sweep:
          axes:
            - field: fleet.financing.debt_share
              values: [0.3, 0.5, 0.7]
        """;

    [Fact]
    public void ErrorBarsAreDistancesOf196StandardErrorsAndOnlyWhereThereIsOne()
    {
        var plan = SweepTestData.Plan(DebtShare, paths: 200);
        var o = SweepTestData.Run(plan);
        var rows = o.Rows.OrderBy(r => r.Point).ToList();
        var line = SweepReportPage.Line(o.Table, rows, "npv_mean");
        int mean = o.Table.IndexOf("npv_mean"), se = o.Table.IndexOf("npv_stderr");
        Assert.Equal(new[] { 0.3, 0.5, 0.7 }, line.X);
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(rows[i].Values[mean], line.Y[i]);
            Assert.Equal(1.96 * rows[i].Values[se], line.ErrorLow![i]);
            Assert.Equal(1.96 * rows[i].Values[se], line.ErrorHigh![i]);
            Assert.True(line.ErrorHigh[i] < Math.Abs(line.Y[i]), "a 95% half-width, not the distance to an interval's end from 0");
        }
        var p = SweepReportPage.Line(o.Table, rows, "default_probability");
        int pse = o.Table.IndexOf("default_probability_stderr");
        Assert.Equal(1.96 * rows[2].Values[pse], p.ErrorHigh![2]);
        // Quantiles have no standard error in the table: no bars at all.
        Assert.Null(SweepReportPage.Line(o.Table, rows, "npv_p5").ErrorLow);
        var page = SweepReportPage.Build(plan, o.Table, o.Rows, "npv_p5", "cpu", 1.0);
        Assert.Contains("no error bars", Assert.Single(page.Charts).Caption);
    }

    [Fact]
    public void LineWithErrorsRefusesNegativeDistances()
    {
        var ex = Assert.Throws<ArgumentException>(() => Charts.LineWithErrors("x", "t", "x", new[] { 1.0, 2.0 }, new[] { -5.0, -4.0 },
            new[] { 1.0, -1.0 }, new[] { 1.0, 1.0 }, AxisScale.Plain("y", ""), "bars"));
        Assert.Contains("distances", ex.Message);
    }

    [Theory]
    [InlineData("payback_month_mean", "lowest", " months", "months")]
    [InlineData("default_probability", "lowest", " %", "%")]
    [InlineData("npv_mean", "highest", "USD ", "USD")]
    [InlineData("mean_utilisation_p50", "highest", " %", "%")]
    public void TheHeadlineFollowsTheMetricsDirectionAndUnit(string column, string word, string valueUnit, string axisUnit)
    {
        var plan = SweepTestData.Plan(DebtShare, paths: 200);
        var o = SweepTestData.Run(plan);
        var page = SweepReportPage.Build(plan, o.Table, o.Rows, column, "cpu", 1.0);
        var head = page.KeyFigures[1];
        Assert.StartsWith($"{word} {column}", head.Label);   // "...: a tie" where the points give the same value
        Assert.Contains(valueUnit, head.Value);
        var chart = Assert.Single(page.Charts);
        Assert.Contains($"{column}, {(axisUnit == "USD" ? "USD" : axisUnit)}", chart.Caption);
        if (axisUnit != "USD") Assert.DoesNotContain("USD", chart.Caption + head.Value);
        // The value shown is the best in that direction.
        int col = o.Table.IndexOf(column);
        var values = o.Rows.Select(r => r.Values[col]).ToList();
        double best = word == "lowest" ? values.Min() : values.Max();
        Assert.Equal(MetricFormat.Format(best, MetricFormat.ColumnUnit(column, o.Table.Metrics)), head.Value);
        Assert.Equal(3, page.Tables[0].Rows.Count);
    }

    [Fact]
    public void TheOptimisersBestPointAndRunnersUpAreInTheReport()
    {
        var plan = SweepTestData.Plan(SweepTestData.Grid, paths: 300);
        var o = SweepTestData.Run(plan);
        var objective = Objective.Parse("default_probability", "auto", o.Table);
        var r = SweepOptimizer.Optimize(plan, o.Table, o.Rows, objective, new CpuBackend(), 3, null, CancellationToken.None);
        var page = SweepReportPage.Build(plan, o.Table, o.Rows, null, "cpu", 1.0, r);
        Assert.Equal("best point (lowest default_probability)", page.KeyFigures[1].Label);
        Assert.EndsWith(" %", page.KeyFigures[1].Value);
        var t = Assert.Single(page.Tables);
        Assert.Equal(4, t.Rows.Count);
        Assert.Equal(r.Ranking.Select(c => c.Row.Point.ToString()), t.Rows.Select(row => row[1]));
        Assert.Equal("z", t.Header[^1]);
        string html = HtmlReport.Render(page);
        Assert.Contains("Best point and runners-up", html);
    }

    [Theory]
    [InlineData("latin_hypercube")]
    [InlineData("sobol")]
    public void SpaceFillingDesignsGetAChartPerAxis(string design)
    {
        var plan = SweepTestData.Plan($"""
            scenario: neocloud-h100
            sweep:
              design: {design}
              points: 16
              axes:
                - field: fleet.financing.debt_share
                  from: 0.2
                  to: 0.8
                - field: market.price.drift
                  from: -0.5
                  to: -0.1
            """, paths: 100);
        var o = SweepTestData.Run(plan);
        var page = SweepReportPage.Build(plan, o.Table, o.Rows, null, "cpu", 1.0);
        Assert.Equal(new[] { "sweep-axis-0", "sweep-axis-1" }, page.Charts.Select(c => c.Name));
        Assert.All(page.Charts, c => Assert.NotEmpty(c.Png));
    }

    [Fact]
    public void PointsWithTheSameValueTieInsteadOfOneBeingBest()
    {
        // The book life moves no cash flow (taxes follow MACRS: docs/model.md), so every point has the same NPV; the
        // report named point 0 "highest" and ranked the others 2, 3.
        var plan = SweepTestData.Plan("""
            scenario: neocloud-h100
            sweep:
              axes:
                - field: fleet.depreciation.book.useful_life_months
                  values: [36, 48, 72]
            """, paths: 100);
        var o = SweepTestData.Run(plan);
        int col = o.Table.IndexOf("npv_mean");
        Assert.Single(o.Rows.Select(r => r.Values[col]).Distinct());
        var page = SweepReportPage.Build(plan, o.Table, o.Rows, "npv_mean", "cpu", 1.0);
        Assert.Equal("highest npv_mean: a tie", page.KeyFigures[1].Label);
        Assert.StartsWith("3 of 3 points give exactly this value", page.KeyFigures[1].Detail);
        Assert.All(page.Tables[0].Rows, r => Assert.Equal("1", r[0]));
        // Distinct values keep distinct ranks: the overstatement moves with the book life.
        var over = SweepReportPage.Build(plan, o.Table, o.Rows, "overstatement_y3_mean", "cpu", 1.0);
        Assert.Equal(new[] { "1", "2", "3" }, over.Tables[0].Rows.Select(r => r[0]));
    }

    [Fact]
    public void TheSweepReportShowsItsInputsWithSourcesAndHowItRan()
    {
        // A sweep report had no inputs table (no source of any figure) and a manifest without device, math path or date.
        var plan = SweepTestData.Plan(DebtShare, paths: 100);
        var o = SweepTestData.Run(plan);
        string source = File.ReadAllText(Path.Combine(SchemaTests.RepoRoot(), "scenarios", "neocloud-h100.yaml"));
        var page = SweepReportPage.Build(plan, o.Table, o.Rows, null, "cpu", 1.0, run: new SweepRunFacts(source, new[] { "paths=100" }, "test device", "double"));
        var price = page.Inputs.Single(i => i.Path == "market.price.initial");
        Assert.StartsWith("H100 SXM on Lambda, 2024-01", price.Note);
        Assert.Contains(page.InputNotes, n => n.StartsWith("The swept fields (", StringComparison.Ordinal) && n.Contains("debt_share", StringComparison.Ordinal));
        var manifest = page.Manifest.ToDictionary(m => m.Label, m => m.Value);
        Assert.Equal("test device", manifest["device"]);
        Assert.Equal("double", manifest["math path"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$", manifest["completed"]);
        Assert.Contains("(commit ", manifest["engine version"]);
        Assert.Contains("standard errors: iid paths", manifest["statistics"]);
        Assert.Contains("<h2>Inputs as resolved</h2>", HtmlReport.Render(page));
    }

    [Fact]
    public void BinnedMeansOfALineLieOnTheLine()
    {
        // y = 2x + 1 at x = 0 .. 11, shuffled; 3 bins of 4: x means 1.5, 5.5, 9.5 and y = 2x + 1 there.
        double[] x = { 7, 0, 11, 3, 5, 9, 1, 10, 2, 8, 4, 6 };
        var (bx, by) = SweepReportPage.BinnedMeans(x, x.Select(v => 2 * v + 1).ToArray(), 3);
        Assert.Equal(new[] { 1.5, 5.5, 9.5 }, bx);
        Assert.Equal(new[] { 4.0, 12.0, 20.0 }, by);
    }
}
