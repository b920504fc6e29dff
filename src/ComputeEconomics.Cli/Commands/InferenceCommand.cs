using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComputeEconomics.Inference;
using ComputeEconomics.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ComputeEconomics.Cli.Commands;

/// <summary>
/// <c>ce inference</c>: tokens/s per GPU and per user, time to first token and $ per million output tokens of a model
/// on each catalog generation (the serving model of docs/inference.md), and the frontier of throughput against
/// interactivity. Bad options raise <see cref="InputException"/> naming each option.
/// </summary>
public sealed class InferenceCommand : Command<InferenceCommand.Settings>
{
    /// <summary>Tokens/s per user at which the frontier is printed.</summary>
    internal static readonly double[] FrontierFloors = { 10, 20, 50, 100, 200 };

    /// <summary>Options of <c>ce inference</c>; numbers in the invariant culture.</summary>
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--model <MODEL>")]
        [Description("Model shape (required): llama-2-70b, llama-3.1-70b, llama-3.1-405b, mixtral-8x7b, deepseek-r1")]
        public string? Model { get; init; }

        [CommandOption("--precision <P>")]
        [Description("fp16 (bf16), fp8 (default) or fp4; each generation runs the nearest format its tensor cores have")]
        public string? Precision { get; init; }

        [CommandOption("--input-len <N>")]
        [Description("Prompt tokens per request, whole >= 1 (default 1000)")]
        public string? InputLen { get; init; }

        [CommandOption("--output-len <N>")]
        [Description("Output tokens per request, whole >= 1 (default 1000)")]
        public string? OutputLen { get; init; }

        [CommandOption("--min-user-tokens-per-s <R>")]
        [Description("Interactivity floor: output tokens/s each user must see, >= 0 (default 0: maximum throughput)")]
        public string? MinUserTokensPerS { get; init; }

        [CommandOption("--max-ttft-s <T>")]
        [Description("Limit on the time to first token, s, > 0 (default none)")]
        public string? MaxTtftS { get; init; }

        [CommandOption("--life-years <Y>")]
        [Description("Years over which capex is amortised, > 0 (default 5)")]
        public string? LifeYears { get; init; }

        [CommandOption("--pue <P>")]
        [Description("Power usage effectiveness, >= 1 (default 1.3)")]
        public string? Pue { get; init; }

        [CommandOption("--usd-per-kwh <E>")]
        [Description("Electricity price, $/kWh, >= 0 (default 0.0806)")]
        public string? UsdPerKwh { get; init; }

        [CommandOption("--json")]
        [Description("Print JSON: per generation tokens_per_s_per_gpu, tokens_per_s_per_user, ttft_s, usd_per_mtok")]
        public bool Json { get; init; }
    }

    /// <summary>The validated request.</summary>
    internal sealed record Request(ModelShape Shape, Workload Workload, double MinUser, double MaxTtft, CostAssumptions Cost);

    /// <summary>One generation's answer: the best setup at the floor (null when none meets it) and its frontier.</summary>
    internal sealed record GenerationAnswer(CatalogEntry Entry, Accelerator Accelerator, ServingResult? Best, double UsdPerGpuHour,
        IReadOnlyList<ServingResult> Frontier, IReadOnlyList<ServingResult?> AtFloors)
    {
        public double? UsdPerMtok => Best is null ? null : ServingCost.UsdPerMtok(UsdPerGpuHour, Best.TokensPerSPerGpu);
    }

    /// <summary>Runs the command on the process console.</summary>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        Run(settings, Cli.Out, Console.Out);
        return 0;
    }

    /// <summary>Validates <paramref name="settings"/>, evaluates every catalog generation and writes tables or JSON.</summary>
    /// <exception cref="InputException">An option is missing or breaks a rule; lists them all.</exception>
    internal static void Run(Settings settings, IAnsiConsole console, TextWriter plain)
    {
        var request = Parse(settings);
        var answers = BuiltInCatalog.Entries.Select(e => Answer(e, request)).ToList();
        if (settings.Json)
            plain.Write(ToJson(request, answers).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        else
            WriteTables(request, answers, console);
    }

    /// <summary>The best setup within one scale-up domain (pipeline stages across up to 8 domains when needed).</summary>
    internal static GenerationAnswer Answer(CatalogEntry entry, Request request)
    {
        var acc = Accelerators.Get(entry.Name, "catalog");
        var candidates = ServingModel.Candidates(request.Shape, acc, request.Workload, 8 * acc.DomainSize);
        var best = ServingModel.BestAt(candidates, request.MinUser, request.MaxTtft);
        var floors = FrontierFloors.Select(f => ServingModel.BestAt(candidates, f, request.MaxTtft)).ToList();
        return new GenerationAnswer(entry, acc, best, ServingCost.UsdPerGpuHour(entry, request.Cost),
            ServingModel.Frontier(candidates), floors);
    }

    private static Request Parse(Settings s)
    {
        var errors = new List<ValidationError>();
        ModelShape? shape = null;
        if (s.Model is null)
            errors.Add(new ValidationError("--model", "(missing)", "is required: one of " + string.Join(", ", ModelShapes.BuiltIn.Select(m => m.Name))));
        else
            Collect(errors, () => shape = ModelShapes.Get(s.Model));
        var precision = ComputeEconomics.Inference.Precision.Fp8;
        if (s.Precision is not null)
            Collect(errors, () => precision = Precisions.Parse(s.Precision, "--precision"));
        double input = Number(errors, "--input-len", s.InputLen, 1000, v => v >= 1 && v == Math.Floor(v) && v <= 1e7, "must be a whole number 1..10,000,000");
        double output = Number(errors, "--output-len", s.OutputLen, 1000, v => v >= 1 && v == Math.Floor(v) && v <= 1e7, "must be a whole number 1..10,000,000");
        double minUser = Number(errors, "--min-user-tokens-per-s", s.MinUserTokensPerS, 0, v => v >= 0, "must be a finite number >= 0");
        double maxTtft = Number(errors, "--max-ttft-s", s.MaxTtftS, double.PositiveInfinity, v => v > 0, "must be a finite number > 0");
        var cost = new CostAssumptions(
            Number(errors, "--life-years", s.LifeYears, CostAssumptions.Default.LifeYears, _ => true, ""),
            Number(errors, "--pue", s.Pue, CostAssumptions.Default.Pue, _ => true, ""),
            Number(errors, "--usd-per-kwh", s.UsdPerKwh, CostAssumptions.Default.UsdPerKwh, _ => true, ""));
        var reported = errors.Select(e => e.Field).ToHashSet();
        errors.AddRange(cost.Validate().Where(e => !reported.Contains(e.Field)));
        if (errors.Count > 0)
            throw new InputException(errors);
        return new Request(shape!, new Workload((int)input, (int)output, precision), minUser, maxTtft, cost);
    }

    private static void Collect(List<ValidationError> errors, Action parse)
    {
        try
        {
            parse();
        }
        catch (InputException e)
        {
            errors.AddRange(e.Errors);
        }
    }

    /// <summary>Parses an optional invariant-culture number; records an error naming the option when it is malformed or breaks the rule.</summary>
    private static double Number(List<ValidationError> errors, string option, string? text, double fallback, Func<double, bool> rule, string ruleText)
    {
        if (text is null)
            return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
        {
            errors.Add(new ValidationError(option, text, "must be a finite number"));
            return double.NaN;
        }
        if (!rule(v))
            errors.Add(new ValidationError(option, text, ruleText));
        return v;
    }

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    private static string Setup(ServingResult r) =>
        $"TP{r.Setup.TensorParallel}{(r.Setup.PipelineParallel > 1 ? $" x PP{r.Setup.PipelineParallel}" : "")}, {r.Setup.Concurrency} seqs, {Precisions.Name(r.Setup.WeightPrecision)}";

    private static void WriteTables(Request request, IReadOnlyList<GenerationAnswer> answers, IAnsiConsole console)
    {
        string floor = request.MinUser > 0 ? $" at >= {F(request.MinUser, "0.##")} tokens/s per user" : " at maximum throughput";
        string ttft = double.IsFinite(request.MaxTtft) ? $", first token within {F(request.MaxTtft, "0.###")} s" : "";
        console.WriteLine($"{request.Shape.Name}, {request.Workload.InputLen} in / {request.Workload.OutputLen} out, {Precisions.Name(request.Workload.Precision)} asked{floor}{ttft}");
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var c in new[] { "Generation", "Setup", "Tok/s per GPU", "Tok/s per user", "TTFT s", "$/GPU-h", "$/Mtok" })
            table.AddColumn(new TableColumn(c).RightAligned());
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
        var frontier = new Table().Border(TableBorder.Rounded);
        frontier.AddColumn(new TableColumn("Generation").RightAligned());
        foreach (double f in FrontierFloors)
            frontier.AddColumn(new TableColumn($">= {F(f, "0")}/user").RightAligned());
        foreach (var a in answers)
            frontier.AddRow(new[] { a.Entry.Name }.Concat(a.AtFloors.Select(r => r is null ? "-"
                : $"{F(r.TokensPerSPerGpu, "N0")} ({F(ServingCost.UsdPerMtok(a.UsdPerGpuHour, r.TokensPerSPerGpu), "0.000")})")).ToArray());
        console.Write(frontier);
        console.WriteLine($"Cost: catalog unit capex over {F(request.Cost.LifeYears, "0.##")} years + catalog power x PUE {F(request.Cost.Pue, "0.##")} x {F(request.Cost.UsdPerKwh, "0.####")} $/kWh; " +
            "no cost of capital, colocation or margin; 100% busy (docs/inference.md).");
        var e = Efficiencies.Fitted;
        console.WriteLine($"Model: roofline with fitted fractions of peak (NVIDIA FP8 {F(e.Compute, "0.###")}, FP4 {F(e.ComputeFp4, "0.###")}, AMD {F(e.ComputeAmd, "0.###")}, " +
            $"HBM {F(e.Bandwidth, "0.###")}, link {F(e.Interconnect, "0.###")}, {F(e.LayerOverheadS * 1e6, "0.#")} us per layer); held-out error in docs/inference.md.");
    }

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

    private static JsonObject ToJson(Request request, IReadOnlyList<GenerationAnswer> answers)
    {
        var generations = new JsonArray();
        foreach (var a in answers)
        {
            var best = a.Best;
            generations.Add(new JsonObject
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
            });
        }
        var e = Efficiencies.Fitted;
        return new JsonObject
        {
            ["model"] = request.Shape.Name,
            ["precision"] = Precisions.Name(request.Workload.Precision),
            ["input_len"] = request.Workload.InputLen,
            ["output_len"] = request.Workload.OutputLen,
            ["min_user_tokens_per_s"] = request.MinUser,
            ["max_ttft_s"] = Num(request.MaxTtft),
            ["cost"] = new JsonObject { ["life_years"] = request.Cost.LifeYears, ["pue"] = request.Cost.Pue, ["usd_per_kwh"] = request.Cost.UsdPerKwh },
            ["efficiencies"] = new JsonObject
            {
                ["compute"] = e.Compute, ["compute_fp4"] = e.ComputeFp4, ["compute_amd"] = e.ComputeAmd,
                ["bandwidth"] = e.Bandwidth, ["interconnect"] = e.Interconnect, ["layer_overhead_s"] = e.LayerOverheadS,
            },
            ["generations"] = generations,
        };
    }
}
