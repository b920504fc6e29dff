using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ComputeEconomics.Output;
using ComputeEconomics.Tests.Reports;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Readers;

/// <summary>A run folder with its report and a compare folder with its page, made once for the reader tests.</summary>
public sealed class OutsiderOutputs : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("ce-readers-").FullName;
    public string Run => Path.Combine(Dir, "run");
    public string Compare => Path.Combine(Dir, "compare");

    public OutsiderOutputs()
    {
        var run = CeProcess.Run(new[] { "run", "--paths", "300", "--backend", "cpu", "--threads", "1", "--seed", "5", "--out", Run, "--report" }, timeoutSeconds: 180);
        Assert.True(run.ExitCode == 0, run.ToString());
        var compare = CeProcess.Run(new[]
        {
            "compare", "neocloud-h100", "--variant", "half-debt: fleet.financing.debt_share=0.5", "--paths", "300", "--backend", "cpu",
            "--threads", "1", "--seed", "5", "--out", Compare, "--quiet",
        }, timeoutSeconds: 180);
        Assert.True(compare.ExitCode == 0, compare.ToString());
    }

    public IEnumerable<string> Pages => new[] { Path.Combine(Run, "report.html"), Path.Combine(Compare, "compare.html") };

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>
/// The pages and charts as an analyst opens them in their own tools: a screen reader's table navigation, a slide deck
/// that takes charts/NAME.svg alone, a phone 360 CSS px wide, and a printout on A4.
/// </summary>
public sealed class OutsiderReaderTests : IClassFixture<OutsiderOutputs>
{
    private readonly OutsiderOutputs _out;

    public OutsiderReaderTests(OutsiderOutputs outputs) => _out = outputs;

    /// <summary>
    /// WCAG 2.2 success criterion 1.3.1 (Info and Relationships), technique H63: every header cell says whether it heads
    /// a column or a row, so a screen reader announces the right header with each number.
    /// </summary>
    [Fact]
    public void EveryTableHeaderCellSaysWhatItHeads()
    {
        foreach (string page in _out.Pages)
        {
            string html = File.ReadAllText(page);
            var headers = Regex.Matches(html, "<th(\\s[^>]*)?>").Select(m => m.Value).ToList();
            Assert.True(headers.Count > 10, $"{page}: only {headers.Count} header cells");
            var bare = headers.Where(h => !Regex.IsMatch(h, "\\sscope=\"(col|row)\"")).ToList();
            Assert.True(bare.Count == 0, $"{page}: {bare.Count} of {headers.Count} <th> without scope=\"col\" or \"row\", e.g. {bare.FirstOrDefault()}");
            // A column header is the first row's: each <thead> row holds only scope="col".
            foreach (Match head in Regex.Matches(html, "<thead>(.*?)</thead>", RegexOptions.Singleline))
                Assert.DoesNotContain("scope=\"row\"", head.Groups[1].Value);
        }
    }

    /// <summary>
    /// SVG 2 section 5.9 and the SVG Accessibility API Mappings: the root's first &lt;title&gt; child is the accessible
    /// name of a standalone SVG. Each charts/*.svg must name what it shows with the title the report gives its img.
    /// </summary>
    [Fact]
    public void EveryStandaloneChartSvgCarriesItsTitleAndCaption()
    {
        XNamespace svg = "http://www.w3.org/2000/svg";
        foreach (var (folder, page) in new[] { (_out.Run, "report.html"), (_out.Compare, "compare.html") })
        {
            string html = System.Net.WebUtility.HtmlDecode(File.ReadAllText(Path.Combine(folder, page)));
            var files = Directory.GetFiles(Path.Combine(folder, "charts"), "*.svg");
            Assert.NotEmpty(files);
            foreach (string file in files)
            {
                var root = XDocument.Load(file).Root!;
                var first = root.Elements().First();
                Assert.True(first.Name == svg + "title", $"{file}: the root's first child is <{first.Name.LocalName}>, not <title>");
                string title = first.Value;
                Assert.False(string.IsNullOrWhiteSpace(title), $"{file}: empty <title>");
                Assert.Contains($"alt=\"{title}\"", html);
                Assert.Equal("img", (string?)root.Attribute("role"));
                Assert.False(string.IsNullOrWhiteSpace(root.Element(svg + "desc")?.Value), $"{file}: no <desc> caption");
            }
        }
    }

    /// <summary>XML 1.0 section 2.4: markup characters in a title are escaped, so the chart stays well-formed and the title text.</summary>
    [Fact]
    public void AChartTitleWithMarkupStaysText()
    {
        const string title = "<script>alert(1)</script> & \"q\" 'a' \u05e9\u05dc\u05d5\u05dd";
        var image = new ChartImage("x", title, "a < b & c", Array.Empty<byte>(), "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\">\n<rect width=\"4\" height=\"4\"/></svg>");
        var root = XDocument.Parse(image.Svg).Root!;
        XNamespace svg = "http://www.w3.org/2000/svg";
        Assert.Equal(title, root.Element(svg + "title")!.Value);
        Assert.Equal("a < b & c", root.Element(svg + "desc")!.Value);
        Assert.Empty(root.Descendants(svg + "script"));
        Assert.Equal(image.Svg, (image with { Name = "y" }).Svg);
    }

    /// <summary>
    /// A phone (360 CSS px, WCAG 2.2 success criterion 1.4.10 Reflow: content at 320-360 px without scrolling in two
    /// directions; a wide table may scroll inside its own box) and an A4 printout (210 mm less Chromium's default 10 mm
    /// margins = 718 CSS px at 96 px per inch, with the print rules in force; a scroll box prints only what it shows, so
    /// no table may be wider than its box). Each page is loaded in an iframe of that width and measured from outside.
    /// </summary>
    [ChromiumFact]
    public void PagesFitAPhoneScreenAndAnA4Printout()
    {
        foreach (string page in _out.Pages)
        {
            string dir = Path.GetDirectoryName(page)!;
            string html = File.ReadAllText(page);
            Assert.Contains("@media print\u007b", html);
            File.WriteAllText(Path.Combine(dir, "as-printed.html"), html.Replace("@media print\u007b", "@media all\u007b", StringComparison.Ordinal));
            string phone = Measure(dir, Path.GetFileName(page), 360);
            Assert.True(phone.Length == 0, $"{page} at 360 px: {phone}");
            string print = Measure(dir, "as-printed.html", 718);
            Assert.True(print.Length == 0, $"{page} printed on A4 (718 px): {print}");
        }
    }

    /// <summary>Loads FILE in an iframe WIDTH px wide; returns what sticks out of the page or out of a table's box, empty when nothing.</summary>
    private static string Measure(string dir, string file, int width) => Probe(dir, file, width, $$"""
        var out = [];
        var page = d.documentElement.scrollWidth;
        if (page > {{width}} + 1) out.push('page ' + page + 'px wide');
        d.querySelectorAll('table').forEach(function (t) {
          var box = t.parentElement;
          if (t.scrollWidth > box.clientWidth + 1) out.push((t.className || 'table') + ' ' + t.scrollWidth + 'px in ' + box.clientWidth + 'px');
        });
        return {{(width < 700 ? "out.filter(function (s) { return s.indexOf('page') === 0; })" : "out")}}.join(' | ');
        """);

    /// <summary>
    /// HTML Living Standard, the dir attribute: with dir="auto" an element's direction is that of its first strong
    /// letter, so a question in Hebrew reads right to left (its "?" at its left end), one in English left to right.
    /// </summary>
    [ChromiumFact]
    public void AQuestionInAHebrewOrArabicScriptReadsRightToLeft()
    {
        string dir = Directory.CreateTempSubdirectory("ce-readers-rtl-").FullName;
        try
        {
            foreach (var (name, question, expected) in new[]
            {
                ("he", "\u05d4\u05d0\u05dd \u05d4\u05e6\u05d9 \u05de\u05e9\u05ea\u05dc\u05dd?", "rtl rtl"),
                ("ar", "\u0647\u0644 \u064a\u0631\u0628\u062d \u0627\u0644\u0623\u0633\u0637\u0648\u0644\u061f", "rtl rtl"),
                ("en", "Does the fleet pay back?", "ltr ltr"),
            })
            {
                File.WriteAllText(Path.Combine(dir, name + ".html"), HtmlReport.Render(new ReportPage { Title = question, Question = question }));
                string got = Probe(dir, name + ".html", 800,
                    "return getComputedStyle(d.querySelector('h1')).direction + ' ' + getComputedStyle(d.querySelector('.kicker')).direction;");
                Assert.True(got == expected, $"{name}: h1 and kicker directions \"{got}\", expected \"{expected}\"");
            }
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Loads FILE in an iframe WIDTH px wide and returns what BODY (a function body over its document d) returns.</summary>
    private static string Probe(string dir, string file, int width, string body)
    {
        string probe = Path.Combine(dir, $"probe-{width}.html");
        File.WriteAllText(probe, $$"""
            <!DOCTYPE html><html><body style="margin:0"><iframe id="f" src="{{file}}" width="{{width}}" height="900" style="border:0"></iframe>
            <script>
            document.getElementById('f').addEventListener('load', function () { setTimeout(function () {
              var d = document.getElementById('f').contentDocument;
              document.body.setAttribute('data-result', (function () { {{body}} })());
              document.body.setAttribute('data-done', '1');
            }, 500); });
            </script></body></html>
            """);
        string profile = Directory.CreateTempSubdirectory("ce-chromium-").FullName;
        try
        {
            var psi = new ProcessStartInfo(Chromium.Executable())
            {
                RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            };
            foreach (var a in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--allow-file-access-from-files",
                $"--user-data-dir={profile}", "--window-size=1200,900", "--virtual-time-budget=15000", "--dump-dom", new Uri(probe).AbsoluteUri,
            }) psi.ArgumentList.Add(a);
            var r = CeProcess.Execute(psi, TimeSpan.FromSeconds(90));
            var tag = Regex.Match(r.StdOut, "<body[^>]*>").Value;
            Assert.True(tag.Contains("data-done=\"1\""), $"the probe did not run: {tag}\n{Chromium.Tail(r.StdErr)}");
            return System.Net.WebUtility.HtmlDecode(Regex.Match(tag, "data-result=\"([^\"]*)\"").Groups[1].Value);
        }
        finally
        {
            try { Directory.Delete(profile, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
