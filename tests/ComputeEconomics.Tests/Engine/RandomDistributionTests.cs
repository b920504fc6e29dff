using ComputeEconomics.Kernels;
using ComputeEconomics.Kernels.Random;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Engine;

/// <summary>
/// Uniforms from Philox words and normals by the AS241 inverse CDF: moments within 4 standard errors of
/// the exact values, and quantiles at known points.
/// </summary>
public class RandomDistributionTests
{
    private const int Blocks = 250_000; // 1,000,000 words

    /// <summary>Uniforms from the project's stream layout: 4 per block, paths 0..Blocks-1, one month.</summary>
    private static double[] Uniforms()
    {
        var u = new double[Blocks * 4];
        for (int p = 0; p < Blocks; p++)
        {
            UInt4 b = Philox4x32.Block(seed: 12345, path: p, month: 1, slot: 0, stream: Streams.Market);
            u[p * 4] = Philox4x32.ToUniform(b.X);
            u[p * 4 + 1] = Philox4x32.ToUniform(b.Y);
            u[p * 4 + 2] = Philox4x32.ToUniform(b.Z);
            u[p * 4 + 3] = Philox4x32.ToUniform(b.W);
        }
        return u;
    }

    [Fact]
    public void UniformsHaveMeanHalfAndVarianceOneTwelfth()
    {
        double[] u = Uniforms();
        int n = u.Length;
        // U(0,1): mean 1/2, variance 1/12; Var((U-1/2)^2) = E(U-1/2)^4 - (1/12)^2 = 1/80 - 1/144.
        SampleStats.AssertWithinStdErrors(0.5, SampleStats.Mean(u), Math.Sqrt(1.0 / 12.0 / n), 4, "uniform mean");
        SampleStats.AssertWithinStdErrors(1.0 / 12.0, SampleStats.Variance(u), Math.Sqrt((1.0 / 80.0 - 1.0 / 144.0) / n), 4, "uniform variance");
    }

    [Fact]
    public void UniformsLieInTheOpenUnitInterval()
    {
        double[] u = Uniforms();
        int bad = Array.FindIndex(u, x => !(x > 0.0 && x < 1.0));
        Assert.True(bad < 0, bad < 0 ? "" : $"uniform {bad} = {u[bad]:R} is not in (0,1)");
        Assert.True(u.Min() < 1e-5 && u.Max() > 1 - 1e-5, "a million uniforms should come close to both ends");
    }

    [Fact]
    public void UniformOfExtremeWordsStaysInsideTheOpenInterval()
    {
        // (x + 0.5) / 2^32 exactly, for the smallest and largest 32-bit words.
        Assert.Equal(0.5 / 4294967296.0, Philox4x32.ToUniform(0u));
        Assert.Equal((4294967295.0 + 0.5) / 4294967296.0, Philox4x32.ToUniform(uint.MaxValue));
        Assert.True(Philox4x32.ToUniform(uint.MaxValue) < 1.0);
        Assert.True(Normal.InvCdf<DoubleMath>(Philox4x32.ToUniform(0u)) is > -7 and < -6);
        Assert.True(double.IsFinite(Normal.InvCdf<DoubleMath>(Philox4x32.ToUniform(uint.MaxValue))));
    }

    [Fact]
    public void NormalsHaveStandardMoments()
    {
        double[] z = Uniforms().Select(Normal.InvCdf<DoubleMath>).ToArray();
        int n = z.Length;
        var (m2, m3, m4) = SampleStats.CentralMoments(z);
        // N(0,1): mean 0 (s.e. 1/sqrt n), variance 1 (s.e. sqrt(2/n)), skewness 0 (s.e. sqrt(6/n)),
        // kurtosis 3 (s.e. sqrt(24/n)): large-sample standard errors of the moment estimators.
        SampleStats.AssertWithinStdErrors(0.0, SampleStats.Mean(z), Math.Sqrt(1.0 / n), 4, "normal mean");
        SampleStats.AssertWithinStdErrors(1.0, SampleStats.Variance(z), Math.Sqrt(2.0 / n), 4, "normal variance");
        SampleStats.AssertWithinStdErrors(0.0, m3 / Math.Pow(m2, 1.5), Math.Sqrt(6.0 / n), 4, "normal skewness");
        SampleStats.AssertWithinStdErrors(3.0, m4 / (m2 * m2), Math.Sqrt(24.0 / n), 4, "normal kurtosis");
    }

    /// <summary>
    /// Standard normal quantiles. 0.975 -> 1.959963984540054 and 0.025 -> its negative: the 97.5% point
    /// of the standard normal tables (Abramowitz and Stegun, Table 26.5), to 16 digits as printed by R's
    /// qnorm, which implements Wichura's AS241. 1e-10 -> -6.361340902404056: qnorm(1e-10), Wichura (1988)
    /// AS241 accuracy 1e-16. Phi(1) = (1 + erf(1/sqrt 2))/2 = 0.8413447460685429 (A&amp;S Table 26.1), so
    /// its quantile is 1. Phi^-1(1/2) = 0 by symmetry.
    /// </summary>
    [Theory]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.025, -1.959963984540054)]
    [InlineData(1e-10, -6.361340902404056)]
    [InlineData(0.8413447460685429, 1.0)]
    public void InvCdfMatchesPublishedQuantiles(double p, double expected)
    {
        SampleStats.AssertRelative(expected, Normal.InvCdf<DoubleMath>(p), 1e-12, $"Phi^-1({p:R})");
    }

    [Fact]
    public void InvCdfOfOneHalfIsZero()
    {
        Assert.Equal(0.0, Normal.InvCdf<DoubleMath>(0.5));
    }

    /// <summary>
    /// Far tail (the third AS241 branch, p &lt; exp(-25)): Phi(Phi^-1(p)) must give p back, Phi from an
    /// independent implementation, Phi(x) = erfc(-x/sqrt 2)/2 (MathNet.Numerics SpecialFunctions.Erfc).
    /// A relative error of d in the quantile x gives about |x|^2 d in p, so 1e-11 in p is ~1e-13 in x.
    /// </summary>
    [Theory]
    [InlineData(1e-12)]
    [InlineData(1e-20)]
    [InlineData(1e-100)]
    [InlineData(1e-300)]
    public void InvCdfRoundTripsThroughAnIndependentCdfInTheFarTail(double p)
    {
        double x = Normal.InvCdf<DoubleMath>(p);
        double back = 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-x / Math.Sqrt(2.0));
        SampleStats.AssertRelative(p, back, 1e-11 * Math.Max(1.0, x * x / 50.0), $"Phi(Phi^-1({p:R})) with x = {x:R}");
    }

    [Fact]
    public void InvCdfIsAntisymmetricForMirroredUniforms()
    {
        // Antithetic sampling mirrors u -> 1-u; for u = (x+0.5)/2^32, 1-u is exact and the normals must be exact negatives.
        for (uint w = 0; w < 4000; w++)
        {
            uint x = w * 1073741u;
            double u = Philox4x32.ToUniform(x);
            Assert.Equal(-Normal.InvCdf<DoubleMath>(u), Normal.InvCdf<DoubleMath>(1.0 - u));
        }
    }
}
