namespace ComputeEconomics.Inference;

/// <summary>
/// A roofline model of LLM serving (docs/inference.md). Per replica of N = tensor x pipeline GPUs, with B sequences
/// in flight, prompt length I, output length O and mean context c = I + O/2:
/// <list type="bullet">
/// <item>decode step: matrix products max(weight bytes / (N x HBM bandwidth x eta_bw), 2 x active params x B / (N x peak
/// x eta_c)), then attention max(B x c x KV bytes per token / (N x bandwidth x eta_bw), 4 x layers x heads x head size
/// x c x B / (N x peak x eta_c)), then the all-reduces, then a fitted fixed time per layer (launches, synchronisation);
/// the weight bytes are those touched by B / stages tokens, read once per pipeline micro-batch;</item>
/// <item>all-reduce: 2 per layer of B x hidden x 2 bytes, ring factor 2 (TP - 1) / TP, over the link x eta_link / stages;</item>
/// <item>prefill of one prompt on the TP group: max(flops, bytes) likewise, flops = 2 x active x I + 2 x layers x
/// heads x head size x I^2 (causal), plus its all-reduces;</item>
/// <item>a request cycle: O decode steps plus B prefills (charged to the whole replica: prefill / stages), so
/// tokens/s per replica = B x O / (O x step + B x prefill / stages), per user = that / B, TTFT = prefill + step;</item>
/// <item>memory: weights + B x (I + O) x KV bytes per token within <see cref="UsableMemoryFraction"/> of HBM.</item>
/// </list>
/// </summary>
public static partial class ServingModel
{
    /// <summary>Share of HBM available to weights and KV cache (the rest: activations, runtime, fragmentation). An assumption.</summary>
    public const double UsableMemoryFraction = 0.90;

    /// <summary>Bytes per activation element exchanged between tensor-parallel ranks (BF16).</summary>
    public const double ActivationBytes = 2.0;

    /// <summary>Evaluates one setup. Throws <see cref="InputException"/> for an invalid shape, accelerator or setup.</summary>
    public static ServingResult Evaluate(ModelShape shape, Accelerator accelerator, ServingSetup setup, Efficiencies? efficiencies = null)
    {
        var errors = shape.Validate().Concat(accelerator.Validate()).Concat(setup.Validate()).ToList();
        var eff = efficiencies ?? Efficiencies.Fitted;
        if (!(eff.Compute > 0 && eff.ComputeFp4 > 0 && eff.ComputeAmd > 0 && eff.Bandwidth > 0 && eff.Interconnect > 0 && eff.LayerOverheadS >= 0))
            errors.Add(new ValidationError("efficiencies", eff.ToString(), "every fraction must be > 0 and the time per layer >= 0"));
        if (errors.Count > 0)
            throw new InputException(errors);
        return EvaluateValid(shape, accelerator, setup, eff);
    }

    /// <summary>Most sequences whose KV cache fits beside the weights in a replica of <paramref name="setup"/>.</summary>
    public static int MaxConcurrency(ModelShape shape, Accelerator accelerator, ServingSetup setup)
    {
        var w = accelerator.Supported(setup.WeightPrecision);
        double capacity = setup.Gpus * accelerator.HbmGb * 1e9 * UsableMemoryFraction;
        double free = capacity - shape.TotalParams * Precisions.Bytes(w);
        double perSequence = KvBytesPerToken(shape, setup.KvPrecision) * (setup.InputLen + setup.OutputLen);
        return free <= 0 ? 0 : (int)Math.Min(int.MaxValue / 2, Math.Floor(free / perSequence));
    }

    /// <summary>KV-cache bytes per token (all layers).</summary>
    public static double KvBytesPerToken(ModelShape shape, Precision kv) =>
        shape.Layers * shape.KvElementsPerTokenPerLayer * Precisions.Bytes(kv);

    internal static ServingResult EvaluateValid(ModelShape shape, Accelerator acc, ServingSetup setup, Efficiencies eff)
    {
        int maxConcurrency = MaxConcurrency(shape, acc, setup);
        var w = acc.Supported(setup.WeightPrecision);
        var (step, bound) = StepSeconds(shape, acc, setup, eff, w);
        double prefill = PrefillSeconds(shape, acc, setup, eff, w);
        double b = setup.Concurrency, o = setup.OutputLen;
        double cycle = o * step + b * prefill / setup.PipelineParallel;
        double perReplica = b * o / cycle;
        return new ServingResult(setup with { WeightPrecision = w }, setup.Concurrency <= maxConcurrency, maxConcurrency,
            perReplica / setup.Gpus, perReplica / b, prefill + step, step, prefill, bound);
    }

    private static (double Seconds, string Bound) StepSeconds(ModelShape shape, Accelerator acc, ServingSetup s, Efficiencies eff, Precision w)
    {
        double b = s.Concurrency, n = s.Gpus, pp = s.PipelineParallel;
        double context = s.InputLen + s.OutputLen / 2.0;
        double bandwidth = n * acc.HbmTBps * 1e12 * eff.Bandwidth, peak = n * acc.PeakFlops(w) * eff.ComputeAt(acc, w);
        // Matrix products: the weights touched (re-read by each of the pp micro-batches) against their flops.
        double gemmMemory = pp * shape.ParamsTouched(b / pp) * Precisions.Bytes(w) / bandwidth;
        double gemmCompute = b * 2.0 * shape.ActiveParams / peak;
        // Attention: the KV cache read against QK and AV flops, a separate kernel from the matrix products.
        double attentionMemory = b * context * KvBytesPerToken(shape, s.KvPrecision) / bandwidth;
        double attentionCompute = b * 4.0 * shape.Layers * shape.Heads * shape.HeadDim * context / peak;
        double link = AllReduceSeconds(shape, acc, s.TensorParallel, b, eff) / pp;
        double overhead = shape.Layers * eff.LayerOverheadS;
        double memory = gemmMemory + attentionMemory, compute = gemmCompute + attentionCompute;
        double step = Math.Max(gemmMemory, gemmCompute) + Math.Max(attentionMemory, attentionCompute) + link + overhead;
        string bound = (memory >= compute ? "memory" : "compute") + (link >= step / 3 ? "+link" : "");
        return (step, bound);
    }

    private static double PrefillSeconds(ModelShape shape, Accelerator acc, ServingSetup s, Efficiencies eff, Precision w)
    {
        double tp = s.TensorParallel, len = s.InputLen;
        double flops = 2.0 * shape.ActiveParams * len + 2.0 * shape.Layers * shape.Heads * shape.HeadDim * len * len;
        double bytes = shape.ParamsTouched(len) * Precisions.Bytes(w) + len * KvBytesPerToken(shape, s.KvPrecision);
        double compute = flops / (tp * acc.PeakFlops(w) * eff.ComputeAt(acc, w));
        double memory = bytes / (tp * acc.HbmTBps * 1e12 * eff.Bandwidth);
        return Math.Max(compute, memory) + AllReduceSeconds(shape, acc, s.TensorParallel, len, eff) + shape.Layers * eff.LayerOverheadS;
    }

    /// <summary>Two ring all-reduces per layer of <paramref name="tokens"/> x hidden activations across <paramref name="tp"/> ranks.</summary>
    private static double AllReduceSeconds(ModelShape shape, Accelerator acc, int tp, double tokens, Efficiencies eff)
    {
        if (tp <= 1)
            return 0;
        double perRank = 2.0 * (tp - 1) / tp * tokens * shape.Hidden * ActivationBytes;
        return shape.Layers * 2.0 * perRank / (acc.LinkGBps * 1e9 * eff.Interconnect);
    }
}
