using System.Text.Json;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Inference;

/// <summary>`ce inference` through the ce process: the JSON contract, the cost arithmetic, the floor, bad options.</summary>
public class InferenceCommandTests
{
    private static JsonElement Json(params string[] args)
    {
        var r = CeProcess.Run(new[] { "inference" }.Concat(args).Append("--json"));
        Assert.True(r.ExitCode == 0, r.StdErr);
        return JsonDocument.Parse(r.StdOut).RootElement;
    }

    [Fact]
    public void EveryGenerationHasTokenRatesAndACostPerMillionTokens()
    {
        var root = Json("--model", "llama-3.1-70b");
        var generations = root.GetProperty("generations").EnumerateArray().ToList();
        Assert.Equal(BuiltInCatalog.Entries.Select(e => e.Name), generations.Select(g => g.GetProperty("name").GetString()));
        foreach (var g in generations)
        {
            var entry = BuiltInCatalog.Find(g.GetProperty("name").GetString()!)!;
            // Hand arithmetic of docs/inference.md: capex over 5 x 8,766 h plus kW x PUE 1.3 x 0.0806 $/kWh.
            double hourly = entry.UnitCapex!.Value / (5 * 8766.0) + entry.PowerKw!.Value * 1.3 * 0.0806;
            Assert.Equal(hourly, g.GetProperty("usd_per_gpu_hour").GetDouble(), 9);
            double perGpu = g.GetProperty("tokens_per_s_per_gpu").GetDouble();
            Assert.True(perGpu > 0);
            Assert.True(g.GetProperty("tokens_per_s_per_user").GetDouble() > 0);
            Assert.True(g.GetProperty("ttft_s").GetDouble() > 0);
            Assert.Equal(hourly / (perGpu * 3600) * 1e6, g.GetProperty("usd_per_mtok").GetDouble(), 9);
            var frontier = g.GetProperty("frontier").EnumerateArray().ToList();
            Assert.NotEmpty(frontier);
            // The maximum-throughput answer is the frontier's last point.
            Assert.Equal(perGpu, frontier[^1].GetProperty("tokens_per_s_per_gpu").GetDouble(), 6);
        }
    }

    [Fact]
    public void TheInteractivityFloorHoldsOrTheGenerationSaysItCannot()
    {
        var root = Json("--model", "llama-3.1-405b", "--min-user-tokens-per-s", "20", "--output-len", "500");
        Assert.Equal(500, root.GetProperty("output_len").GetInt32());
        foreach (var g in root.GetProperty("generations").EnumerateArray())
        {
            var user = g.GetProperty("tokens_per_s_per_user");
            if (user.ValueKind == JsonValueKind.Null)
                Assert.Equal(JsonValueKind.Null, g.GetProperty("usd_per_mtok").ValueKind);
            else
                Assert.True(user.GetDouble() >= 20);
        }
        // A100 has 80 GB at 2 TB/s: 405B in FP16 cannot give 20 tokens/s to anyone.
        var a100 = root.GetProperty("generations").EnumerateArray().First(g => g.GetProperty("name").GetString() == "A100");
        Assert.Equal(JsonValueKind.Null, a100.GetProperty("tokens_per_s_per_gpu").ValueKind);
    }

    [Fact]
    public void Fp4RaisesBlackwellThroughputAndLeavesHopperAtFp8()
    {
        double Rate(string precision, string gen) => Json("--model", "llama-3.1-70b", "--precision", precision)
            .GetProperty("generations").EnumerateArray().First(g => g.GetProperty("name").GetString() == gen)
            .GetProperty("tokens_per_s_per_gpu").GetDouble();
        Assert.True(Rate("fp4", "B200") > Rate("fp8", "B200"));
        Assert.Equal(Rate("fp8", "H100"), Rate("fp4", "H100"), 9);
    }

    [Fact]
    public void BadOptionsExitTwoNamingEachOption()
    {
        var r = CeProcess.Run(new[] { "inference", "--model", "gpt-9", "--input-len", "0", "--pue", "0.5", "--precision", "int3" });
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--model: gpt-9 must be one of", r.StdErr);
        Assert.Contains("--input-len: 0 must be a whole number", r.StdErr);
        Assert.Contains("--pue: 0.5 must be a number from 1 to 10", r.StdErr);
        Assert.Contains("--precision: int3 must be one of", r.StdErr);
        var missing = CeProcess.Run(new[] { "inference" });
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--model: (missing) is required", missing.StdErr);
    }

    /// <summary>
    /// Cost inputs whose arithmetic overflows used to pass validation and fail writing the JSON ("internal error:
    /// ArgumentException: ... infinity cannot be written", exit 1): 1e308 $/kWh x kW x PUE is Infinity, and so is a
    /// capex spread over 1e-300 years. Each is now refused by name before anything runs.
    /// </summary>
    [Theory]
    [InlineData("--usd-per-kwh", "1e308", "1E+308 must be a number from 0 to 1000 ($/kWh)")]
    [InlineData("--life-years", "1e-300", "1E-300 must be a number from 0.01 to 100 (years)")]
    [InlineData("--pue", "1e308", "1E+308 must be a number from 1 to 10")]
    public void CostInputsThatWouldOverflowAreRefusedByName(string option, string value, string printed)
    {
        var r = CeProcess.Run(new[] { "inference", "--model", "llama-3.1-70b", option, value, "--json" });
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains($"error: {option}: {printed}", r.StdErr);
        Assert.Equal("", r.StdOut);
    }

    /// <summary>The largest accepted cost inputs together still give finite numbers everywhere in the JSON.</summary>
    [Fact]
    public void TheExtremesOfTheCostRangesStayFinite()
    {
        var r = CeProcess.Run(new[] { "inference", "--model", "llama-3.1-405b", "--usd-per-kwh", "1000", "--pue", "10", "--life-years", "0.01",
                                      "--margin", "0.999999", "--by-year", "--json" });
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = System.Text.Json.JsonDocument.Parse(r.StdOut);
        var mtok = doc.RootElement.GetProperty("generations").EnumerateArray()
            .Select(g => g.GetProperty("usd_per_mtok")).Where(v => v.ValueKind == System.Text.Json.JsonValueKind.Number).ToList();
        Assert.NotEmpty(mtok);
        Assert.All(mtok, v => Assert.True(double.IsFinite(v.GetDouble())));
    }

    /// <summary>A floor no setup meets: every generation "cannot meet the floor", and the header states the floor in
    /// a few characters (1e308 printed its 309 digits).</summary>
    [Fact]
    public void AnUnreachableFloorIsStatedShortlyAndMetByNone()
    {
        var r = CeProcess.Run(new[] { "inference", "--model", "llama-3.1-70b", "--min-user-tokens-per-s", "1e308" });
        Assert.True(r.ExitCode == 0, r.ToString());
        string header = r.StdOut.Split('\n')[0];
        Assert.Equal("llama-3.1-70b, 1000 in / 1000 out, fp8 asked at >= 1E+308 tokens/s per user", header.TrimEnd());
        Assert.Equal(ComputeEconomics.Scenarios.BuiltInCatalog.Entries.Count, r.StdOut.Split('\n').Count(l => l.Contains("cannot meet the floor")));
    }
}
