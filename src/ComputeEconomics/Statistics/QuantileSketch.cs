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
    /// NaN when the sketch is empty. Each call sorts the held values into new arrays: for several quantiles, or several
    /// sketches, take <see cref="Sorted(SketchScratch)"/> with one scratch.
    /// </summary>
    public double Quantile(double p) => Sorted().Quantile(p);

    /// <summary>
    /// Mean of the ⌈α n⌉ smallest (or, with <paramref name="upper"/>, largest) values as the sketch holds them: the
    /// tail's boundary is known to within <see cref="RankErrorBound"/> ranks.
    /// </summary>
    public double TailMean(double alpha, bool upper) => Sorted().TailMean(alpha, upper);

    /// <summary>Values the levels hold now (what a sorted view has: at most levels x <see cref="Capacity"/>).</summary>
    public int Held
    {
        get
        {
            int total = 0;
            for (int h = 0; h < _sizes.Count; h++) total += _sizes[h];
            return total;
        }
    }

    /// <summary>The held values sorted once into arrays of their own (see <see cref="Sorted(SketchScratch)"/>).</summary>
    public SortedSketch Sorted() => Sorted(new SketchScratch(Held));

    /// <summary>
    /// The held values sorted once, in <paramref name="scratch"/>'s arrays, for any number of
    /// <see cref="SortedSketch.Quantile"/>, <see cref="SortedSketch.TailMean"/> and histogram queries. The view is valid
    /// until <paramref name="scratch"/> is used again: a run's final statistics pass one scratch from metric to metric,
    /// so they allocate one pair of arrays a thread, not one a metric (sorting for each query made a 2e8-path run's
    /// final statistics allocate some 2 GB of large-object garbage, its resident-set peak). Every sorted view of the
    /// sketch (<see cref="Sorted()"/>, <see cref="Items"/>) comes from this one sort, so they agree value for value.
    /// </summary>
    public SortedSketch Sorted(SketchScratch scratch)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        int total = Held;
        var (values, weights) = scratch.Take(total);
        Fill(values, weights);
        values.AsSpan(0, total).Sort(weights.AsSpan(0, total));
        return new SortedSketch(values, weights, total, Count);
    }

    /// <summary>The held values sorted ascending with their weights (2^level), copied into arrays of their own.</summary>
    public (double[] Values, long[] Weights) Items()
    {
        var sorted = Sorted();
        return (sorted.Values.ToArray(), sorted.Weights.ToArray());
    }

    /// <summary>Copies the levels, lowest first, into the start of the arrays, each value with its level's weight.</summary>
    private void Fill(double[] values, long[] weights)
    {
        int at = 0;
        for (int h = 0; h < _levels.Count; h++)
        {
            Array.Copy(_levels[h], 0, values, at, _sizes[h]);
            weights.AsSpan(at, _sizes[h]).Fill(1L << h);
            at += _sizes[h];
        }
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

/// <summary>
/// Arrays reused by <see cref="QuantileSketch.Sorted(SketchScratch)"/>: grown to the largest sketch sorted through it, so
/// one scratch serves any number of sketches (one thread at a time; each sorted view is valid until the next).
/// </summary>
public sealed class SketchScratch
{
    private double[] _values;
    private long[] _weights;

    /// <summary>A scratch that holds <paramref name="capacity"/> values without growing (0: grows on first use).</summary>
    public SketchScratch(int capacity = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _values = new double[capacity];
        _weights = new long[capacity];
    }

    /// <summary>Bytes held: 16 a value (the value and its weight).</summary>
    public long Bytes => _values.LongLength * (sizeof(double) + sizeof(long));

    /// <summary>Values it holds without growing.</summary>
    public int Capacity => _values.Length;

    /// <summary>The arrays, at least <paramref name="count"/> long (replaced by arrays of exactly that length when shorter).</summary>
    internal (double[] Values, long[] Weights) Take(int count)
    {
        if (_values.Length < count)
        {
            _values = new double[count];
            _weights = new long[count];
        }
        return (_values, _weights);
    }
}

/// <summary>A <see cref="QuantileSketch"/>'s held values, sorted ascending, with their weights (2^level).</summary>
public sealed class SortedSketch
{
    private readonly double[] _values;
    private readonly long[] _weights;
    private readonly int _length;

    internal SortedSketch(double[] values, long[] weights, int length, long count)
    {
        _values = values; _weights = weights; _length = length; Count = count;
    }

    /// <summary>The held values, ascending.</summary>
    public ReadOnlySpan<double> Values => _values.AsSpan(0, _length);

    /// <summary>The weight of each held value.</summary>
    public ReadOnlySpan<long> Weights => _weights.AsSpan(0, _length);

    /// <summary>Present values the sketch was given.</summary>
    public long Count { get; }

    /// <summary>See <see cref="QuantileSketch.Quantile"/>.</summary>
    public double Quantile(double p)
    {
        if (_length == 0) return double.NaN;
        long target = (long)Math.Round((Count - 1) * Math.Clamp(p, 0.0, 1.0), MidpointRounding.AwayFromZero);
        long cumulative = 0;
        for (int i = 0; i < _length; i++)
        {
            cumulative += _weights[i];
            if (cumulative > target) return _values[i];
        }
        return _values[_length - 1];
    }

    /// <summary>See <see cref="QuantileSketch.TailMean"/>.</summary>
    public double TailMean(double alpha, bool upper)
    {
        if (_length == 0) return double.NaN;
        long k = Quantiles.TailCount(Count, alpha);
        double sum = 0.0;
        long taken = 0;
        for (int j = 0; j < _length && taken < k; j++)
        {
            int i = upper ? _length - 1 - j : j;
            long w = Math.Min(_weights[i], k - taken);
            sum += _values[i] * w;
            taken += w;
        }
        return sum / k;
    }
}
