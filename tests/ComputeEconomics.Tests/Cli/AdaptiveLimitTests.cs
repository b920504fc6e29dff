using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Cli;

/// <summary>
/// `ce run --target-stderr ... --max-paths N`: the run may grow to N paths and keeps every path's metrics (exact
/// statistics), so a cap it could not reach is refused before the first stage, naming --max-paths. It used to be checked
/// against the scenario's paths only (the printed estimate said 0.20 GiB for the default scenario), and the run doubled
/// until the stage that did not fit, hours later.
/// </summary>
public class AdaptiveLimitTests
{
    [Fact]
    public void ACapWhoseLastStageCannotFitInMemoryIsRefusedBeforeTheFirstStage()
    {
        // 1e9 paths x 33 metrics x 8 bytes is about 246 GiB of columns alone: more than any machine the tests run on.
        var r = CeProcess.Run(new[] { "run", "--backend", "cpu", "--threads", "1", "--target-stderr", "npv.mean=0.00001%", "--max-paths", "1000000000" },
            timeoutSeconds: 60);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("error: --max-paths: 1000000000 needs about", r.StdErr);
        Assert.Contains("GiB of host memory at its last stage", r.StdErr);
        Assert.DoesNotContain("paths:", r.StdErr.Replace("--max-paths:", "", StringComparison.Ordinal));   // no first stage ran
        Assert.DoesNotContain("   at ", r.StdErr);
    }

    [Fact]
    public void ACapAboveThePathsRuleIsRefusedNamingIt()
    {
        var r = CeProcess.Run(new[] { "run", "--backend", "cpu", "--target-stderr", "npv.mean=1%", "--max-paths", "5000000000" });
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("error: --max-paths: 5000000000 must be in [1, 1000000000]", r.StdErr);
    }
}
