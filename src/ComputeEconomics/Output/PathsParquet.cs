using System.Globalization;
using System.Text.Json.Nodes;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using Parquet;
using Parquet.Schema;

namespace ComputeEconomics.Output;

/// <summary>
/// paths.parquet (<c>ce run --out DIR --per-path</c>): every path's metrics, one row per path, written while the run goes.
/// Columns: <see cref="PathColumn"/> (INT64, the global path index), then one nullable DOUBLE per metric in the run's
/// metric order, named as in summary.json; an absent value (NaN in the engine: a metric the path does not have) is a
/// Parquet null, infinities are kept. Rows come in global path order in row groups of <see cref="RowGroupPaths"/> paths
/// at fixed global positions (group g holds paths g x RowGroupPaths .. (g + 1) x RowGroupPaths - 1; the first and last
/// groups of a file that starts or ends between them are shorter), buffered across batches, so the file's bytes depend
/// only on the scenario, the seed and the backend, never on the batch size or the thread count. Host memory: one row
/// group (<see cref="MemoryEstimate.PerPathBufferBytes"/>). Key/value metadata: <see cref="Metadata"/>. Compression: Snappy (Parquet.Net's default).
/// </summary>
public sealed class PathsParquet : IBatchSink, IDisposable
{
    /// <summary>The file's name in the run's folder.</summary>
    public const string FileName = "paths.parquet";

    /// <summary>Paths per row group (the last group of a run holds the rest).</summary>
    public const int RowGroupPaths = 1 << 16;

    /// <summary>Name of the global path index column.</summary>
    public const string PathColumn = "path";

    private readonly Stream _stream;
    private readonly ParquetWriter _writer;
    private readonly DataField[] _fields;
    private readonly double[][] _columns;
    private readonly long[] _paths;
    private readonly double?[] _nullable;
    private readonly int _groupPaths;
    private readonly string _label;
    private readonly long _firstPath;
    private readonly Dictionary<string, string> _metadata;
    private long _groupStart, _next;
    private bool _finished;

    /// <summary>
    /// A writer of the metrics <paramref name="metricNames"/> (the run's metric order) into <paramref name="stream"/> (owned:
    /// closed by <see cref="Finish"/> or <see cref="Dispose"/>), for paths from <paramref name="firstPath"/> on;
    /// <paramref name="label"/> names the file in errors; <paramref name="rowGroupPaths"/>: <see cref="RowGroupPaths"/> but in tests.
    /// </summary>
    public PathsParquet(Stream stream, IReadOnlyList<string> metricNames, IReadOnlyDictionary<string, string> metadata, string label,
        long firstPath = 0, int rowGroupPaths = RowGroupPaths)
    {
        if (metricNames.Contains(PathColumn))
            throw new InvalidOperationException($"a metric is called {PathColumn}, the name of the path index column");
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupPaths, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(firstPath);
        _stream = stream;
        _label = label;
        _groupPaths = rowGroupPaths;
        _groupStart = _next = _firstPath = firstPath;
        _fields = new DataField[metricNames.Count + 1];
        _fields[0] = new DataField<long>(PathColumn);
        for (int j = 0; j < metricNames.Count; j++) _fields[j + 1] = new DataField<double?>(metricNames[j]);
        _columns = new double[metricNames.Count][];
        for (int j = 0; j < _columns.Length; j++) _columns[j] = new double[rowGroupPaths];
        _paths = new long[rowGroupPaths];
        _nullable = new double?[rowGroupPaths];
        _writer = Io(() => ParquetWriter.CreateAsync(new ParquetSchema(_fields.Cast<Field>().ToArray()), stream).GetAwaiter().GetResult());
        _metadata = new Dictionary<string, string>(metadata) { ["row_group_paths"] = rowGroupPaths.ToString(CultureInfo.InvariantCulture) };
    }

    /// <summary>
    /// The most bytes a file of <paramref name="paths"/> rows of <paramref name="metricCount"/> metrics takes: every value
    /// stored plain (8 bytes; Snappy as good as never expands by more than the 1/64 allowed here), a definition-level bit
    /// per metric value, and 1 KiB of page and column-chunk headers per column and row group, plus 64 KiB for the footer
    /// and its metadata. A real file is smaller where values compress: 146 bytes a path for the default scenario's 33
    /// metrics against 272 here.
    /// </summary>
    public static long MaxFileBytes(long paths, int metricCount)
    {
        long values = paths * (metricCount + 1L) * sizeof(double);
        long groups = (paths + RowGroupPaths - 1) / RowGroupPaths;
        return values + values / 64 + paths * metricCount / 8 + groups * (metricCount + 1L) * 1024 + (64L << 10);
    }

    /// <summary>
    /// Refuse (exit code 2, naming --per-path) a run whose file may not fit on the file system of <paramref name="outDir"/>,
    /// before any path is simulated: a full disk would otherwise end the run at the row group that did not fit.
    /// </summary>
    public static void CheckSpace(string outDir, long paths, int metricCount)
    {
        if (OutputFolder.AvailableBytes(outDir) is not long free) return;
        long need = MaxFileBytes(paths, metricCount);
        if (need <= free) return;
        throw new InputException("--per-path", string.Create(CultureInfo.InvariantCulture, $"({paths:N0} paths)"), string.Create(CultureInfo.InvariantCulture,
            $"{FileName} needs up to {Size(need)} ({need / paths:N0} bytes a path before compression) but the file system of --out ({outDir}) has {Size(free)} free: give fewer paths or another --out"));
    }

    private static string Size(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.00} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.00} MiB");

    /// <summary>
    /// The key/value metadata of a run's file: scenario (name), model, scenario_sha256 (of the scenario.yaml written beside
    /// it), seed, first_path, backend, math_path, engine_version (with its commit), absent ("null"), units (a JSON object:
    /// metric to unit, as summary.json's); the writer adds row_group_paths, and <see cref="Finish"/> paths (the rows
    /// written). Nothing that changes from one run to the next (no time, no device name).
    /// </summary>
    public static Dictionary<string, string> Metadata(IModelJob job, long firstPath, string backend, string mathPath, string scenarioSha256)
    {
        var inv = CultureInfo.InvariantCulture;
        var units = new JsonObject();
        foreach (var name in job.MetricNames) units[name] = MetricInfo.UnitIn(name, job.Scenario.Model);
        return new Dictionary<string, string>
        {
            ["scenario"] = job.Scenario.Name,
            ["model"] = job.Scenario.Model,
            ["scenario_sha256"] = scenarioSha256,
            ["seed"] = job.Scenario.Seed.ToString(inv),
            ["first_path"] = firstPath.ToString(inv),
            ["backend"] = backend,
            ["math_path"] = mathPath,
            ["engine_version"] = RunSummary.Version(),
            ["absent"] = "null",
            ["units"] = units.ToJsonString(),
        };
    }

    /// <summary>The batch of paths [firstPath, firstPath + count) (metric-major, as <see cref="IBatchSink"/>); batches must come in path order.</summary>
    public void Add(double[] buffer, int count, long firstPath)
    {
        if (_finished) throw new InvalidOperationException($"{_label} is already finished");
        if (firstPath != _next) throw new InvalidOperationException($"{_label}: paths must come in order: got {firstPath}, expected {_next}");
        int done = 0;
        while (done < count)
        {
            long groupEnd = (_groupStart / _groupPaths + 1) * _groupPaths;
            int take = (int)Math.Min(groupEnd - _next, count - done);
            int at = (int)(_next - _groupStart);
            for (int j = 0; j < _columns.Length; j++) buffer.AsSpan(j * count + done, take).CopyTo(_columns[j].AsSpan(at));
            done += take;
            _next += take;
            if (_next == groupEnd) WriteGroup();
        }
    }

    /// <summary>Write the last (partial) row group and the footer, flush the file to disk and close it.</summary>
    public void Finish()
    {
        if (_finished) return;
        if (_next > _groupStart) WriteGroup();
        _finished = true;
        _metadata["paths"] = (_next - _firstPath).ToString(CultureInfo.InvariantCulture);
        _writer.CustomMetadata = _metadata;
        Io(() =>
        {
            _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();   // writes the footer
            _stream.Flush();
            if (_stream is FileStream fs) fs.Flush(flushToDisk: true);
            _stream.Dispose();
            return true;
        });
    }

    /// <summary>The buffered paths [_groupStart, _next) as one row group.</summary>
    private void WriteGroup()
    {
        int n = (int)(_next - _groupStart);
        for (int i = 0; i < n; i++) _paths[i] = _groupStart + i;
        Io(() =>
        {
            using var group = _writer.CreateRowGroup();
            group.WriteAsync<long>(_fields[0], _paths.AsMemory(0, n)).GetAwaiter().GetResult();
            for (int j = 0; j < _columns.Length; j++)
            {
                var column = _columns[j];
                for (int i = 0; i < n; i++) _nullable[i] = double.IsNaN(column[i]) ? null : column[i];
                group.WriteAsync<double>(_fields[j + 1], _nullable.AsMemory(0, n)).GetAwaiter().GetResult();
            }
            return true;
        });
        _groupStart = _next;
    }

    /// <summary>An I/O failure (a full disk) is an <see cref="OutputException"/> naming the file.</summary>
    private T Io<T>(Func<T> body)
    {
        try
        {
            return body();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OutputException($"cannot write {_label}: {ex.Message}");
        }
    }

    /// <summary>Close the file (also after a failed <see cref="Finish"/>); an unfinished one is left without its footer (its staging folder is removed by the caller).</summary>
    public void Dispose()
    {
        _finished = true;
        try { _stream.Dispose(); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }   // a full disk again: the file is discarded anyway
    }
}
