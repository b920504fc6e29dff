namespace ComputeEconomics.Statistics;

/// <summary>
/// Mergeable accumulator of the first two moments plus the extremes of a stream of doubles:
/// count, mean, M2 (sum of squared deviations from the mean), min, max, and the number of
/// absent values (<see cref="double.NaN"/>) that were skipped.
/// </summary>
/// <remarks>
/// <para>
/// Estimators: <see cref="Mean"/> is the arithmetic mean; <see cref="Variance"/> is the unbiased
/// sample variance M2 / (N − 1); <see cref="StdDev"/> is its square root; <see cref="StdError"/> is
/// the standard error of the mean, sqrt(Variance / N). Values are pushed with Welford's update and
/// partial accumulators are merged with the pairwise formula of Chan, Golub and LeVeque (1979), so
/// the result does not suffer the cancellation of the textbook sum-of-squares formula.
/// </para>
/// <para>
/// NaN marks an absent value (for example an IRR that does not exist): it is counted in
/// <see cref="Absent"/> and excluded from every other statistic. Infinities are not absent; they are
/// included and propagate into the mean and variance by IEEE rules.
/// </para>
/// <para>
/// Empty input (<c>default(Moments)</c>, or only NaN pushed): <see cref="Count"/> is 0 and
/// <see cref="Mean"/>, <see cref="Variance"/>, <see cref="StdDev"/>, <see cref="StdError"/>,
/// <see cref="Min"/> and <see cref="Max"/> are NaN. With a single value the mean, min and max are
/// that value and the variance, standard deviation and standard error are NaN (N − 1 = 0).
/// </para>
/// <para>
/// Floating-point results depend on the order of pushes and merges. <see cref="Of"/> fixes that
/// order (blocks of <see cref="BlockSize"/> then a fixed binary tree) so that it is bit-for-bit
/// reproducible for the same input.
/// </para>
/// </remarks>
public struct Moments
{
    /// <summary>Values pushed sequentially per leaf of the fixed reduction tree used by <see cref="Of"/>.</summary>
    public const int BlockSize = 4096;

    private long _count;
    private long _absent;
    private double _mean;
    private double _m2;
    private double _min;
    private double _max;

    /// <summary>Number of values included (NaN excluded).</summary>
    public readonly long Count => _count;

    /// <summary>Number of NaN (absent) values skipped.</summary>
    public readonly long Absent => _absent;

    /// <summary>Arithmetic mean of the included values; NaN when <see cref="Count"/> is 0.</summary>
    public readonly double Mean => _count == 0 ? double.NaN : _mean;

    /// <summary>Sum of squared deviations from the mean (M2); NaN when <see cref="Count"/> is 0.</summary>
    public readonly double SumSquaredDeviations => _count == 0 ? double.NaN : _m2;

    /// <summary>Unbiased sample variance M2 / (N − 1); NaN when <see cref="Count"/> &lt; 2.</summary>
    public readonly double Variance => _count < 2 ? double.NaN : _m2 / (_count - 1);

    /// <summary>Sample standard deviation sqrt(M2 / (N − 1)); NaN when <see cref="Count"/> &lt; 2.</summary>
    public readonly double StdDev => Math.Sqrt(Variance);

    /// <summary>Standard error of the mean sqrt(Variance / N); NaN when <see cref="Count"/> &lt; 2.</summary>
    public readonly double StdError => _count < 2 ? double.NaN : Math.Sqrt(Variance / _count);

    /// <summary>Smallest included value; NaN when <see cref="Count"/> is 0.</summary>
    public readonly double Min => _count == 0 ? double.NaN : _min;

    /// <summary>Largest included value; NaN when <see cref="Count"/> is 0.</summary>
    public readonly double Max => _count == 0 ? double.NaN : _max;

    /// <summary>Adds one value (Welford's update). NaN is counted in <see cref="Absent"/> and otherwise ignored.</summary>
    public void Push(double x)
    {
        if (double.IsNaN(x))
        {
            _absent++;
            return;
        }

        if (_count == 0)
        {
            _count = 1;
            _mean = x;
            _m2 = 0.0;
            _min = x;
            _max = x;
            return;
        }

        _count++;
        double delta = x - _mean;
        _mean += delta / _count;
        _m2 += delta * (x - _mean);
        if (x < _min)
        {
            _min = x;
        }

        if (x > _max)
        {
            _max = x;
        }
    }

    /// <summary>
    /// Merges two accumulators as if every value of <paramref name="b"/> had been pushed after those of
    /// <paramref name="a"/> (Chan et al.: δ = mean_b − mean_a, mean = mean_a + δ·n_b/n,
    /// M2 = M2_a + M2_b + δ²·n_a·n_b/n). Counts, including <see cref="Absent"/>, add exactly.
    /// </summary>
    public static Moments Combine(in Moments a, in Moments b)
    {
        if (b._count == 0)
        {
            Moments r = a;
            r._absent += b._absent;
            return r;
        }

        if (a._count == 0)
        {
            Moments r = b;
            r._absent += a._absent;
            return r;
        }

        long n = a._count + b._count;
        double na = a._count;
        double nb = b._count;
        double delta = b._mean - a._mean;
        return new Moments
        {
            _count = n,
            _absent = a._absent + b._absent,
            _mean = a._mean + delta * (nb / n),
            _m2 = a._m2 + b._m2 + delta * delta * (na * nb / n),
            _min = Math.Min(a._min, b._min),
            _max = Math.Max(a._max, b._max),
        };
    }

    /// <summary>
    /// Moments of a span, computed in a fixed order: consecutive blocks of <see cref="BlockSize"/> values
    /// are pushed sequentially, then the block results are merged by <see cref="Combine"/> in a fixed
    /// binary tree (the left subtree always holds the first ⌊blocks/2⌋ blocks). The order depends only on
    /// the length of the span, so the result is bit-identical for the same values however the caller
    /// produced or batched them. NaN values are counted in <see cref="Absent"/>.
    /// </summary>
    public static Moments Of(ReadOnlySpan<double> values)
    {
        if (values.Length <= BlockSize)
        {
            var m = default(Moments);
            foreach (double x in values)
            {
                m.Push(x);
            }

            return m;
        }

        long blocks = ((long)values.Length + BlockSize - 1) / BlockSize;
        int split = (int)(blocks / 2 * BlockSize);
        Moments left = Of(values[..split]);
        Moments right = Of(values[split..]);
        return Combine(left, right);
    }

    /// <summary>
    /// The accumulator with these fields, as a device reduction computed them (<c>--statistics device</c>: the same
    /// Welford pushes on the device); <paramref name="count"/> 0 gives the empty accumulator with its absent count.
    /// </summary>
    public static Moments FromParts(long count, long absent, double mean, double m2, double min, double max) =>
        count == 0 ? new Moments { _absent = absent }
            : new Moments { _count = count, _absent = absent, _mean = mean, _m2 = m2, _min = min, _max = max };

    /// <inheritdoc />
    public override readonly string ToString() =>
        $"n={Count} absent={Absent} mean={Mean:R} sd={StdDev:R} min={Min:R} max={Max:R}";
}
