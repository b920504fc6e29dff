using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Statistics;

namespace ComputeEconomics.Output;

/// <summary>A group of charts under one heading.</summary>
public sealed record ReportSection(string Title, string Intro, IReadOnlyList<ChartImage> Charts);

/// <summary>A table of text under a heading (a sweep's best points); the header names each column with its unit.</summary>
/// <param name="Title">Heading.</param>
/// <param name="Intro">A sentence above the table; may be empty.</param>
/// <param name="Header">Column headings.</param>
/// <param name="Rows">Cells, one list per row, as many as <paramref name="Header"/>; the first cell is the row's heading.</param>
/// <param name="Note">A note below the table; may be empty.</param>
public sealed record ReportTable(string Title, string Intro, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows, string Note)
{
    /// <summary>Cells of text (sources, notes) that wrap inside the page, rather than numbers kept on one line.</summary>
    public bool Prose { get; init; }
}

/// <summary>A headline number shown large at the top of the report.</summary>
/// <param name="Label">What it is, e.g. "P(default)".</param>
/// <param name="Value">The number as text, e.g. "82.6 %".</param>
/// <param name="Detail">A short qualifier, e.g. "+/- 0.8 % (1 s.e.)"; may be empty.</param>
public sealed record KeyFigure(string Label, string Value, string Detail);

/// <summary>
/// Everything a report page shows, in reading order: the question, the headline figures, the answer lines, the charts,
/// the statistics of every metric, the inputs as resolved (with their sources) and the run manifest.
/// A run report is built by <see cref="HtmlReport.ForRun"/>; a sweep report can fill the same record with its own charts.
/// </summary>
public sealed record ReportPage
{
    public required string Title { get; init; }
    /// <summary>The scenario's question, in one sentence.</summary>
    public required string Question { get; init; }
    public IReadOnlyList<KeyFigure> KeyFigures { get; init; } = Array.Empty<KeyFigure>();
    /// <summary>Labelled answer lines (see <see cref="Answers"/>).</summary>
    public IReadOnlyList<(string Label, string Text)> Answer { get; init; } = Array.Empty<(string, string)>();
    public IReadOnlyList<ReportSection> Sections { get; init; } = Array.Empty<ReportSection>();
    /// <summary>A note under the answer lines (what month and year numbers mean as dates); may be empty.</summary>
    public string AnswerNote { get; init; } = "";
    /// <summary>Tables after the charts (a sweep's best point and runners-up).</summary>
    public IReadOnlyList<ReportTable> Tables { get; init; } = Array.Empty<ReportTable>();
    /// <summary>The model kind (fleet, lab, sector, market): the sector model counts money in USD billions.</summary>
    public string Model { get; init; } = "";
    /// <summary>Statistics of every metric (appendix table); may be empty.</summary>
    public IReadOnlyList<MetricSummary> Metrics { get; init; } = Array.Empty<MetricSummary>();
    public IReadOnlyList<InputRow> Inputs { get; init; } = Array.Empty<InputRow>();
    /// <summary>Tables after the inputs: the hardware catalog as used and the cited sections of the reference list.</summary>
    public IReadOnlyList<ReportTable> Sources { get; init; } = Array.Empty<ReportTable>();
    /// <summary>Notes above the inputs table (the scenario file's header comments).</summary>
    public IReadOnlyList<string> InputNotes { get; init; } = Array.Empty<string>();
    /// <summary>The run manifest: seed, paths, backend, engine version, elapsed time...</summary>
    public IReadOnlyList<(string Label, string Value)> Manifest { get; init; } = Array.Empty<(string, string)>();

    /// <summary>Every chart of every section.</summary>
    public IEnumerable<ChartImage> Charts => Sections.SelectMany(s => s.Charts);
}

/// <summary>
/// The HTML report: one self-contained file (charts embedded as data: URIs, CSS inline, one small inline script,
/// a Content-Security-Policy that forbids any network access), plus the charts as PNG and SVG files beside it.
/// </summary>
public static class HtmlReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The report file name.</summary>
    public const string FileName = "report.html";

    /// <summary>
    /// Runs after load: counts the charts that decoded and have a non-empty box, records script errors, and exposes both
    /// as data attributes on &lt;html&gt; (data-charts, data-charts-visible, data-errors, data-ready), every table wider
    /// than its section (data-wide: class, width, room) and a page wider than the window (data-page-wide: a long word in
    /// a scenario's name or question), which the headless-browser tests read. It changes nothing a reader sees.
    /// </summary>
    internal const string CheckScript =
        "(function(){var errs=[];window.addEventListener('error',function(e){errs.push(String(e.message||e.type));});" +
        "window.addEventListener('load',function(){var imgs=document.querySelectorAll('img.chart');var ok=0;" +
        "imgs.forEach(function(i){var r=i.getBoundingClientRect();if(i.complete&&i.naturalWidth>0&&r.width>0&&r.height>0)ok++;else errs.push('chart not visible: '+i.alt);});" +
        "var wide=[];document.querySelectorAll('main table').forEach(function(t){var c=t.closest('section');" +
        "if(c&&t.scrollWidth>c.clientWidth+1)wide.push((t.className||'table')+' '+t.scrollWidth+'px in '+c.clientWidth+'px');});" +
        "var h=document.documentElement;h.setAttribute('data-charts',String(imgs.length));h.setAttribute('data-charts-visible',String(ok));" +
        "h.setAttribute('data-wide',wide.join(' | '));var pw=h.scrollWidth;h.setAttribute('data-page-wide',pw>window.innerWidth+1?pw+'px in '+window.innerWidth+'px':'');" +
        "h.setAttribute('data-errors',errs.join(' | '));h.setAttribute('data-ready','1');});})();";

    /// <summary>The report of one run: fan charts of every band series, the NPV histogram (and of <paramref name="histogramMetrics"/>), the survival curve.</summary>
    /// <param name="run">The run folder, loaded.</param>
    /// <param name="histogramMetrics">Further metrics to draw as histograms (names as in summary.json).</param>
    /// <exception cref="InputException">A requested metric has no histogram in the run folder.</exception>
    /// <param name="cancellation">Checked before each chart is drawn (SIGINT/SIGTERM stop within one chart).</param>
    public static ReportPage ForRun(RunDirectory run, IEnumerable<string>? histogramMetrics = null, CancellationToken cancellation = default)
    {
        var s = run.Summary;
        var wanted = HistogramsWanted(run, histogramMetrics);

        var sections = new List<ReportSection>();
        var over = new List<ChartImage>();
        if (s.Bands.TryGetValue("book_value", out var book) && s.Bands.TryGetValue("market_value", out var market))
            over.Add(Charts.BookVsMarket("book-vs-market", book, market, run.Start));
        foreach (var (series, rows) in s.Bands)
        {
            if (series is "book_value" or "market_value") continue;
            cancellation.ThrowIfCancellationRequested();
            var (title, quantity, scale) = SeriesLabel(series, rows);
            // A kind that counts money in another unit (the sector model: USD billions) scales its series by it.
            string money = MetricFormat.MoneyUnit(s.Model);
            if (scale == null && money != "USD")
                scale = MetricFormat.Scale(quantity, money, rows.SelectMany(r => new[] { r.P5, r.P95 }).Where(double.IsFinite));
            over.Add(Charts.Fan($"fan-{Slug(series)}", title, quantity, rows, scale, run.Start));
        }
        if (over.Count > 0)
            sections.Add(new ReportSection("Over time", $"Percentile bands across the first {s.BandPaths:N0} paths, month by month.", over));

        cancellation.ThrowIfCancellationRequested();
        if (YearCharts.For(s, run.Start, cancellation) is { } byYear) sections.Add(byYear);
        cancellation.ThrowIfCancellationRequested();
        if (ServingSection.For(run.ScenarioYaml) is { } serving) sections.Add(serving);

        var dist = new List<ChartImage>();
        foreach (var m in wanted)
        {
            var summary = s.Metrics.FirstOrDefault(x => x.Name == m);
            if (summary == null) continue;
            cancellation.ThrowIfCancellationRequested();
            var scale = MetricScale(m, s.Model, run.Histograms[m]);
            dist.Add(Charts.Histogram($"hist-{Slug(m)}", $"Distribution of {MetricTitle(m)}", run.Histograms[m], summary, scale));
        }
        cancellation.ThrowIfCancellationRequested();
        if (run.Survival is { Length: > 0 } survival) dist.Add(Charts.Survival("survival", survival, run.Start, run.SurvivalEvent));
        if (dist.Count > 0)
            sections.Add(new ReportSection("Outcomes across paths", s.StatisticsMethod == "sketch"
                ? $"All {s.Paths:N0} paths, through the run's quantile sketch: {StatisticsLine(s)}."
                : $"Every one of the {s.Paths:N0} paths counted.", dist));

        var inputs = ScenarioInputs.Rows(run.ScenarioYaml, run.SourceYaml, run.Overrides);
        var inputNotes = ScenarioInputs.Header(run.SourceYaml);
        var sources = new List<ReportTable>();
        if (SourcesSection.Catalog(run.ScenarioYaml) is { } catalog) sources.Add(catalog);
        sources.AddRange(SourcesSection.Cited(inputs.Select(i => i.Note).Concat(inputNotes), SourcesSection.Text()));
        return new ReportPage
        {
            Title = $"{s.Scenario}: {s.Model} scenario report",
            Question = s.Question,
            KeyFigures = KeyFigures(s),
            Answer = Answers.For(s),
            AnswerNote = DatesNote(run.Start, run.ScenarioYaml),
            Sections = sections,
            Model = s.Model,
            Tables = UncertainInputs(s),
            Sources = sources,
            Metrics = s.Metrics,
            Inputs = inputs,
            InputNotes = inputNotes,
            Manifest = Manifest(run),
        };
    }

    /// <summary>The metrics to draw as histograms: the model's headline (NPV for a fleet; else the first metric with a
    /// histogram) and each requested one. Throws <see cref="InputException"/> naming --histogram for one without a histogram.</summary>
    private static List<string> HistogramsWanted(RunDirectory run, IEnumerable<string>? histogramMetrics)
    {
        var s = run.Summary;
        var wanted = new List<string>();
        // The headline metric of the model (NPV for a fleet), else the first metric with a histogram.
        string? kindHeadline = (Scenarios.KindRules.Find(s.Model) as IModelKind)?.Headline;
        string? headline = new[] { "npv", "final_cash", "final_gap" }.FirstOrDefault(run.Histograms.ContainsKey)
            ?? (kindHeadline != null && run.Histograms.ContainsKey(kindHeadline) ? kindHeadline : null)
            ?? s.Metrics.Select(m => m.Name).FirstOrDefault(run.Histograms.ContainsKey);
        if (headline != null) wanted.Add(headline);
        var errors = new List<ValidationError>();
        foreach (var m in histogramMetrics ?? Array.Empty<string>())
        {
            if (!run.Histograms.ContainsKey(m))
            {
                string known = run.Histograms.Count == 0 ? "none: the folder has no histograms.csv (rerun ce run --out)" : string.Join(", ", run.Histograms.Keys);
                errors.Add(new ValidationError("--histogram", m, $"must be a metric with a histogram ({known})"));   // the option of ce run and ce report
            }
            else if (!wanted.Contains(m)) wanted.Add(m);
        }
        if (errors.Count > 0) throw new InputException(errors);
        return wanted;
    }

    /// <summary>
    /// The calendar behind "month 50" and "year 3": month m is m months after the start (month 0, docs/model.md), year k
    /// the 12 months ending with month 12k - 1; empty when the start is unknown.
    /// </summary>
    internal static string DatesNote(string start, string scenarioYaml)
    {
        if (start.Length != 7 || !DateTime.TryParseExact(start, "yyyy-MM", Inv, DateTimeStyles.None, out var first)) return "";
        string At(int month) => first.AddMonths(month).ToString("yyyy-MM", Inv);
        var horizon = System.Text.RegularExpressions.Regex.Match(scenarioYaml, @"(?m)^horizon_months: *(\d+)");
        string end = horizon.Success && int.TryParse(horizon.Groups[1].Value, NumberStyles.None, Inv, out int months) && months > 0
            ? $"; the horizon's last month, {months - 1}, is {At(months - 1)}" : "";
        return $"Dates: month m counts from the start, month 0 = {start} (month 12 = {At(12)}); year k is the 12 months " +
               $"ending with month 12k - 1 (year 1: {start} to {At(11)}; year 3 ends {At(35)}){end}.";
    }

    private static List<KeyFigure> KeyFigures(RunSummary s)
    {
        var list = new List<KeyFigure>();
        if (s.Probabilities.TryGetValue("default", out var d))
            list.Add(new("Probability of default", Pct(d.P), Uncertainty(d)));
        if (s.Probabilities.TryGetValue("npv_negative", out var neg))
            list.Add(new("Probability NPV < 0", Pct(neg.P), Uncertainty(neg)));
        var npv = s.Metrics.FirstOrDefault(m => m.Name == "npv");
        if (npv is { HasValues: true })
        {
            list.Add(new("Median NPV", "USD " + Answers.Money(npv.P50), $"mean {Answers.Money(npv.Mean)} +/- {Answers.Money(npv.StdError)} (1 s.e.){SketchBound(s)}"));
            list.Add(new("Bad case NPV (P5)", "USD " + Answers.Money(npv.P5), $"CVaR5 {Answers.Money(npv.Cvar5)}{SketchBound(s)}"));
        }
        foreach (var (name, p) in s.Probabilities)
            if (name is not "default" and not "npv_negative" && list.Count < 4)
                list.Add(new($"P({name.Replace('_', ' ')})", Pct(p.P), Uncertainty(p)));
        return list;
    }

    /// <summary>A probability's standard error, or where no path (or every path) had the event, its 95 % bound (<see cref="Probability.Text"/>).</summary>
    private static string Uncertainty(Probability p) => p.Count > 0 && p.P is 0 or 1
        ? p.Qualifier() : $"+/- {Pct(p.StdError)} (1 s.e.)";

    /// <summary>The run's uncertain inputs (a distribution per path): each distribution as written and the statistics of its draws.</summary>
    private static List<ReportTable> UncertainInputs(RunSummary s)
    {
        if (s.Inputs.Count == 0) return new List<ReportTable>();
        string against = s.Inputs[0].Against;
        var rows = s.Inputs.Select(i => (IReadOnlyList<string>)new[]
        {
            i.Field, i.Distribution, Num(i.P5), Num(i.P50), Num(i.P95), Num(i.RankCorrelation),
        }).ToList();
        return new List<ReportTable>
        {
            new("Uncertain inputs", $"Each of these inputs was drawn afresh on every path; the inputs table below lists each distribution's parameters under the field's name.",
                new[] { "input", "distribution", "P5 drawn", "P50 drawn", "P95 drawn", $"rank corr. with {against}" }, rows,
                "Rank correlation: Spearman's, across paths, between the input's draws and the headline metric (its square is roughly the share of rank variance it explains)."),
        };
    }

    private static string Num(double x) => double.IsNaN(x) ? "-" : ComputeEconomics.Format.Fixed(x, Math.Abs(x) >= 100 ? "N0" : "0.####");

    private static List<(string, string)> Manifest(RunDirectory run)
    {
        var s = run.Summary;
        var list = new List<(string, string)>
        {
            ("Scenario", s.Scenario + (run.ScenarioSource.Length > 0 && run.ScenarioSource != s.Scenario ? $" ({run.ScenarioSource})" : "")),
            ("Model", s.Model),
            ("Seed", s.Seed.ToString(Inv)),
            ("Paths", s.Paths.ToString("N0", Inv)),
            ("Paths in the bands", s.BandPaths.ToString("N0", Inv)),
            ("Sampling", s.Sampling),
            ("Backend", s.Backend),
            ("Device", s.Device),
            ("Math path", s.MathPath),
            ("Statistics", StatisticsLine(s)),
            ("Standard errors", s.StdErrorMethod),
            ("Engine version (run)", EngineVersion.Display(s.EngineVersion)),
            ("Engine version (report)", EngineVersion.Current),
            ("Completed", s.CompletedUtc is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Inv) + " UTC" : "not recorded (summary.json written before runs recorded it)"),
            ("Elapsed", $"{s.ElapsedSeconds.ToString("0.00", Inv)} s (kernel {s.KernelSeconds.ToString("0.00", Inv)} s, statistics {s.StatisticsSeconds.ToString("0.00", Inv)} s)"),
            ("Random numbers", (run.Rng.Length > 0 ? run.Rng : "Philox4x32-10 keyed by (path, seed)") + ": the same seed on the same backend reproduces every number"),
        };
        if (run.Stopping.Length > 0) list.Add(("Stopping (--target-stderr)", run.Stopping));
        if (run.Overrides.Count > 0) list.Add(("Overrides (--set)", string.Join("  ", run.Overrides)));
        list.Add(("Run folder", Path.GetFullPath(run.Path)));
        return list;
    }

    /// <summary>How the quantiles, CVaR5 and histograms were computed, with the sketch's rank-error bound when it had one.</summary>
    internal static string StatisticsLine(RunSummary s)
    {
        if (s.StatisticsMethod != "sketch")
            return "exact: every path's metrics kept and sorted (quantiles type 7; CVaR5 the mean of the worst 5 %)";
        string where = s.ReducedOnDevice ? "reduced on the device" : "reduced on the host";
        return s.QuantileRankError > 0
            ? $"sketch, {where}: moments and probabilities exact; each quantile, CVaR5 and histogram bin from a quantile sketch whose ranks are within " +
              $"{(100 * s.QuantileRankError).ToString("0.####", Inv)} % of the paths (about {Math.Ceiling(s.QuantileRankError * s.Paths).ToString("N0", Inv)} of {s.Paths.ToString("N0", Inv)} paths) of the exact ones"
            : $"sketch, {where}: moments and probabilities exact; the sketch never compacted, so its quantiles are the exact ones";
    }

    /// <summary>The qualifier of a quantile quoted from a sketch that compacted (its rank bound); empty otherwise.</summary>
    private static string SketchBound(RunSummary s) => s.StatisticsMethod == "sketch" && s.QuantileRankError > 0
        ? $"; quantiles within {(100 * s.QuantileRankError).ToString("0.####", Inv)} % of ranks (sketch)" : "";

    private static (string Title, string Quantity, AxisScale? Scale) SeriesLabel(string series, BandRow[] rows) => series switch
    {
        "cash" => ("Cash balance (paths not in default)", "Cash", null),
        "revenue" => ("Revenue per month", "Revenue per month", null),
        "ebitda" => ("EBITDA per month", "EBITDA per month", null),
        "unit_cost" => ("Unit cost per served accelerator-hour", "Unit cost", AxisScale.Plain("Unit cost", "USD per accelerator-hour")),
        "book_value" => ("Book value", "Book value", null),
        "market_value" => ("Market value", "Market value", null),
        "backlog" => ("Backlog: remaining take-or-pay revenue at the month's end", "Backlog", null),
        _ => (MetricTitle(series), MetricTitle(series), Guess(series, MetricTitle(series))),
    };

    /// <summary>A unit from the name of a series or metric the report has no entry for; null: money.</summary>
    private static AxisScale? Guess(string name, string title) =>
        name.Contains("per_mtok", StringComparison.Ordinal) ? AxisScale.Plain(title, "USD per million tokens")
        : name.StartsWith("gw_", StringComparison.Ordinal) ? AxisScale.Plain(title, "GW")
        : name.Contains("users", StringComparison.Ordinal) || name.Contains("rounds", StringComparison.Ordinal) || name.Contains("raises", StringComparison.Ordinal) ? AxisScale.Plain(title, "count")
        : name.Contains("share", StringComparison.Ordinal) || name.Contains("ownership", StringComparison.Ordinal) || name.Contains("margin", StringComparison.Ordinal) ? AxisScale.Percent(title)
        : name.EndsWith("_month", StringComparison.Ordinal) || name.StartsWith("months_", StringComparison.Ordinal) ? AxisScale.Plain(title, "months")
        : name.EndsWith("_year", StringComparison.Ordinal) ? AxisScale.Plain(title, "year")
        : name.Contains("multiple", StringComparison.Ordinal) ? AxisScale.Plain(title, "x")
        : null;

    /// <summary>Axis unit of a metric from <see cref="Models.MetricInfo"/> (money scaled by magnitude, fractions in percent, months...); a name it does not know by its look.</summary>
    private static AxisScale MetricScale(string metric, string model, Histogram h)
    {
        string title = MetricTitle(metric), unit = MetricFormat.UnitOf(metric, model);
        return unit.Length > 0 ? MetricFormat.Scale(title, unit, h.Edges) : Guess(metric, title) ?? AxisScale.Money(title, h.Edges);
    }

    private static string MetricTitle(string metric) => metric switch
    {
        "npv" => "NPV",
        "irr" => "IRR",
        "ebitda" => "EBITDA",
        "total_ebitda" => "Total EBITDA",
        _ => char.ToUpperInvariant(metric[0]) + metric[1..].Replace('_', ' '),
    };

    private static string Slug(string s) => new(s.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());

    private static string Pct(double p) => ComputeEconomics.Format.Percent(p); // as Answers and the console print it

    /// <summary>The report and its charts: report.html, charts/NAME.png and charts/NAME.svg.</summary>
    public static Dictionary<string, byte[]> Files(ReportPage page)
    {
        var files = new Dictionary<string, byte[]> { [FileName] = new UTF8Encoding(false).GetBytes(Render(page)) };
        foreach (var c in page.Charts)
        {
            files[$"charts/{c.Name}.png"] = c.Png;
            files[$"charts/{c.Name}.svg"] = new UTF8Encoding(false).GetBytes(c.Svg);
        }
        return files;
    }

    /// <summary>Write the report files into <paramref name="directory"/> atomically; returns the report's path.</summary>
    public static string Write(string directory, ReportPage page)
    {
        AtomicFiles.Write(directory, Files(page));
        return Path.Combine(directory, FileName);
    }

    /// <summary>The self-contained HTML document.</summary>
    public static string Render(ReportPage page)
    {
        string scriptHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(CheckScript)));
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-")
         .Append(scriptHash).Append("'\">\n");
        h.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.Append("<title>").Append(E(page.Title)).Append("</title>\n<style>").Append(Css).Append("</style>\n");
        h.Append("<script>").Append(CheckScript).Append("</script>\n</head>\n<body>\n<main>\n");

        // dir="auto": a name or question in Hebrew or Arabic reads right to left, its "?" at its end (HTML, the dir attribute).
        h.Append("<header>\n<p class=\"kicker\" dir=\"auto\">").Append(E(page.Title)).Append("</p>\n");
        h.Append("<h1 dir=\"auto\">").Append(E(page.Question.Length > 0 ? page.Question : page.Title)).Append("</h1>\n</header>\n");

        if (page.KeyFigures.Count > 0)
        {
            h.Append("<section class=\"figures\" aria-label=\"Key figures\">\n");
            foreach (var k in page.KeyFigures)
                h.Append("<div class=\"figure\"><div class=\"label\">").Append(E(k.Label)).Append("</div><div class=\"value\">")
                 .Append(E(k.Value)).Append("</div><div class=\"detail\">").Append(E(k.Detail)).Append("</div></div>\n");
            h.Append("</section>\n");
        }
        if (page.Answer.Count > 0)
        {
            h.Append("<section>\n<h2>The answer</h2>\n<table class=\"answer\">\n");
            foreach (var (label, text) in page.Answer)
                h.Append("<tr><th scope=\"row\">").Append(E(label)).Append("</th><td>").Append(E(text)).Append("</td></tr>\n");
            h.Append("</table>\n");
            if (page.AnswerNote.Length > 0) h.Append("<p class=\"note\">").Append(E(page.AnswerNote)).Append("</p>\n");
            h.Append("</section>\n");
        }

        Sections(h, page.Sections);
        Tables(h, page.Tables);
        Appendix(h, page);
        h.Append("</main>\n</body>\n</html>\n");
        return h.ToString();
    }

    private static void Sections(StringBuilder h, IReadOnlyList<ReportSection> sections)
    {
        foreach (var section in sections)
        {
            h.Append("<section>\n<h2>").Append(E(section.Title)).Append("</h2>\n");
            if (section.Intro.Length > 0) h.Append("<p>").Append(E(section.Intro)).Append("</p>\n");
            foreach (var c in section.Charts)
            {
                h.Append("<figure id=\"").Append(E(c.Name)).Append("\">\n<img class=\"chart\" width=\"").Append(Charts.Width).Append("\" height=\"")
                 .Append(Charts.Height).Append("\" alt=\"").Append(E(c.Title)).Append("\" src=\"data:image/svg+xml;base64,")
                 .Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(c.Svg))).Append("\">\n<figcaption>").Append(E(c.Caption))
                 .Append(" <span class=\"files\">Files: charts/").Append(E(c.Name)).Append(".png, .svg</span></figcaption>\n</figure>\n");
            }
            h.Append("</section>\n");
        }

    }

    private static void Tables(StringBuilder h, IReadOnlyList<ReportTable> tables)
    {
        foreach (var t in tables)
        {
            h.Append("<section>\n<h2>").Append(E(t.Title)).Append("</h2>\n");
            if (t.Intro.Length > 0) h.Append("<p>").Append(E(t.Intro)).Append("</p>\n");
            h.Append(t.Prose ? "<div class=\"scroll\"><table class=\"prose\">\n<thead><tr>" : "<div class=\"scroll\"><table class=\"num\">\n<thead><tr>");
            foreach (var head in t.Header) h.Append("<th scope=\"col\">").Append(E(head)).Append("</th>");
            h.Append("</tr></thead>\n<tbody>\n");
            foreach (var row in t.Rows)
            {
                h.Append("<tr>");
                for (int i = 0; i < row.Count; i++)
                    h.Append(i == 0 ? "<th scope=\"row\">" : "<td>").Append(E(row[i])).Append(i == 0 ? "</th>" : "</td>");
                h.Append("</tr>\n");
            }
            h.Append("</tbody>\n</table></div>\n");
            if (t.Note.Length > 0) h.Append("<p class=\"note\">").Append(E(t.Note)).Append("</p>\n");
            h.Append("</section>\n");
        }
    }

    /// <summary>Every metric's statistics, the inputs as resolved, the run manifest.</summary>
    private static void Appendix(StringBuilder h, ReportPage page)
    {
        if (page.Metrics.Count > 0) MetricsTable(h, page.Metrics, page.Model);
        if (page.Inputs.Count > 0) InputsTable(h, page);
        Tables(h, page.Sources);
        if (page.Manifest.Count > 0)
        {
            h.Append("<section>\n<h2>Run manifest</h2>\n<table class=\"manifest\">\n");
            foreach (var (label, value) in page.Manifest)
                h.Append("<tr><th scope=\"row\">").Append(E(label)).Append("</th><td>").Append(E(value)).Append("</td></tr>\n");
            h.Append("</table>\n</section>\n");
        }
    }

    /// <summary>Each metric in its unit (<see cref="MetricFormat.Cell"/>: money in k/M/B, fractions in percent); CVaR5 on the unfavourable tail.</summary>
    private static void MetricsTable(StringBuilder h, IReadOnlyList<MetricSummary> metrics, string model)
    {
        h.Append("<section>\n<h2>Every metric</h2>\n<div class=\"scroll\"><table class=\"num metrics\">\n<thead><tr><th scope=\"col\">metric</th><th scope=\"col\">unit</th><th scope=\"col\">mean</th>"
            + "<th scope=\"col\">std error</th><th scope=\"col\">P5</th><th scope=\"col\">P25</th><th scope=\"col\">P50</th><th scope=\"col\">P75</th><th scope=\"col\">P95</th><th scope=\"col\">CVaR5 (worst 5 %)</th><th scope=\"col\">absent</th></tr></thead>\n<tbody>\n");
        foreach (var m in metrics)
        {
            string unit = MetricFormat.UnitOf(m.Name, model);
            h.Append("<tr><th scope=\"row\">").Append(E(m.Name).Replace("_", "_<wbr>")).Append("</th><td class=\"unit\">").Append(E(MetricFormat.Short(unit))).Append("</td>");
            foreach (var v in new[] { m.Mean, m.StdError, m.P5, m.P25, m.P50, m.P75, m.P95 }) h.Append("<td>").Append(E(MetricFormat.Cell(v, unit))).Append("</td>");
            h.Append("<td>").Append(E(MetricFormat.Cell(m.Cvar5, unit))).Append(m.Cvar5Tail == "upper" ? " \u2191" : "").Append("</td>");
            h.Append("<td>").Append(m.Absent.ToString("N0", Inv)).Append("</td></tr>\n");
        }
        h.Append("</tbody>\n</table></div>\n<p class=\"note\">Units: USD in k (thousand), M (million), B (billion); % for shares, flags (the mean is the probability) ")
         .Append("and rates. CVaR5 is the mean of the worst 5 % of paths: the lowest values, or the highest (\u2191) for metrics where less is better ")
         .Append("(costs, losses, months to pay back). Absent: paths on which the metric does not exist (an IRR without a sign change, no default).</p>\n</section>\n");
    }

    private static void InputsTable(StringBuilder h, ReportPage page)
    {
        bool setBy = page.Inputs.Any(i => i.SetBy.Length > 0);
        h.Append("<section>\n<h2>Inputs as resolved</h2>\n");
        foreach (var note in page.InputNotes) h.Append("<p class=\"note\">").Append(E(note)).Append("</p>\n");
        h.Append("<table class=\"inputs\">\n<colgroup>")
         .Append(setBy ? "<col style=\"width:29%\"><col style=\"width:21%\"><col style=\"width:10%\"><col style=\"width:40%\">"
                       : "<col style=\"width:32%\"><col style=\"width:23%\"><col style=\"width:45%\">")
         .Append("</colgroup>\n<thead><tr><th scope=\"col\">input</th><th scope=\"col\">value</th>");
        if (setBy) h.Append("<th scope=\"col\">set by</th>");
        h.Append("<th scope=\"col\">source or note (from the scenario file)</th></tr></thead>\n<tbody>\n");
        foreach (var i in page.Inputs)
        {
            h.Append("<tr").Append(i.SetBy == "default" ? " class=\"default\"" : "").Append("><td><code>").Append(E(i.Path)).Append("</code></td><td>")
             .Append(E(i.Value)).Append("</td>");
            if (setBy) h.Append("<td>").Append(E(i.SetBy)).Append("</td>");
            h.Append("<td>").Append(E(i.Note)).Append("</td></tr>\n");
        }
        h.Append("</tbody>\n</table>\n</section>\n");
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private const string Css = """
        :root{--ink:#1d1d1f;--muted:#5b5b5f;--rule:#d9d9de;--accent:#1b365d;--bg:#fff}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 "DejaVu Sans","Liberation Sans",Helvetica,Arial,sans-serif}
        main{max-width:1040px;margin:0 auto;padding:32px 28px 64px}
        header{border-bottom:3px solid var(--accent);padding-bottom:14px;margin-bottom:22px}
        .kicker{margin:0;color:var(--muted);text-transform:uppercase;letter-spacing:.06em;font-size:12px}
        h1{font-size:26px;line-height:1.3;margin:6px 0 0}
        h2{font-size:19px;margin:34px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--rule)}
        .figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(210px,1fr));gap:12px}
        .figure{border:1px solid var(--rule);border-left:5px solid var(--accent);padding:10px 14px}
        .figure .label{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
        .figure .value{font-size:26px;font-weight:bold;font-variant-numeric:tabular-nums}
        .figure .detail{font-size:12px;color:var(--muted)}
        table{border-collapse:collapse;width:100%;font-size:13.5px}
        th,td{padding:4px 8px;border-bottom:1px solid var(--rule);text-align:left;vertical-align:top}
        table.answer th{width:24%;white-space:nowrap}
        table.answer td{font-variant-numeric:tabular-nums}
        table.num td{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        table.manifest th{width:24%}
        table.inputs{table-layout:fixed}
        table.prose{font-size:12.5px}
        table.prose td,table.prose th{overflow-wrap:anywhere}
        table.inputs td{overflow-wrap:anywhere}
        table.inputs td:nth-child(2){font-variant-numeric:tabular-nums}
        table.metrics{font-size:13px}
        table.metrics th[scope=row]{overflow-wrap:anywhere}
        table.metrics td.unit{text-align:left;color:var(--muted)}
        tr.default td{color:var(--muted)}
        thead th{border-bottom:2px solid var(--ink);font-size:12px;text-transform:uppercase;letter-spacing:.03em}
        .scroll{overflow-x:auto}
        figure{margin:18px 0 26px;break-inside:avoid}
        img.chart{display:block;width:100%;height:auto;border:1px solid var(--rule)}
        figcaption{font-size:13px;color:var(--muted);margin-top:6px}
        .files{white-space:nowrap}
        .note{font-size:13px;color:var(--muted);margin:4px 0}
        code{font-size:12.5px}
        h1,.kicker,p,figcaption,.figure,table.answer td,table.manifest td{overflow-wrap:anywhere}
        @media print{main{max-width:none;padding:0}h2{break-after:avoid}.figure{break-inside:avoid}.scroll{overflow:visible}table.num td{white-space:normal}table,table.metrics,table.prose{font-size:11px}th,td{padding:3px 5px}}
        """;
}
