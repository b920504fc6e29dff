using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Cli;

/// <summary>
/// Issue 18: --out is checked before any work, on every verb that writes (run, sweep, sensitivity, merge, report):
/// an empty name, the root folder, an existing file, a folder of other files, one that cannot be written, or (merge)
/// one of the shards being merged is exit code 2 naming --out and the rule, with nothing written.
/// </summary>
public sealed class OutputDestinationTests : TempFolderTest
{
    public OutputDestinationTests() : base("ce-out-tests-") { }

    private const string Sweep = """
        scenario: neocloud-h100
        sweep:
          axes:
            - field: fleet.financing.debt_share
              values: [0.3, 0.6]
        """;

    private static void AssertBadOut(IsolatedProcess.Result r, string rule)
    {
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("--out", r.StdErr);
        Assert.Contains(rule, r.StdErr);
        Assert.DoesNotContain("Exception", r.StdOut + r.StdErr);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("sweep")]
    [InlineData("sensitivity")]
    public void AnEmptyOrRootOutIsRefusedBeforeAnyWork(string verb)
    {
        string file = Path.Combine(Dir, "sweep.yaml");
        File.WriteAllText(file, Sweep);
        var args = verb == "run" ? new List<string> { "run" } : new List<string> { verb, file };
        args.AddRange(new[] { "--backend", "cpu", "--paths", "200", "--set", "horizon_months=24" });
        if (verb == "sensitivity") args.AddRange(new[] { "--samples", "2" });
        AssertBadOut(CeProcess.Run(args.Concat(new[] { "--out", "" })), "must name a folder");
        AssertBadOut(CeProcess.Run(args.Concat(new[] { "--out", "/" })), "must not be the root folder");
        Assert.False(File.Exists("/.checkpoint.csv"));
    }

    [Fact]
    public void AnExistingFileOrAForeignFolderIsRefusedBeforeTheSimulation()
    {
        string file = Path.Combine(Dir, "a-file");
        File.WriteAllText(file, "keep");
        // 20 million paths take many minutes on two cores: a refusal within the timeout came before the simulation.
        var r = CeProcess.Run(new[] { "run", "--backend", "cpu", "--paths", "20000000", "--out", file }, timeoutSeconds: 60);
        AssertBadOut(r, "is an existing file");
        Assert.Equal("keep", File.ReadAllText(file));

        string foreign = Path.Combine(Dir, "photos");
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "holiday.jpg"), "x");
        r = CeProcess.Run(new[] { "run", "--backend", "cpu", "--paths", "20000000", "--out", foreign }, timeoutSeconds: 60);
        AssertBadOut(r, "must be a new or empty folder, or one written by ce");
        Assert.Equal(new[] { "holiday.jpg" }, Directory.GetFileSystemEntries(foreign).Select(Path.GetFileName));

        r = CeProcess.Run(new[] { "run", "--backend", "cpu", "--paths", "20000000", "--out", Path.Combine(file, "sub") }, timeoutSeconds: 60);
        AssertBadOut(r, "is a file, not a folder");
        r = CeProcess.Run(new[] { "report", Dir, "--out", "/proc/ce-cannot-write-here" }, timeoutSeconds: 60);
        AssertBadOut(r, "must be a folder ce can write");
    }

    [Fact]
    public void AFolderLeftByAKilledPerPathRunIsWrittenByTheNextRun()
    {
        // SIGKILL leaves the folder the run created holding only its staging folder (paths.parquet part written); the next
        // run used to refuse it as "holds other files (.ce-staging-...)", though ce's own and removed by that run.
        string outDir = Path.Combine(Dir, "killed");
        using (var ce = System.Diagnostics.Process.Start(CeProcess.StartInfo(new[] { "run", "--backend", "cpu", "--threads", "1", "--quiet",
                   "--paths", "4000000", "--statistics", "sketch", "--out", outDir, "--per-path" }))!)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            // The --out check creates the folder, probes it and removes it again before the run makes it for good: the
            // folder may vanish between Exists and the listing.
            static bool Staged(string dir)
            {
                try { return Directory.Exists(dir) && Directory.EnumerateDirectories(dir, ".ce-staging-*").Any(); }
                catch (DirectoryNotFoundException) { return false; }
            }
            while (!Staged(outDir) && !ce.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
                Thread.Sleep(20);
            Assert.False(ce.HasExited, "the run ended before its staging folder was made");
            ce.Kill();
            ce.WaitForExit();
        }
        Assert.NotEmpty(Directory.EnumerateDirectories(outDir, ".ce-staging-*"));
        Assert.Empty(Directory.EnumerateFiles(outDir));
        var r = CeProcess.Run(new[] { "run", "--backend", "cpu", "--paths", "100", "--set", "horizon_months=12", "--quiet", "--out", outDir, "--per-path" });
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Empty(Directory.EnumerateDirectories(outDir, ".ce-staging-*"));   // the dead run's staging is removed
        Assert.True(File.Exists(Path.Combine(outDir, "paths.parquet")) && File.Exists(Path.Combine(outDir, "summary.json")));
    }

    [Fact]
    public void CompareAndCalibrateCheckTheirDestinationBeforeAnyWork()
    {
        string file = Path.Combine(Dir, "a-file");
        File.WriteAllText(file, "keep");
        // 20 million paths a scenario take many minutes on two cores: a refusal within the timeout came first.
        var r = CeProcess.Run(new[] { "compare", "neocloud-h100", "--variant", "b: fleet.operations.pue=1.4",
            "--backend", "cpu", "--paths", "20000000", "--out", file }, timeoutSeconds: 60);
        AssertBadOut(r, "is an existing file");
        r = CeProcess.Run(new[] { "calibrate", "price", "--data", Path.Combine(ComputeEconomics.Tests.Reports.SchemaTests.RepoRoot(), "data", "gpu_rents.csv"),
            "--generation", "H100", "--out", file }, timeoutSeconds: 60);
        AssertBadOut(r, "is an existing file");
        Assert.Equal("keep", File.ReadAllText(file));
    }

    [Fact]
    public void MergeRefusesToWriteOverOneOfItsShards()
    {
        string file = Path.Combine(Dir, "sweep.yaml");
        File.WriteAllText(file, Sweep);
        string s0 = Path.Combine(Dir, "s0"), s1 = Path.Combine(Dir, "s1");
        foreach (var (shard, dir) in new[] { ("0/2", s0), ("1/2", s1) })
        {
            var run = CeProcess.Run(new[] { "sweep", file, "--backend", "cpu", "--paths", "200", "--set", "horizon_months=24", "--shard", shard, "--out", dir, "--quiet" }, timeoutSeconds: 120);
            Assert.True(run.ExitCode == 0, run.ToString());
        }
        string before = File.ReadAllText(Path.Combine(s0, "points.csv"));
        var r = CeProcess.Run(new[] { "merge", s0, s1, "--out", s0 });
        AssertBadOut(r, "must not be one of the shard folders");
        Assert.Equal(before, File.ReadAllText(Path.Combine(s0, "points.csv")));
        r = CeProcess.Run(new[] { "merge", s0, s1, "--out", Path.Combine(Dir, "merged"), "--quiet" });
        Assert.True(r.ExitCode == 0, r.ToString());
    }
}
