using ComputeEconomics.Kernels;
using ComputeEconomics.Kernels.Random;

namespace ComputeEconomics.Tests.Kernels;

/// <summary>
/// The kernels' Binomial(n, h) sampler (Random/Binomial.cs) against the binomial distribution's closed forms:
/// pmf(k) = C(n, k) h^k (1-h)^(n-k), mean n h, variance n h (1-h). Statistical checks are sized by their standard error.
/// </summary>
public class BinomialTests
{
    private static double Pmf(int n, double h, int k)
    {
        double c = 1;
        for (int i = 1; i <= k; i++) c = c * (n - k + i) / i;
        return c * Math.Pow(h, k) * Math.Pow(1 - h, n - k);
    }

    private static double Cdf(int n, double h, int k)
    {
        double sum = 0;
        for (int j = 0; j <= k; j++) sum += Pmf(n, h, j);
        return sum;
    }

    /// <summary>The 32-bit word whose uniform (x + 0.5) / 2^32 is nearest to <paramref name="u"/>.</summary>
    private static uint WordFor(double u) => (uint)Math.Floor(u * 4294967296.0);

    [Theory]
    [InlineData(10, 0.3)]
    [InlineData(25, 0.05)]
    [InlineData(1, 0.5)]
    public void ExactInversionReturnsEachKForAUniformInsideItsCdfStep(int n, double h)
    {
        // Inversion: the draw is k exactly when cdf(k-1) < u <= cdf(k). Take u at the middle of each step.
        for (int k = 0; k <= n; k++)
        {
            double p = Pmf(n, h, k);
            if (p < 1e-7) continue;   // a step narrower than the 32-bit grid of uniforms allows
            double u = (k == 0 ? 0 : Cdf(n, h, k - 1)) + 0.5 * p;
            double draw = Binomial.Sample<DoubleMath>(n, h, Math.Log(1 - h), 1e9, WordFor(u));
            Assert.Equal(k, draw);
        }
    }

    [Fact]
    public void ExactBranchFrequenciesMatchThePmf()
    {
        const int n = 12, draws = 100_000;
        const double h = 0.2;
        var counts = new int[n + 1];
        for (int i = 0; i < draws; i++)
        {
            var block = Philox4x32.Block(3u, i, 1u, 0u, Streams.Failures);
            counts[(int)Binomial.Sample<DoubleMath>(n, h, Math.Log(1 - h), 20, block.Y)]++;
        }
        for (int k = 0; k <= n; k++)
        {
            double p = Pmf(n, h, k), f = (double)counts[k] / draws;
            double se = Math.Sqrt(p * (1 - p) / draws);
            Assert.True(Math.Abs(f - p) <= 5 * se + 1e-9, $"k = {k}: frequency {f} vs pmf {p} (5 s.e. = {5 * se})");
        }
    }

    [Theory]
    [InlineData(20_000, 0.05, 20)]   // n h = 1000: the normal approximation
    [InlineData(400, 0.1, 20)]       // n h = 40
    public void NormalApproximationHasTheBinomialMeanAndVariance(double n, double h, double limit)
    {
        const int draws = 200_000;
        double sum = 0, sum2 = 0;
        for (int i = 0; i < draws; i++)
        {
            var block = Philox4x32.Block(5u, i, 2u, 3u, Streams.Failures);
            double x = Binomial.Sample<DoubleMath>(n, h, Math.Log(1 - h), limit, block.W);
            Assert.True(x >= 0 && x <= n && x == Math.Floor(x), $"draw {x}");
            sum += x; sum2 += x * x;
        }
        double mean = sum / draws, variance = (sum2 - draws * mean * mean) / (draws - 1);
        double mu = n * h, sigma2 = n * h * (1 - h);
        // Rounding a normal to integers adds 1/12 to its variance (Sheppard's correction); the sample variance of a
        // near-normal variable has standard error sigma^2 sqrt(2 / (N - 1)).
        Assert.True(Math.Abs(mean - mu) <= 4 * Math.Sqrt(sigma2 / draws), $"mean {mean} vs {mu}");
        Assert.True(Math.Abs(variance - sigma2 - 1.0 / 12) <= 4 * sigma2 * Math.Sqrt(2.0 / (draws - 1)), $"variance {variance} vs {sigma2}");
    }

    [Fact]
    public void NormalApproximationIsClampedToZeroAndN()
    {
        // n h = 1 above an exact limit of 0.5: the lowest uniform gives z = -6.2, a draw of -5 before the clamp.
        Assert.Equal(0.0, Binomial.Sample<DoubleMath>(1000, 0.001, Math.Log(0.999), 0.5, 0u));
        // n h = 27, sd 1.64: the highest uniform gives z = +6.2, 37 before the clamp to n = 30.
        Assert.Equal(30.0, Binomial.Sample<DoubleMath>(30, 0.9, Math.Log(0.1), 1, uint.MaxValue));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(2_147_483_648u)]
    [InlineData(uint.MaxValue)]
    public void EdgesGiveTheirCertainOutcomes(uint word)
    {
        Assert.Equal(0.0, Binomial.Sample<DoubleMath>(0, 0.3, Math.Log(0.7), 20, word));             // n = 0
        Assert.Equal(0.0, Binomial.Sample<DoubleMath>(50, 0.0, 0.0, 20, word));                      // h = 0
        Assert.Equal(50.0, Binomial.Sample<DoubleMath>(50, 1.0, double.NegativeInfinity, 1e9, word)); // h = 1, exact branch
        Assert.Equal(50.0, Binomial.Sample<DoubleMath>(50, 1.0, double.NegativeInfinity, 1, word));   // h = 1, normal branch
        Binomial.ModeCache<DoubleMath>(50, 1.0, double.NegativeInfinity, out double mode, out double pmf, out double cdf);
        Assert.Equal(50.0, Binomial.FromMode(50, double.PositiveInfinity, mode, pmf, cdf, Philox4x32.ToUniform(word)));
    }

    [Theory]
    [InlineData(50, 0.1)]     // mode floor(5.1) = 5
    [InlineData(2000, 0.0076)] // mode floor(15.2076) = 15
    [InlineData(40, 0.02)]    // mode 0
    public void ModeCacheHoldsTheModeItsPmfAndItsCdf(int n, double h)
    {
        Binomial.ModeCache<DoubleMath>(n, h, Math.Log(1 - h), out double mode, out double pmf, out double cdf);
        int m = (int)Math.Floor((n + 1) * h);
        Assert.Equal(m, mode);
        Assert.Equal(Pmf(n, h, m), pmf, 1e-12 * Pmf(n, h, m) + 1e-300);
        Assert.Equal(Cdf(n, h, m), cdf, 1e-12);
    }

    [Theory]
    [InlineData(50, 0.1)]
    [InlineData(300, 0.05)]
    public void InversionFromTheModeIsTheSmallestKWithCdfAtLeastU(int n, double h)
    {
        Binomial.ModeCache<DoubleMath>(n, h, Math.Log(1 - h), out double mode, out double pmf, out double cdf);
        var cdfs = new double[n + 1];
        for (int k = 0; k <= n; k++) cdfs[k] = Cdf(n, h, k);
        for (int i = 0; i < 2000; i++)
        {
            double u = (i + 0.5) / 2000;
            int expected = Array.FindIndex(cdfs, c => c >= u);
            if (expected > 0 && Math.Abs(cdfs[expected - 1] - u) < 1e-12 || Math.Abs(cdfs[expected] - u) < 1e-12) continue;
            Assert.Equal(expected, Binomial.FromMode(n, h / (1 - h), mode, pmf, cdf, u));
        }
    }
}
