using System.Diagnostics;
using System.Runtime.InteropServices;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Reliability;

/// <summary>
/// Issue "reliability", item 2: SIGINT and SIGTERM during `run` and `sweep` stop cleanly (exit code 130), keep every
/// completed checkpoint, and print how to resume; the resumed sweep equals an uninterrupted one. Issue 18: how
/// promptly they stop is not asserted against the wall clock (a busy machine would fail it): CancellationTests proves
/// the cancellation reaches every loop, and CancellationBenchmarks measures the time.
/// </summary>
public class SignalTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"ce-signal-{Guid.NewGuid():N}");

    public SignalTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    internal const int SIGINT = 2, SIGTERM = 15;

    /// <summary>Start ce, wait until it is simulating, send the signal; return exit code and stderr.</summary>
    internal static (int Code, string Stderr) Interrupt(string[] args, int signal, Func<bool> running) =>
        InterruptTimed(args, signal, running) is var r ? (r.Code, r.Stderr) : default;

    /// <summary><see cref="Interrupt"/>, also returning the time from the signal to the process's exit.</summary>
    internal static (int Code, string Stderr, TimeSpan Latency) InterruptTimed(string[] args, int signal, Func<bool> running,
        string? phaseLog = null)
    {
        var psi = CeProcess.StartInfo(args);
        if (phaseLog != null) psi.Environment["CE_PHASE_LOG"] = phaseLog;
        if (signal == SIGINT && SigintIgnored()) psi = WithDefaultSigint(psi);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (!running() && !p.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(20);
        Assert.False(p.HasExited, "the command ended before it could be interrupted; make it longer");
        Assert.Equal(0, kill(p.Id, signal));
        var sent = Stopwatch.StartNew();
        Assert.True(p.WaitForExit(120_000), "did not stop within 120 s of the signal (a hang, not a slow machine)");
        var latency = sent.Elapsed;
        return (p.ExitCode, stderr.Result, latency);
    }

    /// <summary>
    /// True when this process ignores SIGINT (a job started in the background by a script): its children inherit the
    /// ignore, and .NET, like every Unix program, keeps an ignored SIGINT ignored.
    /// </summary>
    private static bool SigintIgnored()
    {
        string mask = File.ReadLines("/proc/self/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal))[7..].Trim();
        return (Convert.ToUInt64(mask, 16) & (1UL << (SIGINT - 1))) != 0;
    }

    /// <summary>The same command run through `env --default-signal=INT`, which restores SIGINT's default before exec (same pid).</summary>
    private static ProcessStartInfo WithDefaultSigint(ProcessStartInfo psi)
    {
        var wrapped = new ProcessStartInfo("/usr/bin/env")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = psi.WorkingDirectory, StandardOutputEncoding = psi.StandardOutputEncoding, StandardErrorEncoding = psi.StandardErrorEncoding,
        };
        wrapped.ArgumentList.Add("--default-signal=INT");
        wrapped.ArgumentList.Add(psi.FileName);
        foreach (var a in psi.ArgumentList) wrapped.ArgumentList.Add(a);
        wrapped.Environment.Clear();
        foreach (var (k, v) in psi.Environment) wrapped.Environment[k] = v;
        return wrapped;
    }

    [Theory]
    [InlineData(SIGINT)]
    [InlineData(SIGTERM)]
    public void RunStopsAndWritesNothing(int signal)
    {
        string outDir = Path.Combine(_dir, "run");
        var started = Stopwatch.StartNew();
        var (code, stderr) = Interrupt(
            new[] { "run", "--paths", "2000000", "--backend", "cpu", "--out", outDir, "--quiet" }, signal,
            () => started.Elapsed > TimeSpan.FromSeconds(2));   // JIT and setup done; simulating
        Assert.Equal(130, code);
        Assert.Contains("interrupted", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.False(Directory.Exists(outDir));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));   // no staging folder either
    }

    [Fact]
    public void SweepStopsOnSigtermKeepsItsCheckpointAndResumesToTheSameResult()
    {
        string file = Path.Combine(_dir, "sweep.yaml");
        File.WriteAllText(file, """
            scenario: neocloud-h100
            sweep:
              design: grid
              axes:
                - field: fleet.depreciation.book.useful_life_months
                  values: [36, 48, 60, 72]
                - field: fleet.financing.debt_share
                  values: [0.5, 0.7]
            """);
        string[] common = { "sweep", file, "--paths", "6000", "--backend", "cpu", "--quiet" };
        string full = Path.Combine(_dir, "full"), cut = Path.Combine(_dir, "cut");
        var reference = CeProcess.Run(common.Concat(new[] { "--out", full }), timeoutSeconds: 300);
        Assert.True(reference.ExitCode == 0, reference.ToString());

        string checkpoint = Path.Combine(cut, ".checkpoint.csv");
        var (code, stderr) = Interrupt(common.Concat(new[] { "--out", cut }).ToArray(), SIGTERM,
            () => File.Exists(checkpoint) && File.ReadAllLines(checkpoint).Length >= 4);
        Assert.Equal(130, code);
        Assert.Contains($"finish with: ce sweep {file} --out {cut} --paths 6000 --backend cpu --resume", stderr);
        Assert.True(File.Exists(checkpoint));
        Assert.False(File.Exists(Path.Combine(cut, "points.csv")));

        var resumed = CeProcess.Run(common.Concat(new[] { "--out", cut, "--resume" }), timeoutSeconds: 300);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(full, "points.csv")), File.ReadAllBytes(Path.Combine(cut, "points.csv")));
    }

    [Fact]
    public void SensitivityStopsOnSigtermAndSaysHowToResume()
    {
        string file = Path.Combine(_dir, "sens.yaml");
        File.WriteAllText(file, ComputeEconomics.Tests.Sweeps.SweepTestData.Grid);
        string cut = Path.Combine(_dir, "sens");
        string checkpoint = Path.Combine(cut, ".checkpoint.csv");
        var (code, stderr) = Interrupt(new[] { "sensitivity", file, "--paths", "6000", "--samples", "64", "--backend", "cpu", "--quiet", "--out", cut },
            SIGTERM, () => File.Exists(checkpoint) && File.ReadAllLines(checkpoint).Length >= 4);
        Assert.Equal(130, code);
        Assert.Contains($"finish with: ce sensitivity {file} --out {cut} --metric npv.mean --samples 64 --paths 6000 --backend cpu --resume", stderr);
        Assert.True(File.Exists(checkpoint));
    }
}
