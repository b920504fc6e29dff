using System.Diagnostics;
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
}
