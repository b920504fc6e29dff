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
        Assert.Equal("0.00", AxisScale.Plain("x", "months").Format(-1e-9));     // chart captions and legends
        Assert.Equal("-0.25", AxisScale.Plain("x", "months").Format(-0.25));
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

        // The NPV line: the mean with its standard error and the quantiles, from summary.json, in millions (docs/reports.md:
        // money in k/M/B with one decimal below a billion).
        var npv = root.GetProperty("metrics").GetProperty("npv");
        string M(string key) => Math.Abs(npv.GetProperty(key).GetDouble()) is >= 1e6 and < 1e9
            ? (npv.GetProperty(key).GetDouble() / 1e6).ToString("0.0", Inv) + "M" : throw new InvalidOperationException($"npv {key} is not in millions");
        Assert.Contains($"NPV, USD mean {M("mean")} (+/- {M("stderr")}) P5 {M("p5")} P50 {M("p50")} P95 {M("p95")} CVaR5 {M("cvar5")}", answer);

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

    /// <summary>
    /// Structural checks a validator makes, without one installed: every non-void element closed in order, attribute
    /// values quoted, ids unique, and nothing fetched from outside the page (every src and href a data: URI).
    /// Returns the problems, empty when none.
    /// </summary>
    internal static List<string> HtmlProblems(string html)
    {
        var problems = new List<string>();
        string[] voids = { "meta", "img", "br", "hr", "col", "input", "link", "wbr", "source" };
        var open = new Stack<string>();
        string body = Regex.Replace(html, "<(script|style)([^>]*)>.*?</\\1>", "<$1$2></$1>", RegexOptions.Singleline);
        foreach (Match tag in Regex.Matches(body, "<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\\s+[^\\s=>]+(?:=\"[^\"]*\")?)*)\\s*(/?)>|<(?!!DOCTYPE)(?![/a-zA-Z])"))
        {
            if (tag.Groups[2].Length == 0) { problems.Add($"a bare '<' at {tag.Index}"); continue; }
            string name = tag.Groups[2].Value.ToLowerInvariant();
            if (tag.Groups[1].Length > 0)
            {
                if (open.Count == 0 || open.Peek() != name) problems.Add($"</{name}> at {tag.Index} closes {(open.Count == 0 ? "nothing" : "<" + open.Peek() + ">")}");
                else open.Pop();
            }
            else if (!voids.Contains(name)) open.Push(name);
        }
        if (open.Count > 0) problems.Add("unclosed: " + string.Join(", ", open));
        int tags = Regex.Matches(body, "<[a-zA-Z]").Count, parsed = Regex.Matches(body, "<([a-zA-Z][a-zA-Z0-9]*)((?:\\s+[^\\s=>]+(?:=\"[^\"]*\")?)*)\\s*/?>").Count;
        if (tags != parsed) problems.Add($"{tags - parsed} tags with an unquoted or malformed attribute");
        var ids = Regex.Matches(html, "\\sid=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        problems.AddRange(ids.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => $"id \"{g.Key}\" used {g.Count()} times"));
        foreach (Match src in Regex.Matches(html, "\\s(?:src|href|action|poster|data)=\"([^\"]*)\""))
            if (!src.Groups[1].Value.StartsWith("data:", StringComparison.Ordinal)) problems.Add($"fetches {src.Groups[1].Value}");
        if (html.Contains("url(", StringComparison.OrdinalIgnoreCase) || html.Contains("@import", StringComparison.OrdinalIgnoreCase))
            problems.Add("CSS fetches a URL");
        return problems;
    }

    [Fact]
    public void TheStructureCheckSeesBrokenPages()
    {
        Assert.Empty(HtmlProblems("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body><p id=\"a\">x &lt; y<br></p></body></html>"));
        Assert.NotEmpty(HtmlProblems("<html><body><p>x</body></html>"));
        Assert.NotEmpty(HtmlProblems("<html><body><p id=\"a\"></p><p id=\"a\"></p></body></html>"));
        Assert.NotEmpty(HtmlProblems("<html><body><img src=\"https://example.com/x.png\"></body></html>"));
        Assert.NotEmpty(HtmlProblems("<html><body><p>a <b</p></body></html>"));
        Assert.NotEmpty(HtmlProblems("<html><body><p class=x>a</p></body></html>"));
    }

    [Fact]
    public void AHostileScenarioNameAndQuestionAreTextNotMarkup()
    {
        // A name and question with markup, an entity, quotes, non-ASCII letters and a 200-letter word.
        string word = new('W', 200);
        string yaml = File.ReadAllText(Path.Combine(SchemaTests.RepoRoot(), "scenarios", "neocloud-h100.yaml"));
        yaml = Regex.Replace(yaml, "(?m)^name: .*$", "name: \"x<script>alert(1)</script>&amp;\\\"q'\u00e9\"");
        yaml = Regex.Replace(yaml, "(?m)^question: .*$", $"question: \"Does <b>\u00dcn\u00efc\u00f8d\u00e9</b> & {word} pay? ]]> -->\"");
        yaml = Regex.Replace(yaml, "(?m)^horizon_months: .*$", "horizon_months: 24");
        string file = Path.Combine(_dir, "hostile.yaml");
        File.WriteAllText(file, yaml);
        string outDir = Path.Combine(_dir, "hostile");
        var r = CeProcess.Run(new[] { "run", file, "--paths", "200", "--backend", "cpu", "--threads", "1", "--out", outDir, "--report" }, timeoutSeconds: 180);
        Assert.True(r.ExitCode == 0, r.ToString());
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Empty(HtmlProblems(html));
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<b>", html);
        string text = Text(html);
        Assert.Contains("x<script>alert(1)</script>&amp;\"q'\u00e9", text);     // shown as written, entities and all
        Assert.Contains($"Does <b>\u00dcn\u00efc\u00f8d\u00e9</b> & {word} pay? ]]> -->", text);
    }

    [ChromiumFact]
    public void ALongWordWrapsInsideThePage()
    {
        string word = new('W', 300);
        var page = new ReportPage
        {
            Title = word, Question = $"Does {word} pay?", KeyFigures = new[] { new KeyFigure(word, "1 %", word) },
            Answer = new[] { ("label", word) }, Manifest = new[] { ("Scenario", word) },
        };
        string file = Path.Combine(_dir, "long.html");
        File.WriteAllText(file, HtmlReport.Render(page));
        var (dom, log) = Chromium.DumpDom(file);
        var root = Regex.Match(dom, "<html[^>]*>").Value;
        Assert.True(root.Contains("data-ready=\"1\""), $"the page's check did not run: {root}\n{Chromium.Tail(log)}");
        Assert.True(root.Contains("data-page-wide=\"\""), $"the page is wider than the 1,200 px window: {root}");
    }

    [Theory]
    [InlineData("summary.json", "DELETE", "summary.json: (missing) must exist")]
    [InlineData("summary.json", "{\"paths\": 10", "summary.json: (content) is not a valid summary.json")]
    [InlineData("summary.json", "[]", "the top level must be an object")]
    [InlineData("summary.json", "s/\"paths\": 200/\"paths\": \"many\"/", "paths must be a whole number, not \"many\"")]
    [InlineData("summary.json", "s/\"paths\": 200/\"paths\": -5/", "paths -5 must be at least 1")]
    [InlineData("summary.json", "s/\"metrics\": {/\"metricz\": {/", "metrics is missing")]
    [InlineData("summary.json", "s/\"count\": 200,/\"count\": 150,/", "count 150 + absent")]
    [InlineData("summary.json", "s/\"p\": [0-9.e-]+,/\"p\": 1.7,/", "must be a number in [0, 1]")]
    [InlineData("histograms.csv", "", "histograms.csv: (content) is not a valid histograms.csv written by ce run: line 1: header")]
    [InlineData("histograms.csv", "s/,bin,[^,]*,/,bin,Infinity,/", "Infinity must be a finite number")]
    [InlineData("bands.csv", "s/^cash,0,[^,]*,/cash,0,NaN,/", "NaN must be a finite number")]
    [InlineData("survival.csv", "s/,0,[0-9.]+,/,0,1.5,/", "survival 1.5 must be in [0, 1]")]
    [InlineData("scenario.yaml", "model: [unclosed\n", "scenario.yaml: (content) is not a valid scenario.yaml")]
    public void AHandEditedRunFolderExitsTwoNamingTheFileAndTheRule(string fileName, string edit, string message)
    {
        string dir = Path.Combine(_dir, "edited");
        var run = CeProcess.Run(new[] { "run", "--paths", "200", "--backend", "cpu", "--threads", "1", "--set", "horizon_months=24", "--out", dir }, timeoutSeconds: 180);
        Assert.True(run.ExitCode == 0, run.ToString());
        string file = Path.Combine(dir, fileName);
        string original = File.ReadAllText(file);
        if (edit == "DELETE") File.Delete(file);
        else if (edit.StartsWith("s/", StringComparison.Ordinal))
        {
            var parts = edit[2..^1].Split('/');
            var re = new Regex(parts[0], RegexOptions.Multiline);
            Assert.Matches(re, original);
            File.WriteAllText(file, re.Replace(original, parts[1], 1));
        }
        else File.WriteAllText(file, edit);
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "an extra file is no error");
        var r = CeProcess.Run(new[] { "report", dir }, timeoutSeconds: 120);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(Path.Combine(dir, fileName), r.StdErr);
        Assert.Contains(message, r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);   // no stack trace
        Assert.False(File.Exists(Path.Combine(dir, "report.html")), "no report from a folder that failed its checks");
        Assert.False(Directory.Exists(Path.Combine(dir, "charts")));
    }

    [Fact]
    public void AnExtraFileInTheRunFolderIsIgnored()
    {
        string dir = Path.Combine(_dir, "extra");
        var run = CeProcess.Run(new[] { "run", "--paths", "200", "--backend", "cpu", "--threads", "1", "--set", "horizon_months=24", "--out", dir }, timeoutSeconds: 180);
        Assert.True(run.ExitCode == 0, run.ToString());
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "mine");
        var r = CeProcess.Run(new[] { "report", dir }, timeoutSeconds: 120);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("mine", File.ReadAllText(Path.Combine(dir, "notes.txt")));
    }

    [Theory]
    // The exact one-sided 95 % bound with no event in n paths, 1 - 0.05^(1/n) (Clopper-Pearson, k = 0), close to the
    // rule of three, 3/n (Hanley and Lippman-Hand, JAMA 1983): n = 300 gives 0.99 %, n = 2,000 0.15 %.
    [InlineData(300, "1.0 %")]
    [InlineData(2000, "0.1 %")]
    public void NoPathWithTheEventGivesItsUpperBoundNotAZeroError(long n, string bound)
    {
        double exact = 1 - Math.Pow(0.05, 1.0 / n);
        Assert.InRange(exact, 0.9 * 3.0 / n, 3.0 / n);
        Assert.Equal(exact, ComputeEconomics.Statistics.Probability.NoneSeenUpperBound(n), 15);
        var none = new ComputeEconomics.Statistics.Probability(0, 0, n);
        Assert.Equal($"0.0 % (0 of {n.ToString("N0", Inv)} paths; below {bound} at 95 % confidence)", none.Text());
        var all = new ComputeEconomics.Statistics.Probability(1, 0, n);
        Assert.Contains("at 95 % confidence", all.Text());
        Assert.Equal("15.4 % (+/- 0.8 %)", new ComputeEconomics.Statistics.Probability(0.154, 0.008071, 2000).Text());
    }

    [Fact]
    public void AReportOfARunWhereNoPathDefaultsSaysSoWithTheBound()
    {
        // With no debt the fleet cannot default: P(default) 0 on every path, where the report said "+/- 0.0 % (1 s.e.)".
        string dir = Run("nodefault", "--set", "fleet.financing.debt_share=0", "--set", "horizon_months=24");
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        Assert.Equal(0.0, doc.RootElement.GetProperty("probabilities").GetProperty("default").GetProperty("p").GetDouble());
        string text = Regex.Replace(Text(File.ReadAllText(Path.Combine(dir, "report.html"))), "\\s+", " ");
        Assert.Contains("Probability of default 0.0 % 0 of 400 paths; below 0.7 % at 95 % confidence", text);
        Assert.Contains("P(default) 0.0 % (0 of 400 paths; below 0.7 % at 95 % confidence)", text);
        Assert.DoesNotContain("+/- 0.0 %", text);
    }

    [Fact]
    public void CitedSectionsOfTheReferenceListAreCopiedIntoTheReport()
    {
        const string md = "# Title\n\n## 1. Accelerators\n\n| Parameter | Value | Source | Date |\n|---|---|---|---|\n| H100 TDP | 700 | vendor | n.d. |\n\n" +
            "## 2. Rents\n\n| Parameter | Value | Source | Date |\n|---|---|---|---|\n| H100 on Lambda | 3.49 | Epoch | 2024-01 |\n| A100 | 1.10 | same | 2022 |\n\n## Missing\n";
        var tables = SourcesSection.Cited(new[] { "Lambda 2024-01 [2]", "TDP [1][9]", "no citation" }, md);
        Assert.Equal(new[] { "Source [1]: Accelerators", "Source [2]: Rents", "Source [9]" }, tables.Select(t => t.Title));
        Assert.Equal(new[] { "Parameter", "Value", "Source", "Date" }, tables[1].Header);
        Assert.Equal(new[] { "H100 on Lambda", "3.49", "Epoch", "2024-01" }, tables[1].Rows[0]);
        Assert.Equal(2, tables[1].Rows.Count);
        Assert.Empty(tables[2].Rows);
        Assert.Contains("does not have", tables[2].Intro);
        Assert.Empty(SourcesSection.Cited(new[] { "assumption" }, md));

        // The engine carries the repository's list as it is, and the default report resolves every number its file cites.
        Assert.Equal(File.ReadAllText(Path.Combine(SchemaTests.RepoRoot(), "docs", "sources.md")).Replace("\r\n", "\n"),
            SourcesSection.Text()!.Replace("\r\n", "\n"));
        string dir = Run("sources");
        string html = File.ReadAllText(Path.Combine(dir, "report.html"));
        string scenario = File.ReadAllText(Path.Combine(SchemaTests.RepoRoot(), "scenarios", "neocloud-h100.yaml"));
        var cited = Regex.Matches(scenario, @"\[(\d{1,2})\]").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(cited);
        foreach (var n in cited) Assert.Matches($"<h2>Source \\[{n}\\]: [^<]+</h2>", html);
        Assert.Empty(HtmlProblems(html));
    }

    [Fact]
    public void TheCatalogRowsGiveTheQuoteItsMonthAndTheLaunchPriceTheEngineUses()
    {
        // neocloud-h100 cites "built in: 39,188 USD all-in per GPU (... Cheah sheet 2024-08) [1]"; docs/catalog.md gives the
        // H100's launch 2022-09 and decline 15 % a year; the engine's launch price is the quote carried back 23 months:
        // 39,188 / 0.85^(23/12).
        string yaml = File.ReadAllText(Path.Combine(SchemaTests.RepoRoot(), "scenarios", "neocloud-h100.yaml"));
        var table = SourcesSection.Catalog(ComputeEconomics.Scenarios.ScenarioLoader.ToYaml(
            ComputeEconomics.Scenarios.ScenarioLoader.FromTextWithUncertainty(yaml, "neocloud-h100.yaml")))!;
        var h100 = table.Rows.Single(r => r[0] == "H100");
        double launch = 39188 / Math.Pow(0.85, 23.0 / 12);
        Assert.Equal(new[] { "H100", "2022-09", "39,188", "2024-08", launch.ToString("N0", Inv) }, h100.Take(5));
        Assert.Contains("Cheah", h100[^1]);
        Assert.Equal(new[] { "H100", "H200", "B200" }, table.Rows.Select(r => r[0]));
        // A lab scenario buys no hardware: no catalog table.
        string lab = File.ReadAllText(Path.Combine(SchemaTests.RepoRoot(), "scenarios", "frontier-lab.yaml"));
        Assert.Null(SourcesSection.Catalog(lab));
    }

    [Fact]
    public void MonthAndYearNumbersAreGivenTheirDates()
    {
        // "in month P50 50" and "year 3" of the answer lines, read against the start 2024-01 of the default scenario:
        // month 0 is 2024-01, so month 12 is 2025-01, year 1 ends 2024-12, year 3 ends 2026-12 and month 119 is 2033-12.
        string note = HtmlReport.DatesNote("2024-01", "start: 2024-01\nhorizon_months: 120\n");
        Assert.Equal("Dates: month m counts from the start, month 0 = 2024-01 (month 12 = 2025-01); year k is the 12 months ending with " +
            "month 12k - 1 (year 1: 2024-01 to 2024-12; year 3 ends 2026-12); the horizon's last month, 119, is 2033-12.", note);
        Assert.Equal("", HtmlReport.DatesNote("", ""));
        string dir = Run("dates");
        Assert.Contains(WebUtility.HtmlEncode(note), File.ReadAllText(Path.Combine(dir, "report.html")));
    }
}

