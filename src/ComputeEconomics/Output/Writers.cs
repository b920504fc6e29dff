using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
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
            ["stderr_method"] = s.StdErrorMethod,
            ["metrics"] = metrics,
            ["probabilities"] = probs,
        };
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

    /// <summary>bands.csv: series, month, p5, p25, p50, p75, p95.</summary>
    public static string BandsCsv(RunSummary s)
    {
        var sb = new StringBuilder("series,month,p5,p25,p50,p75,p95\n");
        foreach (var (name, rows) in s.Bands)
            foreach (var r in rows)
                sb.Append(name).Append(',').Append(r.Month.ToString(Inv)).Append(',')
                  .Append(F(r.P5)).Append(',').Append(F(r.P25)).Append(',').Append(F(r.P50)).Append(',')
                  .Append(F(r.P75)).Append(',').Append(F(r.P95)).Append('\n');
        return sb.ToString();
    }

    /// <summary>metrics.csv: one row per metric with its statistics.</summary>
    public static string MetricsCsv(IEnumerable<MetricSummary> metrics)
    {
        var sb = new StringBuilder("metric,count,absent,mean,sd,stderr,p1,p5,p25,p50,p75,p95,p99,cvar5,min,max\n");
        foreach (var m in metrics)
            sb.Append(m.Name).Append(',').Append(m.Count.ToString(Inv)).Append(',').Append(m.Absent.ToString(Inv)).Append(',')
              .AppendJoin(',', new[] { m.Mean, m.StdDev, m.StdError, m.P1, m.P5, m.P25, m.P50, m.P75, m.P95, m.P99, m.Cvar5, m.Min, m.Max }.Select(F))
              .Append('\n');
        return sb.ToString();
    }

    /// <summary>inputs.csv: one row per uncertain input with its sampled statistics.</summary>
    public static string InputsCsv(RunSummary s)
    {
        var sb = new StringBuilder("field,distribution,mean,sd,p5,p50,p95,min,max,rank_correlation,against\n");
        foreach (var i in s.Inputs)
            sb.Append(i.Field).Append(",\"").Append(i.Distribution.Replace("\"", "\"\"")).Append("\",")
              .AppendJoin(',', new[] { i.Mean, i.StdDev, i.P5, i.P50, i.P95, i.Min, i.Max, i.RankCorrelation }.Select(F))
              .Append(',').Append(i.Against).Append('\n');
        return sb.ToString();
    }

    /// <summary>Invariant round-trip number; empty for NaN.</summary>
    public static string F(double x) => double.IsNaN(x) ? "" : x.ToString("R", Inv);

    /// <summary>
    /// Make the named files the output of <paramref name="directory"/> atomically (staging folder, then rename; see <see cref="AtomicFiles"/>).
    /// Throws <see cref="OutputException"/> on any I/O failure, leaving no partial file under a final name.
    /// </summary>
    public static void WriteAll(string directory, IReadOnlyDictionary<string, string> files)
        => AtomicFiles.Replace(directory, files.ToDictionary(f => f.Key, f => new UTF8Encoding(false).GetBytes(f.Value)));
}

/// <summary>An output could not be written (disk full, no permission): exit code 1, clear message.</summary>
public sealed class OutputException : Exception
{
    public OutputException(string message) : base(message) { }
}
