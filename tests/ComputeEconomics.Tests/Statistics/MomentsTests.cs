using ComputeEconomics.Statistics;

namespace ComputeEconomics.Tests.Statistics;

public class MomentsTests
{
    private static void AssertRelative(double expected, double actual, double tolerance)
    {
        double scale = Math.Max(Math.Abs(expected), double.Epsilon);
        Assert.True(
            Math.Abs(actual - expected) <= tolerance * scale,
            $"expected {expected:R}, got {actual:R} (relative error {Math.Abs(actual - expected) / scale:E3})");
    }

    private static double[] OneToN(int n) => Enumerable.Range(1, n).Select(i => (double)i).ToArray();

    /// <summary>NPV-like sample: centred near 1e6 with a spread of a few 1e5, drifting with i.</summary>
    private static double[] Sample(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = 1e6 + (rng.NextDouble() - 0.5) * 1e6 + 1e4 * (i % 7);
        }

        return x;
    }

    /// <summary>
    /// Ill-conditioned sample (offset 1e6, standard deviation about 2, coefficient of variation 2e-6):
    /// the textbook E[x²] − E[x]² formula keeps only 2 to 3 correct digits here.
    /// </summary>
    private static double[] OffsetSample(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = 1e6 + rng.NextDouble() * 3.0 - (i % 7);
        }

        return x;
    }

    /// <summary>Reference sample variance by a two-pass computation in decimal (28 significant digits).</summary>
    private static double DecimalVariance(double[] x)
    {
        decimal sum = 0;
        foreach (double v in x)
        {
            sum += (decimal)v;
        }

        decimal mean = sum / x.Length;
        decimal ss = 0;
        foreach (double v in x)
        {
            decimal d = (decimal)v - mean;
            ss += d * d;
        }

        return (double)(ss / (x.Length - 1));
    }

    [Theory]
    [InlineData(1000, 500)]
    [InlineData(50_001, 12_345)]
    public void IllConditionedData_CombineAndOfStayAccurate(int n, int split)
    {
        double[] x = OffsetSample(n, seed: n + split);
        double exact = DecimalVariance(x);

        var left = default(Moments);
        var right = default(Moments);
        for (int i = 0; i < n; i++)
        {
            if (i < split)
            {
                left.Push(x[i]);
            }
            else
            {
                right.Push(x[i]);
            }
        }

        // Condition number mean/sd is about 5e5, so ~1e-11 relative error is the inherent floor;
        // 1e-9 still rules out the cancellation of the one-pass textbook formula (5e-4 to 4e-3 relative error on these samples).
        AssertRelative(exact, Moments.Combine(left, right).Variance, 1e-9);
        AssertRelative(exact, Moments.Of(x).Variance, 1e-9);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(1000)]
    [InlineData(4097)]
    [InlineData(100_003)]
    public void OneToN_MatchesClosedForms(int n)
    {
        // 1..n: mean (n+1)/2, sample variance (N-1 normaliser) n(n+1)/12.
        double mean = (n + 1) / 2.0;
        double variance = n * (n + 1.0) / 12.0;
        double[] x = OneToN(n);

        var pushed = default(Moments);
        foreach (double v in x)
        {
            pushed.Push(v);
        }

        foreach (Moments m in new[] { pushed, Moments.Of(x) })
        {
            Assert.Equal(n, m.Count);
            Assert.Equal(0, m.Absent);
            AssertRelative(mean, m.Mean, 1e-14);
            AssertRelative(variance, m.Variance, 1e-12);
            AssertRelative(Math.Sqrt(variance), m.StdDev, 1e-12);
            AssertRelative(Math.Sqrt(variance / n), m.StdError, 1e-12);
            Assert.Equal(1.0, m.Min);
            Assert.Equal(n, m.Max);
        }
    }

    [Fact]
    public void WikipediaStandardDeviationExample()
    {
        // Wikipedia, "Standard deviation": {2,4,4,4,5,5,7,9} has mean 5 and population SD 2,
        // so the sample variance is 8 * 4 / 7 = 32/7.
        Moments m = Moments.Of([2, 4, 4, 4, 5, 5, 7, 9]);
        Assert.Equal(8, m.Count);
        Assert.Equal(5.0, m.Mean, 14);
        AssertRelative(32.0 / 7.0, m.Variance, 1e-14);
        AssertRelative(Math.Sqrt(32.0 / 7.0 / 8.0), m.StdError, 1e-14);
    }

    [Fact]
    public void ConstantSequence_HasZeroVariance()
    {
        double[] x = Enumerable.Repeat(0.1, 10_000).ToArray();
        Moments m = Moments.Of(x);
        Assert.Equal(0.1, m.Mean);
        Assert.Equal(0.0, m.Variance);
        Assert.Equal(0.0, m.StdError);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    [InlineData(1000, 500)]
    [InlineData(1000, 1)]
    [InlineData(1000, 999)]
    [InlineData(50_001, 12_345)]
    public void CombineOfTwoParts_EqualsOnePass(int n, int split)
    {
        double[] x = Sample(n, seed: 42 + n + split);

        var whole = default(Moments);
        var left = default(Moments);
        var right = default(Moments);
        for (int i = 0; i < n; i++)
        {
            whole.Push(x[i]);
            if (i < split)
            {
                left.Push(x[i]);
            }
            else
            {
                right.Push(x[i]);
            }
        }

        Moments merged = Moments.Combine(left, right);
        Assert.Equal(whole.Count, merged.Count);
        Assert.Equal(whole.Absent, merged.Absent);
        Assert.Equal(whole.Min, merged.Min);
        Assert.Equal(whole.Max, merged.Max);
        AssertRelative(whole.Mean, merged.Mean, 1e-12);
        if (n >= 2)
        {
            AssertRelative(whole.Variance, merged.Variance, 1e-12);
        }

        // The merge is symmetric up to rounding.
        Moments reversed = Moments.Combine(right, left);
        AssertRelative(merged.Mean, reversed.Mean, 1e-12);
    }

    [Fact]
    public void CombineWithEmpty_ReturnsOtherAndAddsAbsent()
    {
        Moments a = Moments.Of([1.0, 2.0, 3.0, double.NaN]);
        var empty = default(Moments);
        empty.Push(double.NaN);

        foreach (Moments m in new[] { Moments.Combine(a, empty), Moments.Combine(empty, a) })
        {
            Assert.Equal(3, m.Count);
            Assert.Equal(2, m.Absent);
            Assert.Equal(2.0, m.Mean);
            Assert.Equal(1.0, m.Variance);
            Assert.Equal(1.0, m.Min);
            Assert.Equal(3.0, m.Max);
        }

        Moments none = Moments.Combine(default, default);
        Assert.Equal(0, none.Count);
        Assert.True(double.IsNaN(none.Mean));
    }

    [Fact]
    public void Of_IsBitIdenticalForSameData()
    {
        double[] x = Sample(123_457, seed: 7);

        // The same values produced in different batches into a different array.
        var y = new double[x.Length];
        for (int start = 0; start < x.Length; start += 1000)
        {
            int len = Math.Min(1000, x.Length - start);
            Array.Copy(x, start, y, start, len);
        }

        Moments a = Moments.Of(x);
        Moments b = Moments.Of(y);
        Moments c = Moments.Of(x);
        foreach (Moments m in new[] { b, c })
        {
            Assert.Equal(a.Count, m.Count);
            Assert.Equal(BitConverter.DoubleToInt64Bits(a.Mean), BitConverter.DoubleToInt64Bits(m.Mean));
            Assert.Equal(BitConverter.DoubleToInt64Bits(a.Variance), BitConverter.DoubleToInt64Bits(m.Variance));
            Assert.Equal(a.Min, m.Min);
            Assert.Equal(a.Max, m.Max);
        }

        // And it agrees with a sequential pass to rounding.
        var seq = default(Moments);
        foreach (double v in x)
        {
            seq.Push(v);
        }

        AssertRelative(seq.Mean, a.Mean, 1e-13);
        AssertRelative(seq.Variance, a.Variance, 1e-10);
    }

    [Fact]
    public void Empty_ReturnsNaNAndZeroCount()
    {
        foreach (Moments m in new[] { default, Moments.Of([]) })
        {
            Assert.Equal(0, m.Count);
            Assert.Equal(0, m.Absent);
            Assert.True(double.IsNaN(m.Mean));
            Assert.True(double.IsNaN(m.Variance));
            Assert.True(double.IsNaN(m.StdDev));
            Assert.True(double.IsNaN(m.StdError));
            Assert.True(double.IsNaN(m.Min));
            Assert.True(double.IsNaN(m.Max));
        }
    }

    [Fact]
    public void SingleValue_HasMeanButNoVariance()
    {
        var m = default(Moments);
        m.Push(-4.5);
        Assert.Equal(1, m.Count);
        Assert.Equal(-4.5, m.Mean);
        Assert.Equal(-4.5, m.Min);
        Assert.Equal(-4.5, m.Max);
        Assert.True(double.IsNaN(m.Variance));
        Assert.True(double.IsNaN(m.StdError));
    }

    [Fact]
    public void NaN_IsCountedAsAbsentAndExcluded()
    {
        // Present values 1..5: mean 3, sample variance 5*6/12 = 2.5.
        double[] x = [double.NaN, 1, 2, double.NaN, 3, 4, 5, double.NaN];
        var pushed = default(Moments);
        foreach (double v in x)
        {
            pushed.Push(v);
        }

        foreach (Moments m in new[] { pushed, Moments.Of(x) })
        {
            Assert.Equal(5, m.Count);
            Assert.Equal(3, m.Absent);
            Assert.Equal(3.0, m.Mean);
            Assert.Equal(2.5, m.Variance, 14);
            Assert.Equal(1.0, m.Min);
            Assert.Equal(5.0, m.Max);
        }

        Moments allNaN = Moments.Of([double.NaN, double.NaN]);
        Assert.Equal(0, allNaN.Count);
        Assert.Equal(2, allNaN.Absent);
        Assert.True(double.IsNaN(allNaN.Mean));
    }
}
