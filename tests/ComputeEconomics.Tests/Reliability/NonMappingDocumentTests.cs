using ComputeEconomics.Scenarios;
using ComputeEconomics.Sweeps;

namespace ComputeEconomics.Tests.Reliability;

/// <summary>
/// A scenario (or sweep) file whose document is a text or a list is refused with exit code 2 whether or not fields are
/// overridden: a <c>--set</c> must not turn it into the built-in default scenario and run that instead (an outsider's
/// <c>ce run /etc/passwd --set seed=1</c> ran the default and exited 0).
/// </summary>
public sealed class NonMappingDocumentTests
{
    [Theory]
    [InlineData("just a line\n")]
    [InlineData("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n")]
    [InlineData("- a\n- b\n")]
    public void ATextOrAListIsNotAScenarioEvenWithOverrides(string text)
    {
        foreach (var overrides in new[] { Array.Empty<string>(), new[] { "seed=1" }, new[] { "seed=1", "paths=10" } })
        {
            var e = Assert.Throws<InputException>(() => ScenarioLoader.FromText(text, "doc.yaml", overrides));
            var error = Assert.Single(e.Errors);
            Assert.Equal("(scenario)", error.Field);
            Assert.Equal("must be a mapping of keys to values", error.Rule);
        }
    }

    [Fact]
    public void AnEmptyDocumentWithOverridesStillStartsFromTheDefaults()
    {
        var s = ScenarioLoader.FromText("", "doc.yaml", new[] { "seed=7" });
        Assert.Equal(7, s.Seed);
    }

    [Fact]
    public void ASweepFileThatIsATextIsRefusedWithOverrides()
    {
        var e = Assert.Throws<InputException>(() => SweepPlan.FromText("just a line\n", "sweep.yaml", new[] { "seed=1" }));
        Assert.Contains(e.Errors, x => x.Field == "(scenario)" && x.Rule == "must be a mapping of keys to values");
    }

    [Fact]
    public void TheCliExitsWithTwoAndRunsNothing()
    {
        string file = Path.Combine(Path.GetTempPath(), $"ce-scalar-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, "just a line\n");
        try
        {
            var r = TestSupport.CeProcess.Run(new[] { "run", file, "--set", "seed=1", "--paths", "10", "--backend", "cpu" }, timeoutSeconds: 60);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("must be a mapping of keys to values", r.StdErr);
            Assert.DoesNotContain("P(default)", r.StdOut);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
