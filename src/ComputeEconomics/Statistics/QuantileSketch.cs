namespace ComputeEconomics.Statistics;

/// <summary>
/// A deterministic, mergeable quantile sketch (a multi-level compactor in the manner of Manku-Rajagopalan-Lindsay and
/// KLL, with deterministic compaction): level h holds at most <see cref="Capacity"/> values of weight 2^h; a full level
/// is sorted and every other value (the even positions, then the odd ones at the level's next compaction) moves up a
/// level with twice the weight. The sketch depends only on the sequence of values added (and, for a merge, on the
/// order of the merges), never on how the caller batched them.
/// </summary>
/// <remarks>
/// Rank-error bound: a compaction at level h changes the weighted count of the values at or below any y by at most
/// 2^h, so every estimated rank is within <see cref="RankErrorBound"/> (the sum of the compacted weights, tracked
/// exactly) of the true rank. <see cref="Quantile"/> returns a sample value whose rank (0-based, among the present
/// values) is within <see cref="RankErrorBound"/> of round((n - 1) p). The bound grows about as n x levels / capacity:
/// with the default capacity of 32,768, about 4e-4 n at 2e8 values.
/// </remarks>
public sealed class QuantileSketch
{
    /// <summary>Values per level by default.</summary>
    public const int DefaultCapacity = 1 << 15;

    private readonly List<double[]> _levels = new();
    private readonly List<int> _sizes = new();
    private readonly List<bool> _oddNext = new();

    /// <summary>A sketch whose levels hold <paramref name="capacity"/> values each (even, at least 2).</summary>
    public QuantileSketch(int capacity = DefaultCapacity)
    {
        if (capacity < 2 || capacity % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "must be even and at least 2");
        Capacity = capacity;
    }

    /// <summary>Values a level holds before it is compacted.</summary>
    public int Capacity { get; }

    /// <summary>Present values added (NaN is ignored).</summary>
    public long Count { get; private set; }

    /// <summary>The most any estimated rank can differ from the true rank, in values (the sum of the compacted weights).</summary>
    public long RankErrorBound { get; private set; }

    /// <summary><see cref="RankErrorBound"/> as a share of <see cref="Count"/> (0 while nothing was compacted).</summary>
    public double RelativeRankError => Count == 0 ? 0.0 : (double)RankErrorBound / Count;

    /// <summary>Bytes held by the levels.</summary>
    public long Bytes => (long)_levels.Count * Capacity * sizeof(double);

    /// <summary>Add one value; NaN (absent) is ignored.</summary>
    public void Add(double x)
    {
        if (double.IsNaN(x)) return;
        Count++;
        Insert(0, x);
    }

    /// <summary>Add the values of <paramref name="values"/> in order.</summary>
    public void Add(ReadOnlySpan<double> values)
    {
        foreach (double x in values) Add(x);
    }

    /// <summary>
    /// Add a thinned sample of <paramref name="count"/> present values: every 2^<paramref name="level"/>-th of them in
    /// ascending order, from the smallest (what a device reduction sends of a chunk). Each goes in at level
    /// <paramref name="level"/> (weight 2^level); the rank error bound grows by 2^level - 1 (0 at level 0): a rank
    /// estimated from the sample, 2^level x the sampled values at or below y, is within that of the true one.
    /// </summary>
    public void AddSample(ReadOnlySpan<double> sorted, int level, long count)
    {
        if (level < 0 || level > 40) throw new ArgumentOutOfRangeException(nameof(level), level, "must be from 0 to 40");
        long expected = (count + (1L << level) - 1) >> level;
        if (sorted.Length != expected)
            throw new ArgumentException($"a sample of {count} values at level {level} has {expected} values, not {sorted.Length}", nameof(sorted));
        Count += count;
        RankErrorBound += (1L << level) - 1;
        foreach (double x in sorted) Insert(level, x);
    }

    /// <summary>Add every value held by <paramref name="other"/> (with its weight) after this sketch's; deterministic for a fixed order of merges.</summary>
    public void Merge(QuantileSketch other)
    {
        if (other.Capacity != Capacity) throw new ArgumentException("sketches of different capacities", nameof(other));
        Count += other.Count;
        RankErrorBound += other.RankErrorBound;
        for (int h = 0; h < other._levels.Count; h++)
            for (int i = 0; i < other._sizes[h]; i++) Insert(h, other._levels[h][i]);
    }

    /// <summary>
    /// A sample value whose rank among the present values is within <see cref="RankErrorBound"/> of round((n - 1) p);
    /// NaN when the sketch is empty. Each call sorts the held values: for several quantiles take <see cref="Sorted"/> once.
    /// </summary>
    public double Quantile(double p) => Sorted().Quantile(p);

    /// <summary>
    /// Mean of the ⌈α n⌉ smallest (or, with <paramref name="upper"/>, largest) values as the sketch holds them: the
    /// tail's boundary is known to within <see cref="RankErrorBound"/> ranks.
    /// </summary>
    public double TailMean(double alpha, bool upper) => Sorted().TailMean(alpha, upper);

    /// <summary>
    /// The held values sorted once, for any number of <see cref="SortedSketch.Quantile"/> and
    /// <see cref="SortedSketch.TailMean"/> queries (a summary asks nine; sorting for each made a 2e8-path run's final
    /// statistics allocate some 2 GB of large-object garbage, its resident-set peak).
    /// </summary>
    public SortedSketch Sorted()
    {
        var (values, weights) = Items();
        return new SortedSketch(values, weights, Count);
    }

    /// <summary>The held values sorted ascending with their weights (2^level).</summary>
    public (double[] Values, long[] Weights) Items()
    {
        int total = 0;
        for (int h = 0; h < _sizes.Count; h++) total += _sizes[h];
        var values = new double[total];
        var weights = new long[total];
        int at = 0;
        for (int h = 0; h < _levels.Count; h++)
        {
            Array.Copy(_levels[h], 0, values, at, _sizes[h]);
            weights.AsSpan(at, _sizes[h]).Fill(1L << h);
            at += _sizes[h];
        }
        Array.Sort(values, weights);
        return (values, weights);
    }

    private void Insert(int level, double x)
    {
        while (_levels.Count <= level)
        {
            _levels.Add(new double[Capacity]);
            _sizes.Add(0);
            _oddNext.Add(false);
        }
        _levels[level][_sizes[level]++] = x;
        if (_sizes[level] == Capacity) Compact(level);
    }

    /// <summary>Sort the full level, move every other value up (even positions, then odd at the next compaction), empty it.</summary>
    private void Compact(int level)
    {
        var buffer = _levels[level];
        Array.Sort(buffer);
        int start = _oddNext[level] ? 1 : 0;
        _oddNext[level] = !_oddNext[level];
        _sizes[level] = 0;
        RankErrorBound += 1L << level;
        for (int i = start; i < Capacity; i += 2) Insert(level + 1, buffer[i]);
    }
}

/// <summary>A <see cref="QuantileSketch"/>'s held values, sorted ascending, with their weights (2^level).</summary>
public sealed class SortedSketch
{
    internal SortedSketch(double[] values, long[] weights, long count)
    {
        Values = values; Weights = weights; Count = count;
    }

    /// <summary>The held values, ascending.</summary>
    public double[] Values { get; }

    /// <summary>The weight of each held value.</summary>
    public long[] Weights { get; }

    /// <summary>Present values the sketch was given.</summary>
    public long Count { get; }

    /// <summary>See <see cref="QuantileSketch.Quantile"/>.</summary>
    public double Quantile(double p)
    {
        if (Values.Length == 0) return double.NaN;
        long target = (long)Math.Round((Count - 1) * Math.Clamp(p, 0.0, 1.0), MidpointRounding.AwayFromZero);
        long cumulative = 0;
        for (int i = 0; i < Values.Length; i++)
        {
            cumulative += Weights[i];
            if (cumulative > target) return Values[i];
        }
        return Values[^1];
    }

    /// <summary>See <see cref="QuantileSketch.TailMean"/>.</summary>
    public double TailMean(double alpha, bool upper)
    {
        if (Values.Length == 0) return double.NaN;
        long k = Quantiles.TailCount(Count, alpha);
        double sum = 0.0;
        long taken = 0;
        for (int j = 0; j < Values.Length && taken < k; j++)
        {
            int i = upper ? Values.Length - 1 - j : j;
            long w = Math.Min(Weights[i], k - taken);
            sum += Values[i] * w;
            taken += w;
        }
        return sum / k;
    }
}
