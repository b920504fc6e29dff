using System.Globalization;
using System.Text;
using ComputeEconomics.Inference;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Tests.Inference;

/// <summary>The fit's covariance and the Monte Carlo over uncertain serving inputs (ce inference --samples).</summary>
public class ServingUncertaintyTests
{
    private static readonly ModelShape Llama70 = ModelShapes.Get("llama-3.1-70b");

    private static IReadOnlyList<SampledGeneration> Generations(params string[] names) => names
        .Select(n => new SampledGeneration(n, Accelerators.Get(n), ServingCost.UsdPerGpuHour(BuiltInCatalog.Find(n)!.UnitCapex!.Value, BuiltInCatalog.Find(n)!.PowerKw!.Value, CostAssumptions.Default)))
        .ToList();

    private static double[,] Diagonal(int index, double variance)
    {
        var c = new double[6, 6];
        c[index, index] = variance;
        return c;
    }

    [Fact]
    public void FittedCovarianceIsTheGaussNewtonCovarianceOfTheFit()
    {
        var rows = InferenceData.Published().Where(r => !r.IsHeldOut).ToList();
        var computed = EfficiencyCovariance.Compute(rows, Efficiencies.Fitted);
        var shipped = EfficiencyCovariance.Fitted;
        var text = new StringBuilder();
        for (int i = 0; i < 6; i++)
            text.AppendLine("{ " + string.Join(", ", Enumerable.Range(0, 6).Select(j => computed[i, j].ToString("G4", CultureInfo.InvariantCulture))) + " },");
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 6; j++)
                Assert.True(Math.Abs(computed[i, j] - shipped[i, j]) <= 1e-3 * Math.Sqrt(computed[i, i] * computed[j, j]) + 1e-12,
                    $"covariance [{i},{j}]: computed {computed[i, j]}, shipped {shipped[i, j]}; computed matrix:\n{text}");
        for (int i = 0; i < 6; i++)
            Assert.True(shipped[i, i] > 0, $"variance of {EfficiencyCovariance.Names[i]} must be > 0");
    }

    [Fact]
    public void ZeroWidthDistributionsReproduceThePointAnswerExactly()
    {
        var gens = Generations("H100", "B200", "MI300X");
        var level = ServiceLevel.Reference;
        var intervals = ServingSampler.Run(Llama70, gens, level, InputDistributions.Fitted(0, 0), 64, 7);
        for (int g = 0; g < gens.Count; g++)
        {
            var point = ServingCatalog.Best(Llama70, gens[g].Accelerator, level)!;
            var i = intervals[g];
            foreach (double v in new[] { i.TokensPerSPerGpu.P5, i.TokensPerSPerGpu.P50, i.TokensPerSPerGpu.P95 })
                Assert.Equal(point.TokensPerSPerGpu, v);
            Assert.Equal(point.TokensPerSPerUser, i.TokensPerSPerUser.P50);
            Assert.Equal(ServingCost.UsdPerMtok(gens[g].UsdPerGpuHour, point.TokensPerSPerGpu), i.UsdPerMtok.P95);
            Assert.Equal(1.0, i.ShareMeetingFloor);
        }
    }

    [Fact]
    public void IntervalWidthShrinksWithNarrowerInputs()
    {
        var gens = Generations("H100", "B200");
        double Width(double scale, double shapeSd, int g)
        {
            var i = ServingSampler.Run(Llama70, gens, ServiceLevel.Reference, InputDistributions.Fitted(scale, shapeSd), 200, 11)[g];
            return Math.Log(i.TokensPerSPerGpu.P95 / i.TokensPerSPerGpu.P5);
        }
        for (int g = 0; g < gens.Count; g++)
        {
            double wide = Width(1.0, 0, g), narrow = Width(0.25, 0, g);
            Assert.True(wide > 0, $"{gens[g].Name}: the fit's intervals must have width (got {wide})");
            Assert.True(narrow < wide, $"{gens[g].Name}: efficiency scale 0.25 gives log width {narrow}, scale 1 {wide}");
            Assert.True(Width(0, 0.05, g) < Width(0, 0.2, g), $"{gens[g].Name}: shape sd 0.05 must give a narrower interval than 0.2");
        }
    }

    [Fact]
    public void QuantilesOfAMonotoneTransformAreTheTransformOfTheInputQuantiles()
    {
        // Only the HBM efficiency is uncertain (logit sd 0.3). Tokens/s per GPU at the floor is non-decreasing in it
        // (every candidate gets faster per GPU and per user), so with nearest-rank quantiles the P5/P50/P95 of tokens/s
        // are the tokens/s at the P5/P50/P95 of the sampled efficiency.
        var d = new InputDistributions(Diagonal(3, 0.09), 1, 0);
        var gens = Generations("H200");
        const int n = 199;
        const uint seed = 5;
        var chol = ServingSampler.Cholesky(d.Covariance);
        var bandwidths = Enumerable.Range(0, n).Select(i => ServingSampler.Draw(d, chol, Efficiencies.Fitted, Llama70, seed, i).Efficiencies.Bandwidth).ToList();
        var input = Interval.Of(bandwidths);
        double Tps(double bw) => ServingCatalog.Best(Llama70, gens[0].Accelerator, ServiceLevel.Reference, Efficiencies.Fitted with { Bandwidth = bw })!.TokensPerSPerGpu;
        var output = ServingSampler.Run(Llama70, gens, ServiceLevel.Reference, d, n, seed)[0].TokensPerSPerGpu;
        Assert.Equal(Tps(input.P5), output.P5);
        Assert.Equal(Tps(input.P50), output.P50);
        Assert.Equal(Tps(input.P95), output.P95);
        Assert.True(output.P95 > output.P5);
    }

    [Fact]
    public void SamplesDependOnlyOnSeedAndIndex()
    {
        var a = ServingSampler.Normals(42, 17);
        var b = ServingSampler.Normals(42, 17);
        var c = ServingSampler.Normals(43, 17);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        var gens = Generations("H100");
        var first = ServingSampler.Run(Llama70, gens, ServiceLevel.Reference, InputDistributions.Fitted(), 50, 3)[0];
        var again = ServingSampler.Run(Llama70, gens, ServiceLevel.Reference, InputDistributions.Fitted(), 50, 3)[0];
        Assert.Equal(first, again);
    }

    [Fact]
    public void NearestRankQuantilesOfOneToOneHundred()
    {
        // Nearest rank (Hyndman-Fan type 1): P5 of 1..100 is the 5th value, the median the 50th, P95 the 95th.
        var i = Interval.Of(Enumerable.Range(1, 100).Select(v => (double)v).Reverse());
        Assert.Equal(new Interval(5, 50, 95), i);
    }

    [Fact]
    public void CholeskyOfASemiDefiniteMatrixReproducesIt()
    {
        var c = new double[,] { { 4, 2, 0 }, { 2, 5, 0 }, { 0, 0, 0 } };
        var l = ServingSampler.Cholesky(c);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                Assert.Equal(c[i, j], Enumerable.Range(0, 3).Sum(k => l[i, k] * l[j, k]), 12);
    }
}
