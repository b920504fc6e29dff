using System.Text.Json;
using System.Text.Json.Nodes;
using ComputeEconomics.Models;
using ComputeEconomics.Output;
using ComputeEconomics.Running;
using ComputeEconomics.Statistics;
using ComputeEconomics.Sweeps;
using ComputeEconomics.Tests.Sweeps;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Reliability;

/// <summary>
/// Issue 18: no "Infinity" reaches a file (non-finite values are empty in CSV, null in JSON), CSV fields are quoted
/// by CsvHelper, float32 bands carry no noise digits, units are in summary.json, metrics.csv and manifest.json,
/// integer axis values are JSON numbers, and checkpoint or shard rows that were edited are refused.
/// </summary>
public sealed class OutputContentTests : TempFolderTest
{
    public OutputContentTests() : base("ce-output-content-") { }

    private static RunSummary Summary(Dictionary<string, BandRow[]> bands) => new()
    {
        Scenario = "t", Model = "fleet", Question = "", Seed = 1, Paths = 10, Sampling = "plain", Backend = "cpu", Device = "cpu",
        MathPath = "double", ElapsedSeconds = 0, KernelSeconds = 0, StatisticsSeconds = 0, EngineVersion = "test", BandPaths = 0, Bands = bands,
        Metrics = new[] { new MetricSummary("npv", 10, 0, double.PositiveInfinity, 1, 0.1, 1, 2, 3, 4, 5, 6, 7, 8, double.NegativeInfinity, 9) },
        Probabilities = new Dictionary<string, Probability>(),
    };

    [Fact]
    public void BandsAreWrittenAtFloat32PrecisionAndOutOfRangeValuesAreEmpty()
    {
        float tenth = 0.1f;                    // as a double: 0.10000000149011612, noise digits
        var s = Summary(new Dictionary<string, BandRow[]> { ["cash"] = new[] { new BandRow(0, tenth, 1e39, double.PositiveInfinity, double.NaN, 16245520384f) } });
        string csv = Writers.BandsCsv(s);
        Assert.Equal("series,month,p5,p25,p50,p75,p95\ncash,0,0.1,,,,16245520000\n", csv);
        Assert.Equal(new[] { "cash (1 months)" }, Writers.OutOfRangeBands(s));
    }

    [Fact]
    public void InfinityIsNeverWrittenToCsvOrJson()
    {
        var s = Summary(new Dictionary<string, BandRow[]>());
        Assert.Equal("", Writers.F(double.PositiveInfinity));
        string metrics = Writers.MetricsCsv(s.Metrics, s.Model);
        string json = Writers.SummaryJson(s);
        Assert.DoesNotContain("Infinity", metrics + json);
        Assert.DoesNotContain("∞", metrics + json);
        Assert.StartsWith("metric,unit,count,absent,mean,", metrics);
        Assert.StartsWith("npv,USD,10,0,,1,", metrics.Split('\n')[1]);
        var npv = JsonNode.Parse(json)!["metrics"]!["npv"]!;
        Assert.Null(npv["mean"]);
        Assert.Equal("USD", npv["unit"]!.GetValue<string>());
    }

    [Fact]
    public void AFrontierLabWithAnExplodingPriceWritesNoInfinity()
    {
        string outDir = Path.Combine(Dir, "lab");
        var r = CeProcess.Run(new[] { "run", "frontier-lab", "--backend", "cpu", "--paths", "200", "--set", "horizon_months=240",
            "--set", "market.price.drift=5", "--out", outDir }, timeoutSeconds: 120);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("beyond float32's range", r.StdErr);
        foreach (var file in Directory.GetFiles(outDir))
        {
            string text = File.ReadAllText(file);
            Assert.False(text.Contains("Infinity", StringComparison.OrdinalIgnoreCase) || text.Contains('∞'), $"{file} holds an infinity");
        }
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.Equal("USD", summary.RootElement.GetProperty("band_units").GetProperty("cash").GetString());
    }

    [Fact]
    public void AFieldWithACommaIsQuotedSoEveryRowHasTheHeadersFieldCount()
    {
        var plan = SweepTestData.Plan(SweepTestData.Grid);
        var table = SweepRunner.TableFor(plan);
        var row = new SweepRow(0, new[] { "0.3", "48" }, new double[table.StatColumns.Count]);
        var objective = new Objective("npv_mean", "npv", "mean", true);
        var result = new OptimizationResult(objective, new[]
        {
            new Comparison(1, row, 5, double.NaN, double.NaN, double.NaN, "-"),
            new Comparison(2, row with { Point = 1 }, 4, 1, 0.5, 0.7, "paired, per-path differences"),
        }, 2);
        var records = CsvText.Read(SweepOptimizer.Csv(result, table));
        Assert.All(records, rec => Assert.Equal(records[0].Fields.Length, rec.Fields.Length));
        Assert.Equal("paired, per-path differences", records[2].Fields[^1]);
    }

    [Fact]
    public void TheManifestWritesIntegerAxisValuesAsNumbersAndTheUnits()
    {
        var plan = SweepTestData.Plan(SweepTestData.Grid);
        var o = SweepTestData.Run(plan);
        var files = SweepOutput.Files(plan, o.Table, o.Rows, null, o.Backend, o.Device, o.MathPath, SweepOutput.Timings(o));
        var manifest = JsonNode.Parse(files[SweepOutput.ManifestFile])!;
        var values = manifest["axes"]![1]!["values"]!.AsArray();
        Assert.Equal(JsonValueKind.Number, values[0]!.GetValueKind());
        Assert.Equal(48, values[0]!.GetValue<long>());
        Assert.Equal("USD", manifest["units"]!["npv"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("infinity")]
    [InlineData("axis")]
    [InlineData("duplicate")]
    [InlineData("value")]
    public void AnEditedCheckpointRowIsRefusedOnResume(string edit)
    {
        var plan = SweepTestData.Plan(SweepTestData.Grid);
        string cp = Path.Combine(Dir, "cp.csv");
        SweepTestData.Run(plan, new SweepRunOptions { CheckpointPath = cp });
        var lines = File.ReadAllLines(cp).ToList();      // [0] ce header, [1] CSV header, [2..] rows
        string row = lines[2];
        var fields = row.Split(',');
        switch (edit)
        {
            case "infinity": fields[4] = "Infinity"; lines[2] = string.Join(',', fields); break;
            case "axis": fields[2] = "96"; lines[2] = string.Join(',', fields); break;
            case "duplicate": lines.Insert(3, row); break;
            default: fields[4] = "123"; lines[2] = string.Join(',', fields); break;
        }
        File.WriteAllText(cp, string.Join('\n', lines) + "\n");
        var ex = Assert.Throws<InputException>(() => SweepTestData.Run(plan, new SweepRunOptions { CheckpointPath = cp, Resume = true }));
        Assert.Equal("--resume", ex.Errors[0].Field);
        Assert.Contains(edit == "duplicate" ? "repeats point 0" : "checksum does not match", ex.Errors[0].Rule);
    }

    [Fact]
    public void MergeChecksTheShaRecordedInTheManifestAndTheAxisValues()
    {
        var plan = SweepTestData.Plan(SweepTestData.Grid);
        var shards = Enumerable.Range(0, 2).Select(k =>
        {
            var o = SweepTestData.Run(plan, new SweepRunOptions { Shard = new Shard(k, 2) });
            string dir = Path.Combine(Dir, $"shard{k}");
            SweepOutput.WriteAll(dir, SweepOutput.Files(plan, o.Table, o.Rows, o.Shard, o.Backend, o.Device, o.MathPath, SweepOutput.Timings(o)));
            return dir;
        }).ToList();
        Assert.Equal(6, SweepMerge.Merge(shards).Rows.Count);
        string csv = Path.Combine(shards[1], SweepOutput.CsvFile);
        var lines = File.ReadAllLines(csv);
        var fields = lines[1].Split(',');
        fields[4] = "Infinity";
        lines[1] = string.Join(',', fields);
        File.WriteAllText(csv, string.Join('\n', lines) + "\n");
        var ex = Assert.Throws<InputException>(() => SweepMerge.Merge(shards));
        Assert.Equal(csv, ex.Errors[0].Field);
        Assert.Contains("recorded in manifest.json", ex.Errors[0].Rule);

        // With the manifest's hash updated too, the row is still checked: a non-finite value is not a row of the sweep.
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(shards[1], SweepOutput.ManifestFile)))!;
        manifest["files_sha256"]![SweepOutput.CsvFile] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(csv)));
        File.WriteAllText(Path.Combine(shards[1], SweepOutput.ManifestFile), manifest.ToJsonString());
        ex = Assert.Throws<InputException>(() => SweepMerge.Merge(shards));
        Assert.Contains("finite numbers", ex.Errors[0].Rule);
    }
}
