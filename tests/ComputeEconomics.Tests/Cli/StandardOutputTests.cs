using System.Diagnostics;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Cli;

/// <summary>A verb whose standard output cannot be written is an I/O error (exit code 1), not an "internal error".</summary>
public sealed class StandardOutputTests
{
    /// <summary>
    /// Standard output on a full device (Linux /dev/full: every write fails with ENOSPC) used to print "internal error:
    /// IOException: No space left on device", the message of a bug in ce.
    /// </summary>
    [Theory]
    [InlineData("catalog", "--json")]
    [InlineData("depreciate", "--cost", "100", "--salvage", "0", "--life", "10000", "--csv")]
    public void AFullStandardOutputIsAnIoErrorWithExitCode1(params string[] args)
    {
        if (!File.Exists("/dev/full")) return;     // not Linux: nothing to fill
        var ce = CeProcess.StartInfo(args);
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec \"$0\" \"$@\" > /dev/full");
        psi.ArgumentList.Add(ce.FileName);
        foreach (var a in ce.ArgumentList) psi.ArgumentList.Add(a);
        foreach (var (k, v) in ce.Environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        string stderr = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(60_000), "ce did not exit");
        Assert.Equal(1, p.ExitCode);
        Assert.StartsWith("error: cannot write to standard output: No space left on device", stderr);
        Assert.DoesNotContain("internal error", stderr);
    }
}
