using System.Text;
using System.Text.Json.Nodes;

namespace ComputeEconomics.Sweeps;

/// <summary>Shard outputs combined into the output of the whole sweep.</summary>
public sealed class MergedSweep
{
    public required SweepPlan Plan { get; init; }
    public required SweepTable Table { get; init; }
    /// <summary>Every point's row, in point order.</summary>
    public required List<SweepRow> Rows { get; init; }
    public required string Backend { get; init; }
    public required string Device { get; init; }
    public required string MathPath { get; init; }
    /// <summary>Sums over the shards, and each shard's own timings.</summary>
    public required JsonObject Timings { get; init; }
}

/// <summary>
/// <c>ce merge DIR...</c>: checks that the folders are the shards 0..N-1 of one sweep (same scenario hash, seed,
/// paths, backend, math path and engine version; every point exactly once) and combines their rows. The rows are
/// read back from points.csv (round-trip numbers), so the merged files equal those of an unsharded run byte for byte.
/// </summary>
public static class SweepMerge
{
    /// <summary>A shard's manifest, or null with an error added.</summary>
    private static JsonObject? ReadManifest(string dir, List<ValidationError> errors)
    {
        string path = Path.Combine(dir, SweepOutput.ManifestFile);
        if (!File.Exists(path))
        {
            errors.Add(new ValidationError(dir, "(no manifest.json)", "must be the --out folder of a finished ce sweep (a shard)"));
            return null;
        }
        JsonObject? m;
        try { m = JsonNode.Parse(InputFiles.ReadText(path, InputFiles.ScenarioLimit)) as JsonObject; }
        catch (System.Text.Json.JsonException ex)
        {
            errors.Add(new ValidationError(path, "(not JSON)", $"must be a sweep manifest: {ex.Message}"));
            return null;
        }
        if (m?["kind"]?.GetValue<string>() == "ce-sweep") return m;
        errors.Add(new ValidationError(path, "(kind)", "must be a manifest of ce sweep"));
        return null;
    }

    /// <summary>Every shard's manifest against the first's: one sweep (scenario, seed, paths, backend, engine) and one split.</summary>
    private static void CheckOneSweep(List<(string Dir, JsonObject Manifest)> manifests, List<ValidationError> errors)
    {
        var (firstDir, first) = manifests[0];
        foreach (var key in new[] { "scenario_hash", "seed", "paths", "backend", "math_path", "engine_version", "points_total" })
            foreach (var (dir, m) in manifests.Skip(1))
                if (m[key]?.ToJsonString() != first[key]?.ToJsonString())
                    errors.Add(new ValidationError($"{dir}: {key}", m[key]?.ToJsonString() ?? "(missing)", $"must equal that of {firstDir} ({first[key]?.ToJsonString()}): shards of one sweep only"));
        // Shards of two splits (0/2 with 1/3) used to be reported only as "points missing", naming no shard.
        string firstShard = ShardText(first);
        foreach (var (dir, m) in manifests.Skip(1))
            if (Shard.Parse(ShardText(m)).Count != Shard.Parse(firstShard).Count)
                errors.Add(new ValidationError($"{dir}: shard", ShardText(m), $"must be of the split of {firstDir} ({firstShard}): the shards of one --shard K/N split only"));
    }

    /// <summary>The manifest's shard, K/N ("0/1" for an unsharded sweep).</summary>
    private static string ShardText(JsonObject manifest) => manifest["shard"]?.GetValue<string>() ?? "0/1";

    /// <summary>Why <paramref name="bytes"/> are not the file the manifest recorded (its SHA-256), or null when they are.</summary>
    private static string? HashMismatch(JsonObject manifest, string name, byte[] bytes)
    {
        string? recorded = (manifest["files_sha256"] as JsonObject)?[name]?.GetValue<string>();
        string actual = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        if (recorded == null) return "must be listed in the shard's manifest.json files_sha256 (a finished ce sweep lists it)";
        return recorded == actual ? null : $"is {actual}, not the {recorded} recorded in manifest.json: the file was changed after the sweep wrote it";
    }

    /// <summary>The shards in <paramref name="directories"/> as one sweep; <paramref name="cancellation"/> is observed before each shard.</summary>
    public static MergedSweep Merge(IReadOnlyList<string> directories, CancellationToken cancellation = default)
    {
        if (directories.Count == 0) throw new InputException("DIR", "(none)", "must name at least one shard output folder");
        var errors = new List<ValidationError>();
        var manifests = new List<(string Dir, JsonObject Manifest)>();
        foreach (var dir in directories)
            if (!cancellation.IsCancellationRequested && ReadManifest(dir, errors) is { } m) manifests.Add((dir, m));
        cancellation.ThrowIfCancellationRequested();
        if (errors.Count > 0) throw new InputException(errors);

        var first = manifests[0].Manifest;
        CheckOneSweep(manifests, errors);
        if (errors.Count > 0) throw new InputException(errors);

        string inputPath = Path.Combine(manifests[0].Dir, SweepOutput.InputFile);
        if (!File.Exists(inputPath)) throw new InputException(inputPath, "(missing)", "must exist: the sweep's effective input");
        byte[] input = InputFiles.ReadBytes(inputPath, InputFiles.ScenarioLimit);
        if (HashMismatch(first, SweepOutput.InputFile, input) is { } changed) throw new InputException(inputPath, "(SHA-256)", changed);
        var plan = SweepPlan.FromText(InputFiles.Decode(input, inputPath), inputPath);
        if (plan.Hash != first["scenario_hash"]?.GetValue<string>())
            throw new InputException(inputPath, plan.Hash, $"must hash to the manifest's scenario_hash {first["scenario_hash"]}");
        var table = SweepRunner.TableFor(plan);

        var rows = new SortedDictionary<int, SweepRow>();
        var shardTimings = new JsonArray();
        double elapsed = 0, kernel = 0;
        long simulated = 0;
        var devices = new List<string>();
        var shardsSeen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (dir, m) in manifests)
        {
            cancellation.ThrowIfCancellationRequested();
            string shardText = ShardText(m);
            var shard = Shard.Parse(shardText);
            if (!shardsSeen.Add(shardText)) errors.Add(new ValidationError(dir, $"shard {shardText}", "is given twice"));
            string csvPath = Path.Combine(dir, SweepOutput.CsvFile);
            if (!File.Exists(csvPath)) { errors.Add(new ValidationError(csvPath, "(missing)", "must exist")); continue; }
            byte[] csv = InputFiles.ReadBytes(csvPath, int.MaxValue - 1);
            if (HashMismatch(m, SweepOutput.CsvFile, csv) is { } why) { errors.Add(new ValidationError(csvPath, "(SHA-256)", why)); continue; }
            foreach (var row in table.ParseCsv(InputFiles.Decode(csv, csvPath), csvPath, plan))
            {
                if (!shard.Contains(row.Point) || row.Point >= plan.PointCount)
                    errors.Add(new ValidationError(csvPath, $"point {row.Point}", $"does not belong to shard {shardText}"));
                else if (!rows.TryAdd(row.Point, row))
                    errors.Add(new ValidationError(csvPath, $"point {row.Point}", "appears in two shards"));
            }
            var t = m["timings"] as JsonObject;
            elapsed += t?["elapsed_seconds"]?.GetValue<double>() ?? 0;
            kernel += t?["kernel_seconds"]?.GetValue<double>() ?? 0;
            simulated += t?["paths_simulated"]?.GetValue<long>() ?? 0;
            string device = m["device"]?.GetValue<string>() ?? "";
            if (!devices.Contains(device)) devices.Add(device);
            shardTimings.Add(new JsonObject { ["shard"] = shardText, ["folder"] = Path.GetFullPath(dir), ["device"] = device, ["timings"] = t?.DeepClone() });
        }
        var missing = Enumerable.Range(0, plan.PointCount).Where(p => !rows.ContainsKey(p)).ToList();
        if (missing.Count > 0)
            errors.Add(new ValidationError("DIR...", $"{missing.Count} points missing (first: {string.Join(", ", missing.Take(10))})",
                "must all be present: give every shard's folder, each run to completion"));
        if (errors.Count > 0) throw new InputException(errors.Take(50).ToList());
        return new MergedSweep
        {
            Plan = plan,
            Table = table,
            Rows = rows.Values.ToList(),
            Backend = first["backend"]!.GetValue<string>(),
            MathPath = first["math_path"]!.GetValue<string>(),
            Device = string.Join("; ", devices),
            Timings = new JsonObject
            {
                ["elapsed_seconds_sum"] = Math.Round(elapsed, 4),
                ["kernel_seconds_sum"] = Math.Round(kernel, 4),
                ["paths_simulated"] = simulated,
                ["shards"] = shardTimings,
            },
        };
    }
}
