using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Cli;

/// <summary>`ce sensitivity`'s console table: an index that is not defined is "-" with the reason, never "NaN".</summary>
public sealed class SensitivityOutputTests
{
    /// <summary>
    /// useful-life-debate's one axis is the book life, which moves no cash: npv.mean is the same in every run (its
    /// one-at-a-time swing is 0), so the Sobol indices are 0/0. The table printed "NaN" (sobol.csv already left the cells
    /// empty); it prints "-" and says why. --bootstrap 1 gives no interval, also "-".
    /// </summary>
    [Fact]
    public void IndicesOfAnObjectiveWithoutVarianceAreADashWithTheReason()
    {
        var verbose = CeProcess.Run(new[] { "sensitivity", "useful-life-debate", "--paths", "20", "--samples", "2", "--bootstrap", "1",
                                            "--threads", "1", "--backend", "cpu" }, timeoutSeconds: 300);
        Assert.True(verbose.ExitCode == 0, verbose.ToString());
        Assert.Contains("book_life_months", verbose.StdOut);
        Assert.DoesNotContain("NaN", verbose.StdOut);
        Assert.Contains("-: not defined: npv_mean takes one value in every Saltelli run", verbose.StdOut);
    }
}

/// <summary>`ce sensitivity --report`: an analyst citing the page sees what the runs used (the base scenario's inputs with
/// the notes and dates its file gives them) and how they were made (the sweep report's manifest).</summary>
public sealed class SensitivityReportTests
{
    [Fact]
    public void TheReportShowsTheInputsWithTheirSourcesAndHowTheRunsWereMade()
    {
        string dir = Path.Combine(Path.GetTempPath(), "ce-sens-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            var r = CeProcess.Run(new[] { "sensitivity", "useful-life-debate", "--paths", "20", "--samples", "2", "--bootstrap", "1",
                                          "--threads", "1", "--backend", "cpu", "--out", dir, "--report", "--quiet" }, timeoutSeconds: 300);
            Assert.True(r.ExitCode == 0, r.ToString());
            string html = File.ReadAllText(Path.Combine(dir, "report.html"));
            Assert.Contains("<h2>Inputs as resolved</h2>", html);
            // scenarios/useful-life-debate.yaml: market.price.initial's note, with its source and date.
            Assert.Contains("H100 SXM on Lambda, 2024-01", html);
            Assert.Contains("The inputs varied (book_life_months)", html);
            Assert.Contains("<h2>Run manifest</h2>", html);
            foreach (string label in new[] { "math path", "sampling", "engine version", "completed", "device" })
                Assert.Contains($"<th scope=\"row\">{label}</th>", html);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }
}
