using System.Text.Json;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Statistics;

namespace ComputeEconomics.Output;

/// <summary>
/// What `ce run --out DIR` wrote, read back: summary.json (as a <see cref="RunSummary"/>), bands.csv, scenario.yaml,
/// and, when present, histograms.csv, survival.csv, scenario.source.yaml (the file as the user wrote it, comments
/// and all) and run.json (the command line's overrides).
/// </summary>
public sealed class RunDirectory
{
    public required string Path { get; init; }
    public required RunSummary Summary { get; init; }
    /// <summary>The resolved scenario (every field, defaults included), as YAML.</summary>
    public required string ScenarioYaml { get; init; }
    /// <summary>The scenario file as written, with its comments (which cite the sources); null when not saved.</summary>
    public string? SourceYaml { get; init; }
    public IReadOnlyDictionary<string, Histogram> Histograms { get; init; } = new Dictionary<string, Histogram>();
    /// <summary>survival[m]: share of paths not defaulted by the end of month m; null when the model has no default.</summary>
    public double[]? Survival { get; init; }
    /// <summary>The event of the survival curve: "default" (fleet) or "insolvency" (lab).</summary>
    public string SurvivalEvent { get; init; } = "default";
    /// <summary>The `--set` overrides of the run, in order.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = Array.Empty<string>();
    /// <summary>Where the scenario came from (a file path or a built-in name); empty when unknown.</summary>
    public string ScenarioSource { get; init; } = "";
    /// <summary>The start month of the scenario (YYYY-MM), for chart axes; empty when unknown.</summary>
    public string Start { get; init; } = "";

    /// <summary>The random-number generator and its keying, as summary.json states it; empty when it does not.</summary>
    public string Rng { get; init; } = "";
    /// <summary>Why an adaptive run (--target-stderr) stopped, in words; empty for a fixed number of paths.</summary>
    public string Stopping { get; init; } = "";

    /// <summary>The largest file of a run folder that is read back (a run's files are far smaller).</summary>
    public const int MaxFileBytes = 256 << 20;

    /// <summary>
    /// Read <paramref name="directory"/>. Throws <see cref="InputException"/> (exit 2) naming the file and the problem
    /// when the folder or a required file is missing or malformed.
    /// </summary>
    public static RunDirectory Load(string directory)
    {
        if (!Directory.Exists(directory))
            throw new InputException("DIR", directory, "must be an existing folder written by `ce run --out DIR`");
        string? Read(string name, bool required)
        {
            string file = System.IO.Path.Combine(directory, name);
            if (!File.Exists(file))
            {
                if (required) throw new InputException(file, "(missing)", "must exist: DIR must be a folder written by `ce run --out DIR`");
                return null;
            }
            return InputFiles.ReadText(file, MaxFileBytes);     // any stream: at most the limit + 1 bytes are read
        }
        string summaryText = Read("summary.json", true)!;
        string bandsText = Read("bands.csv", true)!;
        string scenarioText = Read("scenario.yaml", true)!;
        string? histText = Read("histograms.csv", false);
        string? survivalText = Read("survival.csv", false);
        string? sourceText = Read("scenario.source.yaml", false);
        string? runText = Read("run.json", false);

        // Every file is checked before anything is drawn: a hand-edited folder gives one error naming the file and the rule.
        Dictionary<string, BandRow[]> bands = Parse("bands.csv", directory, () => Distributions.ParseBands(bandsText));
        var summary = Parse("summary.json", directory, () => Checked(ParseSummary(summaryText, bands)));
        var (rng, stopping) = Parse("summary.json", directory, () => ParseProvenance(summaryText));
        Parse("scenario.yaml", directory, () => ScenarioInputs.Rows(scenarioText, null, Array.Empty<string>()));
        if (sourceText != null) Parse("scenario.source.yaml", directory, () => ScenarioInputs.Rows(sourceText, null, Array.Empty<string>()));
        var histograms = histText == null ? new Dictionary<string, Histogram>() : Parse("histograms.csv", directory, () => Distributions.ParseHistograms(histText));
        var (survivalEvent, survival) = survivalText == null ? ("default", null) : Parse("survival.csv", directory, () => Distributions.ParseSurvival(survivalText));
        var (overrides, source) = runText == null ? (new List<string>(), "") : Parse("run.json", directory, () => ParseRun(runText));
        string start = "";
        foreach (var line in scenarioText.Split('\n'))
            if (line.StartsWith("start: ", StringComparison.Ordinal)) { start = line[7..].Trim().Trim('\'', '"'); break; }
        return new RunDirectory
        {
            Path = directory, Summary = summary, ScenarioYaml = scenarioText, SourceYaml = string.IsNullOrEmpty(sourceText) ? null : sourceText,
            Histograms = histograms, Survival = survival, SurvivalEvent = survivalEvent, Overrides = overrides, ScenarioSource = source, Start = start,
            Rng = rng, Stopping = stopping,
        };
    }

    private static T Parse<T>(string name, string directory, Func<T> parse)
    {
        try { return parse(); }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException or OverflowException
            or YamlDotNet.Core.YamlException or InvalidCastException)
        {
            throw new InputException(System.IO.Path.Combine(directory, name), "(content)", $"is not a valid {name} written by ce run: {ex.Message}");
        }
    }

    /// <summary>run.json: {"scenario_source": "...", "overrides": ["k=v", ...]}.</summary>
    public static string RunJson(string scenarioSource, IReadOnlyList<string> overrides) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["scenario_source"] = scenarioSource, ["overrides"] = overrides },
            new JsonSerializerOptions { WriteIndented = true }) + "\n";

    private static (List<string>, string) ParseRun(string text)
    {
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        var overrides = root.GetProperty("overrides").EnumerateArray().Select(e => e.GetString() ?? "").ToList();
        return (overrides, root.GetProperty("scenario_source").GetString() ?? "");
    }

    /// <summary>
    /// summary.json back into a <see cref="RunSummary"/> (null numbers, written for NaN, read as NaN): the statistics,
    /// and everything the report states about how they were made (statistics method and rank-error bound, standard-error
    /// method, uncertain inputs, variance reduction, completion time).
    /// </summary>
    public static RunSummary ParseSummary(string json, IReadOnlyDictionary<string, BandRow[]> bands)
    {
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        if (r.ValueKind != JsonValueKind.Object) throw new FormatException($"the top level must be an object, not {r.ValueKind}");
        var metrics = new List<MetricSummary>();
        foreach (var m in Object(r, "metrics", "").EnumerateObject())
        {
            var v = Object(r.GetProperty("metrics"), m.Name, "metrics.");
            metrics.Add(new MetricSummary(m.Name, Whole(v, "count", $"metrics.{m.Name}."), Whole(v, "absent", $"metrics.{m.Name}."),
                N(v, "mean"), N(v, "sd"), N(v, "stderr"), N(v, "min"), N(v, "max"), N(v, "p1"), N(v, "p5"), N(v, "p25"), N(v, "p50"),
                N(v, "p75"), N(v, "p95"), N(v, "p99"), N(v, "cvar5"))
            {
                // The tail the run wrote; for a summary written before the tail was recorded, the metric's direction.
                UpperTail = v.TryGetProperty("cvar5_tail", out var tail) ? tail.GetString() == "upper" : MetricInfo.UpperTail(m.Name),
            });
        }
        var probabilities = new Dictionary<string, Probability>(StringComparer.Ordinal);
        foreach (var p in Object(r, "probabilities", "").EnumerateObject())
            probabilities[p.Name] = new Probability(N(p.Value, "p"), N(p.Value, "stderr"), Whole(Object(r.GetProperty("probabilities"), p.Name, "probabilities."), "count", $"probabilities.{p.Name}."));
        var statistics = r.TryGetProperty("statistics", out var st) && st.ValueKind == JsonValueKind.Object ? st : default;
        return new RunSummary
        {
            Scenario = S(r, "scenario"), Model = S(r, "model"), Question = S(r, "question"),
            Seed = Whole(r, "seed", ""), Paths = Whole(r, "paths", ""),
            Sampling = S(r, "sampling"), Backend = S(r, "backend"), Device = S(r, "device"), MathPath = S(r, "math_path"),
            ElapsedSeconds = N(r, "elapsed_seconds"), KernelSeconds = N(r, "kernel_seconds"), StatisticsSeconds = N(r, "statistics_seconds"),
            EngineVersion = S(r, "engine_version"), Metrics = metrics, Probabilities = probabilities,
            Bands = bands, BandPaths = r.TryGetProperty("band_paths", out _) ? Whole(r, "band_paths", "") : 0,
            StdErrorMethod = S(r, "stderr_method") is { Length: > 0 } se ? se : "iid paths: sd / sqrt(N)",
            StatisticsMethod = statistics.ValueKind == JsonValueKind.Object && S(statistics, "method") == "sketch" ? "sketch" : "exact",
            QuantileRankError = statistics.ValueKind == JsonValueKind.Object && N(statistics, "quantile_rank_error") is var q && double.IsFinite(q) ? q : 0,
            ReducedOnDevice = statistics.ValueKind == JsonValueKind.Object && S(statistics, "reduced_on") == "device",
            CompletedUtc = S(r, "completed_utc") is { Length: > 0 } at
                ? DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal)
                : null,
            Inputs = r.TryGetProperty("inputs", out var inputs) ? ParseInputs(inputs) : Array.Empty<InputSummary>(),
            VarianceReduction = r.TryGetProperty("variance_reduction", out var vr)
                ? vr.EnumerateObject().ToDictionary(x => x.Name, x => N(vr, x.Name), StringComparer.Ordinal) : new Dictionary<string, double>(),
        };
    }

    /// <summary>summary.json's "inputs": each uncertain input's distribution, the statistics of its draws and its rank correlation.</summary>
    private static List<InputSummary> ParseInputs(JsonElement inputs) =>
        inputs.EnumerateObject().Select(i =>
        {
            var v = i.Value;
            var rank = v.EnumerateObject().FirstOrDefault(p => p.Name.StartsWith("rank_correlation_", StringComparison.Ordinal));
            return new InputSummary(i.Name, S(v, "distribution"), N(v, "mean"), N(v, "sd"), N(v, "p5"), N(v, "p50"), N(v, "p95"), N(v, "min"), N(v, "max"))
            {
                Against = rank.Name is { } name ? name["rank_correlation_".Length..] : "",
                RankCorrelation = rank.Value.ValueKind == JsonValueKind.Number ? rank.Value.GetDouble() : double.NaN,
            };
        }).ToList();

    /// <summary>
    /// The rules a summary written by `ce run` keeps, so a hand-edited one cannot put a probability of 170 % or a metric
    /// counted on more paths than ran into a report: paths at least 1; each metric's count + absent equal to paths; each
    /// probability in [0, 1] with a standard error &gt;= 0, counted on at most paths; band_paths and the sketch's rank error in range.
    /// </summary>
    private static RunSummary Checked(RunSummary s)
    {
        if (s.Paths < 1) throw new FormatException($"paths {s.Paths} must be at least 1");
        if (s.BandPaths < 0 || s.BandPaths > s.Paths) throw new FormatException($"band_paths {s.BandPaths} must be between 0 and paths ({s.Paths})");
        foreach (var m in s.Metrics)
            if (m.Count < 0 || m.Absent < 0 || m.Count + m.Absent != s.Paths)
                throw new FormatException($"metrics.{m.Name}: count {m.Count} + absent {m.Absent} must equal paths ({s.Paths})");
        foreach (var (name, p) in s.Probabilities)
        {
            if (!(p.P >= 0 && p.P <= 1)) throw new FormatException($"probabilities.{name}.p {Num(p.P)} must be a number in [0, 1]");
            if (!(p.StdError >= 0)) throw new FormatException($"probabilities.{name}.stderr {Num(p.StdError)} must be a number >= 0");
            if (p.Count < 0 || p.Count > s.Paths) throw new FormatException($"probabilities.{name}.count {p.Count} must be between 0 and paths ({s.Paths})");
        }
        if (!(s.QuantileRankError >= 0 && s.QuantileRankError <= 1))
            throw new FormatException($"statistics.quantile_rank_error {Num(s.QuantileRankError)} must be in [0, 1]");
        return s;
    }

    private static string Num(double x) => double.IsNaN(x) ? "(missing)" : x.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The object property <paramref name="key"/> of <paramref name="e"/>; a <see cref="FormatException"/> naming it when missing or not an object.</summary>
    private static JsonElement Object(JsonElement e, string key, string where) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out var x)
            ? x.ValueKind == JsonValueKind.Object ? x : throw new FormatException($"{where}{key} must be an object, not {x.GetRawText()}")
            : throw new FormatException($"{where}{key} is missing");

    /// <summary>The whole-number property <paramref name="key"/>; a <see cref="FormatException"/> naming it when missing or not a whole number.</summary>
    private static long Whole(JsonElement e, string key, string where) =>
        e.TryGetProperty(key, out var x)
            ? x.ValueKind == JsonValueKind.Number && x.TryGetInt64(out long v) ? v : throw new FormatException($"{where}{key} must be a whole number, not {x.GetRawText()}")
            : throw new FormatException($"{where}{key} is missing");

    /// <summary>A number property; NaN when absent or null.</summary>
    private static double N(JsonElement e, string key) => e.TryGetProperty(key, out var x) && x.ValueKind == JsonValueKind.Number ? x.GetDouble() : double.NaN;

    /// <summary>A string property; empty when absent or not a string.</summary>
    private static string S(JsonElement e, string key) => e.TryGetProperty(key, out var x) && x.ValueKind == JsonValueKind.String ? x.GetString() ?? "" : "";

    /// <summary>The lines of summary.json's "rng" and "stopping" (an adaptive run's target and why it stopped), for the manifest; empty when absent.</summary>
    public static (string Rng, string Stopping) ParseProvenance(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        string stopping = "";
        if (r.TryGetProperty("stopping", out var st) && st.ValueKind == JsonValueKind.Object)
            stopping = $"target {S(st, "target")}, stopped by {S(st, "stopped_by")} at {(st.TryGetProperty("paths", out var p) ? p.GetInt64() : 0):N0} paths"
                + (st.TryGetProperty("stages", out var stages) ? $" (stages: {string.Join(", ", stages.EnumerateArray().Select(x => x.GetInt64().ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))})" : "");
        return (S(r, "rng"), stopping);
    }
}

/// <summary>The engine version as people read it: "0.1.0 (commit 1a2b3c4)".</summary>
public static class EngineVersion
{
    /// <summary>
    /// "VERSION (commit HASH)" from an informational version "VERSION+HASH" (the hash shortened to 7 characters),
    /// or "VERSION (commit unknown)" when the build was made outside a git checkout.
    /// </summary>
    public static string Display(string informational)
    {
        int plus = informational.IndexOf('+', StringComparison.Ordinal);
        if (plus < 0) return $"{informational} (commit unknown)";
        string commit = informational[(plus + 1)..];
        if (commit.Length > 7 && commit.All(Uri.IsHexDigit)) commit = commit[..7];
        return $"{informational[..plus]} (commit {commit})";
    }

    /// <summary>This build's version, for `ce --version`.</summary>
    public static string Current => Display(RunSummary.Version());
}
