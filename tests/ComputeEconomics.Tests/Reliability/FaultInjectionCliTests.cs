using ComputeEconomics.Backends;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Reliability;

/// <summary>
/// Fault injection from outside the tests, as docs/reliability.md documents it: the CE_INJECT_* variables reach every
/// backend the factory creates, in the `ce` process itself.
/// </summary>
public class FaultInjectionCliTests
{
    private static string[] RunArgs(string outDir) =>
        new[] { "run", "--paths", "400", "--seed", "5", "--backend", "cpu", "--batch", "400", "--set", "horizon_months=24", "--quiet", "--out", outDir };

    [Fact]
    public void InjectedOutOfMemoryHalvesTheBatchAndTheResultsAreIdentical()
    {
        string root = Path.Combine(Path.GetTempPath(), "ce-inject-" + Guid.NewGuid().ToString("N"));
        try
        {
            var plain = CeProcess.Run(RunArgs(Path.Combine(root, "plain")));
            Assert.True(plain.ExitCode == 0, plain.StdErr);
            var injected = CeProcess.Run(RunArgs(Path.Combine(root, "oom")),
                new Dictionary<string, string> { [FaultInjectingBackend.OomAboveVariable] = "64" });
            Assert.True(injected.ExitCode == 0, injected.StdErr);
            Assert.Contains("out of memory", injected.StdErr);
            foreach (var file in new[] { "metrics.csv", "bands.csv", "histograms.csv" })
                Assert.Equal(File.ReadAllBytes(Path.Combine(root, "plain", file)), File.ReadAllBytes(Path.Combine(root, "oom", file)));
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, true);
        }
    }

    [Fact]
    public void InjectedDeviceFaultIsReportedWithBatchAndSeedExitCode1()
    {
        var r = CeProcess.Run(new[] { "run", "--paths", "300", "--batch", "100", "--backend", "cpu", "--set", "horizon_months=12", "--quiet" },
            new Dictionary<string, string> { [FaultInjectingBackend.FaultAtPathVariable] = "150" });
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("paths 100..199", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
    }

    [Theory]
    [InlineData("CE_INJECT_OOM_ABOVE", "lots")]
    [InlineData("CE_INJECT_OOM_ABOVE", "0")]
    [InlineData("CE_INJECT_FAULT_AT_PATH", "-3")]
    public void AnInvalidInjectionSettingIsRefusedByName(string variable, string value)
    {
        var r = CeProcess.Run(new[] { "run", "--paths", "10", "--backend", "cpu", "--quiet" },
            new Dictionary<string, string> { [variable] = value });
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(variable, r.StdErr);
        Assert.Contains(value, r.StdErr);
        Assert.Contains("whole number", r.StdErr);
    }
}
