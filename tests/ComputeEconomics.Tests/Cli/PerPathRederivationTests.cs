using System.Text.Json;
using ComputeEconomics.Output;
using ComputeEconomics.Tests.TestSupport;
using Parquet;
using Parquet.Schema;

namespace ComputeEconomics.Tests.Cli;

/// <summary>
/// An outsider's re-derivation of a run's summary.json from its paths.parquet, through Parquet.Net's raw column reader
/// (present values and definition levels as separate buffers, the file's own column-chunk metadata), not the writer's
/// nullable path: the row count, column names and physical types, each column's nulls against summary.json's absent
/// count, the mean and standard deviation to the last bit when pushed in the documented order (Welford in blocks of
/// 4,096 paths, Chan et al.'s merge, written out here rather than taken from the engine), and each streamed quantile
/// against the exact order statistics of the same paths within the printed rank bound, on metrics with many absent
/// values (irr, payback_month, default_month) and many ties (months, flags, constant columns).
/// </summary>
public class PerPathRederivationTests : TempFolderTest
{
    public PerPathRederivationTests() : base("ce-rederive-") { }

    private const int Block = 4096, Chunk = 1 << 20;

    /// <summary>Welford's accumulator and Chan, Golub and LeVeque's merge (count, mean, M2), as docs/performance.md states them.</summary>
    private readonly record struct Acc(long N, double Mean, double M2)
    {
        public Acc Push(double x)
        {
            if (N == 0) return new Acc(1, x, 0);
            long n = N + 1;
            double delta = x - Mean, mean = Mean + delta / n;
            return new Acc(n, mean, M2 + delta * (x - mean));
        }

        public static Acc Merge(Acc a, Acc b)
        {
            if (b.N == 0) return a;
            if (a.N == 0) return b;
            long n = a.N + b.N;
            double delta = b.Mean - a.Mean;
            return new Acc(n, a.Mean + delta * ((double)b.N / n), a.M2 + b.M2 + delta * delta * ((double)a.N * b.N / n));
        }
    }

    /// <summary>Exact statistics: blocks of 4,096 pushed in path order, merged in a binary tree whose left part holds the first floor(blocks / 2) blocks.</summary>
    private static Acc Tree(ReadOnlySpan<double> v)
    {
        if (v.Length <= Block)
        {
            var a = default(Acc);
            foreach (double x in v) if (!double.IsNaN(x)) a = a.Push(x);
            return a;
        }
        int split = (v.Length + Block - 1) / Block / 2 * Block;
        return Acc.Merge(Tree(v[..split]), Tree(v[split..]));
    }

    /// <summary>Streamed statistics: blocks merged left to right into their chunk of 2^20 paths, chunks left to right into the total.</summary>
    private static Acc Streamed(double[] v)
    {
        Acc total = default, chunk = default, block = default;
        for (int i = 0; i < v.Length; i++)
        {
            if (!double.IsNaN(v[i])) block = block.Push(v[i]);
            if ((i + 1) % Block != 0) continue;
            chunk = Acc.Merge(chunk, block);
            block = default;
            if ((i + 1) % Chunk != 0) continue;
            total = Acc.Merge(total, chunk);
            chunk = default;
        }
        return Acc.Merge(total, Acc.Merge(chunk, block));
    }

    /// <summary>Every column (NaN where the definition level says null), the names, and the checks on the file's own metadata.</summary>
    private static (List<string> Names, double[][] Columns, long[] Nulls) ReadRaw(string file, long rows) => Task.Run(async () =>
    {
        await using var reader = await ParquetReader.CreateAsync(File.OpenRead(file));
        var fields = reader.Schema.GetDataFields();
        var columns = fields.Select(_ => new double[rows]).ToArray();
        var nulls = new long[fields.Length];
        long at = 0;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            int n = (int)rg.RowCount;
            for (int j = 0; j < fields.Length; j++)
            {
                var meta = rg.RowGroup.Columns[j].MetaData!;
                Assert.Equal(j == 0 ? Parquet.Meta.Type.INT64 : Parquet.Meta.Type.DOUBLE, meta.Type);
                Assert.Equal(n, meta.NumValues);   // one value or null a row
                if (j == 0)
                {
                    var path = new long[n];
                    await rg.ReadRawAsync<long>(fields[0], path, null, null);
                    for (int i = 0; i < n; i++) Assert.Equal(at + i, path[i]);
                    continue;
                }
                var present = new double[n];
                var levels = new int[n];
                await rg.ReadRawAsync<double>(fields[j], present, levels, null);
                int next = 0;
                for (int i = 0; i < n; i++)
                    columns[j][at + i] = levels[i] == 1 ? present[next++] : double.NaN;
                nulls[j] += n - next;
                if (meta.Statistics?.NullCount is long counted) Assert.Equal(n - next, counted);
            }
            at += n;
        }
        Assert.Equal(rows, at);
        return (fields.Select(f => f.Name).ToList(), columns, nulls);
    }).GetAwaiter().GetResult();

    private static double Json(JsonElement e) => e.ValueKind == JsonValueKind.Null ? double.NaN : e.GetDouble();

    private static bool SameBits(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    private (JsonElement Summary, List<string> Names, double[][] Columns, long[] Nulls) Run(string name, long paths, params string[] args)
    {
        string dir = Path.Combine(Dir, name);
        var r = CeProcess.Run(new[] { "run", "--backend", "cpu", "--threads", "1", "--quiet", "--paths", paths.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--out", dir, "--per-path" }.Concat(args), timeoutSeconds: 300);
        Assert.True(r.ExitCode == 0, r.ToString());
        var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json"))).RootElement;
        var (names, columns, nulls) = ReadRaw(Path.Combine(dir, PathsParquet.FileName), paths);
        var metrics = summary.GetProperty("metrics").EnumerateObject().Select(m => m.Name);
        Assert.Equal(new[] { PathsParquet.PathColumn }.Concat(metrics), names);
        return (summary, names, columns, nulls);
    }

    /// <summary>Count, absent, mean and sd of every metric from the column, to the last bit.</summary>
    private static void MomentsAgree(JsonElement summary, List<string> names, double[][] columns, long[] nulls, Func<double[], Acc> order)
    {
        for (int j = 1; j < names.Count; j++)
        {
            var m = summary.GetProperty("metrics").GetProperty(names[j]);
            var acc = order(columns[j]);
            Assert.Equal(m.GetProperty("absent").GetInt64(), nulls[j]);
            Assert.Equal(m.GetProperty("count").GetInt64(), acc.N);
            if (acc.N == 0) continue;
            double mean = Json(m.GetProperty("mean")), sd = Json(m.GetProperty("sd"));
            Assert.True(SameBits(acc.Mean, mean), $"{names[j]}: mean {mean:R} in summary.json, {acc.Mean:R} from the column");
            if (acc.N > 1) Assert.True(SameBits(Math.Sqrt(acc.M2 / (acc.N - 1)), sd), $"{names[j]}: sd {sd:R}, {Math.Sqrt(acc.M2 / (acc.N - 1)):R} from the column");
        }
    }

    [Fact]
    public void AnExactRunsMomentsComeBackToTheLastBit()
    {
        var (summary, names, columns, nulls) = Run("exact", 10_000, "--statistics", "exact", "--seed", "3");   // 3 blocks: a tree of merges
        Assert.Equal("exact", summary.GetProperty("statistics").GetProperty("method").GetString());
        MomentsAgree(summary, names, columns, nulls, c => Tree(c));
    }

    [Fact]
    public void ASketchRunsMomentsAreExactAndItsQuantilesKeepThePrintedRankBound()
    {
        // 100,000 paths: more than a sketch level (32,768), so the sketch compacts and its bound is not zero. At 120 months irr,
        // payback_month and default_month are absent on 15-85 % of the paths; months, flags and zero columns are mostly ties.
        var (summary, names, columns, nulls) = Run("sketch", 100_000, "--statistics", "sketch", "--seed", "5");
        var statistics = summary.GetProperty("statistics");
        Assert.Equal("sketch", statistics.GetProperty("method").GetString());
        double relative = statistics.GetProperty("quantile_rank_error").GetDouble();
        Assert.True(relative > 0, "the sketch compacted");
        Assert.Contains("n present values", statistics.GetProperty("note").GetString());   // the rule checked below, as summary.json states it
        MomentsAgree(summary, names, columns, nulls, Streamed);
        var ps = new (string Key, double P)[] { ("p1", 0.01), ("p5", 0.05), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75), ("p95", 0.95), ("p99", 0.99) };
        int withAbsent = 0, withTies = 0;
        for (int j = 1; j < names.Count; j++)
        {
            var present = columns[j].Where(x => !double.IsNaN(x)).ToArray();
            Array.Sort(present);
            int n = present.Length;
            if (n == 0) continue;
            if (n <= columns[j].Length * 9 / 10) withAbsent++;   // at least 10 % absent
            if (present.Distinct().Count() < n / 10) withTies++;
            // The rank bound of this metric: the relative bound is the largest over metrics of bound / present values.
            double bound = relative * n;
            foreach (var (key, p) in ps)
            {
                double q = Json(summary.GetProperty("metrics").GetProperty(names[j]).GetProperty(key));
                int lo = Rank(present, x => x < q), hi = Rank(present, x => x <= q) - 1;   // the ranks holding exactly q
                Assert.True(hi >= lo, $"{names[j]}.{key} = {q:R} is no path's value");
                double h = (n - 1) * p;
                double distance = Math.Max(0, Math.Max(lo - Math.Ceiling(h), Math.Floor(h) - hi));
                Assert.True(distance <= bound, $"{names[j]}.{key} = {q:R}: ranks {lo}..{hi} of {n} present values, wanted about {h}, bound {bound:F1}");
            }
        }
        Assert.True(withAbsent >= 3 && withTies >= 5, $"metrics with many absent values {withAbsent}, with many ties {withTies}");
    }

    /// <summary>How many of the <paramref name="sorted"/> values satisfy <paramref name="below"/> (a prefix of them).</summary>
    private static int Rank(double[] sorted, Func<double, bool> below)
    {
        int a = 0, b = sorted.Length;
        while (a < b)
        {
            int mid = (a + b) / 2;
            if (below(sorted[mid])) a = mid + 1;
            else b = mid;
        }
        return a;
    }
}
