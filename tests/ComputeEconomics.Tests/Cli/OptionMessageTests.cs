using ComputeEconomics.Cli.Commands;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Cli;

/// <summary>Issue 18: a numeric option out of its type's range names the option and the rule; resume hints are complete.</summary>
public sealed class OptionMessageTests
{
    [Theory]
    [InlineData("run", "--batch", "99999999999", "must be a whole number from 1 to 2147483647")]
    [InlineData("run", "--threads", "99999999999", "must be a whole number from 0 to 2147483647")]
    [InlineData("run", "--seed", "4294967296", "must be a whole number from 0 to 4294967295")]
    [InlineData("run", "--paths", "0", "must be a whole number >= 1")]
    [InlineData("sweep", "--runners-up", "99999999999", "must be a whole number from 0 to 2147483647")]
    [InlineData("sensitivity", "--samples", "99999999999", "must be a whole number from 0 to 2147483647")]
    [InlineData("sensitivity", "--bootstrap", "-99999999999", "must be a whole number from 0 to 2147483647")]
    public void AnOutOfRangeNumberNamesTheOptionAndTheRule(string verb, string option, string value, string rule)
    {
        var args = verb == "run" ? new[] { verb, option, value } : new[] { verb, "useful-life-debate", option, value };
        var r = CeProcess.Run(args);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains($"error: {option}: {value} {rule}", r.StdErr);
        Assert.DoesNotContain("Nullable", r.StdErr);
        Assert.DoesNotContain("convert", r.StdErr);
    }

    [Fact]
    public void TheResumeHintRepeatsEveryOptionThatChangesResults()
    {
        var settings = new SweepCommand.Settings
        {
            File = "my sweep.yaml", Paths = 300, Seed = 9, Set = new[] { "horizon_months=24" }, Backend = "cpu",
        };
        string hint = settings.ResumeHint("sweep", settings.File, "out dir", " --shard 1/4");
        Assert.EndsWith("finish with: ce sweep 'my sweep.yaml' --out 'out dir' --shard 1/4 --paths 300 --seed 9 --set horizon_months=24 --backend cpu --resume", hint);
        Assert.Contains(Path.Combine("out dir", ".checkpoint.csv"), hint);
    }
}
