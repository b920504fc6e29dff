namespace ComputeEconomics.Statistics;

/// <summary>Across-path percentiles of one time series at one month (type-7, see <see cref="Quantiles"/>).</summary>
/// <param name="Month">Zero-based month index, as in the data layout.</param>
/// <param name="P5">5th percentile.</param>
/// <param name="P25">25th percentile.</param>
/// <param name="P50">Median.</param>
/// <param name="P75">75th percentile.</param>
/// <param name="P95">95th percentile.</param>
/// <remarks>All five are NaN when no path has a value at that month.</remarks>
public sealed record BandRow(int Month, double P5, double P25, double P50, double P75, double P95);

/// <summary>Per-month percentile bands (fan chart) of a per-path monthly time series.</summary>
public static class Bands
{
    /// <summary>The band probabilities: P5, P25, P50, P75, P95.</summary>
    public static ReadOnlySpan<double> Probabilities => [0.05, 0.25, 0.5, 0.75, 0.95];

    /// <summary>Upper bound on the doubles gathered per block of months (32 MiB), unless one month alone needs more.</summary>
    internal const int DefaultMaxScratch = 1 << 22;

    /// <summary>
    /// Per-month P5, P25, P50, P75, P95 across paths of series <paramref name="seriesIndex"/> in the
    /// path-major layout <c>data[(path * months + month) * series + s]</c>. NaN values (path not alive,
    /// value not applicable) are ignored; a month with no value gets a NaN row.
    /// </summary>
    /// <remarks>
    /// Exact order statistics. The series is gathered a block of months at a time into a month-major
    /// scratch array (one pass over each path's contiguous row segment), then each month's column is
    /// sorted in place. Months within a block are processed in parallel; each month is independent, so
    /// the results do not depend on scheduling. Scratch memory is at most max(paths, 2²²) doubles.
    /// </remarks>
    /// <returns>One row per month, in month order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, <paramref name="series"/> is not positive, or <paramref name="seriesIndex"/> is outside [0, series).</exception>
    /// <exception cref="ArgumentException"><c>data.Length</c> is not paths × months × series.</exception>
    public static BandRow[] Compute(float[] data, int paths, int months, int series, int seriesIndex) =>
        Compute(data, paths, months, series, seriesIndex, DefaultMaxScratch);

    internal static BandRow[] Compute(float[] data, int paths, int months, int series, int seriesIndex, int maxScratch) =>
        Compute(data, paths, months, series, seriesIndex, maxScratch, null);

    /// <summary>
    /// The bands of every series, in series order, gathered through one scratch array (the same rows as
    /// <see cref="Compute(float[], int, int, int, int)"/> series by series: a run's statistics then allocate one scratch,
    /// not one per series, which lived a moment each on the large-object heap).
    /// </summary>
    public static BandRow[][] ComputeAll(float[] data, int paths, int months, int series)
    {
        var all = new BandRow[series][];
        double[]? scratch = null;
        for (int s = 0; s < series; s++) all[s] = Compute(data, paths, months, series, s, DefaultMaxScratch, scratch ??= Scratch(paths, months, DefaultMaxScratch));
        return all;
    }

    private static double[] Scratch(int paths, int months, int maxScratch) =>
        new double[(long)paths * Block(paths, months, maxScratch)];

    private static int Block(int paths, int months, int maxScratch) =>
        paths == 0 ? months : (int)Math.Clamp((long)maxScratch / paths, 1, months);

    private static BandRow[] Compute(float[] data, int paths, int months, int series, int seriesIndex, int maxScratch, double[]? scratchIn)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(paths);
        ArgumentOutOfRangeException.ThrowIfNegative(months);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(series);
        if (seriesIndex < 0 || seriesIndex >= series)
        {
            throw new ArgumentOutOfRangeException(nameof(seriesIndex), seriesIndex, $"must be in [0, {series})");
        }

        long expected = (long)paths * months * series;
        if (data.LongLength != expected)
        {
            throw new ArgumentException(
                $"data has {data.LongLength} values; paths × months × series = {paths} × {months} × {series} = {expected}.",
                nameof(data));
        }

        var rows = new BandRow[months];
        if (months == 0)
        {
            return rows;
        }

        int block = Block(paths, months, maxScratch);
        var scratch = scratchIn ?? Scratch(paths, months, maxScratch);

        for (int m0 = 0; m0 < months; m0 += block)
        {
            int b = Math.Min(block, months - m0);
            Gather(data, paths, months, series, seriesIndex, m0, b, scratch);

            int firstMonth = m0;
            // Each worker sorts its months with one pair of radix-sort key arrays (16 bytes a path), not a pair a month.
            if ((long)paths * b >= 1 << 16 && b > 1)
            {
                ParallelScratch.For(b, Environment.ProcessorCount, () => new ulong[2L * paths],
                    (j, keys) => rows[firstMonth + j] = Row(scratch, paths, firstMonth, j, keys));
            }
            else
            {
                var keys = new ulong[2L * paths];
                for (int j = 0; j < b; j++)
                {
                    rows[firstMonth + j] = Row(scratch, paths, firstMonth, j, keys);
                }
            }
        }

        return rows;
    }

    /// <summary>Copies months [m0, m0 + b) of the series into scratch, month j at [j·paths, (j+1)·paths).</summary>
    private static void Gather(float[] data, int paths, int months, int series, int s, int m0, int b, double[] scratch)
    {
        for (int p = 0; p < paths; p++)
        {
            long src = ((long)p * months + m0) * series + s;
            long dst = p;
            for (int j = 0; j < b; j++)
            {
                scratch[dst] = data[src];
                src += series;
                dst += paths;
            }
        }
    }

    private static BandRow Row(double[] scratch, int paths, int firstMonth, int j, ulong[] keys)
    {
        Span<double> column = scratch.AsSpan(j * paths, paths);
        int n = Quantiles.SortPresent(column, keys);
        ReadOnlySpan<double> sorted = column[..n];
        return new BandRow(
            firstMonth + j,
            Quantiles.FromSorted(sorted, 0.05),
            Quantiles.FromSorted(sorted, 0.25),
            Quantiles.FromSorted(sorted, 0.50),
            Quantiles.FromSorted(sorted, 0.75),
            Quantiles.FromSorted(sorted, 0.95));
    }
}
