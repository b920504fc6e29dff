namespace ComputeEconomics.Inference;

/// <summary>
/// How one model replica is served: its parallelism, how many sequences it decodes at once and the workload.
/// A replica spans <see cref="Gpus"/> = tensor x pipeline GPUs; for a mixture of experts the tensor-parallel ranks
/// also hold the experts (expert parallelism of the same width).
/// </summary>
/// <param name="TensorParallel">GPUs sharing every layer (all-reduce twice per layer over the scale-up link).</param>
/// <param name="PipelineParallel">Stages of consecutive layers; micro-batches of Concurrency / stages.</param>
/// <param name="Concurrency">Sequences decoded together by the replica (the batch).</param>
/// <param name="InputLen">Prompt tokens per request.</param>
/// <param name="OutputLen">Generated tokens per request.</param>
/// <param name="WeightPrecision">Format of the weights and of the matrix products.</param>
/// <param name="KvPrecision">Format of the KV cache.</param>
public sealed record ServingSetup(
    int TensorParallel, int PipelineParallel, int Concurrency, int InputLen, int OutputLen,
    Precision WeightPrecision, Precision KvPrecision)
{
    /// <summary>GPUs per replica.</summary>
    public int Gpus => TensorParallel * PipelineParallel;

    /// <summary>Every broken rule, with the field named under <paramref name="prefix"/>.</summary>
    public IReadOnlyList<ValidationError> Validate(string prefix = "setup")
    {
        var errors = new List<ValidationError>();
        void AtLeast(string field, int value, int min)
        {
            if (value < min)
                errors.Add(new ValidationError($"{prefix}.{field}", value.ToString(System.Globalization.CultureInfo.InvariantCulture), $"must be >= {min}"));
        }
        AtLeast("tensor_parallel", TensorParallel, 1);
        AtLeast("pipeline_parallel", PipelineParallel, 1);
        AtLeast("concurrency", Concurrency, 1);
        AtLeast("input_len", InputLen, 1);
        AtLeast("output_len", OutputLen, 1);
        return errors;
    }
}

/// <summary>
/// Achieved fractions of peak, fitted to published results (<see cref="Calibration"/>): of dense tensor throughput
/// (FP16/FP8 and FP4 separately), of HBM bandwidth and of the scale-up link, and a fixed time per layer and step.
/// </summary>
/// <param name="Compute">Fraction of dense FP16/FP8 peak achieved on NVIDIA accelerators (TensorRT-LLM).</param>
/// <param name="ComputeFp4">Fraction of dense FP4 peak (NVIDIA Blackwell).</param>
/// <param name="ComputeAmd">Fraction of dense FP16/FP8 peak achieved on AMD accelerators (ROCm serving stacks).</param>
/// <param name="Bandwidth">Fraction of HBM bandwidth achieved.</param>
/// <param name="Interconnect">Fraction of the scale-up link bandwidth achieved by all-reduces.</param>
/// <param name="LayerOverheadS">Fixed time per layer and forward step (kernel launches, synchronisation), s.</param>
public sealed record Efficiencies(double Compute, double ComputeFp4, double ComputeAmd, double Bandwidth, double Interconnect, double LayerOverheadS)
{
    /// <summary>
    /// The values fitted by <see cref="Calibration.Fit"/> on the fitting rows of data/inference/published.csv
    /// (docs/inference.md; a test refits and checks these digits).
    /// </summary>
    public static Efficiencies Fitted { get; } = new(0.6813, 0.4459, 0.3366, 0.4787, 0.3891, 52.41e-6);

    /// <summary>Fraction of peak for matrix products at <paramref name="p"/> on <paramref name="accelerator"/>.</summary>
    public double ComputeAt(Accelerator accelerator, Precision p) =>
        accelerator.IsAmd ? ComputeAmd : p == Precision.Fp4 ? ComputeFp4 : Compute;
}

/// <summary>
/// What one setup achieves. Throughputs count output tokens; a replica's prefill work is charged to the same GPUs.
/// </summary>
/// <param name="Setup">The setup evaluated (precision as run).</param>
/// <param name="Fits">False when the weights and the KV cache of <c>Concurrency</c> sequences exceed usable memory.</param>
/// <param name="MaxConcurrency">Most sequences whose KV cache fits beside the weights (0 when the weights alone do not fit).</param>
/// <param name="TokensPerSPerGpu">Output tokens per second per GPU.</param>
/// <param name="TokensPerSPerUser">Output tokens per second seen by one sequence (1 / time per output token).</param>
/// <param name="TtftS">Time to first token: the prompt's prefill plus one decode step, s (no queueing).</param>
/// <param name="StepS">One decode step of the whole batch, s.</param>
/// <param name="PrefillS">Prefill of one prompt, s.</param>
/// <param name="Bound">What limits the decode step: memory, compute (and + link when communication is a third or more).</param>
public sealed record ServingResult(
    ServingSetup Setup, bool Fits, int MaxConcurrency, double TokensPerSPerGpu, double TokensPerSPerUser, double TtftS,
    double StepS, double PrefillS, string Bound);
