using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ComputeEconomics.Backends;
using ComputeEconomics.Compare;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using CsvHelper;
using Parquet;

namespace ComputeEconomics.Tests.Compare;

/// <summary>Real runs of the built-in scenarios compared on common random numbers.</summary>
public class CompareRunnerTests
{
    private const int Paths = 1500;
    private static readonly string[] Small = { $"paths={Paths}" };

    private static CompareResult Compare(string[] scenarios, string[] variants, int? batch = null, string? chart = null)
    {
        var loaded = CompareRunner.Load(CompareSpec.Entries(scenarios, variants, Small));
        using var backend = new CpuBackend();
        return CompareRunner.Run(loaded, CompareRunner.Headline(loaded, chart),
            s => Simulator.Run(s.Job, backend, CompareRunner.Options(s, batch, CancellationToken.None)));
    }

    private static double[] Column(string scenario, IEnumerable<string> overrides, string metric)
    {
        var job = ScenarioCompiler.Compile(ScenarioLoader.Load(scenario, Small.Concat(overrides)));
        using var backend = new CpuBackend();
        var r = Simulator.Run(job, backend, new RunOptions { Paths = Paths, BandPaths = 0 });
        return r.Columns[job.MetricNames.ToList().IndexOf(metric)];
    }

    [Fact]
    public void A_scenario_compared_with_itself_differs_by_exactly_zero_in_every_metric_and_event()
    {
        var result = Compare(new[] { "neocloud-h100", "neocloud-h100" }, Array.Empty<string>());
        Assert.Equal(new[] { "neocloud-h100", "neocloud-h100#2" }, result.Runs.Select(r => r.Label));
        Assert.Contains(result.Rows, r => r.Metric == "default" && r.Statistic == "probability");
        Assert.Contains(result.Rows, r => r.Metric == "npv_negative" && r.Statistic == "probability");
        foreach (var r in result.Rows)
        {
            Assert.True(r.Diff == 0 && r.DiffStdError == 0 && r.CiLow == 0 && r.CiHigh == 0, $"{r.Metric}: diff {r.Diff}, s.e. {r.DiffStdError}");
            Assert.Equal(BitConverter.DoubleToInt64Bits(r.MeanBase), BitConverter.DoubleToInt64Bits(r.Mean));
        }
    }

    [Fact]
    public void Each_row_is_the_mean_and_sqrt_var_over_n_of_the_per_path_differences_of_two_separate_runs()
    {
        string[] set = { "fleet.financing.debt_rate=0.09" };
        var result = Compare(new[] { "neocloud-h100" }, new[] { "cheapdebt: fleet.financing.debt_rate=0.09" });
        foreach (var metric in new[] { "npv", "min_cash", "cost_per_gpu_hour" })
        {
            var a = Column("neocloud-h100", Array.Empty<string>(), metric);
            var x = Column("neocloud-h100", set, metric);
            var d = x.Select((v, i) => v - a[i]).ToArray();
            double mean = d.Sum() / d.Length;
            double var = d.Sum(v => (v - mean) * (v - mean)) / (d.Length - 1);
            double va = a.Sum(v => (v - a.Average()) * (v - a.Average())) / (a.Length - 1);
            double vx = x.Sum(v => (v - x.Average()) * (v - x.Average())) / (x.Length - 1);
            var row = result.Rows.Single(r => r.Scenario == "cheapdebt" && r.Metric == metric);
            double tol = 1e-9 * Math.Max(1, Math.Abs(a.Average()));
            Assert.Equal(mean, row.Diff, tol);
            Assert.Equal(Math.Sqrt(var / d.Length), row.DiffStdError, 1e-9 * Math.Max(1e-9, Math.Sqrt(var / d.Length)));
            Assert.Equal(Math.Sqrt((va + vx) / d.Length), row.UnpairedStdError, 1e-9 * Math.Sqrt((va + vx) / d.Length));
            Assert.Equal(a.Average(), row.MeanBase, tol);
            Assert.Equal(x.Average(), row.Mean, tol);
        }
    }

    [Fact]
    public void A_shorter_straight_line_life_moves_book_value_by_the_derivable_factor_path_by_path()
    {
        // Straight line, no salvage: a cohort of cost c bought in month m has book value c (1 - (36 - m)/L) at the end of
        // year 3, so against the 72-month baseline d_i(L) = -(1/L - 1/72) sum_k c_k (36 - m_k) on every path:
        // d(48) = 2.5 d(60) path by path, hence diff and paired s.e. scale by (1/48 - 1/72)/(1/60 - 1/72) = 2.5 exactly.
        var result = Compare(new[] { "neocloud-h100" }, new[]
        {
            "life60: fleet.depreciation.book.useful_life_months=60", "life48: fleet.depreciation.book.useful_life_months=48",
        });
        var d60 = result.Rows.Single(r => r.Scenario == "life60" && r.Metric == "book_value_y3");
        var d48 = result.Rows.Single(r => r.Scenario == "life48" && r.Metric == "book_value_y3");
        Assert.True(d60.Diff < 0, $"a shorter life lowers book value: {d60.Diff}");
        Assert.Equal(2.5 * d60.Diff, d48.Diff, 1e-9 * Math.Abs(d48.Diff));
        Assert.Equal(2.5 * d60.DiffStdError, d48.DiffStdError, 1e-6 * Math.Abs(d48.Diff));
        // Book depreciation moves no cash: NPV and P(default) do not change on any path.
        Assert.All(result.Rows.Where(r => r.Metric is "npv" or "default" or "min_cash"), r => Assert.Equal(0.0, r.Diff));
    }

    [Fact]
    public void Common_random_numbers_cut_the_variance_of_a_difference_in_npv()
    {
        var result = Compare(new[] { "neocloud-h100" }, new[] { "pue: fleet.operations.pue=1.4" });
        var npv = result.Rows.Single(r => r.Metric == "npv");
        Assert.True(npv.VarianceReduction > 10, $"VR {npv.VarianceReduction}: the pairing should remove the market's variance");
        Assert.True(npv.Diff < 0 && npv.CiHigh < 0, $"a higher PUE costs power: diff {npv.Diff}");
    }

    [Fact]
    public void Other_scenarios_take_the_baselines_seed_and_paths()
    {
        var loaded = CompareRunner.Load(CompareSpec.Entries(new[] { "neocloud-h100", "hyperscaler-fleet" }, Array.Empty<string>(),
            new[] { "paths=123" }.Concat(new[] { "seed=99" }).ToList()));
        Assert.All(loaded, s => Assert.Equal((99L, 123L), (s.Loaded.Scenario.Seed, s.Loaded.Scenario.Paths)));
    }

    [Fact]
    public void Scenarios_of_different_model_kinds_are_refused_naming_the_scenario_and_both_kinds()
    {
        var ex = Assert.Throws<InputException>(() => CompareRunner.Load(CompareSpec.Entries(new[] { "neocloud-h100", "frontier-lab" }, Array.Empty<string>(), Small)));
        var e = Assert.Single(ex.Errors);
        Assert.Equal("frontier-lab", e.Field);
        Assert.Equal("model: lab", e.Value);
        Assert.Contains("fleet", e.Rule);
    }

    [Theory]
    [InlineData("nosuch")]
    [InlineData("default")]
    public void A_chart_metric_must_be_a_shared_metric_that_is_not_a_flag(string metric)
    {
        var loaded = CompareRunner.Load(CompareSpec.Entries(new[] { "neocloud-h100" }, new[] { "v: fleet.operations.pue=1.4" }, Small));
        var ex = Assert.Throws<InputException>(() => CompareRunner.Headline(loaded, metric));
        Assert.Equal("--chart", ex.Errors[0].Field);
        Assert.Equal(metric, ex.Errors[0].Value);
        Assert.Equal("npv", CompareRunner.Headline(loaded, null));
    }

    [Fact]
    public void The_output_files_are_the_same_bytes_whatever_the_batch_size()
    {
        string[] variant = { "life60: fleet.depreciation.book.useful_life_months=60" };
        var one = CompareOutput.Files(Compare(new[] { "neocloud-h100" }, variant));
        var two = CompareOutput.Files(Compare(new[] { "neocloud-h100" }, variant, batch: 97));
        Assert.Equal(one.Keys.Order(), two.Keys.Order());
        // ScottPlot numbers the SVG clip paths per process, so in one process only the other files compare byte for byte;
        // CompareCliTests compares every file, SVG included, across two processes.
        foreach (var (name, bytes) in one.Where(f => !f.Key.EndsWith(".svg", StringComparison.Ordinal)))
            Assert.True(bytes.AsSpan().SequenceEqual(two[name]), $"{name} differs with --batch 97");
    }

    [Fact]
    public void The_csv_read_back_with_csvhelper_gives_every_row_bit_for_bit()
    {
        var result = Compare(new[] { "neocloud-h100" }, new[] { "pue: fleet.operations.pue=1.4", "life60: fleet.depreciation.book.useful_life_months=60" });
        using var csv = CsvReader.Create(new StringReader(CompareOutput.Csv(result)), new CsvReaderOptions(), false);
        csv.ReadHeader();
        Assert.Equal(CompareOutput.Columns, csv.Headers.ToArray());
        int i = 0;
        while (csv.Read())
        {
            var r = result.Rows[i++];
            Assert.Equal((r.Scenario, r.Metric, r.Statistic, r.Unit), (csv.GetString(0), csv.GetString(1), csv.GetString(2), csv.GetString(3)));
            double[] expected = { r.MeanBase, r.Mean, r.Diff, r.DiffStdError, r.CiLow, r.CiHigh, r.UnpairedStdError, r.VarianceReduction };
            for (int j = 0; j < expected.Length; j++)
            {
                string cell = csv.GetString(4 + j);
                double got = cell.Length == 0 ? double.NaN : double.Parse(cell, CultureInfo.InvariantCulture);
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected[j]), BitConverter.DoubleToInt64Bits(got));
            }
            Assert.Equal(r.Pairs, long.Parse(csv.GetString(12), CultureInfo.InvariantCulture));
        }
        Assert.Equal(result.Rows.Count, i);
        Assert.Equal(2, result.Rows.Select(r => r.Scenario).Distinct().Count());
    }

    [Fact]
    public async Task The_parquet_file_holds_the_same_columns_and_values()
    {
        var result = Compare(new[] { "neocloud-h100" }, new[] { "pue: fleet.operations.pue=1.4" });
        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(CompareOutput.Parquet(result)));
        Assert.Equal(CompareOutput.Columns, reader.Schema.GetDataFields().Select(f => f.Name));
        using var rg = reader.OpenRowGroupReader(0);
        int n = result.Rows.Count;
        Assert.Equal(n, rg.RowCount);
        var metric = new string?[n];
        await rg.ReadAsync(reader.Schema.FindDataField("metric"), metric.AsMemory());
        var diff = new double?[n];
        await rg.ReadAsync<double>(reader.Schema.FindDataField("diff"), diff);
        var vr = new double?[n];
        await rg.ReadAsync<double>(reader.Schema.FindDataField("vr_factor"), vr);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(result.Rows[i].Metric, metric[i]);
            Assert.Equal(result.Rows[i].Diff, diff[i]);
            Assert.Equal(double.IsNaN(result.Rows[i].VarianceReduction) ? null : result.Rows[i].VarianceReduction, vr[i]);
        }
    }

    [Fact]
    public void The_page_is_self_contained_with_the_charts_embedded_and_summary_json_lists_the_rows()
    {
        var result = Compare(new[] { "neocloud-h100" }, new[] { "pue: fleet.operations.pue=1.4" });
        var files = CompareOutput.Files(result);
        string html = Encoding.UTF8.GetString(files[CompareOutput.HtmlFile]);
        Assert.Contains("Content-Security-Policy\" content=\"default-src 'none'; img-src data:", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<script", html);
        int images = html.Split("<img ").Length - 1;
        Assert.Equal(images, html.Split("src=\"data:image/png;base64,").Length - 1);
        // Two histograms (baseline, pue), the npv difference and one chart per event probability, at most three.
        int events = result.Rows.Where(r => r.Statistic == "probability").Select(r => r.Metric).Distinct().Count();
        Assert.True(events >= 2, $"events {events}");
        Assert.Equal(2 + 1 + Math.Min(3, events), images);
        Assert.Contains("charts/hist-pue.png", files.Keys);
        Assert.Contains("charts/diff-npv.png", files.Keys);
        var json = JsonNode.Parse(files[CompareOutput.JsonFile])!;
        Assert.Equal("ce-compare", (string?)json["kind"]);
        Assert.Equal("neocloud-h100", (string?)json["baseline"]);
        Assert.Equal(result.Rows.Count, json["rows"]!.AsArray().Count);
        Assert.Equal(Paths, (long)json["paths"]!);
    }
}
