using System.Text.Json;
using ComputeEconomics.Inference;
using ComputeEconomics.Models.Fleet;
using ComputeEconomics.Output;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Inference;

/// <summary>
/// The serving model wired into the economics: the catalog's token rates, fleet.serving, $/Mtok by year, the
/// intervals and the frontier chart of ce inference.
/// </summary>
public class ServingWiringTests
{
    /// <summary>The serving model's answer, through its own API: every candidate within 8 scale-up domains, best at the floor.</summary>
    private static double ServingModelRate(string generation, string model, Precision precision, int input, int output, double floor)
    {
        var acc = Accelerators.Get(generation);
        var candidates = ServingModel.Candidates(ModelShapes.Get(model), acc, new Workload(input, output, precision), 8 * acc.DomainSize);
        return ServingModel.BestAt(candidates, floor)?.TokensPerSPerGpu ?? 0;
    }

    [Fact]
    public void CatalogTokenRateIsTheServingModelAtTheReferenceServiceLevel()
    {
        // The documented service level (docs/catalog.md, docs/inference.md): Llama 3.1 70B, FP8, 1k/1k, >= 20 tokens/s per user.
        Assert.Equal(new ServiceLevel("llama-3.1-70b", Precision.Fp8, 1000, 1000, 20), ServiceLevel.Reference);
        foreach (var e in BuiltInCatalog.Entries)
        {
            double expected = ServingModelRate(e.Name, "llama-3.1-70b", Precision.Fp8, 1000, 1000, 20);
            Assert.True(expected > 0, $"{e.Name} must serve the reference level");
            Assert.Equal(expected, e.TokensPerSecond!.Value);
        }
    }

    [Fact]
    public void PublishedRowIsReproducedWithinTheFitsResidualError()
    {
        // The catalog's old H100 basis: TensorRT-LLM perf-overview, Llama 3.3 70B, H100 x2, FP8, 1k/1k, 4,205 tok/s
        // (data/inference/published.csv). The fit's residual sd s = sqrt(sum of squared log errors / (rows - 6)).
        var fitting = InferenceData.Published().Where(r => !r.IsHeldOut).ToList();
        double s = Math.Sqrt(EfficiencyFit.Loss(fitting, Efficiencies.Fitted) / (fitting.Count - 6));
        var row = fitting.Single(r => r.Round == "TensorRT-LLM perf-overview" && r.Accelerator == "H100" && r.Count == 2);
        Assert.Equal(4205, row.TokensPerS);
        double predicted = EfficiencyFit.Predict(row, Efficiencies.Fitted).PredictedTokensPerS;
        Assert.True(Math.Abs(Math.Log(predicted / row.TokensPerS)) <= s, $"predicted {predicted}, published 4,205, residual sd {s}");
    }

    [Fact]
    public void FleetServingGivesTheFleetTheServingModelsTokens()
    {
        var s = ScenarioLoader.Load("inference-provider");
        Assert.True(s.Fleet.Serving.IsOn());
        var catalog = FleetCompiler.ResolveCatalog(s);
        foreach (var g in catalog)
            Assert.Equal(ServingModelRate(g.Name, "llama-3.1-70b", Precision.Fp8, 1000, 1000, 20), g.TokensPerSecond!.Value);
        var big = ScenarioLoader.Load("inference-provider", new[] { "fleet.serving.model=llama-3.1-405b", "fleet.serving.min_user_tokens_per_s=10" });
        var h100 = FleetCompiler.ResolveCatalog(big).Single(g => g.Name == "H100");
        Assert.Equal(ServingModelRate("H100", "llama-3.1-405b", Precision.Fp8, 1000, 1000, 10), h100.TokensPerSecond!.Value);
        // Without fleet.serving a scenario keeps the catalog's rate; an entry's own tokens_per_second wins over both.
        var plain = FleetCompiler.ResolveCatalog(ScenarioLoader.Load("neocloud-h100")).Single(g => g.Name == "H100");
        Assert.Equal(BuiltInCatalog.Find("H100")!.TokensPerSecond, plain.TokensPerSecond);
        var own = big with { Catalog = new List<GenerationSpec> { new() { Name = "H100", TokensPerSecond = 1234 } } };
        Assert.Equal(1234, FleetCompiler.ResolveCatalog(own).Single().TokensPerSecond);
    }

    [Fact]
    public void AServiceLevelNoSetupMeetsIsAnErrorNamingTheField()
    {
        var r = CeProcess.Run(new[] { "validate", "inference-provider", "--set", "fleet.serving.model=llama-3.1-405b", "--set", "fleet.serving.min_user_tokens_per_s=500" });
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("fleet.serving.min_user_tokens_per_s", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
        var bad = CeProcess.Run(new[] { "validate", "inference-provider", "--set", "fleet.serving.model=gpt-9" });
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("fleet.serving.model", bad.StdErr);
    }

    [Fact]
    public void CostByYearIsTheDeclinedPriceOverTheLifePlusEnergyAndMargin()
    {
        var r = CeProcess.Run(new[] { "inference", "--model", "llama-3.1-70b", "--min-user-tokens-per-s", "20", "--years", "2025-2027", "--margin", "0.2", "--json" });
        Assert.True(r.ExitCode == 0, r.StdErr);
        var root = JsonDocument.Parse(r.StdOut).RootElement;
        var h100 = root.GetProperty("generations").EnumerateArray().First(g => g.GetProperty("name").GetString() == "H100");
        double tps = h100.GetProperty("tokens_per_s_per_gpu").GetDouble();
        var years = h100.GetProperty("by_year").EnumerateArray().ToList();
        Assert.Equal(new[] { 2025, 2026, 2027 }, years.Select(y => y.GetProperty("year").GetInt32()));
        foreach (var y in years)
        {
            // docs/catalog.md: H100 39,188 $ quoted 2024-08, 15%/yr decline, 1.275 kW; 1 July of the year, 5 years, PUE 1.3, 0.0806 $/kWh.
            int year = y.GetProperty("year").GetInt32();
            double price = 39_188 * Math.Pow(0.85, year + 0.5 - (2024 + 7 / 12.0));
            double mtokPerHour = tps * 3600 / 1e6;
            double hardware = price / (5 * 8766) / mtokPerHour, energy = 1.275 * 1.3 * 0.0806 / mtokPerHour;
            Assert.Equal(price, y.GetProperty("price_usd").GetDouble(), 6);
            Assert.Equal(hardware, y.GetProperty("hardware").GetDouble(), 9);
            Assert.Equal(energy, y.GetProperty("energy").GetDouble(), 9);
            Assert.Equal((hardware + energy) * 0.25, y.GetProperty("margin").GetDouble(), 9);
            Assert.Equal((hardware + energy) / 0.8, y.GetProperty("usd_per_mtok").GetDouble(), 9);
        }
        // A generation is priced only from its launch year: GB300 launched 2025-07.
        var gb300 = root.GetProperty("generations").EnumerateArray().First(g => g.GetProperty("name").GetString() == "GB300");
        Assert.Equal(2025, gb300.GetProperty("by_year")[0].GetProperty("year").GetInt32());
    }

    [Fact]
    public void SamplesGiveEachGenerationQuantilesThatBracketTheMedian()
    {
        var r = CeProcess.Run(new[] { "inference", "--model", "llama-3.1-70b", "--min-user-tokens-per-s", "20", "--samples", "200", "--seed", "3", "--json" });
        Assert.True(r.ExitCode == 0, r.StdErr);
        foreach (var g in JsonDocument.Parse(r.StdOut).RootElement.GetProperty("generations").EnumerateArray())
        {
            var i = g.GetProperty("intervals");
            foreach (var key in new[] { "tokens_per_s_per_gpu", "tokens_per_s_per_user", "usd_per_mtok" })
            {
                var q = i.GetProperty(key);
                Assert.True(q.GetProperty("p5").GetDouble() <= q.GetProperty("p50").GetDouble() && q.GetProperty("p50").GetDouble() <= q.GetProperty("p95").GetDouble(), $"{key} of {g.GetProperty("name")}");
            }
            Assert.True(i.GetProperty("tokens_per_s_per_gpu").GetProperty("p95").GetDouble() > i.GetProperty("tokens_per_s_per_gpu").GetProperty("p5").GetDouble());
        }
    }

    [Fact]
    public void OutFolderHasTheFrontierChartAndThePage()
    {
        string dir = Path.Combine(Path.GetTempPath(), "ce-inference-out-" + Guid.NewGuid().ToString("N"));
        try
        {
            var r = CeProcess.Run(new[] { "inference", "--model", "llama-3.1-405b", "--min-user-tokens-per-s", "20", "--out", dir });
            Assert.True(r.ExitCode == 0, r.StdErr);
            string svg = File.ReadAllText(Path.Combine(dir, "charts", "frontier.svg"));
            foreach (var e in BuiltInCatalog.Entries.Where(e => e.Name != "A100"))
                Assert.Contains(e.Name, svg);
            // The page stands alone (the chart embedded as the same SVG, no src or href to another file: it used to
            // link charts/frontier.svg, lost when the page was mailed or moved) and every column header is scoped
            // (WCAG 2.2 SC 1.3.1, technique H63).
            string html = File.ReadAllText(Path.Combine(dir, "inference.html"));
            var src = System.Text.RegularExpressions.Regex.Matches(html, "(?:src|href)=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
            Assert.Single(src);
            const string prefix = "data:image/svg+xml;base64,";
            Assert.StartsWith(prefix, src[0]);
            Assert.Equal(svg, System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(src[0][prefix.Length..])));
            int th = System.Text.RegularExpressions.Regex.Matches(html, "<th[ >]").Count;
            Assert.Equal(7, th);
            Assert.Equal(th, System.Text.RegularExpressions.Regex.Matches(html, "<th scope=\"col\">").Count);
            Assert.Contains("name=\"viewport\"", html);
            Assert.Equal("llama-3.1-405b", JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "inference.json"))).RootElement.GetProperty("model").GetString());
        }
        finally
        {
            if (Directory.Exists(dir))
                Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void RunReportDrawsTheFrontierOnlyWhenTokensComeFromTheServingModel()
    {
        string text = ScenarioLoader.ToYaml(ScenarioLoader.Load("inference-provider"));
        var section = ServingSection.For(text);
        Assert.NotNull(section);
        Assert.Contains("H100 1,480", section!.Intro);
        Assert.Contains("B200", section.Charts.Single().Svg);
        Assert.Null(ServingSection.For(ScenarioLoader.ToYaml(ScenarioLoader.Load("neocloud-h100"))));
    }

    [Fact]
    public void FrontierChartRejectsSeriesOfUnequalLength()
    {
        Assert.Throws<ArgumentException>(() => Charts.Frontier("f", "t", new[] { new FrontierSeries("H100", new[] { 1.0, 2.0 }, new[] { 1.0 }) }, 0, ""));
    }

    [Fact]
    public void BadNewOptionsExitTwoNamingEachOption()
    {
        var r = CeProcess.Run(new[] { "inference", "--model", "llama-3.1-70b", "--years", "2030-2024", "--margin", "1", "--samples", "100001", "--efficiency-scale", "-2", "--shape-sd", "3" });
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--years: 2030-2024 must be FROM-TO", r.StdErr);
        Assert.Contains("--margin: 1 must be a number >= 0 and < 1", r.StdErr);
        Assert.Contains("--samples: 100001 must be a whole number 0..100,000", r.StdErr);
        Assert.Contains("--efficiency-scale: -2 must be", r.StdErr);
        Assert.Contains("--shape-sd: 3 must be", r.StdErr);
    }
}
