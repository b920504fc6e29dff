using System.Diagnostics;
using System.Globalization;
using System.Text;
using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Sweeps;

/// <summary>Shard K of N: the points whose index is K modulo N (round-robin, so shards of a grid get similar work).</summary>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>The whole sweep.</summary>
    public static Shard All => new(0, 1);

    /// <summary>True when point <paramref name="point"/> belongs to this shard.</summary>
    public bool Contains(int point) => point % Count == Index;

    public override string ToString() => $"{Index.ToString(CultureInfo.InvariantCulture)}/{Count.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Parse <c>K/N</c> with 0 &lt;= K &lt; N &lt;= 100000; throws <see cref="InputException"/> naming --shard.</summary>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            && n is >= 1 and <= 100_000 && k < n)
            return new Shard(k, n);
        throw new InputException("--shard", text, "must be K/N with whole numbers 0 <= K < N <= 100000 (e.g. 0/4 .. 3/4)");
    }
}

/// <summary>Progress of a sweep, reported after each batch of paths.</summary>
/// <param name="PointsDone">Points finished, resumed ones included.</param>
/// <param name="PointsTotal">Points of this run (of its shard).</param>
/// <param name="PathsDone">Paths simulated by this process so far.</param>
/// <param name="PathsTotal">Paths this process has to simulate (points still to run x paths).</param>
/// <param name="PathsPerSecond">PathsDone over the time since the first point started.</param>
public readonly record struct SweepProgress(int PointsDone, int PointsTotal, long PathsDone, long PathsTotal, double PathsPerSecond);

/// <summary>Options of a sweep run.</summary>
public sealed record SweepRunOptions
{
    /// <summary>Paths per batch; null = sized to the device. Results do not depend on it.</summary>
    public int? BatchSize { get; init; }
    public Shard Shard { get; init; } = Shard.All;
    /// <summary>Checkpoint file: each finished point's row is appended and synced to disk; null = none.</summary>
    public string? CheckpointPath { get; init; }
    /// <summary>Take the rows already in the checkpoint and run only the missing points.</summary>
    public bool Resume { get; init; }
    public Action<SweepProgress>? Progress { get; init; }
    public CancellationToken Cancellation { get; init; }
}

/// <summary>The rows of a sweep (or of one shard) and how they were obtained.</summary>
public sealed class SweepOutcome
{
    public required SweepTable Table { get; init; }
    /// <summary>Rows in point order.</summary>
    public required List<SweepRow> Rows { get; init; }
    public required Shard Shard { get; init; }
    public required int PointsRun { get; init; }
    public required int PointsResumed { get; init; }
    public required double ElapsedSeconds { get; init; }
    public required double KernelSeconds { get; init; }
    public required long PathsSimulated { get; init; }
    public required string Backend { get; init; }
    public required string Device { get; init; }
    public required string MathPath { get; init; }
}

/// <summary>
/// Runs a sweep's points (or one shard's) through a backend with common random numbers, keeping only each
/// point's statistics: a point's per-path metrics live only while it is summarised, and no per-month
/// per-path series are produced (band paths 0). Finished points are appended to a checkpoint, so a killed
/// sweep resumes where it stopped with results identical to an uninterrupted run.
/// </summary>
public static class SweepRunner
{
    /// <summary>First line of a checkpoint: identifies the sweep, shard, paths and backend it belongs to.</summary>
    public static string CheckpointHeader(SweepPlan plan, Shard shard, IBackend backend) =>
        $"# ce sweep checkpoint v2 plan={plan.Hash} shard={shard} paths={plan.Base.Paths.ToString(CultureInfo.InvariantCulture)} backend={backend.Name} math={backend.MathPath}\n";

    /// <summary>The layout of the plan's results (compiles its first point).</summary>
    public static SweepTable TableFor(SweepPlan plan) => SweepTable.For(plan.Axes, ScenarioCompiler.Compile(plan.ScenarioAt(0)));

    /// <summary>Run the points of <paramref name="options"/>.Shard; see the class remarks.</summary>
    public static SweepOutcome Run(SweepPlan plan, IBackend backend, SweepRunOptions options)
    {
        var clock = Stopwatch.StartNew();
        var shard = options.Shard;
        var points = Enumerable.Range(0, plan.PointCount).Where(shard.Contains).ToList();
        plan.ValidateAll(points);
        var table = TableFor(plan);
        var rows = new SortedDictionary<int, SweepRow>();
        string header = CheckpointHeader(plan, shard, backend);
        FileStream? checkpoint = null;
        using var folderLock = LockCheckpointFolder(options.CheckpointPath);
        try
        {
            if (options.CheckpointPath is { } cp)
            {
                if (File.Exists(cp) && !options.Resume)
                    throw new InputException("--resume", cp, "holds a checkpoint of an unfinished sweep: add --resume to finish it, or delete the file to start again");
                if (File.Exists(cp))
                    foreach (var r in ReadCheckpoint(cp, header, table, plan, shard)) rows[r.Point] = r;
                checkpoint = OpenCheckpoint(cp, header, table, rows.Values);
            }
            int resumed = rows.Count;
            var todo = points.Where(p => !rows.ContainsKey(p)).ToList();
            long paths = plan.Base.Paths;
            long pathsTotal = todo.Count * paths;
            long pathsBefore = 0;
            double kernel = 0;
            var runClock = Stopwatch.StartNew();
            var runOptions = new RunOptions
            {
                Paths = paths,
                BatchSize = options.BatchSize,
                BandPaths = 0,
                Cancellation = options.Cancellation,
                Progress = options.Progress == null ? null : done =>
                {
                    long all = pathsBefore + done;
                    options.Progress(new SweepProgress(rows.Count, points.Count, all, pathsTotal, all / Math.Max(1e-9, runClock.Elapsed.TotalSeconds)));
                },
            };
            SweepExecutor.Run(todo, p => ScenarioCompiler.Compile(plan.ScenarioAt(p)), backend, runOptions, (p, result) =>
            {
                var row = table.Row(p, plan.ValuesAt(p), RunSummary.From(result));
                if (checkpoint != null) Append(checkpoint, options.CheckpointPath!, CheckpointLine(header, row));
                rows[p] = row;
                kernel += result.KernelTime.TotalSeconds;
                pathsBefore += paths;
                options.Progress?.Invoke(new SweepProgress(rows.Count, points.Count, pathsBefore, pathsTotal, pathsBefore / Math.Max(1e-9, runClock.Elapsed.TotalSeconds)));
            });
            return new SweepOutcome
            {
                Table = table,
                Rows = rows.Values.ToList(),
                Shard = shard,
                PointsRun = todo.Count,
                PointsResumed = resumed,
                ElapsedSeconds = clock.Elapsed.TotalSeconds,
                KernelSeconds = kernel,
                PathsSimulated = pathsBefore,
                Backend = backend.Name,
                Device = backend.Device,
                MathPath = backend.MathPath,
            };
        }
        finally
        {
            checkpoint?.Dispose();
        }
    }

    /// <summary>
    /// A checkpoint row: the row's fields and a checksum (the first 16 hex digits of the SHA-256 of the header and the
    /// fields), so a row that was edited, or damaged, is found on resume instead of copied into the result.
    /// </summary>
    private static string CheckpointLine(string header, SweepRow row)
    {
        var fields = SweepTable.Fields(row);
        return CsvText.Line(fields.Append(Checksum(header, fields)));
    }

    private static string Checksum(string header, IEnumerable<string> fields) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(header + string.Join('\u001f', fields))))[..16];

    /// <summary>
    /// The complete rows of a checkpoint. A torn last line (the process was killed while writing it) is dropped; a
    /// checkpoint of another sweep, shard, path count or backend is refused, and so is a row that was changed after it
    /// was written (its checksum), one whose axis values are not the sweep's at its point, or a point given twice.
    /// </summary>
    private static List<SweepRow> ReadCheckpoint(string path, string header, SweepTable table, SweepPlan plan, Shard shard)
    {
        string text = InputFiles.ReadText(path, int.MaxValue - 1);
        if (!text.StartsWith(header, StringComparison.Ordinal))
        {
            string first = text.Split('\n')[0];
            throw new InputException("--resume", path, $"was written for another sweep, shard, path count or backend ({first.TrimStart('#', ' ')}); expected {header.Trim().TrimStart('#', ' ')}");
        }
        string body = text[header.Length..];
        int complete = body.LastIndexOf('\n') + 1;         // what follows the last newline is a torn row: dropped
        List<(string[] Fields, int Line)> records;
        try { records = CsvText.Read(body[..complete]); }
        catch (FormatException ex) { throw new InputException("--resume", path, $"is damaged: {ex.Message}; delete it to start again"); }
        var rows = new List<SweepRow>();
        var seen = new HashSet<int>();
        foreach (var (fields, line) in records.Skip(1))      // records[0] is the CSV header
        {
            var cells = fields.Take(fields.Length - 1).ToArray();
            var row = fields.Length > 1 && fields[^1] == Checksum(header, cells) ? table.ParseFields(cells) : null;
            string? why = row == null ? "was changed or damaged after it was written (its checksum does not match)"
                : !shard.Contains(row.Point) ? $"has point {row.Point}, which is not in shard {shard}"
                : !seen.Add(row.Point) ? $"repeats point {row.Point}"
                : SweepTable.MismatchedAxis(plan, row);
            if (why != null)
                throw new InputException("--resume", $"{path} line {line + 1}", $"{why}: delete the checkpoint to start again");
            rows.Add(row!);
        }
        return rows;
    }

    /// <summary>
    /// The lock of the checkpoint's folder (created when missing), held for the whole sweep: a second sweep into the same
    /// folder is refused at once (exit code 2) instead of appending to the same checkpoint, or being told to add --resume
    /// to a checkpoint that a running sweep is writing. Null without a checkpoint.
    /// </summary>
    private static FolderLock? LockCheckpointFolder(string? checkpointPath)
    {
        if (checkpointPath == null) return null;
        string dir = Path.GetDirectoryName(Path.GetFullPath(checkpointPath)) ?? ".";
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OutputException($"cannot write the checkpoint {checkpointPath}: {ex.Message}");
        }
        return FolderLock.TryAcquire(dir, TimeSpan.Zero) ?? throw new InputException("--out", dir,
            "is being written by another ce process (a sweep holds the folder's lock): wait for it to finish, or choose another folder");
    }

    /// <summary>Rewrite the checkpoint with its valid rows (dropping a torn tail) and open it for appending.</summary>
    private static FileStream OpenCheckpoint(string path, string header, SweepTable table, IEnumerable<SweepRow> rows)
    {
        try
        {
            string dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            Directory.CreateDirectory(dir);
            string tmp = path + ".tmp";
            var sb = new StringBuilder(header).Append(CsvText.Line(table.Columns.Append("checksum")));
            foreach (var r in rows) sb.Append(CheckpointLine(header, r));
            using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write))
            {
                fs.Write(Encoding.UTF8.GetBytes(sb.ToString()));
                fs.Flush(true);
            }
            File.Move(tmp, path, overwrite: true);
            // Unbuffered: a row that failed to be written (disk full) is not written again when the stream is closed.
            return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A full disk part way through the copy: the partial copy goes (the checkpoint itself is untouched).
            try { File.Delete(path + ".tmp"); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            throw new OutputException($"cannot write the checkpoint {path}: {ex.Message} (the checkpoint is kept; free space and add --resume)");
        }
    }

    /// <summary>Append a finished point's row and sync it; a full disk is an <see cref="OutputException"/> (exit code 1).</summary>
    private static void Append(FileStream checkpoint, string path, string line)
    {
        try
        {
            checkpoint.Write(Encoding.UTF8.GetBytes(line));
            checkpoint.Flush(true);
        }
        catch (IOException ex)
        {
            throw new OutputException($"cannot append to the checkpoint {path}: {ex.Message} (the points before are kept; free space and add --resume)");
        }
    }
}
