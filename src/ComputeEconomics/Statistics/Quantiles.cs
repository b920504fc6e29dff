namespace ComputeEconomics.Statistics;

/// <summary>
/// Exact sample quantiles and lower-tail CVaR.
/// </summary>
/// <remarks>
/// <para>
/// Definition: numpy's default <c>method="linear"</c>, which is Hyndman and Fan (1996) type 7 (also R's
/// default and MathNet's <c>QuantileDefinition.R7</c>). For the n sorted values x₀ ≤ … ≤ xₙ₋₁ and
/// probability p: h = (n − 1)·p, j = ⌊h⌋, g = h − j, and Q(p) = xⱼ + g·(xⱼ₊₁ − xⱼ) (xₙ₋₁ when j = n − 1).
/// The interpolation is evaluated as numpy's <c>_lerp</c> does (from the upper point when g ≥ 0.5).
/// Where xⱼ = xⱼ₊₁ or g = 0 the order statistic is returned as is, so infinite values give infinite
/// quantiles where numpy would produce NaN from ∞ − ∞ or ∞·0; otherwise the results match numpy.
/// </para>
/// <para>
/// Accuracy: exact order statistics of the sample (the values are fully sorted, no sketch or
/// histogram), so the only error is the rounding of the single interpolation step. The sampling
/// error of a quantile estimate is about sqrt(p(1 − p)/n) / f(Q(p)), f the density.
/// </para>
/// <para>
/// NaN marks an absent value and is ignored, as in <c>numpy.nanquantile</c>. When no value is
/// present every quantile is NaN. Probabilities must lie in [0, 1].
/// </para>
/// </remarks>
public static class Quantiles
{
    /// <summary>The standard report probabilities: P1, P5, P25, P50, P75, P95, P99.</summary>
    public static ReadOnlySpan<double> Standard => [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

    /// <summary>
    /// Type-7 quantiles of <paramref name="values"/> (NaN ignored) at each of <paramref name="probabilities"/>.
    /// Allocates a scratch copy of the values and the result; <paramref name="values"/> is not modified.
    /// </summary>
    /// <returns>One quantile per probability, in the same order; NaN where no value is present.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A probability is outside [0, 1] or NaN.</exception>
    public static double[] Compute(ReadOnlySpan<double> values, ReadOnlySpan<double> probabilities)
    {
        var result = new double[probabilities.Length];
        Compute(values, probabilities, new double[values.Length], result);
        return result;
    }

    /// <summary>
    /// Type-7 quantiles without allocating: <paramref name="values"/> is copied into
    /// <paramref name="scratch"/>, which is then reordered (see <see cref="SortPresent(Span{double})"/>);
    /// <paramref name="values"/> is not modified.
    /// </summary>
    /// <param name="values">The sample; NaN entries are ignored.</param>
    /// <param name="probabilities">Probabilities in [0, 1].</param>
    /// <param name="scratch">At least <c>values.Length</c> elements; overwritten.</param>
    /// <param name="destination">At least <c>probabilities.Length</c> elements; receives the quantiles.</param>
    /// <returns>The number of present (non-NaN) values used.</returns>
    /// <exception cref="ArgumentException">A buffer is too small.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A probability is outside [0, 1] or NaN.</exception>
    public static int Compute(
        ReadOnlySpan<double> values,
        ReadOnlySpan<double> probabilities,
        Span<double> scratch,
        Span<double> destination)
    {
        if (scratch.Length < values.Length)
        {
            throw new ArgumentException(
                $"Scratch buffer holds {scratch.Length} values; {values.Length} are needed.", nameof(scratch));
        }

        Span<double> work = scratch[..values.Length];
        values.CopyTo(work);
        return ComputeInPlace(work, probabilities, destination);
    }

    /// <summary>
    /// Type-7 quantiles that reorder the caller's buffer instead of copying it (see
    /// <see cref="SortPresent(Span{double})"/> for the state it is left in).
    /// </summary>
    /// <returns>The number of present (non-NaN) values used.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A probability is outside [0, 1] or NaN.</exception>
    public static int ComputeInPlace(Span<double> values, ReadOnlySpan<double> probabilities, Span<double> destination)
    {
        if (destination.Length < probabilities.Length)
        {
            throw new ArgumentException(
                $"Destination holds {destination.Length} values; {probabilities.Length} are needed.",
                nameof(destination));
        }

        foreach (double p in probabilities)
        {
            CheckProbability(p, nameof(probabilities));
        }

        int n = SortPresent(values);
        ReadOnlySpan<double> sorted = values[..n];
        for (int i = 0; i < probabilities.Length; i++)
        {
            destination[i] = FromSorted(sorted, probabilities[i]);
        }

        return n;
    }

    /// <summary>
    /// Moves the present (non-NaN) values to the front of <paramref name="buffer"/> and sorts them
    /// ascending in place; the remaining tail is filled with NaN.
    /// </summary>
    /// <returns>The number of present values, i.e. the length of the sorted prefix.</returns>
    public static int SortPresent(Span<double> buffer) => SortPresent(buffer, Span<ulong>.Empty);

    /// <summary>
    /// <see cref="SortPresent(Span{double})"/> with the radix sort's keys in <paramref name="keys"/> (at least twice the
    /// present values; shorter, they are allocated for the sort): a caller that sorts many columns passes one key
    /// scratch instead of leaving 16 bytes a value of garbage each time. The same order either way.
    /// </summary>
    public static int SortPresent(Span<double> buffer, Span<ulong> keys)
    {
        int n = 0;
        for (int i = 0; i < buffer.Length; i++)
        {
            double x = buffer[i];
            if (!double.IsNaN(x))
            {
                buffer[n++] = x;
            }
        }

        buffer[n..].Fill(double.NaN);
        if (n >= RadixThreshold && keys.Length >= 2 * n) RadixSort(buffer[..n], keys[..n], keys[n..(2 * n)]);
        else if (n >= RadixThreshold) RadixSort(buffer[..n]);
        else buffer[..n].Sort();
        return n;
    }

    /// <summary>Below this many values <see cref="SortPresent(Span{double})"/> uses the comparison sort.</summary>
    public const int RadixThreshold = 1 << 14;

    /// <summary>
    /// Sorts NaN-free doubles ascending by a least-significant-digit radix sort (six passes of 11 bits over
    /// order-preserving integer keys: the sign bit flipped for positives, every bit for negatives), O(n) instead of
    /// O(n log n): the same order as a comparison sort, except that -0 sorts before +0.
    /// </summary>
    public static void RadixSort(Span<double> values)
    {
        int n = values.Length;
        if (n < 2) return;
        // Two key arrays of n (16 bytes a value), not pooled: they go with the sort, so a large run keeps no memory.
        RadixSort(values, GC.AllocateUninitializedArray<ulong>(n), GC.AllocateUninitializedArray<ulong>(n));
    }

    /// <summary><see cref="RadixSort(Span{double})"/> with the caller's key arrays (each at least as long as the values; overwritten).</summary>
    public static void RadixSort(Span<double> values, Span<ulong> a, Span<ulong> b)
    {
        const int Bits = 11, Buckets = 1 << Bits, Digits = 6;
        const ulong Sign = 0x8000_0000_0000_0000UL;
        int n = values.Length;
        if (n < 2) return;
        if (a.Length < n || b.Length < n) throw new ArgumentException($"key arrays of {a.Length} and {b.Length} for {n} values");
        {
            var counts = new int[Digits * Buckets];
            for (int i = 0; i < n; i++)
            {
                ulong u = BitConverter.DoubleToUInt64Bits(values[i]);
                ulong key = (u & Sign) != 0 ? ~u : u | Sign;
                a[i] = key;
                for (int d = 0; d < Digits; d++) counts[d * Buckets + (int)((key >> (d * Bits)) & (Buckets - 1))]++;
            }
            Span<ulong> src = a[..n], dst = b[..n];
            for (int d = 0; d < Digits; d++)
            {
                var c = counts.AsSpan(d * Buckets, Buckets);
                int first = (int)((src[0] >> (d * Bits)) & (Buckets - 1));
                if (c[first] == n) continue;   // every key has this digit: the pass would not move anything
                int sum = 0;
                for (int k = 0; k < Buckets; k++) { int x = c[k]; c[k] = sum; sum += x; }
                int shift = d * Bits;
                for (int i = 0; i < n; i++)
                {
                    ulong key = src[i];
                    dst[c[(int)((key >> shift) & (Buckets - 1))]++] = key;
                }
                var swap = src;
                src = dst;
                dst = swap;
            }
            for (int i = 0; i < n; i++)
            {
                ulong key = src[i];
                values[i] = BitConverter.UInt64BitsToDouble((key & Sign) != 0 ? key & ~Sign : ~key);
            }
        }
    }

    /// <summary>
    /// Type-7 quantile of data that is already sorted ascending and free of NaN (as left by
    /// <see cref="SortPresent(Span{double})"/>). Neither property is checked.
    /// </summary>
    /// <returns>The quantile; NaN when <paramref name="sorted"/> is empty.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1] or NaN.</exception>
    public static double FromSorted(ReadOnlySpan<double> sorted, double p)
    {
        CheckProbability(p, nameof(p));
        int n = sorted.Length;
        if (n == 0)
        {
            return double.NaN;
        }

        double h = (n - 1) * p;
        double floor = Math.Floor(h);
        int j = (int)floor;
        if (j >= n - 1)
        {
            return sorted[n - 1];
        }

        double g = h - floor;
        double a = sorted[j];
        double b = sorted[j + 1];
        if (g == 0.0 || a == b)
        {
            return a;
        }

        double diff = b - a;
        return g >= 0.5 ? b - diff * (1.0 - g) : a + diff * g;
    }

    /// <summary>
    /// Lower-tail conditional value at risk (expected shortfall) of a sample sorted ascending and free
    /// of NaN: the mean of the worst k = ⌈α·N⌉ values, i.e. the k smallest. The lower tail is used
    /// because the metrics are values such as NPV where low is bad.
    /// </summary>
    /// <remarks>
    /// Convention: the tail holds whole observations, at least one, with no fractional weight on the
    /// boundary observation. When α·N lies within a relative 1e-12 of an integer it is taken as that
    /// integer, so that binary rounding (0.07 × 100 = 7.000000000000001) does not add an observation.
    /// The tail mean is summed sequentially in ascending order. Sortedness is not checked.
    /// </remarks>
    /// <param name="sortedValues">The sample, ascending, without NaN.</param>
    /// <param name="alpha">Tail probability in (0, 1]; default 0.05 (CVaR5).</param>
    /// <returns>The tail mean; NaN when the sample is empty.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is outside (0, 1] or NaN.</exception>
    public static double Cvar(ReadOnlySpan<double> sortedValues, double alpha = 0.05)
    {
        if (!(alpha > 0.0 && alpha <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "must be in (0, 1]");
        }

        int n = sortedValues.Length;
        if (n == 0)
        {
            return double.NaN;
        }

        int k = TailCount(n, alpha);
        double sum = 0.0;
        for (int i = 0; i < k; i++)
        {
            sum += sortedValues[i];
        }

        return sum / k;
    }

    /// <summary>⌈α·n⌉ clamped to [1, n], with α·n within a relative 1e-12 of an integer taken as that integer.</summary>
    internal static int TailCount(int n, double alpha) => (int)TailCount((long)n, alpha);

    /// <summary>The tail count ⌈α·n⌉ (α·n when it is whole to within rounding), from 1 to n.</summary>
    internal static long TailCount(long n, double alpha)
    {
        double exact = alpha * n;
        double nearest = Math.Round(exact);
        double k = Math.Abs(exact - nearest) <= 1e-12 * Math.Max(1.0, exact) ? nearest : Math.Ceiling(exact);
        return (long)Math.Clamp(k, 1.0, n);
    }

    private static void CheckProbability(double p, string paramName)
    {
        if (!(p >= 0.0 && p <= 1.0))
        {
            throw new ArgumentOutOfRangeException(paramName, p, "probability must be in [0, 1]");
        }
    }
}
