namespace ComputeEconomics.Inference;

/// <summary>A serving workload: prompt and output lengths and the precision asked for.</summary>
/// <param name="InputLen">Prompt tokens per request, >= 1.</param>
/// <param name="OutputLen">Generated tokens per request, >= 1.</param>
/// <param name="Precision">Weight and matrix-product precision asked for (each accelerator runs the nearest it supports).</param>
public sealed record Workload(int InputLen, int OutputLen, Precision Precision);

public static partial class ServingModel
{
    /// <summary>Ratio between successive concurrencies tried (geometric grid from 1 to the memory limit).</summary>
    private const double ConcurrencyStep = 1.2;

    /// <summary>
    /// Every setup that fits: tensor parallelism a power of two up to the scale-up domain; pipeline stages (2, 4, 8) only
    /// when no tensor-parallel replica holds the model; replicas of at most <paramref name="maxGpus"/> GPUs that divide it, and concurrencies from 1 to the memory limit on
    /// a geometric grid. KV cache in FP8 where the accelerator has FP8, else FP16.
    /// </summary>
    public static IReadOnlyList<ServingResult> Candidates(ModelShape shape, Accelerator accelerator, Workload workload,
        int maxGpus, Efficiencies? efficiencies = null)
    {
        var errors = shape.Validate().Concat(accelerator.Validate()).ToList();
        if (workload.InputLen < 1)
            errors.Add(new ValidationError("input_len", workload.InputLen.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be >= 1"));
        if (workload.OutputLen < 1)
            errors.Add(new ValidationError("output_len", workload.OutputLen.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be >= 1"));
        if (maxGpus < 1)
            errors.Add(new ValidationError("max_gpus", maxGpus.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be >= 1"));
        if (errors.Count > 0)
            throw new InputException(errors);
        var eff = efficiencies ?? Efficiencies.Fitted;
        var weights = accelerator.Supported(workload.Precision);
        var kv = accelerator.Fp8Tflops > 0 ? Precision.Fp8 : Precision.Fp16;
        var results = new List<ServingResult>();
        // Pipeline stages only when no tensor-parallel replica inside one scale-up domain holds the model.
        for (int pp = 1; pp <= 8 && (pp == 1 || results.Count == 0); pp *= 2)
        {
            for (int tp = 1; tp <= Math.Min(accelerator.DomainSize, maxGpus) && tp * pp <= maxGpus; tp *= 2)
            {
                if (maxGpus % (tp * pp) != 0)
                    continue;
                var setup = new ServingSetup(tp, pp, 1, workload.InputLen, workload.OutputLen, weights, kv);
                int limit = MaxConcurrency(shape, accelerator, setup);
                foreach (int b in ConcurrencyGrid(limit))
                    results.Add(EvaluateValid(shape, accelerator, setup with { Concurrency = b }, eff));
            }
        }
        return results;
    }

    /// <summary>
    /// The frontier of throughput against interactivity: the candidates no other beats on both tokens/s per GPU and
    /// tokens/s per user, ordered from the most interactive to the highest throughput.
    /// </summary>
    public static IReadOnlyList<ServingResult> Frontier(IEnumerable<ServingResult> candidates)
    {
        var frontier = new List<ServingResult>();
        double best = double.NegativeInfinity;
        foreach (var r in candidates.Where(c => c.Fits)
                     .OrderByDescending(c => c.TokensPerSPerUser).ThenByDescending(c => c.TokensPerSPerGpu))
        {
            if (r.TokensPerSPerGpu > best)
            {
                frontier.Add(r);
                best = r.TokensPerSPerGpu;
            }
        }
        return frontier;
    }

    /// <summary>
    /// The candidate with the most tokens/s per GPU that gives each user at least <paramref name="minUserTokensPerS"/>
    /// and a first token within <paramref name="maxTtftS"/>; null when none does.
    /// </summary>
    public static ServingResult? BestAt(IEnumerable<ServingResult> candidates, double minUserTokensPerS, double maxTtftS = double.PositiveInfinity)
    {
        ServingResult? best = null;
        foreach (var r in candidates)
        {
            if (r.Fits && r.TokensPerSPerUser >= minUserTokensPerS && r.TtftS <= maxTtftS
                && (best is null || r.TokensPerSPerGpu > best.TokensPerSPerGpu))
                best = r;
        }
        return best;
    }

    /// <summary>1, 2, ... then a geometric grid of ratio <see cref="ConcurrencyStep"/>, ending at <paramref name="limit"/>.</summary>
    internal static IEnumerable<int> ConcurrencyGrid(int limit)
    {
        int last = 0;
        for (double b = 1; b < limit; b = Math.Max(b * ConcurrencyStep, b + 1))
        {
            last = (int)Math.Round(b);
            yield return last;
        }
        if (limit >= 1 && limit != last)
            yield return limit;
    }
}
