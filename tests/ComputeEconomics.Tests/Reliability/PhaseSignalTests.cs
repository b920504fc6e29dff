using System.Diagnostics;
using ComputeEconomics.Tests.TestSupport;
using Xunit.Abstractions;
using static ComputeEconomics.Tests.Reliability.SignalTests;

namespace ComputeEconomics.Tests.Reliability;

/// <summary>
/// Issue 17, item 4: SIGINT and SIGTERM sent to a real `ce` process in the phases that used to run to their end
/// (calibrate's likelihood fits, sensitivity's bootstrap, a compare, a bench, an ilgpu-cpu batch) stop it with exit code
/// 130 and no output. The time from the signal to the exit is printed (docs/reliability.md records it) and asserted
/// only against a generous 5 s, far above the measured 0.1-0.3 s and far below the phases' own lengths (10-40 s),
/// so a busy machine does not fail it and a phase that ignores the signal does.
/// </summary>
public sealed class PhaseSignalTests : TempFolderTest
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);
    private readonly ITestOutputHelper _output;

    public PhaseSignalTests(ITestOutputHelper output) : base("ce-phase-signal-") => _output = output;

    /// <summary>Exit 130 within the bound, an "interrupted" message and no stack trace; the latency is printed.</summary>
    private void Interrupted(string what, (int Code, string Stderr, TimeSpan Latency) r)
    {
        _output.WriteLine($"{what}: exit {r.Code} {r.Latency.TotalMilliseconds:F0} ms after the signal");
        Assert.True(r.Code == 130, $"{what}: exit {r.Code}\n{r.Stderr}");
        Assert.Contains("interrupted", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.True(r.Latency < Bound, $"{what}: {r.Latency.TotalSeconds:F1} s from the signal to the exit");
    }

    /// <summary><see cref="Interrupted"/>, and nothing written to <paramref name="outDir"/>.</summary>
    private void Stopped(string what, (int Code, string Stderr, TimeSpan Latency) r, string outDir)
    {
        Interrupted(what, r);
        Assert.False(Directory.Exists(outDir), $"{what}: {outDir} was written");
    }

    private static Func<bool> After(double seconds)
    {
        var clock = Stopwatch.StartNew();
        return () => clock.Elapsed > TimeSpan.FromSeconds(seconds);
    }

    [Fact]
    public void CalibrateStopsInItsFits()
    {
        string data = Path.Combine(Reports.SchemaTests.RepoRoot(), "data", "gpu_rents.csv");
        string outDir = Path.Combine(Dir, "cal");
        Stopped("calibrate", InterruptTimed(new[] { "calibrate", "price", "--data", data, "--generation", "H100", "--out", outDir },
            SIGTERM, After(4)), outDir);   // the fits take some 35 s of the 40 on two cores
    }

    [Fact]
    public void SensitivityStopsInItsBootstrap()
    {
        string file = Path.Combine(Dir, "sens.yaml");
        File.WriteAllText(file, Sweeps.SweepTestData.Grid);
        string outDir = Path.Combine(Dir, "sens"), checkpoint = Path.Combine(outDir, ".checkpoint.csv");
        const int samples = 400, points = 1 + 2 * 2 + samples * (2 + 2);
        var r = InterruptTimed(new[] { "sensitivity", file, "--paths", "20", "--samples", $"{samples}", "--bootstrap", "100000", "--backend", "cpu", "--quiet", "--out", outDir },
            SIGINT, () => File.Exists(checkpoint) && File.ReadLines(checkpoint).Count() >= points + 2);   // every run done: the analysis is running
        Interrupted("sensitivity bootstrap", r);
        Assert.Contains("--resume", r.Stderr);                    // the checkpoint is kept, and the hint says how to finish
        Assert.False(File.Exists(Path.Combine(outDir, "sobol.csv")));
    }

    [Fact]
    public void CompareStopsInItsRuns()
    {
        string outDir = Path.Combine(Dir, "cmp");
        Stopped("compare", InterruptTimed(new[] { "compare", "hyperscaler-fleet", "neocloud-h100", "--paths", "2000000", "--backend", "cpu", "--quiet", "--out", outDir },
            SIGTERM, After(3)), outDir);
    }

    [Fact]
    public void BenchStops()
    {
        string outDir = Path.Combine(Dir, "none");
        Stopped("bench", InterruptTimed(new[] { "bench", "--backend", "cpu", "--paths", "2000000" }, SIGINT, After(3)), outDir);
    }

    [Fact]
    public void AnIlgpuCpuBatchStopsPartWay()
    {
        string outDir = Path.Combine(Dir, "ilgpu");
        // One batch of 200,000 paths (9 s of simulation on two idle cores, 2026-11-30; some 25 s loaded): stopped between
        // launches of 1,024 paths. Signalled 3 s into the simulation phase: a fixed 12 s from the start came after the end
        // on an idle machine.
        var (log, inSimulation) = Phase("simulation");
        Stopwatch? since = null;
        Stopped("ilgpu-cpu batch", InterruptTimed(new[] { "run", "--paths", "200000", "--batch", "200000", "--backend", "ilgpu-cpu", "--quiet", "--out", outDir },
            SIGINT, () => inSimulation() && (since ??= Stopwatch.StartNew()).Elapsed > TimeSpan.FromSeconds(3), log), outDir);
    }

    /// <summary>CE_PHASE_LOG's file, and a wait for a phase to be entered.</summary>
    private (string Log, Func<bool> In) Phase(string phase)
    {
        string log = Path.Combine(Dir, $"phases-{Guid.NewGuid():N}.log");
        return (log, () => File.Exists(log) && File.ReadLines(log).Any(l => l.StartsWith(phase + " ", StringComparison.Ordinal)));
    }

    [Fact]
    public void RunStopsInItsStatistics()
    {
        // 3,000,000 paths of 2 months: the simulation is short, the exact statistics (33 metrics sorted) are not.
        string outDir = Path.Combine(Dir, "stats");
        var (log, inStatistics) = Phase("statistics");
        Stopped("run statistics", InterruptTimed(new[] { "run", "--paths", "3000000", "--set", "horizon_months=2", "--statistics", "exact",
            "--backend", "cpu", "--quiet", "--out", outDir }, SIGTERM, inStatistics, log), outDir);
    }

    [Fact]
    public void RunReportIsSkippedAndTheRunsFilesAreKept()
    {
        // The report comes after the run's files are published: stopping it leaves them complete and says so.
        string outDir = Path.Combine(Dir, "rep");
        var (log, inReport) = Phase("report");
        var hist = new[] { "irr", "payback_month", "min_cash", "equity_value", "total_revenue", "total_ebitda", "mean_utilisation",
            "cost_per_gpu_hour", "market_value_y3", "overstatement_y3", "overstatement_peak", "overstatement_pv" }.SelectMany(m => new[] { "--histogram", m });
        var r = InterruptTimed(new[] { "run", "--paths", "20000", "--backend", "cpu", "--quiet", "--out", outDir, "--report" }.Concat(hist).ToArray(),
            SIGINT, inReport, log);
        Interrupted("run --report", r);
        Assert.Contains($"the run's files in {outDir} are complete; the report was not written (make it with: ce report {outDir})", r.Stderr);
        Assert.True(File.Exists(Path.Combine(outDir, "summary.json")));
        Assert.False(File.Exists(Path.Combine(outDir, "report.html")));
    }

    [Fact]
    public void SweepStopsInItsOptimizeRerunsAndTheHintKeepsTheOptimization()
    {
        string file = Path.Combine(Dir, "opt.yaml");
        File.WriteAllText(file, Sweeps.SweepTestData.Grid);
        string outDir = Path.Combine(Dir, "opt");
        var (log, inOptimize) = Phase("optimize");
        var r = InterruptTimed(new[] { "sweep", file, "--paths", "150000", "--set", "horizon_months=36", "--optimize", "npv.p50",
            "--runners-up", "3", "--backend", "cpu", "--quiet", "--out", outDir }, SIGTERM, inOptimize, log);
        Interrupted("sweep --optimize re-runs", r);
        Assert.Contains("--optimize npv.p50 --runners-up 3 --paths 150000 --set horizon_months=36 --backend cpu --resume", r.Stderr);
        Assert.False(File.Exists(Path.Combine(outDir, "points.csv")));
        Assert.False(File.Exists(Path.Combine(outDir, "optimize.csv")));
    }

    [Fact]
    public void MergeStopsInItsOptimizeReruns()
    {
        string file = Path.Combine(Dir, "merge.yaml");
        File.WriteAllText(file, Sweeps.SweepTestData.Grid);
        string[] common = { "sweep", file, "--paths", "150000", "--set", "horizon_months=36", "--backend", "cpu", "--quiet" };
        var shards = new[] { Path.Combine(Dir, "s0"), Path.Combine(Dir, "s1") };
        for (int k = 0; k < 2; k++)
        {
            var shard = CeProcess.Run(common.Concat(new[] { "--shard", $"{k}/2", "--out", shards[k] }), timeoutSeconds: 300);
            Assert.True(shard.ExitCode == 0, shard.ToString());
        }
        string outDir = Path.Combine(Dir, "merged");
        var (log, inOptimize) = Phase("optimize");
        Stopped("merge --optimize", InterruptTimed(new[] { "merge", shards[0], shards[1], "--out", outDir, "--optimize", "npv.p50",
            "--backend", "cpu", "--quiet" }, SIGINT, inOptimize, log), outDir);
    }

    [Fact]
    public void InferenceStopsInItsSamples()
    {
        // 100,000 samples of the 405B serving search take some 10 s of the CPU on two cores.
        string outDir = Path.Combine(Dir, "inf");
        Stopped("inference --samples", InterruptTimed(new[] { "inference", "--model", "llama-3.1-405b", "--samples", "100000",
            "--min-user-tokens-per-s", "20", "--out", outDir }, SIGTERM, After(2)), outDir);
    }

    [Fact]
    public void SweepStopsInItsReportAndKeepsItsCheckpoint()
    {
        // A Latin hypercube over 8 axes draws one chart an axis: the report is drawn before anything is published.
        string file = Path.Combine(Dir, "lhs.yaml");
        File.WriteAllText(file, """
            scenario: neocloud-h100
            sweep:
              design: latin_hypercube
              points: 16
              axes:
                - { field: fleet.financing.debt_share, from: 0.3, to: 0.7 }
                - { field: fleet.financing.wacc, from: 0.08, to: 0.14 }
                - { field: fleet.operations.pue, from: 1.1, to: 1.5 }
                - { field: fleet.depreciation.book.useful_life_months, from: 36, to: 72 }
                - { field: fleet.financing.debt_rate, from: 0.05, to: 0.12 }
                - { field: fleet.financing.tax_rate, from: 0.15, to: 0.3 }
                - { field: fleet.financing.initial_cash, from: 20000000, to: 80000000 }
                - { field: fleet.operations.wind_down_months, from: 0, to: 12 }
            """);
        string outDir = Path.Combine(Dir, "lhs"), checkpoint = Path.Combine(outDir, ".checkpoint.csv");
        var (log, inReport) = Phase("report");
        var r = InterruptTimed(new[] { "sweep", file, "--paths", "200", "--backend", "cpu", "--quiet", "--out", outDir, "--report" },
            SIGINT, inReport, log);
        Interrupted("sweep --report", r);
        Assert.Contains("--report --paths 200 --backend cpu --resume", r.Stderr);
        Assert.True(File.Exists(checkpoint));
        Assert.False(File.Exists(Path.Combine(outDir, "points.csv")));
        Assert.False(File.Exists(Path.Combine(outDir, "report.html")));
    }
}
