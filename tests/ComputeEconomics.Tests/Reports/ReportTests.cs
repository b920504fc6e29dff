using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using ComputeEconomics.Models;
using ComputeEconomics.Output;
using ComputeEconomics.Statistics;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Reports;

/// <summary>
/// `ce run --report` / `ce report DIR`: the self-contained HTML report and its charts, checked in headless Chromium;
/// the run-time histograms and survival curve; the console's plain, --quiet and --json output; `ce --version`.
/// </summary>
public sealed class ReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ce-report-tests-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private string RunWithReport(string name, params string[] extra)
    {
        string outDir = Path.Combine(_dir, name);
        var args = new List<string> { "run", "--paths", "400", "--backend", "cpu", "--seed", "11", "--out", outDir, "--report" };
        args.AddRange(extra);
        var r = CeProcess.Run(args, timeoutSeconds: 120);
        Assert.True(r.ExitCode == 0, r.ToString());
        return outDir;
    }

    [ChromiumFact]
    public void ReportRendersInHeadlessChromiumWithEveryChartVisibleAndNoConsoleMessage()
    {
        string outDir = RunWithReport("chromium", "--histogram", "irr");
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        int charts = Regex.Matches(html, "<img class=\"chart\"").Count;
        // Book vs market, cash, revenue, EBITDA, unit cost, backlog (the default scenario has contracts); NPV and IRR
        // histograms; survival.
        Assert.Equal(9, charts);
        foreach (Match src in Regex.Matches(html, "(?:src|href)=\"([^\"]*)\""))
            Assert.StartsWith("data:", src.Groups[1].Value);
        Assert.DoesNotContain("<script src", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);

        var (dom, log) = Chromium.DumpDom(Path.Combine(outDir, "report.html"));
        var root = Regex.Match(dom, "<html[^>]*>").Value;
        Assert.True(root.Contains("data-ready=\"1\""), $"the report's load check did not run; <html> is {root}\n{Chromium.Tail(log)}");
        Assert.Contains($"data-charts=\"{charts}\"", root);
        Assert.True(root.Contains($"data-charts-visible=\"{charts}\""), $"not every chart is visible: {root}");
        Assert.True(root.Contains("data-errors=\"\""), $"script errors: {root}");
        var console = log.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal)).ToList();
        Assert.True(console.Count == 0, "the page wrote to the console:\n" + string.Join("\n", console));
    }

    [Fact]
    public void ReportOpensWithTheQuestionAndKeyFiguresThenChartsInputsWithSourcesAndManifest()
    {
        string outDir = RunWithReport("content");
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        int question = html.IndexOf("<h1 dir=\"auto\">Does a debt-financed H100 neocloud", StringComparison.Ordinal);
        int figures = html.IndexOf("Probability of default", StringComparison.Ordinal);
        int chart = html.IndexOf("<img class=\"chart\"", StringComparison.Ordinal);
        int inputs = html.IndexOf("<h2>Inputs as resolved</h2>", StringComparison.Ordinal);
        int manifest = html.IndexOf("<h2>Run manifest</h2>", StringComparison.Ordinal);
        Assert.True(question > 0 && question < figures && figures < chart && chart < inputs && inputs < manifest,
            $"order: question {question}, figures {figures}, chart {chart}, inputs {inputs}, manifest {manifest}");
        // The scenario's citation on market.price.initial, and the manifest's seed and paths.
        Assert.Matches(@"<code>market\.price\.initial</code></td><td>3\.49</td><td>scenario</td><td>H100 SXM on Lambda", html);
        Assert.Matches(@"<th scope=""row"">Seed</th><td>11</td>", html);
        Assert.Matches(@"<th scope=""row"">Paths</th><td>400</td>", html);
        foreach (var stem in new[] { "book-vs-market", "fan-cash", "fan-revenue", "fan-ebitda", "fan-unit-cost", "hist-npv", "survival" })
        {
            byte[] png = File.ReadAllBytes(Path.Combine(outDir, "charts", stem + ".png"));
            Assert.True(png.Length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', $"{stem}.png is not a PNG");
            Assert.Contains("<svg", File.ReadAllText(Path.Combine(outDir, "charts", stem + ".svg")));
        }
    }

    [Fact]
    public void TablesFitTheReportColumnInChromiumAndSetByNamesTheCommandLineOptions()
    {
        string outDir = RunWithReport("widths");
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        // --paths 400 and --seed 11 replace the file's 10000 and 42: not "scenario".
        Assert.Matches(@"<code>seed</code></td><td>11</td><td>--seed</td>", html);
        Assert.Matches(@"<code>paths</code></td><td>400</td><td>--paths</td>", html);
        Assert.Matches(@"<code>horizon_months</code></td><td>120</td><td>scenario</td>", html);
        var (dom, log) = Chromium.DumpDom(Path.Combine(outDir, "report.html"));
        var root = Regex.Match(dom, "<html[^>]*>").Value;
        Assert.True(root.Contains("data-ready=\"1\""), $"the report's load check did not run; <html> is {root}\n{Chromium.Tail(log)}");
        Assert.True(root.Contains("data-wide=\"\""), $"a table is wider than the report's column (1200 px window): {root}");

        // The check itself sees a table that cannot fit: 40 columns of 12-digit numbers.
        var wide = new ReportPage
        {
            Title = "t", Question = "q",
            Tables = new[] { new ReportTable("wide", "", Enumerable.Range(0, 40).Select(i => $"column{i}").ToList(),
                new[] { (IReadOnlyList<string>)Enumerable.Range(0, 40).Select(i => "123456789012").ToList() }, "") },
        };
        string file = Path.Combine(_dir, "wide.html");
        File.WriteAllText(file, HtmlReport.Render(wide));
        var (wideDom, _) = Chromium.DumpDom(file);
        Assert.Matches("data-wide=\"num [0-9]+px in [0-9]+px\"", Regex.Match(wideDom, "<html[^>]*>").Value);
    }

    [Fact]
    public void MetricsTableGivesEachMetricsUnitAndCvarOnTheUnfavourableTail()
    {
        double[] ramp = Enumerable.Range(1, 100).Select(i => i / 100.0).ToArray();   // 0.01 .. 1.00
        var page = new ReportPage
        {
            Title = "t", Question = "q",
            Metrics = new[]
            {
                Summarizer.Summarize("irr", ramp, MetricInfo.UpperTail("irr")),
                Summarizer.Summarize("cost_per_gpu_hour", ramp, MetricInfo.UpperTail("cost_per_gpu_hour")),
                Summarizer.Summarize("npv", ramp.Select(x => x * 1e8).ToArray(), MetricInfo.UpperTail("npv")),
                Summarizer.Summarize("payback_month", ramp.Select(x => x * 100).ToArray(), MetricInfo.UpperTail("payback_month")),
            },
        };
        string html = HtmlReport.Render(page);
        // IRR in percent per year: mean 0.505 -> 50.5; CVaR5 = mean of 0.01 .. 0.05 = 0.03 -> 3.0, lower tail.
        Assert.Matches(@"<th scope=""row"">irr</th><td class=""unit"">%/yr</td><td>50\.5</td>", html);
        Assert.Matches(@">irr</th>(<td[^>]*>[^<]*</td>){8}<td>3\.0</td>", html);
        // A cost: CVaR5 = mean of 0.96 .. 1.00 = 0.98, the upper tail, marked.
        Assert.Matches(@">cost_<wbr>per_<wbr>gpu_<wbr>hour</th><td class=""unit"">USD/GPU-hour</td>(<td[^>]*>[^<]*</td>){7}<td>0\.980 \u2191</td>", html);
        // Money in millions: mean 50.5M; months: CVaR5 = mean of 96 .. 100 = 98, upper tail.
        Assert.Matches(@">npv</th><td class=""unit"">USD</td><td>50\.5M</td>", html);
        Assert.Matches(@">payback_<wbr>month</th><td class=""unit"">months</td>(<td[^>]*>[^<]*</td>){7}<td>98\.00 \u2191</td>", html);
    }

    [Fact]
    public void HistogramMarksTheUnfavourableTail()
    {
        double[] months = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        var h = Distributions.HistogramOf("payback_month", months, bins: 20);
        var upper = Charts.Histogram("h", "t", h, Summarizer.Summarize("payback_month", months, MetricInfo.UpperTail("payback_month")), AxisScale.Plain("Payback month", "months"));
        // Type-7 P95 of 1..100 = 95.05; CVaR5 = mean of 96..100 = 98.
        Assert.Matches(@"P95 95\.[01], CVaR5 98\.0 \(upper tail", upper.Caption);
        var lower = Charts.Histogram("h", "t", h, Summarizer.Summarize("npv", months, MetricInfo.UpperTail("npv")), AxisScale.Plain("NPV", "USD"));
        Assert.Contains("P5 5.95, CVaR5 3.00 (lower tail", lower.Caption);
    }

    [Fact]
    public void SectorMoneyIsInUsdBillions()
    {
        // docs/model.md section 7: the sector model counts money in USD billions; the fleet's total_capex is in USD.
        Assert.Equal("USD bn", MetricFormat.UnitOf("total_capex", "sector"));
        Assert.Equal("USD", MetricFormat.UnitOf("total_capex", "fleet"));
        Assert.Equal("USD 150.00B", MetricFormat.Format(150, "USD bn"));
        var scale = MetricFormat.Scale("Capex", "USD bn", new[] { 150.0, 700.0 });
        Assert.Equal("Capex, USD billions", scale.Label);
        Assert.Equal(700.0, scale.Apply(700.0), 12);
        var page = new ReportPage
        {
            Title = "t", Question = "q", Model = "sector",
            Metrics = new[] { Summarizer.Summarize("total_capex", new[] { 100.0, 200.0 }, MetricInfo.UpperTail("total_capex")) },
        };
        Assert.Matches(@">total_<wbr>capex</th><td class=""unit"">USD</td><td>150\.00B</td>", HtmlReport.Render(page));
    }

    [Fact]
    public void ReportCommandRebuildsTheReportFromTheRunFolder()
    {
        string outDir = Path.Combine(_dir, "plain");
        var run = CeProcess.Run(new[] { "run", "--paths", "300", "--backend", "cpu", "--out", outDir }, timeoutSeconds: 120);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.False(File.Exists(Path.Combine(outDir, "report.html")));
        var r = CeProcess.Run(new[] { "report", outDir, "--histogram", "payback_month" }, timeoutSeconds: 120);
        Assert.True(r.ExitCode == 0, r.ToString());
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains("Distribution of Payback month", html);
        Assert.True(File.Exists(Path.Combine(outDir, "charts", "hist-payback-month.png")));
        Assert.DoesNotContain(Directory.GetDirectories(_dir), d => Path.GetFileName(d).StartsWith('.')); // no staging folder left
    }

    [Theory]
    [InlineData(new[] { "report", "/nonexistent/ce-run" }, "must be an existing folder")]
    [InlineData(new[] { "run", "--paths", "10", "--report" }, "needs --out")]
    [InlineData(new[] { "run", "--paths", "10", "--out", "OUT", "--report", "--histogram", "nonsense" }, "--histogram: nonsense must be a metric")]
    public void BadReportInputExitsTwoNamingTheProblem(string[] args, string message)
    {
        var r = CeProcess.Run(args.Select(a => a == "OUT" ? Path.Combine(_dir, "bad") : a), timeoutSeconds: 60);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(message, r.StdErr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "bad")), "nothing is written on bad input");
    }

    [Fact]
    public void ReportWithAnUnknownHistogramNamesTheOption()
    {
        // It named --metric, an option neither ce report nor ce run has.
        string outDir = Path.Combine(_dir, "unknown-histogram");
        var run = CeProcess.Run(new[] { "run", "--paths", "50", "--backend", "cpu", "--set", "horizon_months=12", "--out", outDir }, timeoutSeconds: 120);
        Assert.True(run.ExitCode == 0, run.ToString());
        var r = CeProcess.Run(new[] { "report", outDir, "--histogram", "nonsense" });
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("error: --histogram: nonsense must be a metric with a histogram (npv, ", r.StdErr);
        Assert.False(File.Exists(Path.Combine(outDir, "report.html")));
    }

    [Fact]
    public void ReportOfAFolderWithoutSummaryExitsTwo()
    {
        var r = CeProcess.Run(new[] { "report", _dir });
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("summary.json", r.StdErr);
    }

    [Fact]
    public void HistogramCountsEveryPresentPathAndReportsTheTails()
    {
        var values = Enumerable.Range(0, 10_000).Select(i => (double)i).Append(double.NaN).Append(1e12).ToArray();
        var h = Distributions.HistogramOf("x", values, bins: 50);
        Assert.Equal(1, h.Absent);
        Assert.Equal(10_001, h.Present);
        Assert.True(h.Above >= 1 && h.Below >= 1, $"below {h.Below}, above {h.Above}");
        Assert.Equal(51, h.Edges.Length);
        Assert.All(h.Counts.Take(49), c => Assert.InRange(c, 190, 210)); // uniform values, equal bins
        var back = Distributions.ParseHistograms(Distributions.HistogramsCsv(new[] { h }))["x"];
        Assert.Equal(h.Counts, back.Counts);
        Assert.Equal(h.Edges, back.Edges);
        Assert.Equal((h.Below, h.Above, h.Absent), (back.Below, back.Above, back.Absent));
    }

    [Fact]
    public void SurvivalIsTheShareNotDefaultedByTheEndOfEachMonth()
    {
        double[] defaultMonths = { 0, 2, 2, double.NaN, double.NaN };
        var s = Distributions.SurvivalOf(defaultMonths, 4);
        Assert.Equal(new[] { 0.8, 0.8, 0.4, 0.4 }, s);
        var (eventName, back) = Distributions.ParseSurvival(Distributions.SurvivalCsv(s, 5, "insolvency"));
        Assert.Equal("insolvency", eventName);
        Assert.Equal(s, back);
    }

    [Fact]
    public void ScenarioCommentsAttachToTheirFieldPaths()
    {
        const string yaml = "# header line\nmarket:\n  price:\n    initial: 3.49   # cited [2]\n  correlation:   # order\n    - [1, 0]   # row zero\n    - [0, 1]\ncatalog:\n- name: H100  # built in\n- name: B200\n  perf: 2.5  # vendor sheet\nq: 'a # not a comment'\n";
        var c = ScenarioInputs.Comments(yaml);
        Assert.Equal("cited [2]", c["market.price.initial"]);
        Assert.Equal("order", c["market.correlation"]);
        Assert.Equal("row zero", c["market.correlation[0]"]);
        Assert.Equal("built in", c["catalog[0].name"]);
        Assert.Equal("vendor sheet", c["catalog[1].perf"]);
        Assert.False(c.ContainsKey("q"));
        Assert.Equal(new[] { "header line" }, ScenarioInputs.Header(yaml));
    }

    [Fact]
    public void RedirectedConsoleIsPlainAlignedAndUnwrapped()
    {
        var r = CeProcess.Run(new[] { "run", "--paths", "200", "--backend", "cpu" }, timeoutSeconds: 120);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.DoesNotContain('\u001b', r.StdOut);
        var row = r.StdOut.Split('\n').Single(l => l.TrimStart().StartsWith("npv ", StringComparison.Ordinal));
        Assert.Equal(9, row.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length); // name, unit and 7 columns on one line
        Assert.Equal("USD", row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        // Shares in percent like the answer lines, CVaR5 of a cost on its upper tail, marked.
        var irr = r.StdOut.Split('\n').Single(l => l.TrimStart().StartsWith("irr ", StringComparison.Ordinal));
        Assert.Equal("%/yr", irr.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        var cost = r.StdOut.Split('\n').Single(l => l.TrimStart().StartsWith("cost_per_gpu_hour ", StringComparison.Ordinal));
        Assert.Contains(" \u2191 ", cost);
        var header = r.StdOut.Split('\n').Single(l => l.TrimStart().StartsWith("metric", StringComparison.Ordinal));
        // Right-aligned columns: the last figure of the row ends where the header's last word ends.
        Assert.Equal(header.IndexOf("absent", StringComparison.Ordinal) + "absent".Length, row.TrimEnd().Length);
    }

    [Fact]
    public void QuietPrintsNothingAndJsonPrintsOnlyTheSummary()
    {
        var q = CeProcess.Run(new[] { "run", "--paths", "100", "--backend", "cpu", "--quiet" }, timeoutSeconds: 120);
        Assert.True(q.ExitCode == 0, q.ToString());
        Assert.Equal("", q.StdOut);
        Assert.Equal("", q.StdErr);
        var j = CeProcess.Run(new[] { "run", "--paths", "100", "--backend", "cpu", "--json" }, timeoutSeconds: 120);
        Assert.True(j.ExitCode == 0, j.ToString());
        using var doc = JsonDocument.Parse(j.StdOut);
        Assert.Equal(100, doc.RootElement.GetProperty("paths").GetInt64());
    }

    [Fact]
    public void VersionPrintsTheVersionAndTheCommit()
    {
        var r = CeProcess.Run(new[] { "--version" });
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches(@"^\d+\.\d+\.\d+\S* \(commit ([0-9a-f]{7,}|unknown)\)\s*$", r.StdOut);
        Assert.Equal("1.2.3 (commit abcdef0)", EngineVersion.Display("1.2.3+abcdef0123456789abcdef0123456789abcdef01"));
        Assert.Equal("1.2.3 (commit unknown)", EngineVersion.Display("1.2.3"));
    }

    [Fact]
    public void SweepChartsRenderFromPlainArrays()
    {
        var money = new AxisScale("NPV, USD millions", 1e6);
        var charts = new[]
        {
            Charts.Heatmap("hm", "NPV over debt share and rent drift", "Debt share", new[] { "0.3", "0.5", "0.7" }, "Rent drift, per year",
                new[] { "-0.4", "-0.2" }, new double[,] { { -3e8, -1e8, 2e7 }, { -1e8, 5e7, double.NaN } }, money),
            Charts.LineWithErrors("line", "NPV against debt share", "Debt share", new[] { 0.3, 0.5, 0.7 }, new[] { -1e8, -5e7, 1e7 },
                new[] { 1e7, 1e7, 2e7 }, new[] { 1e7, 1.5e7, 2e7 }, money, "95 % confidence interval of the mean"),
            Charts.Tornado("tornado", "NPV swing by input", -1e8, new[]
            {
                new TornadoBar("market.price.drift", "-0.5", "-0.2", -2e8, 1e7),
                new TornadoBar("fleet.financing.debt_rate", "0.08", "0.14", -8e7, -1.2e8),
            }, money),
            Charts.Sobol("sobol", "Sobol indices of NPV", new[]
            {
                new SobolIndex("market.price.drift", 0.6, 0.55, 0.66, 0.7, 0.64, 0.77),
                new SobolIndex("market.price.volatility", 0.1, 0.05, 0.15, 0.2, 0.15, 0.26),
            }, "95 % bootstrap interval"),
        };
        foreach (var c in charts)
        {
            Assert.True(c.Png.Length > 5000, $"{c.Name}: PNG of {c.Png.Length} bytes");
            Assert.Contains(c.Title, c.Svg);
        }
        Assert.Throws<ArgumentException>(() => Charts.Heatmap("bad", "t", "x", new[] { "a" }, "y", new[] { "b" }, new double[2, 2], money));
    }
}

/// <summary>Debian's chromium, headless. Missing chromium skips the test, or fails it with a clear message under CE_REQUIRE_ALL_TESTS=1 (CI).</summary>
internal static class Chromium
{
    public static string Executable()
    {
        if (Prerequisites.ChromiumPath() is { } path) return path;
        Assert.Fail("chromium is not installed: the report test renders report.html in headless Chromium. Install it (`apt-get install -y chromium`) or set CE_CHROMIUM to the browser's path.");
        return "";
    }

    /// <summary>Load <paramref name="htmlFile"/>, let its scripts run, and return the DOM and the browser's log (console messages included).</summary>
    public static (string Dom, string Log) DumpDom(string htmlFile)
    {
        string profile = Directory.CreateTempSubdirectory("ce-chromium-").FullName;
        try
        {
            var psi = new ProcessStartInfo(Executable())
            {
                RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            };
            foreach (var a in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
                "--window-size=1200,900", "--virtual-time-budget=15000", "--dump-dom", new Uri(Path.GetFullPath(htmlFile)).AbsoluteUri,
            }) psi.ArgumentList.Add(a);
            var r = CeProcess.Execute(psi, TimeSpan.FromSeconds(90));
            Assert.True(r.ExitCode == 0 && r.StdOut.Length > 0, $"chromium failed (exit {r.ExitCode}):\n{Tail(r.StdErr)}");
            return (r.StdOut, r.StdErr);
        }
        finally
        {
            try { Directory.Delete(profile, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    public static string Tail(string s) => s.Length > 4000 ? s[^4000..] : s;
}
