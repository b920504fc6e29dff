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
        [Description("Years over which capex is amortised, 0.01..100 (default 5)")]
        public string? LifeYears { get; init; }

        [CommandOption("--pue <P>")]
        [Description("Power usage effectiveness, 1..10 (default 1.3)")]
        public string? Pue { get; init; }

        [CommandOption("--usd-per-kwh <E>")]
        [Description("Electricity price, $/kWh, 0..1000 (default 0.0806)")]
        public string? UsdPerKwh { get; init; }

        [CommandOption("--margin <M>")]
        [Description("Gross margin on the price, 0 <= M < 1: $/Mtok = cost / (1 - M) (default 0: cost)")]
        public string? Margin { get; init; }

        [CommandOption("--by-year")]
        [Description("Also print $/Mtok by generation and year: hardware (the year's price over the life), energy, margin")]
        public bool ByYear { get; init; }

        [CommandOption("--years <FROM-TO>")]
        [Description("Years of --by-year and the JSON's by_year, e.g. 2024-2030 (default); a generation from its launch year")]
        public string? Years { get; init; }

        [CommandOption("--samples <N>")]
        [Description("Monte Carlo samples of the uncertain inputs (fitted efficiencies, model size), 0..100000 (default 0: none); gives P5/P50/P95")]
        public string? Samples { get; init; }

        [CommandOption("--seed <S>")]
        [Description("Seed of --samples, whole 0..4294967295 (default 42); Philox keyed by sample index")]
        public string? Seed { get; init; }

        [CommandOption("--efficiency-scale <K>")]
        [Description("Multiplies the fitted efficiencies' standard deviations, >= 0 (default 1: the fit's own; 0: fixed)")]
        public string? EfficiencyScale { get; init; }

        [CommandOption("--shape-sd <X>")]
        [Description("sd of ln of a factor on the model's parameters and KV size, 0..2 (default 0: the published shape)")]
        public string? ShapeSd { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Also write inference.json, inference.html and charts/frontier.svg/.png (the frontier chart) to DIR")]
        public string? Out { get; init; }

        [CommandOption("--json")]
        [Description("Print JSON: per generation tokens_per_s_per_gpu, tokens_per_s_per_user, ttft_s, usd_per_mtok")]
        public bool Json { get; init; }
    }

    /// <summary>The validated request.</summary>
    internal sealed record Request(ModelShape Shape, ServiceLevel Level, CostAssumptions Cost, int FromYear, int ToYear,
        int Samples, uint Seed, InputDistributions Distributions)
    {
        public Workload Workload => Level.Workload;
        public double MinUser => Level.MinUserTokensPerS;
        public double MaxTtft => Level.MaxTtftS;
    }

    /// <summary>One generation's answer: the best setup at the floor (null when none meets it), its frontier, costs by year and intervals.</summary>
    internal sealed record GenerationAnswer(GenerationSpec Entry, Accelerator Accelerator, ServingResult? Best, double UsdPerGpuHour,
        double Margin, IReadOnlyList<ServingResult> Frontier, IReadOnlyList<ServingResult?> AtFloors, IReadOnlyList<MtokCost> ByYear)
    {
        public double? UsdPerMtok => Best is null ? null : Mtok(Best.TokensPerSPerGpu);

        public GenerationInterval? Interval { get; init; }

        /// <summary>$/Mtok at <paramref name="tokensPerSPerGpu"/> with the margin: hourly cost / tokens per hour / (1 - margin).</summary>
        public double Mtok(double tokensPerSPerGpu) => ServingCost.UsdPerMtok(UsdPerGpuHour, tokensPerSPerGpu) / (1.0 - Margin);
    }

    /// <summary>Runs the command on the process console.</summary>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        Run(settings, Cli.Out, Console.Out, Cli.Linked(cancellationToken));
        return 0;
    }

    /// <summary>Validates <paramref name="settings"/>, evaluates every catalog generation and writes tables or JSON (and --out's files).</summary>
    /// <exception cref="InputException">An option is missing or breaks a rule; lists them all.</exception>
    internal static void Run(Settings settings, IAnsiConsole console, TextWriter plain, CancellationToken cancellation = default)
    {
        var request = Parse(settings);
        string? outDir = settings.Out is null ? null : ComputeEconomics.Output.OutputFolder.Check("--out", settings.Out);
        var answers = Answers(request, cancellation);
        cancellation.ThrowIfCancellationRequested();   // the last moment before anything is printed or written
        var json = InferenceOutput.ToJson(request, answers);
        if (settings.Json)
            plain.Write(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        else
            InferenceOutput.WriteTables(request, answers, console, settings.ByYear);
        if (outDir is not null)
            InferenceOutput.WriteFolder(outDir, request, answers, json);
    }

    /// <summary>Every catalog generation's answer, with intervals when samples are asked for.</summary>
    internal static IReadOnlyList<GenerationAnswer> Answers(Request request, CancellationToken cancellation = default)
    {
        var answers = BuiltInCatalog.Entries.Select(e => Answer(e, request)).ToList();
        if (request.Samples == 0)
            return answers;
        var intervals = ServingSampler.Run(request.Shape, answers.Select(a => new SampledGeneration(a.Entry.Name, a.Accelerator, a.UsdPerGpuHour)).ToList(),
            request.Level, request.Distributions, request.Samples, request.Seed, cancellation: cancellation);
        return answers.Select((a, i) => a with { Interval = intervals[i] with { UsdPerMtok = Scale(intervals[i].UsdPerMtok, 1.0 / (1.0 - request.Cost.Margin)) } }).ToList();
    }

    private static Interval Scale(Interval i, double factor) => new(i.P5 * factor, i.P50 * factor, i.P95 * factor);

    /// <summary>The best setup (<see cref="ServingCatalog"/>: pipeline stages across up to 8 scale-up domains when needed) and costs by year.</summary>
    internal static GenerationAnswer Answer(GenerationSpec entry, Request request)
    {
        var acc = Accelerators.Get(entry.Name, "catalog");
        var candidates = ServingCatalog.Candidates(request.Shape, acc, request.Level);
        var best = ServingModel.BestAt(candidates, request.MinUser, request.MaxTtft);
        var floors = FrontierFloors.Select(f => ServingModel.BestAt(candidates, f, request.MaxTtft)).ToList();
        return new GenerationAnswer(entry, acc, best, ServingCost.UsdPerGpuHour(entry.UnitCapex.GetValueOrDefault(), entry.PowerKw.GetValueOrDefault(), request.Cost),
            request.Cost.Margin, ServingModel.Frontier(candidates), floors, best is null ? Array.Empty<MtokCost>() : ByYear(entry, best.TokensPerSPerGpu, request));
    }

    /// <summary>
    /// $/Mtok in each year from the later of the first year and the launch year: the catalog price carried from its quote
    /// month to 1 July of the year along the capex decline (docs/catalog.md), over the life, plus energy and margin.
    /// </summary>
    internal static IReadOnlyList<MtokCost> ByYear(GenerationSpec entry, double tokensPerSPerGpu, Request request)
    {
        static double Month(string yyyyMm) => int.Parse(yyyyMm[..4], CultureInfo.InvariantCulture) + (int.Parse(yyyyMm[5..7], CultureInfo.InvariantCulture) - 1) / 12.0;
        string launch = entry.Launch ?? "2000-01";
        double quote = Month(entry.PriceDate ?? launch);
        int first = Math.Max(request.FromYear, int.Parse(launch[..4], CultureInfo.InvariantCulture));
        var rows = new List<MtokCost>();
        for (int y = first; y <= request.ToYear; y++)
        {
            double price = ServingCost.PriceInYear(entry.UnitCapex.GetValueOrDefault(), quote, entry.CapexDecline.GetValueOrDefault(), y);
            rows.Add(ServingCost.InYear(y, price, entry.PowerKw.GetValueOrDefault(), tokensPerSPerGpu, request.Cost));
        }
        return rows;
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
            Number(errors, "--usd-per-kwh", s.UsdPerKwh, CostAssumptions.Default.UsdPerKwh, _ => true, ""),
            Number(errors, "--margin", s.Margin, 0, _ => true, ""));
        var (from, to) = Years(errors, s.Years);
        double samples = Number(errors, "--samples", s.Samples, 0, v => v >= 0 && v <= 100_000 && v == Math.Floor(v), "must be a whole number 0..100,000");
        double seed = Number(errors, "--seed", s.Seed, 42, v => v >= 0 && v <= uint.MaxValue && v == Math.Floor(v), "must be a whole number 0..4294967295");
        var dist = InputDistributions.Fitted(Number(errors, "--efficiency-scale", s.EfficiencyScale, 1, _ => true, ""),
            Number(errors, "--shape-sd", s.ShapeSd, 0, _ => true, ""));
        var reported = errors.Select(e => e.Field).ToHashSet();
        errors.AddRange(cost.Validate().Concat(dist.Validate()).Where(e => !reported.Contains(e.Field)));
        if (errors.Count > 0)
            throw new InputException(errors);
        var level = new ServiceLevel(shape!.Name, precision, (int)input, (int)output, minUser, maxTtft);
        return new Request(shape, level, cost, from, to, (int)samples, (uint)seed, dist);
    }

    /// <summary>--years FROM-TO: whole years 2000..2100, FROM &lt;= TO; default 2024-2030.</summary>
    private static (int From, int To) Years(List<ValidationError> errors, string? text)
    {
        if (text is null)
            return (2024, 2030);
        var parts = text.Split('-');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int from)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int to) && from >= 2000 && to <= 2100 && from <= to)
            return (from, to);
        errors.Add(new ValidationError("--years", text, "must be FROM-TO, whole years 2000..2100 with FROM <= TO (e.g. 2024-2030)"));
        return (2024, 2030);
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
}
