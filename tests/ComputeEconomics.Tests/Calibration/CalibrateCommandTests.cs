using ComputeEconomics.Models;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.TestSupport;
using YamlDotNet.RepresentationModel;

namespace ComputeEconomics.Tests.Calibration;

public class CalibrateCommandTests
{
    /// <summary>The leaves of a scenario fragment as --set overrides: a distribution mapping is one value in flow style.</summary>
    internal static List<string> AsOverrides(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var result = new List<string>();
        void Walk(YamlNode node, string path)
        {
            if (node is YamlMappingNode map)
            {
                bool distribution = map.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value is "dist" or "p5");
                if (distribution)
                {
                    var parts = map.Children.Select(kv => $"{((YamlScalarNode)kv.Key).Value}: {((YamlScalarNode)kv.Value).Value}");
                    result.Add($"{path}={{{string.Join(", ", parts)}}}");
                    return;
                }
                foreach (var (k, v) in map.Children) Walk(v, path.Length == 0 ? ((YamlScalarNode)k).Value! : $"{path}.{((YamlScalarNode)k).Value}");
            }
            else if (node is YamlScalarNode s) result.Add($"{path}={s.Value}");
        }
        Walk(stream.Documents[0].RootNode, "");
        return result;
    }

    [Fact]
    public void TheFragmentLoadsIntoTheDefaultScenarioAsUncertainInputs()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"ce-cal-{Guid.NewGuid():N}");
        try
        {
            var before = DateTime.UtcNow;
            var r = CeProcess.Run(new[] { "calibrate", "price", "--data", DataFiles.Path("gpu_rents.csv"), "--generation", "H100",
                                          "--until", "2024-06", "--horizon-months", "12", "--out", dir },
                                  new Dictionary<string, string> { ["TZ"] = "Etc/GMT+12" }, timeoutSeconds: 300);
            Assert.True(r.ExitCode == 0, r.ToString());
            // The date of the fit is UTC and says so, also where the local date is another day (UTC-12).
            string fit = File.ReadAllText(Path.Combine(dir, "fit.json"));
            Assert.True(new[] { before, DateTime.UtcNow }.Any(t => fit.Contains($", {t.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)} UTC\"", StringComparison.Ordinal)), fit[..200]);
            foreach (var f in new[] { "calibration.yaml", "fit.json", "forecast.csv", "backtest.csv", "chart.png", "chart.svg" })
                Assert.True(File.Exists(Path.Combine(dir, f)), f);
            var overrides = AsOverrides(File.ReadAllText(Path.Combine(dir, "calibration.yaml")));
            Assert.Contains(overrides, o => o.StartsWith("market.price.drift={dist: normal", StringComparison.Ordinal));
            Assert.Contains(overrides, o => o == "start=2024-06");
            var loaded = ScenarioLoader.LoadWithUncertainty("neocloud-h100", overrides);
            ScenarioCompiler.Compile(loaded.Scenario);
            Assert.Equal("2024-06", loaded.Scenario.Start);
            // forecast.csv: 12 months from the month after --until, quantiles in order.
            var lines = File.ReadAllLines(Path.Combine(dir, "forecast.csv"));
            Assert.Equal("date,p5,p25,p50,p75,p95", lines[0]);
            Assert.Equal(13, lines.Length);
            Assert.StartsWith("2024-07,", lines[1]);
            var q = lines[1].Split(',').Skip(1).Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.True(q.Zip(q.Skip(1)).All(p => p.First <= p.Second));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void ABadDataRowExitsWithCode2NamingFileRowColumnAndValue()
    {
        string file = Path.Combine(Path.GetTempPath(), $"ce-cal-{Guid.NewGuid():N}.csv");
        File.WriteAllText(file, "date,series,generation,product,vendor,contract,value,unit,source,licence,note\n"
                              + "2024-01,gpu_rent,H100,H100,Lambda,on_demand,3.49,USD/GPU-hour,https://x,by x,\n"
                              + "2024-02,gpu_rent,H100,H100,Lambda,on_demand,abc,USD/GPU-hour,https://x,by x,\n");
        try
        {
            var r = CeProcess.Run(new[] { "calibrate", "price", "--data", file, "--out", file + ".out" });
            Assert.Equal(2, r.ExitCode);
            Assert.Contains($"{file}: row 3, column value: abc must be a positive finite number", r.StdErr);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void BadOptionsExitWithCode2()
    {
        // A folder that does not exist: --out passes its check, so the errors below are the options' own.
        string fresh = Path.Combine(Path.GetTempPath(), "ce-calibrate-" + Guid.NewGuid().ToString("N"));
        var r = CeProcess.Run(new[] { "calibrate", "price", "--data", DataFiles.Path("gpu_rents.csv"), "--until", "2025-13",
                                      "--out", fresh });
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--until: 2025-13 must be a month YYYY-MM", r.StdErr);
        var g = CeProcess.Run(new[] { "calibrate", "price", "--data", DataFiles.Path("gpu_rents.csv"), "--generation", "Z900",
                                      "--contract", "monthly", "--out", fresh });
        Assert.Equal(2, g.ExitCode);
        Assert.Contains("--contract: monthly must be one of on_demand, spot, term_1y, term_3y, index", g.StdErr);
        var few = CeProcess.Run(new[] { "calibrate", "price", "--data", DataFiles.Path("gpu_rents.csv"), "--generation", "H100",
                                        "--contract", "index", "--out", fresh });
        Assert.Equal(2, few.ExitCode);
        // 3 index points (2025-10, 2026-03, 2026-05); the regime-switching model has 5 + 3 parameters with one contract.
        Assert.Contains("--generation: H100 leaves 3 points", few.StdErr);
        Assert.Contains("need at least 9", few.StdErr);
        var z = CeProcess.Run(new[] { "calibrate", "price", "--data", DataFiles.Path("gpu_rents.csv"), "--generation", "Z900", "--out", fresh });
        Assert.Equal(2, z.ExitCode);
        Assert.Contains("--generation: Z900 has no gpu_rent rows", z.StdErr);
    }
}
