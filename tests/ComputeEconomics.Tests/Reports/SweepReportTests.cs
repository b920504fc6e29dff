using ComputeEconomics.Output;
using ComputeEconomics.Output.Report;
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
}
