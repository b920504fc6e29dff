namespace ComputeEconomics.Inference;

/// <summary>
/// A decoder-only transformer as the serving model sees it: parameter counts, attention shape and, for a mixture of
/// experts, the routed experts. Dense models have <see cref="Experts"/> = 0 and equal total and active parameters.
/// </summary>
/// <param name="Name">Identifier used by <c>ce inference --model</c>.</param>
/// <param name="TotalParams">All parameters (weights held in memory).</param>
/// <param name="ActiveParams">Parameters used per token (dense: all; MoE: shared plus the routed experts chosen).</param>
/// <param name="Layers">Transformer blocks.</param>
/// <param name="Heads">Query heads per layer.</param>
/// <param name="KvHeads">Key/value heads per layer (grouped-query attention).</param>
/// <param name="HeadDim">Size of one head.</param>
/// <param name="Hidden">Model (residual stream) width: the activation exchanged per token between tensor-parallel ranks.</param>
/// <param name="Experts">Routed experts per MoE layer; 0 for a dense model.</param>
/// <param name="ActiveExperts">Routed experts chosen per token; 0 for a dense model.</param>
/// <param name="KvElementsPerTokenPerLayer">KV-cache elements per token and layer: 2 x KvHeads x HeadDim for standard
/// attention; the latent width for multi-head latent attention (DeepSeek: 512 + 64).</param>
/// <param name="Source">Where the shape comes from (the model's published configuration).</param>
public sealed record ModelShape(
    string Name, double TotalParams, double ActiveParams, int Layers, int Heads, int KvHeads, int HeadDim, int Hidden,
    int Experts, int ActiveExperts, double KvElementsPerTokenPerLayer, string Source)
{
    /// <summary>True for a mixture of experts.</summary>
    public bool IsMoe => Experts > 0;

    /// <summary>Parameters of one routed expert (all layers): (total - active) / (experts - active experts).</summary>
    public double ParamsPerExpert => IsMoe ? (TotalParams - ActiveParams) / (Experts - ActiveExperts) : 0;

    /// <summary>Parameters every token uses (attention, embeddings, shared experts): active - chosen experts.</summary>
    public double SharedParams => IsMoe ? ActiveParams - ActiveExperts * ParamsPerExpert : TotalParams;

    /// <summary>
    /// Parameters read from memory by one forward step over <paramref name="tokens"/> tokens: all of a dense model;
    /// for an MoE, the shared part plus the experts at least one token is routed to, in expectation under uniform
    /// routing: E x (1 - (1 - k/E)^tokens) experts.
    /// </summary>
    public double ParamsTouched(double tokens)
    {
        if (!IsMoe)
            return TotalParams;
        double untouched = Math.Pow(1.0 - (double)ActiveExperts / Experts, Math.Max(tokens, 1.0));
        return SharedParams + Experts * (1.0 - untouched) * ParamsPerExpert;
    }

    /// <summary>Every broken rule, with the field named under <paramref name="prefix"/>.</summary>
    public IReadOnlyList<ValidationError> Validate(string prefix = "model")
    {
        var errors = new List<ValidationError>();
        void Positive(string field, double value)
        {
            if (!(value > 0) || double.IsInfinity(value))
                errors.Add(new ValidationError($"{prefix}.{field}", Fmt(value), "must be a finite number > 0"));
        }
        Positive("total_params", TotalParams);
        Positive("active_params", ActiveParams);
        Positive("layers", Layers);
        Positive("heads", Heads);
        Positive("kv_heads", KvHeads);
        Positive("head_dim", HeadDim);
        Positive("hidden", Hidden);
        Positive("kv_elements_per_token_per_layer", KvElementsPerTokenPerLayer);
        if (ActiveParams > TotalParams)
            errors.Add(new ValidationError($"{prefix}.active_params", Fmt(ActiveParams), $"must be <= total_params ({Fmt(TotalParams)})"));
        if (KvHeads > Heads)
            errors.Add(new ValidationError($"{prefix}.kv_heads", Fmt(KvHeads), $"must be <= heads ({Heads})"));
        if (Experts < 0 || ActiveExperts < 0 || (Experts > 0 && (ActiveExperts < 1 || ActiveExperts >= Experts)))
            errors.Add(new ValidationError($"{prefix}.active_experts", Fmt(ActiveExperts), $"must be 1..experts-1 for a mixture of experts ({Experts} experts), 0 for a dense model"));
        else if (Experts == 0 && (ActiveExperts != 0 || ActiveParams != TotalParams))
            errors.Add(new ValidationError($"{prefix}.active_params", Fmt(ActiveParams), "must equal total_params for a dense model (experts = 0)"));
        return errors;
    }

    private static string Fmt(double v) => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The built-in model shapes (published Hugging Face configurations; see docs/inference.md).</summary>
public static class ModelShapes
{
    private static ModelShape Dense(string name, double p, int layers, int heads, int kv, int headDim, int hidden, string source) =>
        new(name, p, p, layers, heads, kv, headDim, hidden, 0, 0, 2.0 * kv * headDim, source);

    /// <summary>All built-in shapes.</summary>
    public static IReadOnlyList<ModelShape> BuiltIn { get; } = new[]
    {
        Dense("llama-2-70b", 68.98e9, 80, 64, 8, 128, 8192,
            "https://huggingface.co/meta-llama/Llama-2-70b-hf/blob/main/config.json (2023-07)"),
        Dense("llama-3.1-70b", 70.55e9, 80, 64, 8, 128, 8192,
            "https://huggingface.co/meta-llama/Llama-3.1-70B/blob/main/config.json (2024-07)"),
        Dense("llama-3.1-405b", 405.85e9, 126, 128, 8, 128, 16384,
            "https://huggingface.co/meta-llama/Llama-3.1-405B/blob/main/config.json (2024-07)"),
        new ModelShape("mixtral-8x7b", 46.70e9, 12.88e9, 32, 32, 8, 128, 4096, 8, 2, 2.0 * 8 * 128,
            "https://huggingface.co/mistralai/Mixtral-8x7B-v0.1/blob/main/config.json (2023-12)"),
        // DeepSeek-V3/R1: 256 routed experts, 8 chosen (+1 shared, inside the active 37B); multi-head latent attention
        // caches 512 + 64 elements per token and layer; the attention flops use 128 heads of 192 (128 + 64 rope).
        new ModelShape("deepseek-r1", 671e9, 37e9, 61, 128, 128, 192, 7168, 256, 8, 512 + 64,
            "https://huggingface.co/deepseek-ai/DeepSeek-R1/blob/main/config.json (2025-01); 671B total, 37B active (DeepSeek-V3 report, arXiv:2412.19437)"),
    };

    /// <summary>The shape named <paramref name="name"/> (case-insensitive), or an <see cref="InputException"/> naming <paramref name="field"/>.</summary>
    public static ModelShape Get(string name, string field = "--model") =>
        BuiltIn.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new InputException(field, name, "must be one of " + string.Join(", ", BuiltIn.Select(m => m.Name)));
}
