using System.Text;
using ComputeEconomics.Models;
using ComputeEconomics.Output;

namespace ComputeEconomics.Compare;

public static partial class ComparePage
{
    /// <summary>The page: what was compared, the headline differences, the charts side by side, every difference, the method.</summary>
    public static string Render(CompareResult result, IReadOnlyList<ChartImage> charts)
    {
        var h = new StringBuilder();
        string title = $"{string.Join(" vs ", result.Runs.Skip(1).Select(r => r.Label))} against {result.Baseline}";
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n");
        h.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.Append("<title>ce compare: ").Append(E(title)).Append("</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n<main>\n");
        h.Append("<header>\n<p class=\"kicker\">ce compare &middot; ").Append(E(result.Model)).Append(" model</p>\n<h1 dir=\"auto\">").Append(E(title)).Append("</h1>\n");
        h.Append("<p class=\"note\">").Append(E($"{result.Paths:N0} paths, seed {result.Seed}, sampling {result.Sampling}, backend {result.Backend} ({result.Device}). "
            + "Every scenario runs the same path indices with the same seed, so path i sees the same random numbers in each (common random numbers); "
            + "differences and their standard errors are taken path by path.")).Append("</p>\n</header>\n");
        AppendHeadlines(h, result);
        var hist = charts.Where(c => c.Name.StartsWith("hist-", StringComparison.Ordinal)).ToList();
        AppendCharts(h, $"Distribution of {result.Headline}", "One set of bins in every panel when the scenarios' ranges are comparable (each at least a quarter of the common range); otherwise each panel has its own axis.", hist);
        AppendCharts(h, "Paired differences", "Bars: mean difference from the baseline; error bars: ± 1.96 paired standard errors.",
            charts.Except(hist).ToList());
        foreach (var run in result.Runs.Skip(1)) AppendTable(h, result, run.Label);
        AppendScenarios(h, result);
        h.Append("<section>\n<h2>Method</h2>\n<p>").Append(E(Method)).Append("</p>\n</section>\n</main>\n</body>\n</html>\n");
        return h.ToString();
    }

    private const string Method =
        "For each path i, d_i = value in the scenario - value in the baseline (paths where either is absent are left out). "
        + "diff = mean of d; paired s.e. = sqrt(var(d)/n) (antithetic: from pair averages; randomised QMC: from replicate means); "
        + "95 % interval = diff ± 1.96 s.e. Unpaired s.e. = sqrt(se(baseline)² + se(scenario)²), what independent draws would give; "
        + "VR = (unpaired s.e. / paired s.e.)², the factor by which common random numbers cut the paths needed for the same precision. "
        + "Events (0/1 flags, NPV < 0) are compared as probabilities the same way.";

    private static void AppendHeadlines(StringBuilder h, CompareResult result)
    {
        h.Append("<section class=\"figures\" aria-label=\"Headline differences\">\n");
        foreach (var r in result.Rows.Where(r => r.Metric == result.Headline && r.Statistic == "mean"))
            h.Append("<div class=\"figure\"><div class=\"label\">").Append(E($"{r.Scenario} - {result.Baseline}: {r.Metric}")).Append("</div><div class=\"value\">")
             .Append(E(CompareFormat.Value(r.Diff, r.Unit))).Append("</div><div class=\"detail\">")
             .Append(E($"± {CompareFormat.Value(r.DiffStdError, r.Unit)} s.e.; 95 % {CompareFormat.Interval(r)}; VR {CompareFormat.Factor(r.VarianceReduction)}"))
             .Append("</div></div>\n");
        h.Append("</section>\n");
    }

    private static void AppendCharts(StringBuilder h, string title, string intro, IReadOnlyList<ChartImage> charts)
    {
        if (charts.Count == 0) return;
        h.Append("<section>\n<h2>").Append(E(title)).Append("</h2>\n<p>").Append(E(intro)).Append("</p>\n<div class=\"side\">\n");
        foreach (var c in charts)
            h.Append("<figure id=\"").Append(E(c.Name)).Append("\">\n<img class=\"chart\" width=\"").Append(Output.Charts.Width).Append("\" height=\"")
             .Append(Output.Charts.Height).Append("\" alt=\"").Append(E(c.Title)).Append("\" src=\"data:image/png;base64,")
             .Append(Convert.ToBase64String(c.Png)).Append("\">\n<figcaption>").Append(E(c.Caption))
             .Append(" <span class=\"files\">Files: charts/").Append(E(c.Name)).Append(".png, .svg</span></figcaption>\n</figure>\n");
        h.Append("</div>\n</section>\n");
    }

    private static void AppendTable(StringBuilder h, CompareResult result, string label)
    {
        h.Append("<section>\n<h2>").Append(E($"{label} - {result.Baseline}: every metric")).Append("</h2>\n<div class=\"scroll\"><table class=\"num\">\n<thead><tr>");
        foreach (var c in new[] { "metric", "unit", result.Baseline, label, "difference", "paired s.e.", "95 % interval", "unpaired s.e.", "VR", "pairs" })
            h.Append("<th scope=\"col\">").Append(E(c)).Append("</th>");
        h.Append("</tr></thead>\n<tbody>\n");
        foreach (var r in result.Rows.Where(r => r.Scenario == label))
        {
            string name = r.Statistic == "probability" ? $"P({r.Metric})" : r.Metric;
            h.Append(CompareFormat.Significant(r) ? "<tr class=\"sig\">" : "<tr>").Append("<th scope=\"row\">").Append(E(name)).Append("</th><td>").Append(E(r.Unit)).Append("</td>");
            foreach (var v in new[] { r.MeanBase, r.Mean, r.Diff, r.DiffStdError })
                h.Append("<td>").Append(E(CompareFormat.Value(v, r.Unit))).Append("</td>");
            h.Append("<td>").Append(E(CompareFormat.Interval(r))).Append("</td><td>").Append(E(CompareFormat.Value(r.UnpairedStdError, r.Unit)))
             .Append("</td><td>").Append(E(CompareFormat.Factor(r.VarianceReduction))).Append("</td><td>").Append(r.Pairs.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)).Append("</td></tr>\n");
        }
        h.Append("</tbody>\n</table></div>\n<p class=\"note\">Bold rows: the 95 % interval leaves out 0. Money in USD (k thousand, M million, B billion).</p>\n</section>\n");
    }

    private static void AppendScenarios(StringBuilder h, CompareResult result)
    {
        h.Append("<section>\n<h2>Scenarios</h2>\n<div class=\"scroll\"><table class=\"num\">\n<thead><tr><th scope=\"col\">label</th><th scope=\"col\">scenario</th><th scope=\"col\">source</th><th scope=\"col\">overrides</th></tr></thead>\n<tbody>\n");
        foreach (var r in result.Runs)
            h.Append("<tr><th scope=\"row\">").Append(E(r.Label)).Append(r.Label == result.Baseline ? " (baseline)" : "").Append("</th><td>").Append(E(r.ScenarioName))
             .Append("</td><td>").Append(E(r.Source)).Append("</td><td><code>").Append(E(string.Join(", ", r.Overrides))).Append("</code></td></tr>\n");
        h.Append("</tbody>\n</table></div>\n<p class=\"note\">").Append(E($"Every scenario also runs with seed={result.Seed} and paths={result.Paths} (the baseline's).")).Append("</p>\n</section>\n");
    }

    private const string Css = """
        :root{--ink:#1d1d1f;--muted:#5b5b5f;--rule:#d9d9de;--accent:#1b365d}
        *{box-sizing:border-box}
        body{margin:0;background:#fff;color:var(--ink);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
        main{max-width:1400px;margin:0 auto;padding:2rem 1.25rem 4rem}
        h1{font-size:1.7rem;line-height:1.25;margin:.2rem 0 .6rem}
        h2{font-size:1.25rem;margin:2.2rem 0 .6rem;border-bottom:1px solid var(--rule);padding-bottom:.3rem}
        .kicker{color:var(--muted);text-transform:uppercase;letter-spacing:.06em;font-size:.8rem;margin:0}
        .note{color:var(--muted);font-size:.9rem}
        .figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:1rem;margin:1.2rem 0}
        .figure{border:1px solid var(--rule);border-radius:6px;padding:.8rem 1rem}
        .figure .label{color:var(--muted);font-size:.85rem}
        .figure .value{font-size:1.7rem;font-weight:600;color:var(--accent)}
        .figure .detail{color:var(--muted);font-size:.85rem}
        .side{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(420px,100%),1fr));gap:1.2rem}
        figure{margin:0}
        img.chart{width:100%;height:auto;border:1px solid var(--rule)}
        figcaption{font-size:.85rem;color:var(--muted)}
        .files{display:block;font-size:.8rem}
        .scroll{overflow-x:auto}
        table{border-collapse:collapse;font-size:.9rem}
        th,td{padding:.3rem .6rem;border-bottom:1px solid var(--rule);text-align:left}
        table.num td{text-align:right;font-variant-numeric:tabular-nums}
        tr.sig th,tr.sig td{font-weight:600}
        td code{overflow-wrap:anywhere}
        @media print{main{max-width:none;padding:0}h2{break-after:avoid}figure,.figure{break-inside:avoid}.scroll{overflow:visible}table{font-size:11px}th,td{padding:3px 5px}th{overflow-wrap:anywhere}}
        """;
}
