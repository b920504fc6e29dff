using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComputeEconomics.Models;
using ComputeEconomics.Output;
using ComputeEconomics.Running;
using ComputeEconomics.Sweeps;
using Parquet;
using Parquet.Schema;

namespace ComputeEconomics.Compare;

/// <summary>
/// The files of <c>ce compare --out DIR</c>: compare.csv and compare.parquet (tidy, one row per scenario and metric),
/// summary.json (the scenarios, the settings and the rows) and compare.html with its charts. No timings or dates, so the
/// same seed gives the same bytes whatever the batch size or thread count.
/// </summary>
public static class CompareOutput
{
    public const string CsvFile = "compare.csv", ParquetFile = "compare.parquet", JsonFile = "summary.json", HtmlFile = "compare.html";

    /// <summary>The tidy columns, in order.</summary>
    public static readonly string[] Columns =
    {
        "scenario", "metric", "statistic", "unit", "mean_base", "mean", "diff", "diff_se", "ci_low", "ci_high", "unpaired_se", "vr_factor", "pairs",
    };

    private static double[] Numbers(PairedDifference r) =>
        new[] { r.MeanBase, r.Mean, r.Diff, r.DiffStdError, r.CiLow, r.CiHigh, r.UnpairedStdError, r.VarianceReduction };

    /// <summary>compare.csv: invariant round-trip numbers, empty = absent (NaN), text fields quoted when needed (RFC 4180).</summary>
    public static string Csv(CompareResult result)
    {
        var sb = new StringBuilder(string.Join(',', Columns)).Append('\n');
        foreach (var r in result.Rows)
        {
            sb.Append(Quote(r.Scenario)).Append(',').Append(Quote(r.Metric)).Append(',').Append(r.Statistic).Append(',').Append(Quote(r.Unit));
            foreach (var x in Numbers(r)) sb.Append(',').Append(Writers.F(x));
            sb.Append(',').Append(r.Pairs.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }
        return sb.ToString();
    }

    private static string Quote(string s) =>
        s.IndexOfAny(new[] { ',', '"', '\n', '\r' }) < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>compare.parquet: the same columns; text as STRING, numbers as nullable DOUBLE (null = absent), pairs INT64.</summary>
    public static byte[] Parquet(CompareResult result)
    {
        var rows = result.Rows;
        var fields = new List<DataField>();
        for (int i = 0; i < 4; i++) fields.Add(new DataField<string>(Columns[i]));
        for (int i = 4; i < 12; i++) fields.Add(new DataField<double?>(Columns[i]));
        fields.Add(new DataField<long>(Columns[12]));
        var schema = new ParquetSchema(fields.Cast<Field>().ToArray());
        Func<PairedDifference, string>[] text = { r => r.Scenario, r => r.Metric, r => r.Statistic, r => r.Unit };
        using var ms = new MemoryStream();
        Task.Run(async () =>
        {
            await using var writer = await ParquetWriter.CreateAsync(schema, ms);
            using var rg = writer.CreateRowGroup();
            for (int i = 0; i < 4; i++) await rg.WriteAsync(fields[i], rows.Select(text[i]).ToArray());
            for (int j = 0; j < 8; j++)
            {
                int jj = j;
                await rg.WriteAsync<double>(fields[4 + j], rows.Select(r => Numbers(r)[jj] is var x && double.IsNaN(x) ? (double?)null : x).ToArray());
            }
            await rg.WriteAsync<long>(fields[12], rows.Select(r => r.Pairs).ToArray());
        }).GetAwaiter().GetResult();
        return ms.ToArray();
    }

    /// <summary>summary.json: the settings, the scenarios (label, source, overrides) and every row (null = absent).</summary>
    public static string Json(CompareResult result)
    {
        var scenarios = new JsonArray();
        foreach (var r in result.Runs)
            scenarios.Add(new JsonObject
            {
                ["label"] = r.Label, ["source"] = r.Source, ["name"] = r.ScenarioName,
                ["overrides"] = new JsonArray(r.Overrides.Select(o => (JsonNode?)JsonValue.Create(o)).ToArray()),
            });
        var rows = new JsonArray();
        foreach (var r in result.Rows)
        {
            var o = new JsonObject { ["scenario"] = r.Scenario, ["metric"] = r.Metric, ["statistic"] = r.Statistic, ["unit"] = r.Unit };
            var numbers = Numbers(r);
            for (int j = 0; j < numbers.Length; j++) o[Columns[4 + j]] = double.IsFinite(numbers[j]) ? numbers[j] : null;
            o["pairs"] = r.Pairs;
            rows.Add(o);
        }
        var root = new JsonObject
        {
            ["kind"] = "ce-compare", ["format_version"] = 1, ["baseline"] = result.Baseline, ["model"] = result.Model,
            ["seed"] = result.Seed, ["paths"] = result.Paths, ["sampling"] = result.Sampling, ["rng"] = SweepOutput.Rng(),
            ["engine_version"] = RunSummary.Version(), ["backend"] = result.Backend, ["device"] = result.Device,
            ["math_path"] = result.MathPath, ["headline"] = result.Headline, ["confidence"] = 0.95, ["z"] = PairedDifference.Z95,
            ["scenarios"] = scenarios, ["rows"] = rows,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>Every file of the output folder, the page and its charts (charts/NAME.png, .svg) included.</summary>
    public static Dictionary<string, byte[]> Files(CompareResult result, CancellationToken cancellation = default)
    {
        var utf8 = new UTF8Encoding(false);
        var charts = ComparePage.Charts(result, cancellation);
        cancellation.ThrowIfCancellationRequested();
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [CsvFile] = utf8.GetBytes(Csv(result)),
            [ParquetFile] = Parquet(result),
            [HtmlFile] = utf8.GetBytes(ComparePage.Render(result, charts)),
            [JsonFile] = utf8.GetBytes(Json(result)),
        };
        foreach (var c in charts)
        {
            files[$"charts/{c.Name}.png"] = c.Png;
            files[$"charts/{c.Name}.svg"] = utf8.GetBytes(c.Svg);
        }
        return files;
    }

    /// <summary>Write <see cref="Files"/> into <paramref name="directory"/> atomically (<see cref="AtomicFiles"/>).</summary>
    /// <remarks>A cancellation while the files are prepared leaves the folder as it was.</remarks>
    public static void Write(string directory, CompareResult result, CancellationToken cancellation = default)
    {
        var files = Files(result, cancellation);
        cancellation.ThrowIfCancellationRequested();   // the last moment before anything is written
        AtomicFiles.Replace(directory, files);
    }
}
