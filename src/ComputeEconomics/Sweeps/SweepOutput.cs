using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComputeEconomics.Models;
using ComputeEconomics.Running;

namespace ComputeEconomics.Sweeps;

/// <summary>
/// A sweep's output folder: points.csv and points.parquet (one row per point, deterministic: no timings),
/// manifest.json (identity, RNG, engine, backend, paths, timings), sweep.yaml (the effective input), and
/// optimize.csv when an objective was given. Written atomically (AtomicFiles.Replace): the manifest goes last.
/// </summary>
public static class SweepOutput
{
    public const string CsvFile = "points.csv", ParquetFile = "points.parquet", ManifestFile = "manifest.json",
        InputFile = "sweep.yaml", CheckpointFile = ".checkpoint.csv", OptimizeFile = "optimize.csv";

    /// <summary>RNG identity written to manifests; bump the version whenever a draw of any stream changes.</summary>
    public static JsonObject Rng() => new()
    {
        ["algorithm"] = "Philox4x32-10",
        ["version"] = 1,
        ["layout"] = "key (path low word, seed), counter (month, slot, stream, path high word); normals by inverse CDF (AS241)",
        ["common_random_numbers"] = "path i uses the same draws at every point",
    };

    /// <summary>The manifest of a sweep output (a run or a shard; a merge adds its shards).</summary>
    public static JsonObject Manifest(SweepPlan plan, SweepTable table, int rowCount, Shard? shard, string backend, string device,
        string mathPath, JsonObject timings, IReadOnlyDictionary<string, byte[]> files)
    {
        var axes = new JsonArray();
        foreach (var a in plan.Axes)
        {
            var o = new JsonObject { ["name"] = a.Name, ["field"] = a.Field, ["kind"] = a.Kind.ToString().ToLowerInvariant() };
            if (a.Values != null) o["values"] = new JsonArray(a.Values.Select(v => AxisValue(a.Kind, v)).ToArray());
            if (!double.IsNaN(a.From)) { o["from"] = a.From; o["to"] = a.To; o["scale"] = a.Log ? "log" : "linear"; }
            axes.Add(o);
        }
        var hashes = new JsonObject();
        foreach (var (name, bytes) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            hashes[name] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        return new JsonObject
        {
            ["kind"] = "ce-sweep",
            ["format_version"] = 1,
            ["scenario"] = plan.Base.Name,
            ["model"] = plan.Base.Model,
            ["scenario_hash"] = plan.Hash,
            ["seed"] = plan.Base.Seed,
            ["paths"] = plan.Base.Paths,
            ["sampling"] = plan.Base.Sampling,
            ["rng"] = Rng(),
            ["engine_version"] = RunSummary.Version(),
            ["backend"] = backend,
            ["device"] = device,
            ["math_path"] = mathPath,
            ["design"] = plan.Design,
            ["design_seed"] = plan.Base.Sweep?.DesignSeed ?? plan.Base.Seed,
            ["points_total"] = plan.PointCount,
            ["points_in_output"] = rowCount,
            ["shard"] = shard?.ToString(),
            ["axes"] = axes,
            ["columns"] = new JsonArray(table.Columns.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
            ["units"] = new JsonObject(table.Metrics.Select(m => KeyValuePair.Create(m, (JsonNode?)JsonValue.Create(MetricInfo.UnitIn(m, plan.Base.Model))))),
            ["timings"] = timings,
            ["files_sha256"] = hashes,
            ["created_utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>An axis value as JSON: a number for integer and number axes (as written, e.g. 48, 0.25), else text.</summary>
    private static JsonNode? AxisValue(AxisKind kind, string value) => kind switch
    {
        AxisKind.Integer when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) => JsonValue.Create(n),
        AxisKind.Number when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x) => JsonValue.Create(x),
        _ => JsonValue.Create(value),
    };

    /// <summary>Timings of a run for the manifest.</summary>
    public static JsonObject Timings(SweepOutcome o) => new()
    {
        ["elapsed_seconds"] = Math.Round(o.ElapsedSeconds, 4),
        ["kernel_seconds"] = Math.Round(o.KernelSeconds, 4),
        ["points_run"] = o.PointsRun,
        ["points_resumed"] = o.PointsResumed,
        ["paths_simulated"] = o.PathsSimulated,
        ["paths_per_second"] = o.ElapsedSeconds > 0 ? Math.Round(o.PathsSimulated / o.ElapsedSeconds, 1) : 0,
    };

    /// <summary>The files of an output folder, manifest included, ready for <see cref="WriteAll"/>.</summary>
    public static Dictionary<string, byte[]> Files(SweepPlan plan, SweepTable table, IReadOnlyList<SweepRow> rows, Shard? shard,
        string backend, string device, string mathPath, JsonObject timings, string? optimizeCsv = null)
    {
        var utf8 = new UTF8Encoding(false);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [CsvFile] = utf8.GetBytes(table.Csv(rows)),
            [ParquetFile] = table.Parquet(rows),
            [InputFile] = utf8.GetBytes(plan.EffectiveYaml),
        };
        if (optimizeCsv != null) files[OptimizeFile] = utf8.GetBytes(optimizeCsv);
        var manifest = Manifest(plan, table, rows.Count, shard, backend, device, mathPath, timings, files);
        files[ManifestFile] = utf8.GetBytes(manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return files;
    }

    /// <summary>
    /// Make <paramref name="files"/> the output of <paramref name="directory"/> atomically (<see cref="AtomicFiles.Replace"/>:
    /// staged inside the folder, the manifest renamed last, an earlier run's files removed), then remove the checkpoint.
    /// Throws <see cref="OutputException"/> on an I/O failure.
    /// </summary>
    public static void WriteAll(string directory, IReadOnlyDictionary<string, byte[]> files)
    {
        AtomicFiles.Replace(directory, files);
        string cp = Path.Combine(directory, CheckpointFile);
        try { if (File.Exists(cp)) File.Delete(cp); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OutputException($"wrote {directory} but cannot remove its checkpoint {cp}: {ex.Message}");
        }
    }
}
