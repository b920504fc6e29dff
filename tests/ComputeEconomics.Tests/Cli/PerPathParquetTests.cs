using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Output;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.Reliability;
using ComputeEconomics.Tests.TestSupport;
using Parquet;
using Parquet.Schema;

namespace ComputeEconomics.Tests.Cli;

/// <summary>
/// Issue 17, item 1 (last clause): <c>ce run --out DIR --per-path</c> writes paths.parquet, every path's metrics, only on
/// request; streamed in row groups at fixed global positions (bytes independent of batch size and threads), staged and
/// installed with the run's files (no file after an error, an interruption or a full disk).
/// </summary>
public class PerPathParquetTests : TempFolderTest
{
    public PerPathParquetTests() : base("ce-perpath-") { }

    /// <summary>A file read back: the column names in order, each column (null = absent) and the key/value metadata.</summary>
    private sealed record PathsFile(List<string> Names, long[] Path, double?[][] Metrics, int RowGroups, List<long> GroupRows,
        IReadOnlyDictionary<string, string> Metadata);

    private static PathsFile Read(string file)
    {
        using var stream = File.OpenRead(file);
        return Read(stream);
    }

    private static PathsFile Read(Stream stream) => Task.Run(async () =>
    {
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        long rows = 0;
        var groupRows = new List<long>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            groupRows.Add(rg.RowCount);
            rows += rg.RowCount;
        }
        var path = new long[rows];
        var metrics = new double?[fields.Length - 1][];
        for (int j = 0; j < metrics.Length; j++) metrics[j] = new double?[rows];
        long at = 0;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            int n = (int)rg.RowCount;
            await rg.ReadAsync<long>(fields[0], path.AsMemory((int)at, n));
            for (int j = 0; j < metrics.Length; j++) await rg.ReadAsync<double>(fields[j + 1], metrics[j].AsMemory((int)at, n));
            at += n;
        }
        return new PathsFile(fields.Select(f => f.Name).ToList(), path, metrics, reader.RowGroupCount, groupRows, reader.CustomMetadata);
    }).GetAwaiter().GetResult();

    private string RunCe(string name, params string[] args)
    {
        string dir = Path.Combine(Dir, name);
        var r = CeProcess.Run(new[] { "run", "--backend", "cpu", "--quiet", "--out", dir, "--per-path" }.Concat(args), timeoutSeconds: 300);
        Assert.True(r.ExitCode == 0, r.ToString());
        return dir;
    }

    /// <summary>
    /// Hyndman and Fan (1996) type 7, numpy's default <c>quantile(method="linear")</c>: h = (n - 1) p, j = floor(h),
    /// g = h - j; interpolated as numpy's <c>_lerp</c> (a + (b - a) g, or b - (b - a)(1 - g) when g >= 0.5), the order
    /// statistic itself where g = 0 or the neighbours are equal (docs: Statistics/Quantiles.cs's stated rule).
    /// </summary>
    private static double Type7(double[] sorted, double p)
    {
        int n = sorted.Length;
        if (n == 0) return double.NaN;
        double h = (n - 1) * p;
        int j = (int)Math.Floor(h);
        if (j >= n - 1) return sorted[n - 1];
        double g = h - j, a = sorted[j], b = sorted[j + 1];
        if (g == 0 || a == b) return a;
        double d = b - a;
        return g >= 0.5 ? b - d * (1 - g) : a + d * g;
    }

    /// <summary>The exact mean of the present values by Neumaier's compensated sum, and the mean of their magnitudes.</summary>
    private static (double Mean, double MeanAbs) CompensatedMean(double[] values)
    {
        double sum = 0, c = 0, abs = 0;
        foreach (double x in values)
        {
            double t = sum + x;
            c += Math.Abs(sum) >= Math.Abs(x) ? (sum - t) + x : (x - t) + sum;
            sum = t;
            abs += Math.Abs(x);
        }
        return ((sum + c) / values.Length, abs / values.Length);
    }

    private static double Json(JsonElement e) => e.ValueKind == JsonValueKind.Null ? double.NaN : e.GetDouble();

    [Fact]
    public void EveryPathIsARowAndTheColumnsGiveSummaryJsonsMeanAndPercentiles()
    {
        string dir = RunCe("exact", "--paths", "3000", "--seed", "11", "--statistics", "exact");
        var file = Read(Path.Combine(dir, PathsParquet.FileName));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        var metrics = summary.RootElement.GetProperty("metrics").EnumerateObject().ToList();

        Assert.Equal(new[] { "path" }.Concat(metrics.Select(m => m.Name)), file.Names);
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => (long)i), file.Path);
        var ps = new (string Key, double P)[] { ("p1", 0.01), ("p5", 0.05), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75), ("p95", 0.95), ("p99", 0.99) };
        for (int j = 0; j < metrics.Count; j++)
        {
            var m = metrics[j].Value;
            var present = file.Metrics[j].Where(v => v.HasValue).Select(v => v!.Value).ToArray();
            Assert.Equal(m.GetProperty("count").GetInt64(), present.Length);
            Assert.Equal(m.GetProperty("absent").GetInt64(), 3000 - present.Length);
            if (present.Length == 0) continue;
            var (mean, meanAbs) = CompensatedMean(present);
            double reported = Json(m.GetProperty("mean"));
            Assert.True(Math.Abs(reported - mean) <= 1e-12 * Math.Max(Math.Abs(mean), meanAbs),
                $"{metrics[j].Name}: summary.json mean {reported:R}, from the column {mean:R}");
            Array.Sort(present);
            foreach (var (key, p) in ps)
                Assert.True(Json(m.GetProperty(key)) == Type7(present, p),
                    $"{metrics[j].Name}.{key}: summary.json {Json(m.GetProperty(key)):R}, type 7 of the column {Type7(present, p):R}");
        }

        var meta = file.Metadata;
        Assert.Equal("neocloud-h100", meta["scenario"]);
        Assert.Equal("11", meta["seed"]);
        Assert.Equal("3000", meta["paths"]);
        Assert.Equal("cpu", meta["backend"]);
        Assert.Equal(summary.RootElement.GetProperty("math_path").GetString(), meta["math_path"]);
        Assert.Equal(summary.RootElement.GetProperty("engine_version").GetString(), meta["engine_version"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, "scenario.yaml")))), meta["scenario_sha256"]);
        using var units = JsonDocument.Parse(meta["units"]);
        foreach (var m in metrics) Assert.Equal(m.Value.GetProperty("unit").GetString(), units.RootElement.GetProperty(m.Name).GetString());
    }

    [Fact]
    public void TheFileIsTheSameWhateverTheBatchSizeOrThreadsAndRunToRun()
    {
        // 70,000 paths: two row groups (65,536 + 4,464), batches of 3,000 and 20,000 cross the group boundary.
        string[] common = { "--paths", "70000", "--set", "horizon_months=24", "--statistics", "sketch" };
        string a = RunCe("a", common.Concat(new[] { "--batch", "3000", "--threads", "1" }).ToArray());
        string b = RunCe("b", common.Concat(new[] { "--batch", "20000" }).ToArray());
        string c = RunCe("c", common.Concat(new[] { "--batch", "20000" }).ToArray());
        byte[] bytes = File.ReadAllBytes(Path.Combine(a, PathsParquet.FileName));
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(b, PathsParquet.FileName)));
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(c, PathsParquet.FileName)));
        var file = Read(Path.Combine(a, PathsParquet.FileName));
        Assert.Equal(new long[] { 65_536, 4_464 }, file.GroupRows);
        Assert.Equal(69_999, file.Path[^1]);
        // Streamed statistics: the moments are exact, so the columns still give summary.json's means.
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(a, "summary.json")));
        Assert.Equal("sketch", summary.RootElement.GetProperty("statistics").GetProperty("method").GetString());
        var metrics = summary.RootElement.GetProperty("metrics").EnumerateObject().ToList();
        for (int j = 0; j < metrics.Count; j++)
        {
            var present = file.Metrics[j].Where(v => v.HasValue).Select(v => v!.Value).ToArray();
            if (present.Length == 0) continue;
            var (mean, meanAbs) = CompensatedMean(present);
            double reported = Json(metrics[j].Value.GetProperty("mean"));
            Assert.True(Math.Abs(reported - mean) <= 1e-12 * Math.Max(Math.Abs(mean), meanAbs), $"{metrics[j].Name}: {reported:R} vs {mean:R}");
        }
    }

    [Fact]
    public void DeviceStatisticsCopyThePerPathMetricsAndTheyEqualTheCpuBackends()
    {
        string[] common = { "--paths", "300", "--set", "horizon_months=24" };
        string cpu = RunCe("cpu", common.Concat(new[] { "--statistics", "exact" }).ToArray());
        string dir = Path.Combine(Dir, "device");
        var r = CeProcess.Run(new[] { "run", "--backend", "ilgpu-cpu", "--statistics", "device", "--quiet", "--out", dir, "--per-path" }.Concat(common),
            timeoutSeconds: 300);
        Assert.True(r.ExitCode == 0, r.ToString());
        var expected = Read(Path.Combine(cpu, PathsParquet.FileName));
        var device = Read(Path.Combine(dir, PathsParquet.FileName));
        Assert.Equal("ilgpu-cpu", device.Metadata["backend"]);
        Assert.Equal(expected.Names, device.Names);
        Assert.Equal(expected.Path, device.Path);
        for (int j = 0; j < expected.Metrics.Length; j++)
            for (int i = 0; i < 300; i++)   // the cpu and ilgpu-cpu backends are bit-identical
                Assert.True(BitConverter.DoubleToInt64Bits(expected.Metrics[j][i] ?? double.NaN) == BitConverter.DoubleToInt64Bits(device.Metrics[j][i] ?? double.NaN),
                    $"{expected.Names[j + 1]} of path {i}: cpu {expected.Metrics[j][i]:R}, ilgpu-cpu {device.Metrics[j][i]:R}");
    }

    [Fact]
    public void AnAdaptiveRunWritesThePathsItStoppedAt()
    {
        string dir = RunCe("adaptive", "--paths", "100000", "--set", "horizon_months=24", "--target-stderr", "npv.mean=20%", "--max-paths", "16384");
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        long paths = summary.RootElement.GetProperty("paths").GetInt64();
        var file = Read(Path.Combine(dir, PathsParquet.FileName));
        Assert.Equal(Enumerable.Range(0, (int)paths).Select(i => (long)i), file.Path);
    }

    [Fact]
    public void PerPathWithoutOutIsExit2NamingTheOption()
    {
        var r = CeProcess.Run(new[] { "run", "--paths", "100", "--backend", "cpu", "--per-path" });
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--per-path", r.StdErr);
        Assert.Contains("needs --out", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
        // Refused after paths.parquet's staging folder was opened: the folder the run created goes with it.
        string outDir = Path.Combine(Dir, "refused");
        var device = CeProcess.Run(new[] { "run", "--paths", "100", "--backend", "cpu", "--statistics", "device", "--per-path", "--out", outDir });
        Assert.Equal(2, device.ExitCode);
        Assert.Contains("needs an ILGPU backend", device.StdErr);
        Assert.False(Directory.Exists(outDir));
    }

    [Theory]
    [InlineData(SignalTests.SIGINT)]
    [InlineData(SignalTests.SIGTERM)]
    public void AnInterruptedRunLeavesNoFileNorStaging(int signal)
    {
        string outDir = Path.Combine(Dir, "cut");
        // Interrupted while paths.parquet is being written: a row group is already in its staging folder.
        // ce's write probe creates the folder and removes it again before the run: the folder can vanish under the poll.
        bool Writing() => WhileFoldersChange(() => Directory.Exists(outDir)
            && Directory.EnumerateFiles(outDir, PathsParquet.FileName, SearchOption.AllDirectories).Any(f => new FileInfo(f).Length > 4));
        var (code, stderr) = SignalTests.Interrupt(
            new[] { "run", "--paths", "4000000", "--backend", "cpu", "--statistics", "sketch", "--out", outDir, "--per-path", "--quiet" }, signal, Writing);
        Assert.Equal(130, code);
        Assert.Contains("interrupted", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.False(Directory.Exists(outDir), "the folder the run created is removed with its staging folder");
        Assert.Empty(Directory.GetFileSystemEntries(Dir));
    }

    [Fact]
    public void AnEarlierRunsFilesStayWhenAPerPathRunIsInterrupted()
    {
        string outDir = RunCe("kept", "--paths", "200", "--set", "horizon_months=24");
        byte[] before = File.ReadAllBytes(Path.Combine(outDir, PathsParquet.FileName));
        bool Writing() => WhileFoldersChange(() => Directory.EnumerateDirectories(outDir, ".ce-staging-*")
            .Any(d => File.Exists(Path.Combine(d, PathsParquet.FileName)) && new FileInfo(Path.Combine(d, PathsParquet.FileName)).Length > 4));
        var (code, _) = SignalTests.Interrupt(
            new[] { "run", "--paths", "4000000", "--backend", "cpu", "--statistics", "sketch", "--out", outDir, "--per-path", "--quiet" }, SignalTests.SIGTERM, Writing);
        Assert.Equal(130, code);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(outDir, PathsParquet.FileName)));
        Assert.True(File.Exists(Path.Combine(outDir, "summary.json")));
        Assert.Empty(Directory.EnumerateDirectories(outDir, ".ce-staging-*"));
    }

    /// <summary>A poll of folders that a running ce creates, renames and removes: a folder or file that disappears between
    /// two steps of the poll means "not yet" (false), not an error of the test.</summary>
    private static bool WhileFoldersChange(Func<bool> poll)
    {
        try { return poll(); }
        catch (Exception ex) when (ex is DirectoryNotFoundException or FileNotFoundException) { return false; }
    }

    /// <summary>A tmpfs of <paramref name="size"/> mounted under the test folder for <paramref name="body"/>, unmounted after.</summary>
    private void OnTmpfs(string size, Action<string> body)
    {
        string mount = Path.Combine(Dir, "tmpfs");
        Directory.CreateDirectory(mount);
        using (var p = Process.Start("mount", new[] { "-t", "tmpfs", "-o", $"size={size}", "tmpfs", mount })) { p.WaitForExit(); Assert.Equal(0, p.ExitCode); }
        try
        {
            body(mount);
        }
        finally
        {
            using var u = Process.Start("umount", new[] { mount });
            u.WaitForExit();
        }
    }

    [RootFact]
    public void AnOutWithoutRoomForTheFileIsRefusedBeforeTheRun()
    {
        // 3,000 paths x 34 columns x 8 bytes is about 0.8 MB before compression (some 450 KB written): no room in 128 KiB.
        // It used to run and fail at the full disk (exit code 1); a run of 1e8 paths would do so an hour in.
        OnTmpfs("128k", mount =>
        {
            var r = CeProcess.Run(new[] { "run", "--paths", "3000", "--backend", "cpu", "--quiet", "--out", Path.Combine(mount, "run"), "--per-path" });
            Assert.True(r.ExitCode == 2, r.ToString());
            Assert.Contains("error: --per-path: (3,000 paths) paths.parquet needs up to", r.StdErr);
            Assert.Contains("free: give fewer paths or another --out", r.StdErr);
            Assert.DoesNotContain("   at ", r.StdErr);
            Assert.Empty(Directory.GetFileSystemEntries(mount));
        });
    }

    [RootFact]
    public void ADiskThatFillsUpWhileTheFileIsWrittenIsExit1AndLeavesNoFile()
    {
        // Room for the file when the run starts (100,000 paths: at most 27.8 MB in 40 MiB), then another writer fills the disk.
        OnTmpfs("40m", mount =>
        {
            string outDir = Path.Combine(mount, "run");
            using var ce = Process.Start(CeProcess.StartInfo(new[] { "run", "--paths", "100000", "--backend", "cpu", "--threads", "1", "--quiet", "--out", outDir, "--per-path" }))!;
            using var end = new KillOnDispose(ce);   // a failed assertion must not leave it running on the mount
            var stderr = ce.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            while (!(Directory.Exists(outDir) && Directory.EnumerateDirectories(outDir, ".ce-staging-*").Any(d => File.Exists(Path.Combine(d, PathsParquet.FileName))))
                   && !ce.HasExited
                   && clock.Elapsed < TimeSpan.FromSeconds(60))
                Thread.Sleep(20);
            Assert.False(ce.HasExited, "the run ended before paths.parquet was opened");   // (stderr.Result here would wait for the exit)
            FillUp(Path.Combine(mount, "filler"));
            Assert.True(ce.WaitForExit(TimeSpan.FromSeconds(120)), "the run did not end");
            Assert.True(ce.ExitCode == 1, $"exit {ce.ExitCode}: {stderr.Result}");
            Assert.Contains("cannot write", stderr.Result);
            Assert.DoesNotContain("   at ", stderr.Result);
            Assert.Equal(new[] { "filler" }, Directory.GetFileSystemEntries(mount).Select(Path.GetFileName));
        });
    }

    private sealed class KillOnDispose(Process process) : IDisposable
    {
        public void Dispose()
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    /// <summary>Write zeros to <paramref name="file"/> until the file system is full.</summary>
    private static void FillUp(string file)
    {
        var block = new byte[1 << 16];
        using var s = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
        try
        {
            while (true) s.Write(block);
        }
        catch (IOException) { }
    }

    [Fact]
    public void RowGroupsSitAtFixedGlobalPositionsWhateverTheBatches()
    {
        // Synthetic metric-major batches: metric 0 = path index, metric 1 = NaN (absent) on every 7th path, infinity on every 11th.
        string[] names = { "a", "b" };
        static double Value(int j, long path) => j == 0 ? path : path % 7 == 0 ? double.NaN : path % 11 == 0 ? double.PositiveInfinity : -0.5 * path;
        byte[] Write(int[] batches)
        {
            var ms = new MemoryStream();
            var w = new PathsParquet(ms, names, new Dictionary<string, string> { ["k"] = "v" }, "test", firstPath: 1500, rowGroupPaths: 1000);
            long at = 1500;
            foreach (int count in batches)
            {
                var buffer = new double[2 * count];
                for (int j = 0; j < 2; j++) for (int i = 0; i < count; i++) buffer[j * count + i] = Value(j, at + i);
                w.Add(buffer, count, at);
                at += count;
            }
            w.Finish();
            return ms.ToArray();   // Finish closed the stream; a MemoryStream's bytes stay readable
        }
        byte[] one = Write(new[] { 3200 });
        Assert.Equal(one, Write(new[] { 1, 499, 1000, 1700 }));
        Assert.Equal(one, Write(new[] { 333, 333, 333, 333, 333, 333, 333, 333, 333, 203 }));
        var file = Read(new MemoryStream(one));
        Assert.Equal(new long[] { 500, 1000, 1000, 700 }, file.GroupRows);   // 1500..1999, 2000..2999, 3000..3999, 4000..4699
        Assert.Equal(Enumerable.Range(1500, 3200).Select(i => (long)i), file.Path);
        for (int i = 0; i < 3200; i++)
        {
            long p = 1500 + i;
            Assert.Equal(p, file.Metrics[0][i]);
            Assert.Equal(double.IsNaN(Value(1, p)) ? null : Value(1, p), file.Metrics[1][i]);
        }
        Assert.Equal("v", file.Metadata["k"]);
        Assert.Equal("1000", file.Metadata["row_group_paths"]);
        Assert.Equal("3200", file.Metadata["paths"]);
        Assert.Throws<InvalidOperationException>(() => new PathsParquet(new MemoryStream(), names, new Dictionary<string, string>(), "t").Add(new double[2], 1, 5));
    }

    [Fact]
    public void TheFileIsNeverLargerThanItsSpaceCheckAllows()
    {
        // Incompressible values (uniform random bits that are numbers, none absent) over two row groups and a partial
        // third: Snappy cannot shrink them, so the file is close to the bound, never above it.
        const int k = 5, paths = 2 * PathsParquet.RowGroupPaths + 1234;
        var random = new Random(17);
        var ms = new MemoryStream();
        var w = new PathsParquet(ms, Enumerable.Range(0, k).Select(j => $"m{j}").ToList(), new Dictionary<string, string>(), "t");
        var buffer = new double[k * 10_000];
        for (long at = 0; at < paths; at += 10_000)
        {
            int count = (int)Math.Min(10_000, paths - at);
            for (int i = 0; i < k * count; i++)
            {
                double x;
                do x = BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue)); while (!double.IsFinite(x));
                buffer[i] = x;
            }
            w.Add(buffer, count, at);
        }
        w.Finish();
        long bytes = ms.ToArray().Length, bound = PathsParquet.MaxFileBytes(paths, k), values = paths * (k + 1L) * 8;
        Assert.True(bytes <= bound, $"{bytes} bytes written, bound {bound}");
        Assert.True(bound < values * 1.05, $"bound {bound} for {values} bytes of values");   // and not loose
        // The default scenario's file, whose flags and constant columns compress, is well inside it.
        string dir = RunCe("bound", "--paths", "3000", "--set", "horizon_months=24");
        int metrics = Read(Path.Combine(dir, PathsParquet.FileName)).Metrics.Length;
        Assert.True(new FileInfo(Path.Combine(dir, PathsParquet.FileName)).Length <= PathsParquet.MaxFileBytes(3000, metrics));
    }

    [Fact]
    public void TheMemoryEstimateCountsOneRowGroup()
    {
        var job = ScenarioCompiler.Compile(ScenarioLoader.Load(null, new[] { "paths=1000" }));
        using var backend = new CpuBackend();
        var options = new RunOptions { Paths = 1000 };
        using var writer = new PathsParquet(new MemoryStream(), job.MetricNames, new Dictionary<string, string>(), "t");
        long without = MemoryEstimate.For(job, backend, options).HostBytes;
        long with = MemoryEstimate.For(job, backend, options with { PerPath = writer }).HostBytes;
        int k = job.MetricNames.Count;
        // At least the row group itself: 65,536 paths x (metrics + the path index) x 8 bytes, times the heap overhead.
        Assert.True(with - without >= (long)(MemoryEstimate.HeapOverhead * PathsParquet.RowGroupPaths * (k + 1) * 8.0) - 1,
            $"with {with}, without {without}, {k} metrics");
        Assert.InRange(with - without - (long)(MemoryEstimate.HeapOverhead * MemoryEstimate.PerPathBufferBytes(k)), -1, 1);
    }
}
