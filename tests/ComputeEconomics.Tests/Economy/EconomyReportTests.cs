using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Economy;

/// <summary>The run report of an economy scenario has its section: flows, GDP and token costs by year, who fails first.</summary>
public sealed class EconomyReportTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ce-economy-report-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void TheReportHasTheEconomyByYear()
    {
        string outDir = Path.Combine(_dir, "cliff");
        var r = CeProcess.Run(new[] { "run", "capex-cliff", "--paths", "300", "--backend", "cpu", "--out", outDir, "--report" }, timeoutSeconds: 180);
        Assert.True(r.ExitCode == 0, r.ToString());
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains("The economy by year", html);
        Assert.Contains("Who fails first (share of paths)", html);
        foreach (var chart in new[] { "year-ai-capex", "year-chip-revenue", "year-gdp-growth", "year-gdp-contribution", "year-cost-per-mtok", "shares", "hist-total-ai-capex" })
            Assert.True(File.Exists(Path.Combine(outDir, "charts", chart + ".png")), $"missing chart {chart}");
    }
}
