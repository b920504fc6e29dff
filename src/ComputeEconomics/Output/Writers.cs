using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Statistics;

namespace ComputeEconomics.Output;

/// <summary>
/// Output files, written atomically (<see cref="AtomicFiles.Replace"/>): staged inside the target folder, renamed
/// into place with summary.json last; the files of an earlier run in the folder are removed.
/// An interrupted or failed run leaves no half-written file under a final name.
/// </summary>
public static class Writers
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>summary.json content.</summary>
    public static string SummaryJson(RunSummary s)
    {
        var metrics = new JsonObject();
        foreach (var m in s.Metrics)
            metrics[m.Name] = new JsonObject
            {
                ["mean"] = Num(m.Mean), ["sd"] = Num(m.StdDev), ["stderr"] = Num(m.StdError),
                ["p1"] = Num(m.P1), ["p5"] = Num(m.P5), ["p25"] = Num(m.P25), ["p50"] = Num(m.P50),
                ["p75"] = Num(m.P75), ["p95"] = Num(m.P95), ["p99"] = Num(m.P99), ["cvar5"] = Num(m.Cvar5),
                ["min"] = Num(m.Min), ["max"] = Num(m.Max), ["count"] = m.Count, ["absent"] = m.Absent,
                ["unit"] = MetricInfo.UnitIn(m.Name, s.Model), ["cvar5_tail"] = m.Cvar5Tail,
            };
        var probs = new JsonObject();
        foreach (var (name, p) in s.Probabilities)
            probs[name] = new JsonObject { ["p"] = Num(p.P), ["stderr"] = Num(p.StdError), ["count"] = p.Count };
        var root = new JsonObject
        {
            ["scenario"] = s.Scenario,
            ["model"] = s.Model,
            ["question"] = s.Question,
            ["seed"] = s.Seed,
            ["paths"] = s.Paths,
            ["sampling"] = s.Sampling,
            ["backend"] = s.Backend,
            ["device"] = s.Device,
            ["math_path"] = s.MathPath,
            ["rng"] = "Philox4x32-10, key (path, seed), counter (month, slot, stream, path_hi); normals by inverse CDF (AS241)",
            ["engine_version"] = s.EngineVersion,
            ["elapsed_seconds"] = Math.Round(s.ElapsedSeconds, 4),
            ["kernel_seconds"] = Math.Round(s.KernelSeconds, 4),
            ["statistics_seconds"] = Math.Round(s.StatisticsSeconds, 4),
            ["band_paths"] = s.BandPaths,
            ["band_units"] = new JsonObject(s.Bands.Keys.Select(k => KeyValuePair.Create(k, (JsonNode?)JsonValue.Create(BandUnit(k, s.Model))))),
            ["stderr_method"] = s.StdErrorMethod,
            ["statistics"] = s.StatisticsMethod == "sketch"
                ? new JsonObject
                {
                    ["method"] = "sketch", ["reduced_on"] = s.ReducedOnDevice ? "device" : "host", ["quantile_rank_error"] = Num(s.QuantileRankError),
                    ["note"] = "moments and probabilities exact; each quantile of a metric is one of its n present values (count; absent ones left out) whose rank among them is within quantile_rank_error x n of round((n - 1) p); CVaR5 and histograms from the same sketch"
                }
                : new JsonObject { ["method"] = "exact" },
            ["metrics"] = metrics,
            ["probabilities"] = probs,
        };
        if (s.CompletedUtc is { } completed)
            root["completed_utc"] = completed.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", Inv);
        if (s.Inputs.Count > 0)
        {
            var inputs = new JsonObject();
            foreach (var i in s.Inputs)
                inputs[i.Field] = new JsonObject
                {
                    ["distribution"] = i.Distribution, ["mean"] = Num(i.Mean), ["sd"] = Num(i.StdDev),
                    ["p5"] = Num(i.P5), ["p50"] = Num(i.P50), ["p95"] = Num(i.P95), ["min"] = Num(i.Min), ["max"] = Num(i.Max),
                    [$"rank_correlation_{i.Against}"] = Num(i.RankCorrelation),
                };
            root["inputs"] = inputs;
        }
        if (s.VarianceReduction.Count > 0)
        {
            var vr = new JsonObject();
            foreach (var (name, f) in s.VarianceReduction) vr[name] = Num(f);
            root["variance_reduction"] = vr;
        }
        if (s.Stopping is { } st)
            root["stopping"] = new JsonObject
            {
                ["target"] = st.Target.ToString(), ["stopped_by"] = st.StoppedBy, ["paths"] = st.Paths,
                ["mean"] = Num(st.Mean), ["stderr"] = Num(st.StdError), ["threshold"] = Num(st.Threshold),
                ["stages"] = new JsonArray(st.Stages.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
            };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>NaN and infinities are written as null (JSON has no NaN).</summary>
    private static JsonNode? Num(double x) => double.IsFinite(x) ? JsonValue.Create(x) : null;

    /// <summary>
    /// bands.csv: series, month, p5, p25, p50, p75, p95. The series are float32 per path, so the values are written at
    /// float32 precision (no noise digits); an empty cell is a month with no value, or a value beyond float32's range
    /// (about 3.4e38, see <see cref="OutOfRangeBands"/>). Units: summary.json's band_units.
    /// </summary>
    public static string BandsCsv(RunSummary s) =>
        CsvText.Write(new[] { "series", "month", "p5", "p25", "p50", "p75", "p95" },
            s.Bands.SelectMany(b => b.Value.Select(r => new[]
            {
                b.Key, r.Month.ToString(Inv), CsvText.Float(r.P5), CsvText.Float(r.P25), CsvText.Float(r.P50), CsvText.Float(r.P75), CsvText.Float(r.P95),
            })));

    /// <summary>The unit of a band series of a run of model kind <paramref name="model"/> (docs/model.md): the kind's own
    /// (sector and economy count USD billions), else a month's value or a balance at the month's end.</summary>
    public static string BandUnit(string series, string model) =>
        KindRules.Find(model) is IModelKind kind && kind.BandUnits.TryGetValue(series, out var unit) ? unit : BandUnit(series);

    /// <summary>The unit of a fleet or lab band series (docs/model.md): a month's value, or a balance at the month's end.</summary>
    public static string BandUnit(string series) => series switch
    {
        "cash" or "book_value" or "market_value" or "backlog" => "USD",
        "revenue" or "ebitda" or "costs" => "USD/month",
        "unit_cost" => "USD/GPU-hour",
        "inference_cost_per_mtok" => "USD/Mtok",
        "paying_users" => "count",
        "utilisation" => "fraction",
        "electricity" => "USD/kWh",
        _ => MetricInfo.For(series).Unit,
    };

    /// <summary>"series (N months)" for every band series with a percentile beyond float32's range (written empty), for a warning.</summary>
    public static List<string> OutOfRangeBands(RunSummary s) =>
        s.Bands.Select(b => (b.Key, Count: b.Value.Count(r => new[] { r.P5, r.P25, r.P50, r.P75, r.P95 }.Any(x => !double.IsNaN(x) && !float.IsFinite((float)x)))))
            .Where(x => x.Count > 0).Select(x => $"{x.Key} ({x.Count} months)").ToList();

    /// <summary>metrics.csv: one row per metric with its unit and statistics (empty = absent).</summary>
    public static string MetricsCsv(IEnumerable<MetricSummary> metrics, string model) =>
        CsvText.Write(new[] { "metric", "unit", "count", "absent", "mean", "sd", "stderr", "p1", "p5", "p25", "p50", "p75", "p95", "p99", "cvar5", "min", "max" },
            metrics.Select(m => new[] { m.Name, MetricInfo.UnitIn(m.Name, model), m.Count.ToString(Inv), m.Absent.ToString(Inv) }
                .Concat(new[] { m.Mean, m.StdDev, m.StdError, m.P1, m.P5, m.P25, m.P50, m.P75, m.P95, m.P99, m.Cvar5, m.Min, m.Max }.Select(F))));

    /// <summary>inputs.csv: one row per uncertain input with its sampled statistics.</summary>
    public static string InputsCsv(RunSummary s) =>
        CsvText.Write(new[] { "field", "distribution", "mean", "sd", "p5", "p50", "p95", "min", "max", "rank_correlation", "against" },
            s.Inputs.Select(i => new[] { i.Field, i.Distribution }
                .Concat(new[] { i.Mean, i.StdDev, i.P5, i.P50, i.P95, i.Min, i.Max, i.RankCorrelation }.Select(F)).Append(i.Against)));

    /// <summary>Invariant round-trip number; empty for NaN (absent) and for infinities (never "Infinity" in a file).</summary>
    public static string F(double x) => CsvText.Number(x);

    /// <summary>
    /// Make the named files the output of <paramref name="directory"/> atomically (staging folder, then rename; see <see cref="AtomicFiles"/>).
    /// Throws <see cref="OutputException"/> on any I/O failure, leaving no partial file under a final name.
    /// </summary>
    public static void WriteAll(string directory, IReadOnlyDictionary<string, string> files)
        => AtomicFiles.Replace(directory, files.ToDictionary(f => f.Key, f => new UTF8Encoding(false).GetBytes(f.Value)));

    /// <summary>As <see cref="WriteAll(string, IReadOnlyDictionary{string, string})"/>, beside the files already written in <paramref name="staged"/> (paths.parquet).</summary>
    public static void WriteAll(AtomicFiles.StagedOutput staged, IReadOnlyDictionary<string, string> files)
        => staged.Replace(files.ToDictionary(f => f.Key, f => new UTF8Encoding(false).GetBytes(f.Value)));
}
