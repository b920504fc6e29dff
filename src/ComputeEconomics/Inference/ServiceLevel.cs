using System.Globalization;

namespace ComputeEconomics.Inference;

/// <summary>
/// What "tokens per second per GPU" means for a catalog generation: a model, the precision asked for, the request
/// lengths and the interactivity floor each user must see (and an optional limit on the time to first token).
/// </summary>
/// <param name="Model">Built-in model shape name (<see cref="ModelShapes"/>).</param>
/// <param name="Precision">Precision asked for; each generation runs the nearest its tensor cores have (A100: FP16).</param>
/// <param name="InputLen">Prompt tokens per request, >= 1.</param>
/// <param name="OutputLen">Output tokens per request, >= 1.</param>
/// <param name="MinUserTokensPerS">Output tokens/s each user must see, >= 0 (0: maximum throughput).</param>
/// <param name="MaxTtftS">Limit on the time to first token, s (+infinity: none).</param>
public sealed record ServiceLevel(string Model, Precision Precision, int InputLen, int OutputLen, double MinUserTokensPerS,
    double MaxTtftS = double.PositiveInfinity)
{
    /// <summary>
    /// The catalog's service level, the one place it is defined: Llama 3.1 70B (the shape of Llama 3.3 70B), FP8
    /// asked (A100 runs FP16), 1,000 in / 1,000 out (TensorRT-LLM's perf-overview lengths), at least 20 output
    /// tokens/s per user (a reading speed; issue 19), no TTFT limit.
    /// </summary>
    public static ServiceLevel Reference { get; } = new("llama-3.1-70b", Precision.Fp8, 1000, 1000, 20);

    /// <summary>The request lengths and precision as a <see cref="Workload"/>.</summary>
    public Workload Workload => new(InputLen, OutputLen, Precision);

    /// <summary>One line: "llama-3.1-70b, fp8, 1000 in / 1000 out, >= 20 tokens/s per user".</summary>
    public string Describe() => string.Format(CultureInfo.InvariantCulture, "{0}, {1}, {2} in / {3} out, >= {4:0.##} tokens/s per user{5}",
        Model, Precisions.Name(Precision), InputLen, OutputLen, MinUserTokensPerS,
        double.IsFinite(MaxTtftS) ? string.Format(CultureInfo.InvariantCulture, ", first token within {0:0.###} s", MaxTtftS) : "");
}

/// <summary>
/// The serving model applied to a catalog generation at a <see cref="ServiceLevel"/>: the one function that both the
/// catalog's token rates and <c>ce inference</c> use, so a generation is priced the same way everywhere.
/// </summary>
public static class ServingCatalog
{
    /// <summary>GPUs a replica may span: eight scale-up domains (pipeline stages across them only when one domain cannot hold the model).</summary>
    public static int MaxGpus(Accelerator accelerator) => 8 * accelerator.DomainSize;

    /// <summary>Every candidate setup of <paramref name="shape"/> on <paramref name="accelerator"/> (<see cref="ServingModel.Candidates"/>).</summary>
    public static IReadOnlyList<ServingResult> Candidates(ModelShape shape, Accelerator accelerator, ServiceLevel level, Efficiencies? efficiencies = null) =>
        ServingModel.Candidates(shape, accelerator, level.Workload, MaxGpus(accelerator), efficiencies);

    /// <summary>The setup with the most tokens/s per GPU at the level's floor and TTFT limit; null when none meets them.</summary>
    public static ServingResult? Best(ModelShape shape, Accelerator accelerator, ServiceLevel level, Efficiencies? efficiencies = null) =>
        ServingModel.BestAt(Candidates(shape, accelerator, level, efficiencies), level.MinUserTokensPerS, level.MaxTtftS);

    /// <summary>
    /// Output tokens/s per GPU of <paramref name="generation"/> (a built-in accelerator) at <paramref name="level"/>;
    /// 0 when no setup meets the level. Throws <see cref="InputException"/> naming <paramref name="field"/> for an unknown
    /// model or accelerator.
    /// </summary>
    public static double TokensPerSecond(string generation, ServiceLevel level, string field = "serving.model", Efficiencies? efficiencies = null)
    {
        var shape = ModelShapes.Get(level.Model, field);
        var acc = Accelerators.Get(generation, "catalog.name");
        return Best(shape, acc, level, efficiencies)?.TokensPerSPerGpu ?? 0;
    }

    /// <summary>True when <paramref name="generation"/> has serving-model figures (a built-in accelerator).</summary>
    public static bool Knows(string generation) =>
        Accelerators.BuiltIn.Any(a => string.Equals(a.Name, generation, StringComparison.OrdinalIgnoreCase));
}
