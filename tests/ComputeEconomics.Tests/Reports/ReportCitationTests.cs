using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ComputeEconomics.Output;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Reports;

/// <summary>
/// The report as an outsider who must cite it reads it: every headline re-derived from the run folder's own files
/// (summary.json, survival.csv, histograms.csv, read here with JsonDocument and string splitting, not the report code),
/// every source note complete, every assumption of the run (statistics mode, standard errors, date) stated.
/// </summary>
public sealed class ReportCitationTests : IDisposable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly string _dir = Directory.CreateTempSubdirectory("ce-report-citation-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private string Run(string name, params string[] extra)
    {
        string outDir = Path.Combine(_dir, name);
        var args = new List<string> { "run", "--paths", "400", "--backend", "cpu", "--threads", "1", "--seed", "3", "--out", outDir, "--report" };
        args.AddRange(extra);
        var r = CeProcess.Run(args, timeoutSeconds: 180);
        Assert.True(r.ExitCode == 0, r.ToString());
        return outDir;
    }

    /// <summary>A share k/n as the report must print it: the exact ratio in percent, one decimal, half away from zero.</summary>
    private static string Pct(long k, long n) =>
        Math.Round(100m * k / n, 1, MidpointRounding.AwayFromZero).ToString("0.0", Inv) + " %";

    /// <summary>The visible text of the page: tags and the embedded images dropped, entities decoded.</summary>
    private static string Text(string html) =>
        WebUtility.HtmlDecode(Regex.Replace(Regex.Replace(html, "<(script|style)[^>]*>.*?</\\1>", " ", RegexOptions.Singleline), "<[^>]+>", " "));

    [Fact]
    public void ContinuedCommentLinesJoinTheNoteOfTheKeyAbove()
    {
        // The shipped scenarios write a derivation over several comment lines below the key (neocloud-h100's contract
        // price has its source only there); the report showed the first line, or nothing.
        const string yaml = "fleet:\n  contract:\n    share: 0.7   # assumption: most capacity\n" +
            "                 # continues here [2]\n    price: 2.24\n                 # D: 3.49 x 0.641\n" +
            "                 #    = 2.24 (C)\n    term: 36\n    # a note on the contract as a whole\nother: 1\n# trailing\n";
        var c = ScenarioInputs.Comments(yaml);
        Assert.Equal("assumption: most capacity continues here [2]", c["fleet.contract.share"]);
        Assert.Equal("D: 3.49 x 0.641 = 2.24 (C)", c["fleet.contract.price"]);
        Assert.False(c.ContainsKey("fleet.contract.term"));
        Assert.Equal("a note on the contract as a whole", c["fleet.contract"]);
        Assert.False(c.ContainsKey("other"));

        // The shipped default: the contract price's derivation, as the file writes it, reaches the report's row.
        string file = File.ReadAllText(Path.Combine(SchemaTests.RepoRoot(), "scenarios", "neocloud-h100.yaml"));
        var rows = ScenarioInputs.Rows(file, file, Array.Empty<string>());
        var price = rows.Single(r => r.Path == "fleet.operations.contract.price");
        Assert.StartsWith("D: the 3-year term price", price.Note);
        Assert.Contains("SemiAnalysis 1-yr index 2.35 (2026-03) [2]", price.Note);
    }

    [Fact]
    public void AListWrittenWithOtherDigitsIsStillSetByTheScenario()
    {
        // The resolved scenario writes [1, 0.5] where the file says [1.0, 0.5]: the report said "command line".
        const string source = "market:\n  correlation:\n    - [1.0, 0.5]\n    - [0.5, 1.0]\n";
        const string resolved = "market:\n  correlation:\n  - - 1\n    - 0.5\n  - - 0.5\n    - 1\n";
        var rows = ScenarioInputs.Rows(resolved, source, Array.Empty<string>());
        Assert.All(rows, r => Assert.Equal("scenario", r.SetBy));
        const string changed = "market:\n  correlation:\n  - - 1\n    - 0.25\n  - - 0.25\n    - 1\n";
        Assert.All(ScenarioInputs.Rows(changed, source, Array.Empty<string>()), r => Assert.Equal("command line", r.SetBy));
    }

    [Theory]
    // 365 of 2,000 paths is 18.25 %: the answer line printed 18.2 %, the metrics table 18.3 % for the same number.
    [InlineData(365, 2000)]
    [InlineData(73, 400)]
    [InlineData(1, 8)]
    [InlineData(7, 16)]
    public void EveryPercentRoundsTheExactShareOneWay(long k, long n)
    {
        double p = (double)k / n;
        string expected = Pct(k, n);
        Assert.Equal(expected, ComputeEconomics.Format.Percent(p));
        Assert.Equal(expected, MetricFormat.Format(p, "fraction"));
        Assert.Equal(expected[..^2], MetricFormat.Cell(p, "fraction"));
    }

    [Fact]
    public void NothingRoundsToMinusZero()
    {
        Assert.Equal("0.00", ComputeEconomics.Format.Money(-1e-9));
        Assert.Equal("0.0 %", ComputeEconomics.Format.Percent(-1e-9));
        Assert.Equal("0.000", MetricFormat.Cell(-1e-7, "count"));
        Assert.Equal("0.0", MetricFormat.Cell(-1e-7, "fraction"));
        Assert.Equal("-0.001", MetricFormat.Cell(-0.001, "count"));   // a real negative keeps its sign
        Assert.Equal("-1.5k", ComputeEconomics.Format.Money(-1500));
    }

    [Fact]
    public void HeadlinesAreTheNumbersOfTheRunFolder()
    {
        string dir = Run("headlines");
        string html = File.ReadAllText(Path.Combine(dir, "report.html"));
        string text = Text(html);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        var root = doc.RootElement;
        long paths = root.GetProperty("paths").GetInt64();

        // Key figures and answer lines: each probability is its share of paths, with its standard error.
        foreach (var (name, label) in new[] { ("default", "Probability of default"), ("npv_negative", "Probability NPV < 0") })
        {
            var p = root.GetProperty("probabilities").GetProperty(name);
            long k = (long)Math.Round(p.GetProperty("p").GetDouble() * paths);
            double se = Math.Sqrt((double)k / paths * (1 - (double)k / paths) / paths);   // binomial, iid paths
            Assert.Equal(se, p.GetProperty("stderr").GetDouble(), 12);
            string seText = Math.Round((decimal)se * 100m, 1, MidpointRounding.AwayFromZero).ToString("0.0", Inv) + " %";
            Assert.Contains($"{label} {Pct(k, paths)} +/- {seText} (1 s.e.)", Regex.Replace(text, "\\s+", " "));
        }
        string answer = Regex.Replace(text, "\\s+", " ");
        var neg = root.GetProperty("probabilities").GetProperty("npv_negative");
        long negK = (long)Math.Round(neg.GetProperty("p").GetDouble() * paths);
        Assert.Contains($"P(NPV < 0) {Pct(negK, paths)} (+/- ", answer);

        // The survival curve's end is 1 - P(default), from survival.csv.
        var last = File.ReadAllLines(Path.Combine(dir, "survival.csv")).Last(l => l.Length > 0).Split(',');
        double survival = double.Parse(last[2], Inv);
        long survivors = (long)Math.Round(survival * paths);
        long defaults = (long)Math.Round(root.GetProperty("probabilities").GetProperty("default").GetProperty("p").GetDouble() * paths);
        Assert.Equal(paths, survivors + defaults);
        Assert.Contains($"At the horizon: {Pct(survivors, paths)}.", answer);

        // The NPV histogram's caption: the share outside the range drawn, from histograms.csv.
        long outside = File.ReadAllLines(Path.Combine(dir, "histograms.csv")).Select(l => l.Split(','))
            .Where(f => f[0] == "npv" && f[1] is "below" or "above").Sum(f => long.Parse(f[4], Inv));
        Assert.Contains($"{Pct(outside, paths)} of paths lie outside the range drawn", answer);

        // No number a reader cannot use.
        Assert.DoesNotMatch(@"(?<![\w.])-0(\.0+)?(?![\d.])", text);
        Assert.DoesNotContain("NaN", text);
        Assert.DoesNotContain("Infinity", text);
        Assert.DoesNotContain("\u221E", text);
    }

    [Fact]
    public void TheManifestStatesTheStatisticsTheirErrorsAndTheDate()
    {
        string dir = Run("manifest");
        string html = File.ReadAllText(Path.Combine(dir, "report.html"));
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        var root = doc.RootElement;
        string completed = root.GetProperty("completed_utc").GetString()!;
        var at = DateTime.ParseExact(completed, "yyyy-MM-dd'T'HH:mm:ss'Z'", Inv, DateTimeStyles.AdjustToUniversal);
        Assert.InRange(at, DateTime.UtcNow.AddMinutes(-10), DateTime.UtcNow.AddMinutes(1));
        Assert.Contains($"<th scope=\"row\">Completed</th><td>{at:yyyy-MM-dd HH:mm:ss} UTC</td>", html);
        Assert.Contains("<th scope=\"row\">Statistics</th><td>exact: ", html);
        Assert.Contains($"<th scope=\"row\">Standard errors</th><td>{WebUtility.HtmlEncode(root.GetProperty("stderr_method").GetString())}</td>", html);
        Assert.Contains(WebUtility.HtmlEncode(root.GetProperty("rng").GetString()!), html);

        // The same folder as if written by a sketch run that compacted: the bound reaches the manifest and every quantile
        // quoted at the top, and the histograms are not called exact counts. (A sketch compacts only beyond about 10^5
        // paths, too slow for a unit test; the summary's fields are what `ce run --statistics sketch` writes.)
        string summary = File.ReadAllText(Path.Combine(dir, "summary.json")).Replace(
            "\"statistics\": {\n    \"method\": \"exact\"\n  }",
            "\"statistics\": {\"method\": \"sketch\", \"reduced_on\": \"host\", \"quantile_rank_error\": 0.0025}");
        Assert.Contains("\"sketch\"", summary);
        File.WriteAllText(Path.Combine(dir, "summary.json"), summary);
        var page = HtmlReport.ForRun(RunDirectory.Load(dir));
        string sketched = HtmlReport.Render(page);
        Assert.Contains("within 0.25 % of the paths (about 1 of 400 paths)", sketched);
        Assert.Contains("quantiles within 0.25 % of ranks (sketch)", sketched);
        Assert.DoesNotContain("Every one of the 400 paths counted", sketched);
    }

    [Fact]
    public void UncertainInputsAreListedWithTheirDistributions()
    {
        string dir = Run("uncertain", "--set", "market.price.volatility={dist: lognormal, median: 0.177, sigma: 0.147}");
        string html = File.ReadAllText(Path.Combine(dir, "report.html"));
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        var input = doc.RootElement.GetProperty("inputs").GetProperty("market.price.volatility");
        Assert.Contains("<h2>Uncertain inputs</h2>", html);
        Assert.Contains($"<th scope=\"row\">market.price.volatility</th><td>{WebUtility.HtmlEncode(input.GetProperty("distribution").GetString())}</td>", html);
        Assert.Contains($"<td>{input.GetProperty("p50").GetDouble().ToString("0.####", Inv)}</td>", html);
    }
}
