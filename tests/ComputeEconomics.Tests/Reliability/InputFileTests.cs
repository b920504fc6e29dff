using System.Diagnostics;
using System.Text;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Sweeps;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Reliability;

/// <summary>
/// Issue 18: files given by the user are read with a limit that holds for any stream, must hold one non-empty YAML
/// document, may start with a UTF-8 byte-order mark; failures inside a sweep's worker task are reported as
/// themselves (exit code 2 for bad input, 1 for a full disk), never as "internal error: AggregateException".
/// </summary>
public sealed class InputFileTests : TempFolderTest
{
    public InputFileTests() : base("ce-input-files-") { }

    private string Write(string name, string text)
    {
        string path = Path.Combine(Dir, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    private static void AssertBadInput(IsolatedProcess.Result r, string rule)
    {
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(rule, r.StdErr);
        Assert.DoesNotContain("Exception", r.StdOut + r.StdErr);
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("/dev/urandom")]
    public void AnEndlessStreamAsAScenarioIsRefusedAtTheLimit(string device)
    {
        AssertBadInput(CeProcess.Run(new[] { "validate", device }), "must be at most 16 MiB");
        AssertBadInput(CeProcess.Run(new[] { "run", device, "--backend", "cpu" }), "must be at most 16 MiB");
        string sweep = Write("sweep.yaml", $"scenario: {device}\nsweep:\n  axes:\n    - field: fleet.financing.debt_share\n      values: [0.3, 0.6]\n");
        AssertBadInput(CeProcess.Run(new[] { "sweep", sweep, "--backend", "cpu" }), "must be at most 16 MiB");
    }

    [Fact]
    public void ARunFolderFileThatIsAnEndlessStreamIsRefusedAtTheLimit()
    {
        string run = Path.Combine(Dir, "run");
        var r = CeProcess.Run(new[] { "run", "--paths", "200", "--backend", "cpu", "--quiet", "--out", run });
        Assert.True(r.ExitCode == 0, r.ToString());
        File.Delete(Path.Combine(run, "bands.csv"));
        File.CreateSymbolicLink(Path.Combine(run, "bands.csv"), "/dev/zero");
        AssertBadInput(CeProcess.Run(new[] { "report", run }), "must be at most 256 MiB");
    }

    [Fact]
    public void ReadingStopsOneByteAfterTheLimit()
    {
        string path = Write("big.yaml", new string('#', 1001));
        Assert.Equal(1000, InputFiles.ReadBytes(Write("ok.yaml", new string('#', 1000)), 1000).Length);
        var ex = Assert.Throws<InputException>(() => InputFiles.ReadBytes(path, 1000));
        Assert.Equal(path, ex.Errors[0].Field);
        Assert.Contains("must be at most 1,000 bytes", ex.Errors[0].Rule);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t\n")]
    [InlineData("# only a comment\n")]
    [InlineData("~\n")]
    [InlineData("null\n")]
    public void AnEmptyScenarioIsNotValid(string text)
    {
        string path = Write("empty.yaml", text);
        var ex = Assert.Throws<InputException>(() => ScenarioLoader.Load(path));
        Assert.Equal(path, ex.Errors[0].Field);
        Assert.Contains("give no FILE", ex.Errors[0].Rule);
        AssertBadInput(CeProcess.Run(new[] { "validate", path }), "is empty or null");
        Assert.Throws<InputException>(() => SweepPlan.Load(path));
    }

    [Fact]
    public void DevNullIsAnEmptyScenario()
    {
        AssertBadInput(CeProcess.Run(new[] { "validate", "/dev/null" }), "is empty or null");
    }

    [Fact]
    public void ASecondYamlDocumentIsRefusedNotIgnored()
    {
        string path = Write("two.yaml", "name: first\npaths: 100\n---\nname: second\npaths: 200\n");
        var ex = Assert.Throws<InputException>(() => ScenarioLoader.Load(path));
        Assert.Equal("(2 YAML documents)", ex.Errors[0].Value);
        Assert.Contains("must hold one YAML document", ex.Errors[0].Rule);
        // One document with explicit markers is fine.
        Assert.Equal("first", ScenarioLoader.Load(Write("one.yaml", "---\nname: first\npaths: 100\n...\n")).Name);
    }

    [Fact]
    public void AByteOrderMarkIsAccepted()
    {
        string path = Path.Combine(Dir, "bom.yaml");
        File.WriteAllText(path, "name: with-bom\npaths: 100\n", new UTF8Encoding(true));
        Assert.Equal(0xEF, File.ReadAllBytes(path)[0]);
        Assert.Equal("with-bom", ScenarioLoader.Load(path).Name);
        var r = CeProcess.Run(new[] { "validate", path });
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    [Fact]
    public void InvalidUtf8NamesTheByteAfterAByteOrderMark()
    {
        string path = Path.Combine(Dir, "bad.yaml");
        File.WriteAllBytes(path, new byte[] { 0xEF, 0xBB, 0xBF, (byte)'a', 0xFF });
        var ex = Assert.Throws<InputException>(() => ScenarioLoader.Load(path));
        Assert.Equal("(byte 4)", ex.Errors[0].Value);
        Assert.Equal("must be UTF-8 text", ex.Errors[0].Rule);
    }

    [Fact]
    public void ABadSweepPointIsExitCode2WithTheProgressBarOn()
    {
        // The point's error is raised inside the sweep's worker task; without --quiet the task was awaited with Wait().
        string sweep = Write("bad-point.yaml", "scenario: neocloud-h100\nsweep:\n  axes:\n    - field: fleet.financing.debt_share\n      values: [0.5, 1.5]\n");
        var r = CeProcess.Run(new[] { "sweep", sweep, "--backend", "cpu", "--paths", "100" });
        AssertBadInput(r, "fleet.financing.debt_share");
        Assert.DoesNotContain("internal error", r.StdErr);
    }

    [Fact]
    public void UnwrapFindsTheCauseInsideAggregateExceptions()
    {
        var cause = new ComputeEconomics.OutputException("disk full");
        Assert.Same(cause, ComputeEconomics.Cli.Cli.Unwrap(new AggregateException(new AggregateException(cause))));
        Assert.Same(cause, ComputeEconomics.Cli.Cli.Unwrap(cause));
    }

    /// <summary>A checkpoint on a 16 KiB tmpfs fills up while rows are appended: exit code 1 naming the checkpoint.</summary>
    [RootFact]
    public void ADiskFullWhileAppendingACheckpointIsExitCode1NamingIt()
    {
        string mount = Path.Combine(Path.GetTempPath(), $"ce-tmpfs-{Guid.NewGuid():N}");
        Directory.CreateDirectory(mount);
        using (var p = Process.Start("mount", new[] { "-t", "tmpfs", "-o", "size=16k", "tmpfs", mount })) p.WaitForExit();
        try
        {
            string sweep = Write("grid.yaml", "scenario: neocloud-h100\nsweep:\n  axes:\n    - field: fleet.financing.debt_share\n      from: 0.1\n      to: 0.6\n      steps: 10\n");
            var r = CeProcess.Run(new[] { "sweep", sweep, "--backend", "cpu", "--paths", "100", "--set", "horizon_months=12", "--out", Path.Combine(mount, "s") }, timeoutSeconds: 120);
            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.Contains("checkpoint", r.StdErr);
            Assert.DoesNotContain("Exception", r.StdErr);
        }
        finally
        {
            using (var p = Process.Start("umount", new[] { mount })) p.WaitForExit();
            Directory.Delete(mount, true);
        }
    }
}
