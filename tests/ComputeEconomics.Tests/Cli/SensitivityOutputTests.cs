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
