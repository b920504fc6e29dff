using System.Diagnostics;
using System.Globalization;
using System.Text;
using ComputeEconomics.Backends;
using ComputeEconomics.Sweeps;
using ComputeEconomics.Tests.TestSupport;
using Parquet;
using Parquet.Schema;

namespace ComputeEconomics.Tests.Sweeps;

/// <summary>Common random numbers, determinism, sharding and merging, checkpoints and resume, Parquet read-back.</summary>
public sealed class SweepRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ce-sweep-tests-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static string Csv(SweepOutcome o) => o.Table.Csv(o.Rows);

    private static double Value(SweepOutcome o, int point, string column) => o.Rows.Single(r => r.Point == point).Values[o.Table.IndexOf(column)];

    [Fact]
    public void PointsShareTheirRandomNumbers()
    {
        // Book life changes the books, not the cash flows (tax follows MACRS): with the same draws on every path,
        // the NPV statistics of two points that differ only in book life are identical; the book is not.
        var o = SweepTestData.Run(SweepTestData.Plan(SweepTestData.Grid));
        foreach (var stat in new[] { "npv_mean", "npv_p5", "npv_cvar5", "default_probability" })
            Assert.Equal(Value(o, 0, stat), Value(o, 1, stat));
        Assert.NotEqual(Value(o, 0, "final_book_value_mean"), Value(o, 1, "final_book_value_mean"));
        Assert.NotEqual(Value(o, 0, "min_cash_mean"), Value(o, 2, "min_cash_mean"));
    }

    [Fact]
    public void ResultsDoNotDependOnBatchSizeThreadsOrShards()
    {
        var plan = SweepTestData.Plan(SweepTestData.Grid);
        string reference = Csv(SweepTestData.Run(plan));
        Assert.Equal(reference, Csv(SweepTestData.Run(plan, new SweepRunOptions { BatchSize = 7 }, threads: 1)));

        var shards = Enumerable.Range(0, 4).Select(k =>
        {
            var o = SweepTestData.Run(plan, new SweepRunOptions { Shard = new Shard(k, 4) });
            string dir = Path.Combine(_dir, $"shard{k}");
            SweepOutput.WriteAll(dir, SweepOutput.Files(plan, o.Table, o.Rows, o.Shard, o.Backend, o.Device, o.MathPath, SweepOutput.Timings(o)));
            Assert.All(o.Rows, r => Assert.Equal(k, r.Point % 4));
            return dir;
        }).ToList();
        var merged = SweepMerge.Merge(shards);
        string full = Path.Combine(_dir, "full"), mergedDir = Path.Combine(_dir, "merged");
        var all = SweepTestData.Run(plan);
        SweepOutput.WriteAll(full, SweepOutput.Files(plan, all.Table, all.Rows, null, all.Backend, all.Device, all.MathPath, SweepOutput.Timings(all)));
        SweepOutput.WriteAll(mergedDir, SweepOutput.Files(merged.Plan, merged.Table, merged.Rows, null, merged.Backend, merged.Device, merged.MathPath, merged.Timings));
        Assert.Equal(File.ReadAllBytes(Path.Combine(full, "points.csv")), File.ReadAllBytes(Path.Combine(mergedDir, "points.csv")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(full, "points.parquet")), File.ReadAllBytes(Path.Combine(mergedDir, "points.parquet")));
        Assert.Equal(reference, File.ReadAllText(Path.Combine(full, "points.csv")));

        var missing = Assert.Throws<InputException>(() => SweepMerge.Merge(shards.Take(3).ToList()));
        Assert.Contains("points missing", missing.Errors[0].Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParquetReadsBackWithTheCsvValues()
    {
        var plan = SweepTestData.Plan(SweepTestData.Grid);
        var o = SweepTestData.Run(plan);
        string path = Path.Combine(_dir, "p.parquet");
        File.WriteAllBytes(path, o.Table.Parquet(o.Rows));
        await using var reader = await ParquetReader.CreateAsync(path);
        Assert.Equal(o.Table.Columns, reader.Schema.GetDataFields().Select(f => f.Name));
        Assert.Equal(1, reader.RowGroupCount);
        using var rg = reader.OpenRowGroupReader(0);
        Assert.Equal(6, rg.RowCount);
        var fields = reader.Schema.GetDataFields();
        var point = new long[6];
        await rg.ReadAsync<long>(fields[0], point);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5 }, point);
        var debt = new double?[6];
        await rg.ReadAsync<double>(fields[1], debt);
        Assert.Equal(new double?[] { 0.3, 0.3, 0.5, 0.5, 0.7, 0.7 }, debt);
        var life = new long?[6];
        await rg.ReadAsync<long>(fields[2], life);
        Assert.Equal(new long?[] { 48, 72, 48, 72, 48, 72 }, life);
        foreach (var column in new[] { "npv_mean", "npv_cvar5", "irr_p50", "default_probability" })
        {
            var f = reader.Schema.FindDataField(column);
            var values = new double?[6];
            await rg.ReadAsync<double>(f, values);
            for (int i = 0; i < 6; i++)
            {
                double expected = o.Rows[i].Values[o.Table.IndexOf(column)];
                if (double.IsNaN(expected)) Assert.Null(values[i]);
                else Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(values[i]!.Value));
            }
        }
        var count = new long[6];
        await rg.ReadAsync<long>(reader.Schema.FindDataField("npv_count"), count);
        Assert.All(count, c => Assert.Equal(300, c));
    }

    [Fact]
    public void ResumeAfterAnInterruptionGivesTheUninterruptedResult()
    {
        var plan = SweepTestData.Plan(SweepTestData.Grid);
        string reference = Csv(SweepTestData.Run(plan));
        string checkpoint = Path.Combine(_dir, "out", SweepOutput.CheckpointFile);
        using var cts = new CancellationTokenSource();
        var options = new SweepRunOptions
        {
            CheckpointPath = checkpoint,
            Cancellation = cts.Token,
            Progress = p => { if (p.PointsDone >= 2) cts.Cancel(); },
        };
        Assert.ThrowsAny<OperationCanceledException>(() => SweepTestData.Run(plan, options));
        // A kill while appending leaves a torn row: it must be dropped, not trusted.
        var lines = File.ReadAllLines(checkpoint);
        Assert.Equal(2 + 2, lines.Length);
        File.AppendAllText(checkpoint, lines[^1][..(lines[^1].Length / 2)].Replace("1,", "3,", StringComparison.Ordinal));

        var refused = Assert.Throws<InputException>(() => SweepTestData.Run(plan, new SweepRunOptions { CheckpointPath = checkpoint }));
        Assert.Equal("--resume", refused.Errors[0].Field);

        var resumed = SweepTestData.Run(plan, new SweepRunOptions { CheckpointPath = checkpoint, Resume = true });
        Assert.Equal(2, resumed.PointsResumed);
        Assert.Equal(4, resumed.PointsRun);
        Assert.Equal(reference, Csv(resumed));

        var other = SweepTestData.Plan(SweepTestData.Grid, paths: 301);
        var mismatch = Assert.Throws<InputException>(() => SweepTestData.Run(other, new SweepRunOptions { CheckpointPath = checkpoint, Resume = true }));
        Assert.Contains("another sweep", mismatch.Errors[0].Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void KilledSweepProcessResumesToIdenticalFiles()
    {
        string file = Path.Combine(_dir, "grid.yaml");
        File.WriteAllText(file, SweepTestData.Grid);
        string outFull = Path.Combine(_dir, "full"), outKilled = Path.Combine(_dir, "killed");
        string[] common = { "sweep", file, "--paths", "5000", "--set", "horizon_months=60", "--backend", "cpu", "--quiet" };
        var full = CeProcess.Run(common.Concat(new[] { "--out", outFull }), timeoutSeconds: 300);
        Assert.True(full.ExitCode == 0, full.ToString());

        var psi = CeProcess.StartInfo(common.Concat(new[] { "--out", outKilled }));
        using (var p = Process.Start(psi)!)
        {
            string cp = Path.Combine(outKilled, SweepOutput.CheckpointFile);
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(120) && !p.HasExited && (!File.Exists(cp) || File.ReadAllLines(cp).Length < 3))
                Thread.Sleep(20);
            Assert.False(p.HasExited, "the sweep finished before it could be killed; make it longer");
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(outKilled, "points.csv")));
        var again = CeProcess.Run(common.Concat(new[] { "--out", outKilled }), timeoutSeconds: 60);
        Assert.Equal(2, again.ExitCode);
        var resumed = CeProcess.Run(common.Concat(new[] { "--out", outKilled, "--resume" }), timeoutSeconds: 300);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(outFull, "points.csv")), File.ReadAllBytes(Path.Combine(outKilled, "points.csv")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(outFull, "points.parquet")), File.ReadAllBytes(Path.Combine(outKilled, "points.parquet")));
        Assert.False(File.Exists(Path.Combine(outKilled, SweepOutput.CheckpointFile)));
        string manifest = File.ReadAllText(Path.Combine(outKilled, "manifest.json"), Encoding.UTF8);
        Assert.DoesNotContain("\"points_resumed\": 0,", manifest, StringComparison.Ordinal);
    }

    [Fact]
    public void PairedDifferencesHaveSmallerErrorsThanIndependentOnes()
    {
        var plan = SweepTestData.Plan(SweepTestData.Grid, paths: 2000);
        var o = SweepTestData.Run(plan);
        var objective = Objective.Parse("npv.mean", "auto", o.Table);
        Assert.True(objective.Maximize);
        var r = SweepOptimizer.Optimize(plan, o.Table, o.Rows, objective, new CpuBackend(), 5, null, CancellationToken.None);
        int col = o.Table.IndexOf("npv_mean");
        double bestValue = o.Rows.Max(x => x.Values[col]);
        Assert.Equal(bestValue, r.Ranking[0].Value);
        Assert.Equal(6, r.Ranking.Count);
        foreach (var c in r.Ranking.Skip(1))
        {
            Assert.True(c.Difference >= 0, c.ToString());
            Assert.Equal(bestValue - c.Value, c.Difference);
            // Paired errors are never zero here (debt share changes path-dependent cash), and far below independent ones.
            if (c.Difference > 0) Assert.True(c.PairedStdError > 0 && c.PairedStdError < 0.5 * c.UnpairedStdError, c.ToString());
        }
        Assert.False(Objective.Parse("default_probability", "auto", o.Table).Maximize);
        var bad = Assert.Throws<InputException>(() => Objective.Parse("npv.median", "auto", o.Table));
        Assert.Equal("--optimize", bad.Errors[0].Field);
    }

    [Fact]
    public void CliRejectsBadShardsAndReportsAxisErrorsWithExitCode2()
    {
        string file = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(file, """
            scenario: neocloud-h100
            sweep:
              axes:
                - { field: fleet.depreciation.book.useful_life_months, values: [0, 48] }
            """);
        var r = CeProcess.Run(new[] { "sweep", file, "--backend", "cpu" });
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("sweep.axes[0] (fleet.depreciation.book.useful_life_months): 0 must be in [1, 600]", r.StdErr, StringComparison.Ordinal);
        File.WriteAllText(file, SweepTestData.Grid);
        var s = CeProcess.Run(new[] { "sweep", file, "--shard", "4/4" });
        Assert.Equal(2, s.ExitCode);
        Assert.Contains("--shard: 4/4 must be K/N", s.StdErr, StringComparison.Ordinal);
    }
}
