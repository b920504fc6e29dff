using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Faults;

/// <summary>
/// Hostile values of the CE_* variables: exit code 2 naming the variable, the value and the rule, on every backend and
/// before anything runs. Before the fix the CUDA settings were read only by the CUDA backend (`--backend cpu` ran with
/// CE_CUDA_MATH=abc), and CE_PHASE_LOG naming a folder or an unwritable file was ignored for the whole run.
/// </summary>
public sealed class EnvironmentFaultTests : TempFolderTest
{
    public EnvironmentFaultTests() : base("ce-env-") { }

    private static readonly string[] CpuRun = { "run", "--paths", "20", "--backend", "cpu", "--quiet" };

    [Theory]
    [InlineData("CE_CUDA_MATH", "abc", "must be auto, float or libdevice")]
    [InlineData("CE_CUDA_GROUP_SIZE", "abc", "must be an integer from 32 to 1024")]
    [InlineData("CE_CUDA_GROUP_SIZE", "-1", "must be an integer from 32 to 1024")]
    [InlineData("CE_CUDA_GROUP_SIZE", "1099511627776", "must be an integer from 32 to 1024")]
    [InlineData("CE_CUDA_MIN_GROUPS_PER_SM", "65", "must be an integer from 0 to 64")]
    [InlineData("CE_FLEET_KERNEL", "abc", "must be classic or lanes")]
    [InlineData("CE_CPU_KERNEL", "vector", "must be lockstep or scalar")]
    public void AHostileSettingIsExitCode2OnTheCpuBackendToo(string name, string value, string rule)
    {
        var r = CeProcess.Run(CpuRun, new Dictionary<string, string> { [name] = value });
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains($"error: {name}: {value} {rule}", r.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryHostileSettingIsNamedAtOnceAndAnEmptyOneIsUnset()
    {
        var r = CeProcess.Run(CpuRun, new Dictionary<string, string> { ["CE_CUDA_MATH"] = "x", ["CE_CUDA_MIN_GROUPS_PER_SM"] = "y", ["CE_CUDA_GROUP_SIZE"] = "" });
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("CE_CUDA_MATH: x", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("CE_CUDA_MIN_GROUPS_PER_SM: y", r.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("CE_CUDA_GROUP_SIZE", r.StdErr, StringComparison.Ordinal);
        var ok = CeProcess.Run(CpuRun, new Dictionary<string, string> { ["CE_CUDA_MATH"] = "", ["CE_FLEET_KERNEL"] = "", ["CE_CPU_KERNEL"] = "", ["CE_PHASE_LOG"] = "" });
        Assert.True(ok.ExitCode == 0, ok.ToString());
    }

    [Fact]
    public void APhaseLogThatIsAFolderOrCannotBeWrittenIsExitCode2()
    {
        var folder = CeProcess.Run(CpuRun, new Dictionary<string, string> { ["CE_PHASE_LOG"] = Dir });
        Assert.True(folder.ExitCode == 2, folder.ToString());
        Assert.Contains($"error: CE_PHASE_LOG: {Dir} is a folder: must be a file ce can append to", folder.StdErr, StringComparison.Ordinal);
        string missing = Path.Combine(Dir, "no-such-folder", "phases.log");
        var unwritable = CeProcess.Run(CpuRun, new Dictionary<string, string> { ["CE_PHASE_LOG"] = missing });
        Assert.True(unwritable.ExitCode == 2, unwritable.ToString());
        Assert.Contains($"error: CE_PHASE_LOG: {missing} must be a file ce can append to", unwritable.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void AWritablePhaseLogGetsThePhases()
    {
        string log = Path.Combine(Dir, "phases.log");
        var r = CeProcess.Run(CpuRun, new Dictionary<string, string> { ["CE_PHASE_LOG"] = log });
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("simulation ", File.ReadAllText(log), StringComparison.Ordinal);
    }

    [Fact]
    public void HelpAndVersionRunWhateverTheEnvironmentSays()
    {
        var r = CeProcess.Run(new[] { "--version" }, new Dictionary<string, string> { ["CE_CUDA_MATH"] = "abc" });
        Assert.True(r.ExitCode == 0, r.ToString());
    }
}
