using ComputeEconomics.Inference;

namespace ComputeEconomics.Scenarios;

/// <summary>
/// fleet.serving: the service level at which the fleet's tokens are counted. Without a model (the default) every
/// generation keeps the catalog's token rate (the serving model at <see cref="ServiceLevel.Reference"/>); with one,
/// each built-in generation's tokens/s come from the serving model (docs/inference.md) for this model, precision,
/// lengths and interactivity floor. A catalog entry's own tokens_per_second wins over both.
/// </summary>
public sealed record ServingSpec
{
    [Doc("Model served (docs/inference.md); unset: the catalog's token rates (llama-3.1-70b, fp8, 1000 in / 1000 out, >= 20 tokens/s per user)"),
     OneOf("llama-2-70b", "llama-3.1-70b", "llama-3.1-405b", "mixtral-8x7b", "deepseek-r1")]
    public string? Model { get; init; }
    [Doc("Precision asked for; each generation runs the nearest its tensor cores have"), OneOf("fp16", "fp8", "fp4")]
    public string Precision { get; init; } = "fp8";
    [Doc("Prompt tokens per request"), Range(1, 1e7), Whole]
    public int InputLen { get; init; } = 1000;
    [Doc("Output tokens per request"), Range(1, 1e7), Whole]
    public int OutputLen { get; init; } = 1000;
    [Doc("Output tokens/s each user must see: the fleet's tokens/s per GPU are the frontier's at this floor"), Range(0, 1e4)]
    public double MinUserTokensPerS { get; init; } = 20;

    /// <summary>True when a model is set: the fleet's token rates come from the serving model at <see cref="Level()"/>.</summary>
    public bool IsOn() => !string.IsNullOrEmpty(Model);

    /// <summary>This spec as a service level (the reference level when no model is set).</summary>
    public ServiceLevel Level() => IsOn()
        ? new ServiceLevel(Model!, Precisions.Parse(Precision, "fleet.serving.precision"), InputLen, OutputLen, MinUserTokensPerS)
        : ServiceLevel.Reference;

    /// <summary>
    /// The tokens/s per GPU of built-in generation <paramref name="builtIn"/> at this level; null when no model is set or
    /// the generation is not built in (it keeps its catalog figure). Throws <see cref="InputException"/> naming
    /// fleet.serving.min_user_tokens_per_s when no setup of the model on the generation meets the floor.
    /// </summary>
    public double? TokensPerSecond(GenerationSpec? builtIn)
    {
        if (!IsOn() || builtIn is null || !ServingCatalog.Knows(builtIn.Name))
            return null;
        double rate = ServingCatalog.TokensPerSecond(builtIn.Name, Level(), "fleet.serving.model");
        if (rate <= 0)
            throw new InputException("fleet.serving.min_user_tokens_per_s", MinUserTokensPerS.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"no setup of {Model} on {builtIn.Name} gives each user that many tokens/s (see ce inference --model {Model}); lower it or give the entry's tokens_per_second");
        return rate;
    }
}
