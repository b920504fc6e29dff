using System.Diagnostics;
using ComputeEconomics.Tests.Reports;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Faults;

/// <summary>
/// `ce` with a closed standard output, a closed standard error or a reader that stops early, through a real shell
/// (the fault is the process's file descriptors). Before the fix a closed stdout was "internal error:
/// UnauthorizedAccessException: Access to the path is denied." and a closed stderr aborted the runtime (SIGABRT, exit
/// code 134) as the message about the failed write failed in turn.
/// </summary>
public sealed class StreamFaultTests : TempFolderTest
{
    public StreamFaultTests() : base("ce-streams-") { }

    /// <summary>Run `ce ARGS` under /bin/sh with <paramref name="redirection"/> applied to ce alone; stderr captured unless closed.</summary>
    private static (int ExitCode, string StdErr) Shell(string redirection, params string[] args) =>
        Script($"\"$0\" \"$@\" {redirection}; echo \"rc=$?\"", args);

    /// <summary>Run <paramref name="script"/> under /bin/sh, ce being "$0" "$@"; it prints "rc=N" on stdout.</summary>
    private static (int ExitCode, string StdErr) Script(string script, params string[] args)
    {
        var ce = CeProcess.StartInfo(args);
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(ce.FileName);
        foreach (var a in ce.ArgumentList) psi.ArgumentList.Add(a);
        foreach (var (k, v) in ce.Environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(60_000), "ce did not exit");
        string rc = stdout.Result.Split('\n').Last(l => l.StartsWith("rc=", StringComparison.Ordinal));
        return (int.Parse(rc[3..], System.Globalization.CultureInfo.InvariantCulture), stderr);
    }

    private static void AssertNoCrash(string stderr)
    {
        Assert.DoesNotContain("internal error", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("scenarios")]
    [InlineData("catalog", "--csv")]
    [InlineData("finance", "npv", "--rate", "0.1", "--values", "-100,39,59,55,20")]
    public void AClosedStandardOutputIsExitCode1NamingTheStream(params string[] args)
    {
        if (!OperatingSystem.IsLinux()) return;
        var (code, stderr) = Shell(">&-", args);
        Assert.True(code == 1, $"exit code {code}: {stderr}");
        Assert.Contains("error: cannot write to standard output: it is closed", stderr, StringComparison.Ordinal);
        AssertNoCrash(stderr);
    }

    [Fact]
    public void ARunWithAClosedStandardOutputStillCommitsItsCompleteFolder()
    {
        if (!OperatingSystem.IsLinux()) return;
        string dir = Path.Combine(Dir, "run");
        var (code, stderr) = Shell(">&-", "run", "--paths", "200", "--backend", "cpu", "--out", dir);
        Assert.True(code == 1, $"exit code {code}: {stderr}");
        Assert.Contains("cannot write to standard output", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir, "summary.json")), "the marker (the files are committed before anything is printed)");
        Assert.Empty(Directory.EnumerateDirectories(dir, ".ce-staging-*"));
    }

    [Theory]
    [InlineData(0, "run", "--paths", "200", "--backend", "cpu")]
    [InlineData(2, "run", "--paths", "0")]
    [InlineData(0, "scenarios")]
    public void AClosedStandardErrorIsNotACrash(int expected, params string[] args)
    {
        if (!OperatingSystem.IsLinux()) return;
        var (code, _) = Shell("2>&- >/dev/null", args);
        Assert.Equal(expected, code);
    }

    [Fact]
    public void AReaderThatStopsEarlyIsNoFailure()
    {
        if (!OperatingSystem.IsLinux()) return;
        // 10,000 rows (more than a pipe holds) into `head -c 1`: ce writes on after the reader is gone (EPIPE).
        var (code, stderr) = Script("exec 3>&1; { \"$0\" \"$@\"; echo \"rc=$?\" >&3; } | head -c 1 >/dev/null",
            "depreciate", "--cost", "100", "--salvage", "0", "--life", "10000", "--csv");
        Assert.Equal(0, code);
        AssertNoCrash(stderr);
    }

    /// <summary>
    /// With stdout and stderr both closed, the runtime's first pipe took descriptors 1 (read end) and 2 (write end) and
    /// ce wrote its messages into that pipe. A descriptor ce's process opened is close-on-exec; an inherited one is not.
    /// </summary>
    [Fact]
    public void ADescriptorThisProcessOpenedIsNotTakenForAStandardStream()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var own = new FileStream(Path.Combine(Dir, "own"), FileMode.Create);
        int fd = (int)own.SafeFileHandle.DangerousGetHandle();
        Assert.True(Descriptors.OpenedByThisProcess(fd), $"descriptor {fd} was opened here");
        Assert.False(Descriptors.OpenedByThisProcess(1 << 20), "a descriptor that is not open");
    }

    /// <summary>A caller's pipe duplicated onto descriptor 3 (`exec 3&gt;&amp;1` in a script) is still the caller's stdout.</summary>
    [Fact]
    public async Task AStandardOutputAlsoOnDescriptor3IsWritten()
    {
        if (!OperatingSystem.IsLinux()) return;
        var ce = CeProcess.StartInfo(new[] { "finance", "npv", "--rate", "0.1", "--values", "-100,39,59,55,20" });
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("\"$0\" \"$@\" 3>&1 | cat");
        psi.ArgumentList.Add(ce.FileName);
        foreach (var a in ce.ArgumentList) psi.ArgumentList.Add(a);
        foreach (var (k, v) in ce.Environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(60_000), "ce did not exit");
        // numpy_financial.npv(0.1, [-100, 39, 59, 55, 20]): the sum of v_t / 1.1^t.
        double expected = new[] { -100.0, 39, 59, 55, 20 }.Select((v, t) => v / Math.Pow(1.1, t)).Sum();
        Assert.Equal(expected, double.Parse(stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture), 10);
        Assert.Equal("", await stderr);
    }

    /// <summary>
    /// `ce validate /dev/stdin &lt;&amp;-`: descriptor 0, closed at exec, was the runtime's signal pipe, so ce read it
    /// forever and no longer saw SIGTERM (only SIGKILL ended it). Now: exit code 2 naming the file and the reason.
    /// </summary>
    [Fact]
    public void ReadingAClosedStandardInputIsRefusedNotAHang()
    {
        if (!OperatingSystem.IsLinux()) return;
        var (code, stderr) = Shell("<&-", "validate", "/dev/stdin");
        Assert.True(code == 2, $"exit code {code}: {stderr}");
        Assert.Contains("error: /dev/stdin: (file) cannot be read: descriptor 0 was closed when ce started", stderr, StringComparison.Ordinal);
        AssertNoCrash(stderr);
    }

    [Fact]
    public void AScenarioOnStandardInputIsRead()
    {
        if (!OperatingSystem.IsLinux()) return;
        string scenario = Path.Combine(SchemaTests.RepoRoot(), "scenarios", "neocloud-h100.yaml");
        var (code, stderr) = Shell($"< '{scenario}' >/dev/null", "validate", "/dev/stdin");
        Assert.True(code == 0, $"exit code {code}: {stderr}");
    }
}
