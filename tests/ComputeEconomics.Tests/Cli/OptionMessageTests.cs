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
    [InlineData("sensitivity", "--samples", "99999999999", "must be a whole number from 2 to 1000000")]
    [InlineData("sensitivity", "--bootstrap", "-99999999999", "must be a whole number from 0 to 100000")]
    public void AnOutOfRangeNumberNamesTheOptionAndTheRule(string verb, string option, string value, string rule)
    {
        var args = verb == "run" ? new[] { verb, option, value } : new[] { verb, "useful-life-debate", option, value };
        var r = CeProcess.Run(args);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains($"error: {option}: {value} {rule}", r.StdErr);
        Assert.DoesNotContain("Nullable", r.StdErr);
        Assert.DoesNotContain("convert", r.StdErr);
    }

    /// <summary>
    /// A verb whose option is narrower than the shared table states its own rule: calibrate's --seed is an Int32
    /// ("Failed to convert '4294967295' to Int32" before, naming neither the option nor the rule), its --horizon-months
    /// and inference's --samples have their own ranges (the message used to give the type's range).
    /// </summary>
    [Theory]
    [InlineData("calibrate price --data data/gpu_rents.csv --out o --seed 4294967296", "--seed: 4294967296 must be a whole number from 0 to 4294967295")]
    [InlineData("calibrate price --data data/gpu_rents.csv --out o --horizon-months 601", "--horizon-months: 601 must be a whole number from 1 to 600")]
    [InlineData("inference --model llama-3.1-70b --samples 1e6", "--samples: 1e6 must be a whole number 0..100,000")]
    [InlineData("depreciate --cost= --salvage 0 --life 3", "--cost: '' must be a finite number")]
    [InlineData("sensitivity useful-life-debate --bootstrap 100001", "--bootstrap: 100001 must be a whole number from 0 to 100000")]
    [InlineData("sensitivity useful-life-debate --metric nosuch.mean --samples 2", "--metric: nosuch.mean must be METRIC.STAT")]
    public void AVerbsOwnRangeIsTheRuleItPrints(string command, string error)
    {
        var r = CeProcess.Run(command.Split(' '));
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains($"error: {error}", r.StdErr);
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
