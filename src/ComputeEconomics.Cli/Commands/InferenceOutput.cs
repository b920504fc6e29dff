using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComputeEconomics.Inference;
using ComputeEconomics.Output;
using Spectre.Console;

namespace ComputeEconomics.Cli.Commands;

/// <summary>What <c>ce inference</c> prints and writes: the console tables, the JSON and the --out folder (HTML page and frontier chart).</summary>
internal static class InferenceOutput
{
    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    private static string Setup(ServingResult r) =>
        $"TP{r.Setup.TensorParallel}{(r.Setup.PipelineParallel > 1 ? $" x PP{r.Setup.PipelineParallel}" : "")}, {r.Setup.Concurrency} seqs, {Precisions.Name(r.Setup.WeightPrecision)}";

    private static Table NewTable(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var c in columns)
            table.AddColumn(new TableColumn(c).RightAligned());
        return table;
    }

    /// <summary>The headline line: model, lengths, precision, floor and TTFT limit.</summary>
    internal static string Headline(InferenceCommand.Request request)
    {
        string floor = request.MinUser > 0 ? $" at >= {F(request.MinUser, request.MinUser < 1e6 ? "0.##" : "G4")} tokens/s per user" : " at maximum throughput";
        string ttft = double.IsFinite(request.MaxTtft) ? $", first token within {F(request.MaxTtft, "0.###")} s" : "";
        return $"{request.Shape.Name}, {request.Workload.InputLen} in / {request.Workload.OutputLen} out, {Precisions.Name(request.Workload.Precision)} asked{floor}{ttft}";
    }

    /// <summary>The tables: best setup per generation, the frontier at fixed floors, then (asked for) $/Mtok by year and the intervals.</summary>
    internal static void WriteTables(InferenceCommand.Request request, IReadOnlyList<InferenceCommand.GenerationAnswer> answers, IAnsiConsole console, bool byYear)
    {
        console.WriteLine(Headline(request));
        var table = NewTable("Generation", "Setup", "Tok/s per GPU", "Tok/s per user", "TTFT s", "$/GPU-h", "$/Mtok");
        foreach (var a in answers)
        {
            if (a.Best is null)
                table.AddRow(a.Entry.Name, "cannot meet the floor", "-", "-", "-", F(a.UsdPerGpuHour, "0.000"), "-");
            else
                table.AddRow(a.Entry.Name, Setup(a.Best), F(a.Best.TokensPerSPerGpu, "N0"), F(a.Best.TokensPerSPerUser, "0.0"),
                    F(a.Best.TtftS, "0.000"), F(a.UsdPerGpuHour, "0.000"), F(a.UsdPerMtok!.Value, "0.0000"));
        }
        console.Write(table);
        console.WriteLine("Frontier: tokens/s per GPU at each floor of tokens/s per user ($/Mtok in brackets)");
        var frontier = NewTable(new[] { "Generation" }.Concat(InferenceCommand.FrontierFloors.Select(f => $">= {F(f, "0")}/user")).ToArray());
        foreach (var a in answers)
            frontier.AddRow(new[] { a.Entry.Name }.Concat(a.AtFloors.Select(r => r is null ? "-"
                : $"{F(r.TokensPerSPerGpu, "N0")} ({F(a.Mtok(r.TokensPerSPerGpu), "0.000")})")).ToArray());
        console.Write(frontier);
        if (byYear)
            WriteByYear(request, answers, console);
        if (request.Samples > 0)
            WriteIntervals(request, answers, console);
        console.WriteLine($"Cost: catalog unit capex over {F(request.Cost.LifeYears, "0.##")} years + catalog power x PUE {F(request.Cost.Pue, "0.##")} x {F(request.Cost.UsdPerKwh, "0.####")} $/kWh" +
            (request.Cost.Margin > 0 ? $", margin {F(request.Cost.Margin * 100, "0.#")}% of the price" : "; no margin") + "; no cost of capital or colocation; 100% busy (docs/inference.md).");
        var e = Efficiencies.Fitted;
        console.WriteLine($"Model: roofline with fitted fractions of peak (NVIDIA FP8 {F(e.Compute, "0.###")}, FP4 {F(e.ComputeFp4, "0.###")}, AMD {F(e.ComputeAmd, "0.###")}, " +
            $"HBM {F(e.Bandwidth, "0.###")}, link {F(e.Interconnect, "0.###")}, {F(e.LayerOverheadS * 1e6, "0.#")} us per layer); held-out error in docs/inference.md.");
    }

    private static void WriteByYear(InferenceCommand.Request request, IReadOnlyList<InferenceCommand.GenerationAnswer> answers, IAnsiConsole console)
    {
        console.WriteLine($"$/Mtok by year bought ({request.FromYear}-{request.ToYear}): hardware = price on 1 July of the year (catalog quote carried along its decline) " +
            $"over {F(request.Cost.LifeYears, "0.##")} years; energy; margin");
        var table = NewTable("Generation", "Year", "Price $", "Hardware", "Energy", "Margin", "$/Mtok");
        foreach (var a in answers)
            foreach (var y in a.ByYear)
                table.AddRow(a.Entry.Name, y.Year.ToString(CultureInfo.InvariantCulture), F(y.PriceUsd, "N0"),
                    F(y.Hardware, "0.0000"), F(y.Energy, "0.0000"), F(y.Margin, "0.0000"), F(y.Total, "0.0000"));
        console.Write(table);
    }

    private static void WriteIntervals(InferenceCommand.Request request, IReadOnlyList<InferenceCommand.GenerationAnswer> answers, IAnsiConsole console)
    {
        var d = request.Distributions;
        console.WriteLine($"Intervals over {request.Samples:N0} samples (seed {request.Seed}): efficiencies from the fit's covariance x {F(d.EfficiencyScale, "0.##")}" +
            (d.ShapeSd > 0 ? $", model size x e^({F(d.ShapeSd, "0.##")} z)" : ", model shape fixed") + "; P5 / P50 / P95");
        var table = NewTable("Generation", "Tok/s per GPU", "Tok/s per user (P50)", "$/Mtok", "Meets floor");
        foreach (var a in answers.Where(a => a.Interval is not null))
        {
            var i = a.Interval!;
            table.AddRow(a.Entry.Name, $"{F(i.TokensPerSPerGpu.P5, "N0")} / {F(i.TokensPerSPerGpu.P50, "N0")} / {F(i.TokensPerSPerGpu.P95, "N0")}",
                F(i.TokensPerSPerUser.P50, "0.0"), $"{Cost(i.UsdPerMtok.P5)} / {Cost(i.UsdPerMtok.P50)} / {Cost(i.UsdPerMtok.P95)}", F(i.ShareMeetingFloor * 100, "0.#") + "%");
        }
        console.Write(table);
    }

    private static string Cost(double v) => double.IsFinite(v) ? F(v, "0.0000") : "-";

    private static JsonNode? Num(double? v) => v is double d && double.IsFinite(d) ? JsonValue.Create(d) : null;

    private static JsonObject Point(ServingResult r) => new()
    {
        ["tokens_per_s_per_user"] = r.TokensPerSPerUser,
        ["tokens_per_s_per_gpu"] = r.TokensPerSPerGpu,
        ["ttft_s"] = r.TtftS,
        ["tensor_parallel"] = r.Setup.TensorParallel,
        ["pipeline_parallel"] = r.Setup.PipelineParallel,
        ["concurrency"] = r.Setup.Concurrency,
    };

    private static JsonObject Quantiles(Interval i) => new() { ["p5"] = Num(i.P5), ["p50"] = Num(i.P50), ["p95"] = Num(i.P95) };

    private static JsonObject Generation(InferenceCommand.Request request, InferenceCommand.GenerationAnswer a)
    {
        var best = a.Best;
        var g = new JsonObject
        {
            ["name"] = a.Entry.Name,
            ["precision"] = Precisions.Name(a.Accelerator.Supported(request.Workload.Precision)),
            ["tokens_per_s_per_gpu"] = Num(best?.TokensPerSPerGpu),
            ["tokens_per_s_per_user"] = Num(best?.TokensPerSPerUser),
            ["ttft_s"] = Num(best?.TtftS),
            ["usd_per_gpu_hour"] = a.UsdPerGpuHour,
            ["usd_per_mtok"] = Num(a.UsdPerMtok),
            ["setup"] = best is null ? null : Point(best),
            ["bound"] = best?.Bound,
            ["frontier"] = new JsonArray(a.Frontier.Select(r => (JsonNode)Point(r)).ToArray()),
            ["by_year"] = new JsonArray(a.ByYear.Select(y => (JsonNode)new JsonObject
            {
                ["year"] = y.Year, ["price_usd"] = y.PriceUsd, ["hardware"] = y.Hardware, ["energy"] = y.Energy, ["margin"] = y.Margin, ["usd_per_mtok"] = y.Total,
            }).ToArray()),
        };
        if (a.Interval is { } i)
            g["intervals"] = new JsonObject
            {
                ["tokens_per_s_per_gpu"] = Quantiles(i.TokensPerSPerGpu), ["tokens_per_s_per_user"] = Quantiles(i.TokensPerSPerUser),
                ["usd_per_mtok"] = Quantiles(i.UsdPerMtok), ["share_meeting_floor"] = i.ShareMeetingFloor,
            };
        return g;
    }

    /// <summary>The JSON document: the request, the efficiencies, and per generation the answer, frontier, by_year and (samples) intervals.</summary>
    internal static JsonObject ToJson(InferenceCommand.Request request, IReadOnlyList<InferenceCommand.GenerationAnswer> answers)
    {
        var e = Efficiencies.Fitted;
        return new JsonObject
        {
            ["model"] = request.Shape.Name,
            ["precision"] = Precisions.Name(request.Workload.Precision),
            ["input_len"] = request.Workload.InputLen,
            ["output_len"] = request.Workload.OutputLen,
            ["min_user_tokens_per_s"] = request.MinUser,
            ["max_ttft_s"] = Num(request.MaxTtft),
            ["cost"] = new JsonObject
            {
                ["life_years"] = request.Cost.LifeYears, ["pue"] = request.Cost.Pue, ["usd_per_kwh"] = request.Cost.UsdPerKwh, ["margin"] = request.Cost.Margin,
            },
            ["efficiencies"] = new JsonObject
            {
                ["compute"] = e.Compute, ["compute_fp4"] = e.ComputeFp4, ["compute_amd"] = e.ComputeAmd,
                ["bandwidth"] = e.Bandwidth, ["interconnect"] = e.Interconnect, ["layer_overhead_s"] = e.LayerOverheadS,
            },
            ["samples"] = request.Samples,
            ["seed"] = request.Seed,
            ["efficiency_scale"] = request.Distributions.EfficiencyScale,
            ["shape_sd"] = request.Distributions.ShapeSd,
            ["generations"] = new JsonArray(answers.Select(a => (JsonNode)Generation(request, a)).ToArray()),
        };
    }

    /// <summary>--out: inference.json, inference.html (the main table and the frontier chart embedded) and charts/frontier.svg and .png.</summary>
    internal static void WriteFolder(string directory, InferenceCommand.Request request, IReadOnlyList<InferenceCommand.GenerationAnswer> answers, JsonObject json)
    {
        var chart = Charts.Frontier("frontier", $"Serving frontier: {request.Shape.Name}",
            answers.Select(a => new FrontierSeries(a.Entry.Name, a.Frontier.Reverse().Select(r => r.TokensPerSPerUser).ToList(),
                a.Frontier.Reverse().Select(r => r.TokensPerSPerGpu).ToList())).ToList(), request.MinUser,
            $"Each line is a generation's frontier (docs/inference.md): the setups no other beats on both output tokens/s per GPU and per user; {Headline(request)}.");
        var files = new Dictionary<string, byte[]>
        {
            ["inference.json"] = Encoding.UTF8.GetBytes(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"),
            ["inference.html"] = Encoding.UTF8.GetBytes(Html(request, answers, chart)),
            ["charts/frontier.svg"] = Encoding.UTF8.GetBytes(chart.Svg),
            ["charts/frontier.png"] = chart.Png,
        };
        AtomicFiles.Replace(directory, files);
    }

    private static string Html(InferenceCommand.Request request, IReadOnlyList<InferenceCommand.GenerationAnswer> answers, ChartImage chart)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        // Self-contained like the run report (the chart embedded, not a link to charts/frontier.svg beside it, which a
        // page mailed or moved on its own lost), readable on a phone (viewport, scrolling table) and by a screen reader
        // (every column header scoped, WCAG 2.2 SC 1.3.1 technique H63).
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>").Append(E(chart.Title)).Append("</title>")
          .Append("<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 8px}img{max-width:100%;height:auto}.scroll{overflow-x:auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}@media print{.scroll{overflow:visible}}</style></head><body>")
          .Append("<h1 dir=\"auto\">").Append(E(chart.Title)).Append("</h1><p>").Append(E(Headline(request))).Append("</p>")
          .Append("<img class=\"chart\" src=\"data:image/svg+xml;base64,").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(chart.Svg)))
          .Append("\" alt=\"").Append(E(chart.Title)).Append("\" width=\"960\"><p>").Append(E(chart.Caption)).Append("</p>")
          .Append("<div class=\"scroll\"><table><tr>");
        foreach (var h in new[] { "Generation", "Setup", "Tok/s per GPU", "Tok/s per user", "TTFT s", "$/GPU-h", "$/Mtok" })
            sb.Append("<th scope=\"col\">").Append(E(h)).Append("</th>");
        sb.Append("</tr>");
        foreach (var a in answers)
        {
            var b = a.Best;
            sb.Append("<tr><td>").Append(E(a.Entry.Name)).Append("</td><td>").Append(b is null ? "cannot meet the floor" : E(Setup(b)))
              .Append("</td><td>").Append(b is null ? "-" : F(b.TokensPerSPerGpu, "N0")).Append("</td><td>").Append(b is null ? "-" : F(b.TokensPerSPerUser, "0.0"))
              .Append("</td><td>").Append(b is null ? "-" : F(b.TtftS, "0.000")).Append("</td><td>").Append(F(a.UsdPerGpuHour, "0.000"))
              .Append("</td><td>").Append(a.UsdPerMtok is double m ? F(m, "0.0000") : "-").Append("</td></tr>");
        }
        sb.Append("</table></div><p>Cost and model as in docs/inference.md; inference.json has every figure.</p></body></html>\n");
        return sb.ToString();
    }
}
