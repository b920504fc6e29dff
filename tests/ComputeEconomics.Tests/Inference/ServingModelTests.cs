using ComputeEconomics.Inference;

namespace ComputeEconomics.Tests.Inference;

/// <summary>The serving model against closed forms: bytes / bandwidth, flops / throughput, ring all-reduce, memory fit.</summary>
public class ServingModelTests
{
    // A 1e9-parameter dense model: 10 layers, 8 heads of 64, 2 KV heads, width 512.
    private static readonly ModelShape Small = new("small", 1e9, 1e9, 10, 8, 2, 64, 512, 0, 0, 2 * 2 * 64, "test");

    // Peak efficiencies and no fixed time: the model reduces to the roofline itself.
    private static readonly Efficiencies Ideal = new(1, 1, 1, 1, 1, 0);

    private static Accelerator Chip(double hbmGb = 100, double tbps = 1, double fp16Tflops = 1000, double linkGBps = 100) =>
        new("chip", hbmGb, tbps, fp16Tflops, 0, 0, linkGBps, 8, 500);

    private static ServingSetup Setup(int tp, int batch, int input = 100, int output = 100) =>
        new(tp, 1, batch, input, output, Precision.Fp16, Precision.Fp16);

    [Fact]
    public void SingleSequenceDecodeIsBytesOverBandwidth()
    {
        var r = ServingModel.Evaluate(Small, Chip(), Setup(1, 1), Ideal);
        double kvPerToken = 10 * (2 * 2 * 64) * 2.0;            // layers x elements x 2 bytes = 5,120 B
        double context = 100 + 100 / 2.0;                        // mean context while decoding
        double step = 2e9 / 1e12 + context * kvPerToken / 1e12;  // weights + KV cache over 1 TB/s (flops are 1,000x smaller)
        Assert.Equal(step, r.StepS, 12);
        double prefill = (2e9 + 100 * kvPerToken) / 1e12;        // the prompt's pass reads the weights once: bandwidth bound too
        Assert.Equal(prefill, r.PrefillS, 12);
        Assert.Equal(prefill + step, r.TtftS, 12);
        Assert.Equal(100 / (100 * step + prefill), r.TokensPerSPerUser, 9);
        Assert.Equal(r.TokensPerSPerUser, r.TokensPerSPerGpu, 9);
        Assert.Equal("memory", r.Bound);
    }

    [Fact]
    public void LargeBatchDecodeIsFlopsOverThroughput()
    {
        // 1,000 TB/s makes every read free; 4,000 sequences at 2 x 1e9 flops a token on 1,000 TFLOPS.
        var r = ServingModel.Evaluate(Small, Chip(hbmGb: 10_000, tbps: 1000), Setup(1, 4000), Ideal);
        double context = 150;
        double flops = 4000 * (2 * 1e9 + 4.0 * 10 * 8 * 64 * context);
        double reads = (2e9 + 4000 * context * 5120) / 1e15;
        Assert.True(reads < flops / 1e15);
        Assert.Equal(flops / 1e15, r.StepS, 9);
        Assert.Equal("compute", r.Bound);
    }

    [Fact]
    public void TensorParallelAddsTwoRingAllReducesPerLayer()
    {
        // Free compute and memory: the step is the all-reduce alone. TP 4: each rank sends 2 x 3/4 of B x width x 2 bytes
        // per all-reduce, two per layer, over 100 GB/s.
        var chip = Chip(tbps: 1e6, fp16Tflops: 1e9);
        var r = ServingModel.Evaluate(Small, chip, Setup(4, 64), Ideal);
        double perAllReduce = 2.0 * 3 / 4 * 64 * 512 * 2 / 100e9;
        Assert.Equal(10 * 2 * perAllReduce, r.StepS, 1e-9);
        Assert.EndsWith("+link", r.Bound);
        var single = ServingModel.Evaluate(Small, chip, Setup(1, 64), Ideal);
        Assert.True(single.StepS < 1e-7);
    }

    [Fact]
    public void LayerOverheadAddsAFixedTimePerLayer()
    {
        var without = ServingModel.Evaluate(Small, Chip(), Setup(1, 1), Ideal);
        var with = ServingModel.Evaluate(Small, Chip(), Setup(1, 1), Ideal with { LayerOverheadS = 1e-5 });
        Assert.Equal(10 * 1e-5, with.StepS - without.StepS, 12);
    }

    [Fact]
    public void BatchIsBoundedByMemory()
    {
        // 0.9 x 10 GB usable - 2 GB of weights = 7 GB for KV at 5,120 B a token x (100 + 100) tokens a sequence.
        var chip = Chip(hbmGb: 10);
        int expected = (int)Math.Floor((0.9 * 10e9 - 2e9) / (5120.0 * 200));
        Assert.Equal(expected, ServingModel.MaxConcurrency(Small, chip, Setup(1, 1)));
        Assert.True(ServingModel.Evaluate(Small, chip, Setup(1, expected), Ideal).Fits);
        Assert.False(ServingModel.Evaluate(Small, chip, Setup(1, expected + 1), Ideal).Fits);
        // Weights larger than the memory: nothing fits.
        Assert.Equal(0, ServingModel.MaxConcurrency(Small, Chip(hbmGb: 2), Setup(1, 1)));
    }

    [Fact]
    public void MixtureOfExpertsReadsOnlyTheExpertsTokensAreRoutedTo()
    {
        // 8 experts, 2 chosen: total = shared + 8p, active = shared + 2p with p = 1e9, shared = 0.5e9.
        var moe = new ModelShape("moe", 8.5e9, 2.5e9, 10, 8, 2, 64, 512, 8, 2, 256, "test");
        Assert.Equal(1e9, moe.ParamsPerExpert, 3);
        Assert.Equal(0.5e9, moe.SharedParams, 3);
        Assert.Equal(2.5e9, moe.ParamsTouched(1), 3);                                  // one token: its 2 experts
        Assert.Equal(0.5e9 + 8 * (1 - Math.Pow(0.75, 3)) * 1e9, moe.ParamsTouched(3), 3); // 1 - (1 - k/E)^B of each expert
        Assert.Equal(8.5e9, moe.ParamsTouched(1000), 3);                               // large batches touch them all
    }

    [Fact]
    public void FrontierTradesInteractivityForThroughputAndBestAtHonoursTheFloor()
    {
        var shape = ModelShapes.Get("llama-3.1-70b");
        var acc = Accelerators.Get("H100");
        var candidates = ServingModel.Candidates(shape, acc, new Workload(1000, 1000, Precision.Fp8), 8);
        var frontier = ServingModel.Frontier(candidates);
        Assert.True(frontier.Count > 3);
        for (int i = 1; i < frontier.Count; i++)
        {
            Assert.True(frontier[i].TokensPerSPerUser < frontier[i - 1].TokensPerSPerUser);
            Assert.True(frontier[i].TokensPerSPerGpu > frontier[i - 1].TokensPerSPerGpu);
        }
        var at50 = ServingModel.BestAt(candidates, 50);
        Assert.NotNull(at50);
        Assert.True(at50.TokensPerSPerUser >= 50);
        Assert.True(candidates.Where(c => c.Fits && c.TokensPerSPerUser >= 50).All(c => c.TokensPerSPerGpu <= at50.TokensPerSPerGpu));
        // Faster than one decode step of the weights alone over all 8 GPUs' bandwidth is impossible: no setup.
        double ceiling = 8 * 3.35e12 / (shape.TotalParams * 1.0);
        Assert.Null(ServingModel.BestAt(candidates, ceiling));
    }

    [Fact]
    public void PrecisionFallsBackToWhatTheTensorCoresSupport()
    {
        Assert.Equal(Precision.Fp8, Accelerators.Get("H100").Supported(Precision.Fp4));
        Assert.Equal(Precision.Fp16, Accelerators.Get("A100").Supported(Precision.Fp8));
        Assert.Equal(Precision.Fp4, Accelerators.Get("B200").Supported(Precision.Fp4));
    }

    [Fact]
    public void BadInputNamesTheFieldTheValueAndTheRule()
    {
        var e = Assert.Throws<InputException>(() =>
            ServingModel.Evaluate(Small with { KvHeads = 16 }, Chip(tbps: -1), new ServingSetup(0, 1, 0, 10, 10, Precision.Fp16, Precision.Fp16)));
        Assert.Contains(e.Errors, x => x.Field == "model.kv_heads" && x.Value == "16" && x.Rule.Contains("<= heads"));
        Assert.Contains(e.Errors, x => x.Field == "accelerator.hbm_tbps" && x.Value == "-1");
        Assert.Contains(e.Errors, x => x.Field == "setup.tensor_parallel" && x.Value == "0" && x.Rule == "must be >= 1");
        Assert.Contains(e.Errors, x => x.Field == "setup.concurrency");
        var m = Assert.Throws<InputException>(() => ModelShapes.Get("gpt-9"));
        Assert.Equal("--model", m.Errors[0].Field);
        Assert.Contains("llama-3.1-405b", m.Errors[0].Rule);
    }
}
