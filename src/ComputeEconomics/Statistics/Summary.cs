namespace ComputeEconomics.Statistics;

/// <summary>
/// Across-path summary of one per-path metric (for example NPV). NaN inputs are "absent" values
/// (an IRR that does not exist, a metric that does not apply to a path): they are counted in
/// <see cref="Absent"/> and excluded from every other field.
/// </summary>
/// <param name="Name">Metric name.</param>
/// <param name="Count">Number of present (non-NaN) values; every statistic below is over these.</param>
/// <param name="Absent">Number of NaN values excluded. <c>Count + Absent</c> is the number of paths.</param>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="StdDev">Sample standard deviation, N − 1 normaliser (NaN when Count &lt; 2).</param>
/// <param name="StdError">Standard error of the mean, StdDev / sqrt(N) (NaN when Count &lt; 2).</param>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
/// <param name="P1">1st percentile (type-7, see <see cref="Quantiles"/>).</param>
/// <param name="P5">5th percentile.</param>
/// <param name="P25">25th percentile.</param>
/// <param name="P50">Median.</param>
/// <param name="P75">75th percentile.</param>
/// <param name="P95">95th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="Cvar5">
/// CVaR at 5 % on the metric's unfavourable tail: the mean of the worst ⌈0.05·N⌉ values, the smallest ones
/// (<see cref="Quantiles.Cvar"/>) unless the caller says less is better (costs, losses, months to break even: the
/// model kinds' metric tables know), then the largest ones. <see cref="Cvar5Tail"/> says which.
/// </param>
/// <remarks>When no value is present (<see cref="HasValues"/> false) every statistic is NaN.</remarks>
public sealed record MetricSummary(
    string Name,
    long Count,
    long Absent,
    double Mean,
    double StdDev,
    double StdError,
    double Min,
    double Max,
    double P1,
    double P5,
    double P25,
    double P50,
    double P75,
    double P95,
    double P99,
    double Cvar5)
{
    /// <summary>True when at least one value was present, i.e. the statistics are not all NaN.</summary>
    public bool HasValues => Count > 0;

    /// <summary>The tail <see cref="Cvar5"/> averages: "upper" for metrics where less is better, else "lower".</summary>
    public string Cvar5Tail => UpperTail ? "upper" : "lower";

    /// <summary>True when <see cref="Cvar5"/> averages the largest values (the metric is one where less is better).</summary>
    public bool UpperTail { get; init; }
}

/// <summary>
/// Estimated probability of an event across paths.
/// </summary>
/// <param name="P">Fraction of paths on which the event occurred, k / N; NaN when N = 0.</param>
/// <param name="StdError">
/// Binomial standard error sqrt(P(1 − P)/N); NaN when N = 0. It is 0 when P is 0 or 1, which
/// understates the uncertainty of a rare event: with k = 0 the one-sided 95 % upper bound is about 3/N.
/// </param>
/// <param name="Count">N, the number of paths considered (absent flags excluded).</param>
public sealed record Probability(double P, double StdError, long Count)
{
    /// <summary>
    /// The exact one-sided upper bound of a probability at <paramref name="confidence"/> when none of
    /// <paramref name="n"/> independent paths had the event: 1 - (1 - confidence)^(1/n) (Clopper-Pearson with k = 0;
    /// about 3/n at 95 %, the "rule of three" of Hanley and Lippman-Hand, JAMA 1983).
    /// </summary>
    public static double NoneSeenUpperBound(long n, double confidence = 0.95) => 1 - Math.Pow(1 - confidence, 1.0 / n);

    /// <summary>
    /// The probability as a reader can cite it: "15.4 % (+/- 0.8 %)" with its standard error; when no path (or every
    /// path) had the event its standard error is 0, which would claim certainty, so the share is given with the
    /// one-sided 95 % bound instead: "0.0 % (0 of 300 paths; below 1.0 % at 95 % confidence)".
    /// </summary>
    public string Text() => $"{Format.Percent(P)} ({Qualifier()})";

    /// <summary>What <see cref="Text"/> puts in brackets: "+/- 0.8 %", or the count and the 95 % bound when the share is 0 or 1.</summary>
    public string Qualifier()
    {
        string n = Count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        if (Count > 0 && P == 0) return $"0 of {n} paths; below {Format.Percent(NoneSeenUpperBound(Count))} at 95 % confidence";
        if (Count > 0 && P == 1) return $"all {n} paths; above {Format.Percent(1 - NoneSeenUpperBound(Count))} at 95 % confidence";
        return $"+/- {Format.Percent(StdError)}";
    }
}

/// <summary>Turns per-path metric values into across-path summaries.</summary>
public static class Summarizer
{
    /// <summary>
    /// Summary of one metric without allocating: moments via <see cref="Moments.Of"/>, then exact
    /// quantiles and CVaR from one sort of a copy of the present values in <paramref name="scratch"/>.
    /// <paramref name="upperTail"/> decides CVaR's tail (<see cref="MetricSummary.Cvar5Tail"/>).
    /// </summary>
    /// <param name="name">Metric name.</param>
    /// <param name="values">One value per path; NaN = absent. Not modified.</param>
    /// <param name="scratch">At least <c>values.Length</c> elements; overwritten.</param>
    /// <param name="upperTail">True for a metric where less is better: CVaR5 averages the largest values.</param>
    /// <exception cref="ArgumentException"><paramref name="scratch"/> is too small.</exception>
    public static MetricSummary Summarize(string name, ReadOnlySpan<double> values, Span<double> scratch, bool upperTail) =>
        Summarize(name, values, scratch, Span<ulong>.Empty, upperTail);

    /// <summary>
    /// <see cref="Summarize(string, ReadOnlySpan{double}, Span{double}, bool)"/> with the radix sort's keys in
    /// <paramref name="keys"/> (twice <c>values.Length</c>; see <see cref="Quantiles.SortPresent(Span{double}, Span{ulong})"/>):
    /// a thread that summarises many metrics then allocates nothing a metric. The same result either way.
    /// </summary>
    public static MetricSummary Summarize(string name, ReadOnlySpan<double> values, Span<double> scratch, Span<ulong> keys, bool upperTail)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (scratch.Length < values.Length)
        {
            throw new ArgumentException(
                $"Scratch buffer holds {scratch.Length} values; {values.Length} are needed.", nameof(scratch));
        }

        Moments m = Moments.Of(values);

        Span<double> work = scratch[..values.Length];
        values.CopyTo(work);
        int n = Quantiles.SortPresent(work, keys);
        ReadOnlySpan<double> sorted = work[..n];

        return new MetricSummary(
            name,
            m.Count,
            m.Absent,
            m.Mean,
            m.StdDev,
            m.StdError,
            m.Min,
            m.Max,
            Quantiles.FromSorted(sorted, 0.01),
            Quantiles.FromSorted(sorted, 0.05),
            Quantiles.FromSorted(sorted, 0.25),
            Quantiles.FromSorted(sorted, 0.50),
            Quantiles.FromSorted(sorted, 0.75),
            Quantiles.FromSorted(sorted, 0.95),
            Quantiles.FromSorted(sorted, 0.99),
            n == 0 ? double.NaN : upperTail ? UpperCvar(sorted, 0.05) : Quantiles.Cvar(sorted, 0.05))
        { UpperTail = upperTail };
    }

    /// <summary>
    /// Upper-tail CVaR of a sample sorted ascending and free of NaN: the mean of the k = ⌈α·N⌉ largest values, with the
    /// tail count of <see cref="Quantiles.Cvar"/>, summed from the largest down. Equals -Cvar(-x).
    /// </summary>
    public static double UpperCvar(ReadOnlySpan<double> sortedValues, double alpha)
    {
        int n = sortedValues.Length;
        if (n == 0)
        {
            return double.NaN;
        }

        int k = Quantiles.TailCount(n, alpha);
        double sum = 0.0;
        for (int i = n - 1; i >= n - k; i--)
        {
            sum += sortedValues[i];
        }

        return sum / k;
    }

    /// <summary>Summary of one metric; allocates a scratch copy of <paramref name="values"/>.</summary>
    public static MetricSummary Summarize(string name, ReadOnlySpan<double> values, bool upperTail) =>
        Summarize(name, values, new double[values.Length], upperTail);

    /// <summary>
    /// Probability of an event from per-path flags: 1 = occurred, 0 = did not, NaN = not applicable
    /// to the path (excluded from N).
    /// </summary>
    /// <exception cref="ArgumentException">A flag is neither 0, 1 nor NaN.</exception>
    public static Probability EventProbability(ReadOnlySpan<double> flags)
    {
        long events = 0;
        long count = 0;
        for (int i = 0; i < flags.Length; i++)
        {
            double f = flags[i];
            if (double.IsNaN(f))
            {
                continue;
            }

            if (f == 1.0)
            {
                events++;
            }
            else if (f != 0.0)
            {
                throw new ArgumentException($"Flag {i} is {f}; flags must be 0, 1 or NaN.", nameof(flags));
            }

            count++;
        }

        return EventProbability(events, count);
    }

    /// <summary>Probability of an event that occurred on <paramref name="events"/> of <paramref name="count"/> paths.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not 0 ≤ events ≤ count.</exception>
    public static Probability EventProbability(long events, long count)
    {
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "must be >= 0");
        }

        if (events < 0 || events > count)
        {
            throw new ArgumentOutOfRangeException(nameof(events), events, $"must be in [0, {count}]");
        }

        if (count == 0)
        {
            return new Probability(double.NaN, double.NaN, 0);
        }

        double p = (double)events / count;
        return new Probability(p, Math.Sqrt(p * (1.0 - p) / count), count);
    }
}
