using ComputeEconomics.Statistics;
using MathNet.Numerics.Statistics;

namespace ComputeEconomics.Tests.Statistics;

public class QuantilesTests
{
    private static double[] OneToN(int n) => Enumerable.Range(1, n).Select(i => (double)i).ToArray();

    private static double[] Shuffled(double[] x, int seed)
    {
        double[] y = (double[])x.Clone();
        new Random(seed).Shuffle(y);
        return y;
    }

    [Fact]
    public void NumpyPercentileDocExample()
    {
        // numpy.percentile docs: a = [[10, 7, 4], [3, 2, 1]];
        // np.percentile(a, 50) -> 3.5; axis=0 -> [6.5, 4.5, 2.5]; axis=1 -> [7., 2.].
        double[] flat = [10, 7, 4, 3, 2, 1];
        Assert.Equal(3.5, Quantiles.Compute(flat, [0.5])[0]);

        Assert.Equal(6.5, Quantiles.Compute([10, 3], [0.5])[0]);
        Assert.Equal(4.5, Quantiles.Compute([7, 2], [0.5])[0]);
        Assert.Equal(2.5, Quantiles.Compute([4, 1], [0.5])[0]);

        Assert.Equal(7.0, Quantiles.Compute([10, 7, 4], [0.5])[0]);
        Assert.Equal(2.0, Quantiles.Compute([3, 2, 1], [0.5])[0]);
    }

    [Fact]
    public void NumpyNanPercentileDocExample()
    {
        // numpy.nanpercentile docs: a = [[10., nan, 4.], [3., 2., 1.]];
        // np.nanpercentile(a, 50) -> 3.0; axis=0 -> [6.5, 2., 2.5]; axis=1 -> [7., 2.].
        double[] flat = [10, double.NaN, 4, 3, 2, 1];
        Assert.Equal(3.0, Quantiles.Compute(flat, [0.5])[0]);

        Assert.Equal(6.5, Quantiles.Compute([10, 3], [0.5])[0]);
        Assert.Equal(2.0, Quantiles.Compute([double.NaN, 2], [0.5])[0]);
        Assert.Equal(2.5, Quantiles.Compute([4, 1], [0.5])[0]);
        Assert.Equal(7.0, Quantiles.Compute([10, double.NaN, 4], [0.5])[0]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(1001)]
    public void OneToN_Type7IsOnePlusNMinusOneTimesP(int n)
    {
        double[] ps = [0.0, 0.01, 0.05, 0.1, 0.25, 1.0 / 3.0, 0.5, 0.6, 0.75, 0.9, 0.95, 0.99, 1.0];
        double[] q = Quantiles.Compute(Shuffled(OneToN(n), seed: n), ps);
        for (int i = 0; i < ps.Length; i++)
        {
            double expected = 1.0 + (n - 1) * ps[i];
            Assert.True(
                Math.Abs(q[i] - expected) <= 1e-12 * expected,
                $"n={n} p={ps[i]}: expected {expected:R}, got {q[i]:R}");
        }
    }

    [Fact]
    public void Standard_IsTheReportedProbabilities()
    {
        Assert.Equal(new[] { 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99 }, Quantiles.Standard.ToArray());
    }

    [Fact]
    public void InterpolatesLinearlyBetweenOrderStatistics()
    {
        // Two points 0 and 10: h = p, Q(p) = 10p.
        Assert.Equal(new[] { 0.0, 2.5, 5.0, 7.5, 10.0 }, Quantiles.Compute([10, 0], [0, 0.25, 0.5, 0.75, 1]));
    }

    [Fact]
    public void AgreesWithMathNetR7()
    {
        // MathNet.Numerics QuantileDefinition.R7 is the same (Hyndman-Fan type 7) definition.
        var rng = new Random(2024);
        double[] x = Enumerable.Range(0, 9_999).Select(_ => rng.NextDouble() * 200 - 100).ToArray();
        double[] ps = [0.0, 0.001, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 0.999, 1.0];
        double[] ours = Quantiles.Compute(x, ps);
        for (int i = 0; i < ps.Length; i++)
        {
            double reference = x.QuantileCustom(ps[i], QuantileDefinition.R7);
            Assert.True(Math.Abs(ours[i] - reference) <= 1e-12 * Math.Max(1, Math.Abs(reference)),
                $"p={ps[i]}: ours {ours[i]:R}, MathNet {reference:R}");
        }
    }

    [Fact]
    public void UniformSample_MedianAndTailsWithinFourStandardErrors()
    {
        // U(0,1): Q(p) = p and density f = 1, so the s.e. of the sample quantile is sqrt(p(1-p)/n).
        const int n = 200_000;
        var rng = new Random(12345);
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = rng.NextDouble();
        }

        double[] ps = [0.05, 0.5, 0.95];
        double[] q = Quantiles.Compute(x, ps);
        for (int i = 0; i < ps.Length; i++)
        {
            double se = Math.Sqrt(ps[i] * (1 - ps[i]) / n);
            Assert.InRange(q[i], ps[i] - 4 * se, ps[i] + 4 * se);
        }
    }

    [Fact]
    public void EmptyOrAllNaN_GivesNaN()
    {
        foreach (double[] x in new[] { Array.Empty<double>(), new[] { double.NaN, double.NaN } })
        {
            double[] q = Quantiles.Compute(x, Quantiles.Standard);
            Assert.Equal(7, q.Length);
            Assert.All(q, v => Assert.True(double.IsNaN(v)));
        }

        Assert.Empty(Quantiles.Compute([1, 2, 3], []));
    }

    [Fact]
    public void SingleValue_IsEveryQuantile()
    {
        Assert.All(Quantiles.Compute([double.NaN, 42.0], Quantiles.Standard), v => Assert.Equal(42.0, v));
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void InvalidProbability_Throws(double p)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantiles.Compute([1, 2, 3], [0.5, p]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantiles.FromSorted([1, 2, 3], p));
    }

    [Fact]
    public void ScratchOverload_LeavesInputAndMatchesAllocatingOverload()
    {
        double[] x = [5, double.NaN, 1, 4, 2, 3];
        double[] copy = (double[])x.Clone();
        var scratch = new double[10];
        var dest = new double[7];

        int n = Quantiles.Compute(x, Quantiles.Standard, scratch, dest);

        Assert.Equal(5, n);
        Assert.Equal(copy, x);
        Assert.Equal(Quantiles.Compute(x, Quantiles.Standard), dest);
        Assert.Equal(new[] { 1.0, 2.0, 3.0, 4.0, 5.0 }, scratch[..5]);

        Assert.Throws<ArgumentException>(() => Quantiles.Compute(x, Quantiles.Standard, new double[5], dest));
        Assert.Throws<ArgumentException>(() => Quantiles.Compute(x, Quantiles.Standard, scratch, new double[6]));
    }

    [Fact]
    public void InPlaceOverload_SortsPresentValuesToTheFront()
    {
        double[] x = [double.NaN, 3, 1, double.NaN, 2];
        var dest = new double[1];
        int n = Quantiles.ComputeInPlace(x, [0.5], dest);
        Assert.Equal(3, n);
        Assert.Equal(2.0, dest[0]);
        Assert.Equal(new[] { 1.0, 2.0, 3.0 }, x[..3]);
        Assert.True(double.IsNaN(x[3]) && double.IsNaN(x[4]));
    }

    [Fact]
    public void InfiniteValues_AreOrderedNotNaN()
    {
        // Type 7 on [-inf, 1, 2, +inf]: h = 3p; p=0 -> -inf, p=1/3 -> 1, p=2/3 -> 2, p=1 -> +inf.
        double[] q = Quantiles.Compute([double.PositiveInfinity, 1, double.NegativeInfinity, 2], [0, 1.0 / 3, 2.0 / 3, 1]);
        Assert.Equal(double.NegativeInfinity, q[0]);
        Assert.Equal(1.0, q[1], 12);
        Assert.Equal(2.0, q[2], 12);
        Assert.Equal(double.PositiveInfinity, q[3]);
    }

    [Fact]
    public void Cvar_OneToHundred_MatchesClosedForm()
    {
        double[] x = OneToN(100);
        // Worst ceil(0.05*100) = 5 values 1..5 -> mean 3.
        Assert.Equal(3.0, Quantiles.Cvar(x));
        Assert.Equal(3.0, Quantiles.Cvar(x, 0.05));
        // ceil(0.07*100) = 7 (not 8 from 7.000000000000001) -> mean of 1..7 = 4.
        Assert.Equal(4.0, Quantiles.Cvar(x, 0.07));
        // ceil(0.1*100) = 10 -> 5.5; ceil(0.005*100) = 1 -> 1; alpha = 1 -> mean of all = 50.5.
        Assert.Equal(5.5, Quantiles.Cvar(x, 0.1));
        Assert.Equal(1.0, Quantiles.Cvar(x, 0.005));
        Assert.Equal(50.5, Quantiles.Cvar(x, 1.0));
    }

    [Fact]
    public void Cvar_PartialObservationRoundsUp()
    {
        // N = 10, alpha = 0.05: ceil(0.5) = 1 -> worst value only. alpha = 0.15: ceil(1.5) = 2 -> (1+2)/2.
        double[] x = OneToN(10);
        Assert.Equal(1.0, Quantiles.Cvar(x, 0.05));
        Assert.Equal(1.5, Quantiles.Cvar(x, 0.15));
    }

    [Fact]
    public void Cvar_EmptyIsNaN_AndAlphaValidated()
    {
        Assert.True(double.IsNaN(Quantiles.Cvar([])));
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantiles.Cvar([1.0], 0.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantiles.Cvar([1.0], -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantiles.Cvar([1.0], 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantiles.Cvar([1.0], double.NaN));
    }

    [Fact]
    public void TailCount_ToleratesBinaryRounding()
    {
        Assert.Equal(7.000000000000001, 0.07 * 100); // the case the tolerance exists for
        Assert.Equal(7, Quantiles.TailCount(100, 0.07));
        Assert.Equal(1, Quantiles.TailCount(1, 0.05));
        Assert.Equal(500_000, Quantiles.TailCount(10_000_000, 0.05));
        Assert.Equal(3, Quantiles.TailCount(41, 0.05)); // ceil(2.05)
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(1000, 2)]
    [InlineData(100_000, 3)]
    public void RadixSortOrdersLikeTheComparisonSort(int n, int seed)
    {
        // Mixed signs, magnitudes from subnormal to huge, infinities and many ties: every key region of the radix.
        var rng = new Random(seed);
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (i % 7) switch
            {
                0 => rng.NextDouble() - 0.5,
                1 => (rng.NextDouble() - 0.5) * 1e300,
                2 => (rng.NextDouble() - 0.5) * 1e-310,
                3 => Math.Round(rng.NextDouble() * 10) - 5,
                4 => i % 2 == 0 ? double.PositiveInfinity : double.NegativeInfinity,
                5 => -rng.NextDouble() * 1e9,
                _ => rng.NextDouble() * 1e9,
            };
        }
        var expected = (double[])x.Clone();
        Array.Sort(expected);
        Quantiles.RadixSort(x);
        Assert.Equal(expected, x);
    }

    [Fact]
    public void QuantilesOfALargeSampleUseTheRadixSortAndMatchMathNet()
    {
        // Above RadixThreshold SortPresent takes the radix path; the type-7 quantiles must still equal MathNet's R7.
        var rng = new Random(11);
        var x = Enumerable.Range(0, Quantiles.RadixThreshold * 2 + 17).Select(_ => rng.NextDouble() * 2e6 - 1e6).ToArray();
        foreach (double p in Quantiles.Standard)
            Assert.Equal(MathNet.Numerics.Statistics.Statistics.QuantileCustom((double[])x.Clone(), p, QuantileDefinition.R7), Quantiles.Compute(x, new[] { p })[0], 9);
    }

    /// <summary>
    /// The radix sort with the caller's key scratch (one scratch reused across columns of different lengths, with NaN,
    /// signed zeros, infinities and ties) leaves every column bit for bit as the allocating sort does, and both match
    /// the comparison sort (the independent reference) but for -0 before +0; a scratch shorter than twice the present
    /// values falls back to allocating, with the same result.
    /// </summary>
    [Fact]
    public void SortPresentWithAReusedKeyScratchEqualsTheAllocatingSort()
    {
        var rng = new Random(17);
        var keys = new ulong[2 * 80_000];
        foreach (int n in new[] { 80_000, Quantiles.RadixThreshold + 3, 50_000, 100, 80_000 })
        {
            var x = new double[n];
            for (int i = 0; i < n; i++)
                x[i] = (i % 5) switch
                {
                    0 => double.NaN,
                    1 => i % 2 == 0 ? 0.0 : -0.0,
                    2 => Math.Round(rng.NextDouble() * 20) - 10,
                    3 => (rng.NextDouble() - 0.5) * 1e12,
                    _ => i % 3 == 0 ? double.PositiveInfinity : rng.NextDouble() * 1e-300,
                };
            var reused = (double[])x.Clone();
            var own = (double[])x.Clone();
            int m = Quantiles.SortPresent(reused, keys);
            Assert.Equal(Quantiles.SortPresent(own), m);
            Assert.Equal(own.Select(BitConverter.DoubleToInt64Bits), reused.Select(BitConverter.DoubleToInt64Bits));
            var reference = x.Where(v => !double.IsNaN(v)).ToArray();
            Array.Sort(reference);
            Assert.Equal(reference, reused.Take(m));   // == comparison: -0 and +0 are equal values
            var shortKeys = (double[])x.Clone();
            Quantiles.SortPresent(shortKeys, new ulong[m]);   // too short: allocated inside
            Assert.Equal(own.Select(BitConverter.DoubleToInt64Bits), shortKeys.Select(BitConverter.DoubleToInt64Bits));
        }
    }
}
