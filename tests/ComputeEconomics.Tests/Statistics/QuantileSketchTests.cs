using ComputeEconomics.Statistics;

namespace ComputeEconomics.Tests.Statistics;

/// <summary>
/// The quantile sketch against the exact order statistics of the same sample: each quantile must be a sample value
/// whose rank is within the sketch's stated bound of round((n - 1) p), and the bound itself must stay under the
/// closed form levels x n / capacity.
/// </summary>
public class QuantileSketchTests
{
    private static readonly double[] Ps = { 0.0, 0.001, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 0.999, 1.0 };

    /// <summary>Lognormal draws with ties (rounded to 3 decimals) and 1 % absent values.</summary>
    private static double[] Sample(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            double z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            x[i] = rng.NextDouble() < 0.01 ? double.NaN : Math.Round(Math.Exp(z), 3);
        }
        return x;
    }

    /// <summary>Asserts that v is sorted[i] for some i within bound of the target rank.</summary>
    private static void AssertRankWithin(double[] sorted, double v, long target, long bound)
    {
        int first = Array.BinarySearch(sorted, v);
        Assert.True(first >= 0, $"{v} is not a sample value");
        int lo = first, hi = first;
        while (lo > 0 && sorted[lo - 1] == v) lo--;
        while (hi < sorted.Length - 1 && sorted[hi + 1] == v) hi++;
        Assert.True(lo <= target + bound && hi >= target - bound,
            $"value {v} holds ranks {lo}..{hi}; the target rank {target} +- {bound} is not among them");
    }

    private static double[] SortedPresent(double[] x) => x.Where(v => !double.IsNaN(v)).OrderBy(v => v).ToArray();

    [Theory]
    [InlineData(256, 1)]
    [InlineData(1024, 2)]
    [InlineData(4096, 3)]
    public void QuantilesAreOrderStatisticsWithinTheStatedRankBound(int capacity, int seed)
    {
        var x = Sample(400_000, seed);
        var sketch = new QuantileSketch(capacity);
        sketch.Add(x);
        var sorted = SortedPresent(x);
        Assert.Equal(sorted.Length, sketch.Count);
        Assert.True(sketch.RankErrorBound > 0);
        foreach (double p in Ps)
        {
            long target = (long)Math.Round((sorted.Length - 1) * p, MidpointRounding.AwayFromZero);
            AssertRankWithin(sorted, sketch.Quantile(p), target, sketch.RankErrorBound);
        }
        // Closed form: each level compacts at most n / (capacity 2^h) times, each time at most 2^h of rank error.
        double n = sorted.Length;
        int levels = (int)Math.Ceiling(Math.Log2(n / capacity)) + 1;
        Assert.True(sketch.RankErrorBound <= levels * n / capacity, $"bound {sketch.RankErrorBound} > {levels} x n / {capacity}");
        // Held weight equals the count: compaction of an even-sized level keeps the total.
        Assert.Equal(sketch.Count, sketch.Items().Weights.Sum());
    }

    [Fact]
    public void BelowCapacityTheSketchIsExact()
    {
        var x = Sample(3000, 4);
        var sketch = new QuantileSketch(4096);
        sketch.Add(x);
        var sorted = SortedPresent(x);
        Assert.Equal(0, sketch.RankErrorBound);
        foreach (double p in Ps)
            Assert.Equal(sorted[(int)Math.Round((sorted.Length - 1) * p, MidpointRounding.AwayFromZero)], sketch.Quantile(p));
        Assert.Equal(Quantiles.Cvar(sorted, 0.05), sketch.TailMean(0.05, upper: false));
        Assert.Equal(Summarizer.UpperCvar(sorted, 0.05), sketch.TailMean(0.05, upper: true));
    }

    [Fact]
    public void TheSketchDependsOnlyOnTheOrderOfTheValuesNotOnHowTheyWereBatched()
    {
        var x = Sample(100_000, 5);
        var whole = new QuantileSketch(512);
        whole.Add(x);
        var pieces = new QuantileSketch(512);
        var rng = new Random(9);
        for (int at = 0; at < x.Length;)
        {
            int n = Math.Min(x.Length - at, rng.Next(1, 5000));
            pieces.Add(x.AsSpan(at, n));
            at += n;
        }
        Assert.Equal(whole.Items().Values, pieces.Items().Values);
        Assert.Equal(whole.Items().Weights, pieces.Items().Weights);
        Assert.Equal(whole.RankErrorBound, pieces.RankErrorBound);
    }

    [Fact]
    public void MergedSketchesKeepTheSummedBound()
    {
        var x = Sample(300_000, 6);
        var parts = Enumerable.Range(0, 3).Select(_ => new QuantileSketch(1024)).ToArray();
        for (int s = 0; s < 3; s++) parts[s].Add(x.AsSpan(s * 100_000, 100_000));
        var merged = new QuantileSketch(1024);
        foreach (var part in parts) merged.Merge(part);
        Assert.True(merged.RankErrorBound >= parts.Sum(p => p.RankErrorBound));
        var sorted = SortedPresent(x);
        Assert.Equal(sorted.Length, merged.Count);
        foreach (double p in Ps)
        {
            long target = (long)Math.Round((sorted.Length - 1) * p, MidpointRounding.AwayFromZero);
            AssertRankWithin(sorted, merged.Quantile(p), target, merged.RankErrorBound);
        }
    }

    [Fact]
    public void AnOddCapacityIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantileSketch(1001));

    /// <summary>
    /// A thinned sample (every 8th of 1,000 sorted values, as a device chunk sends it) at level 3: each quantile is one of
    /// the values, and its rank (the value itself here: the values are 0 .. 999) is within the bound, 7, of round(999 p);
    /// the closed form of the estimate is 8 ceil((r + 1) / 8) - 1 >= r for the true rank r.
    /// </summary>
    [Fact]
    public void AThinnedSampleKeepsItsRankBound()
    {
        var sketch = new QuantileSketch(256);   // no compaction of the 125 values
        var sample = Enumerable.Range(0, 125).Select(i => (double)(8 * i)).ToArray();
        sketch.AddSample(sample, 3, 1000);
        Assert.Equal(1000, sketch.Count);
        Assert.Equal(7, sketch.RankErrorBound);
        foreach (double p in new[] { 0.0, 0.01, 0.1, 0.5, 0.9, 0.99, 1.0 })
        {
            double q = sketch.Quantile(p);
            long target = (long)Math.Round(999 * p, MidpointRounding.AwayFromZero);
            Assert.True(Math.Abs(q - target) <= sketch.RankErrorBound, $"p {p}: {q} for rank {target}");
        }
        Assert.Throws<ArgumentException>(() => sketch.AddSample(sample, 3, 2000));   // 2,000 values at level 3 would send 250
    }

    /// <summary>The query code before the reused scratch (Items() sorted into new arrays, then walked), kept here as the reference.</summary>
    private static double OldQuantile(double[] values, long[] weights, long count, double p)
    {
        if (values.Length == 0) return double.NaN;
        long target = (long)Math.Round((count - 1) * Math.Clamp(p, 0.0, 1.0), MidpointRounding.AwayFromZero);
        long cumulative = 0;
        for (int i = 0; i < values.Length; i++)
        {
            cumulative += weights[i];
            if (cumulative > target) return values[i];
        }
        return values[^1];
    }

    private static double OldTailMean(double[] values, long[] weights, long count, double alpha, bool upper)
    {
        if (values.Length == 0) return double.NaN;
        long k = Quantiles.TailCount(count, alpha);
        double sum = 0.0;
        long taken = 0;
        for (int j = 0; j < values.Length && taken < k; j++)
        {
            int i = upper ? values.Length - 1 - j : j;
            long w = Math.Min(weights[i], k - taken);
            sum += values[i] * w;
            taken += w;
        }
        return sum / k;
    }

    /// <summary>
    /// Sketches of different sizes (with ties and absent values) sorted one after another through one scratch, largest
    /// and smallest first: every view holds the values and weights of the sketch's own sorted items, and every quantile
    /// and tail mean equals the old query code's bit for bit; each quantile is also an exact order statistic of the data
    /// within the stated rank bound (the independent check).
    /// </summary>
    [Fact]
    public void ViewsThroughOneReusedScratchEqualTheOldQueriesBitForBit()
    {
        var sizes = new[] { 250_000, 1_000, 60_000, 0, 400_000, 7 };
        var scratch = new SketchScratch();
        for (int s = 0; s < sizes.Length; s++)
        {
            var x = Sample(sizes[s], 20 + s);
            var sketch = new QuantileSketch(2048);
            sketch.Add(x);
            var (values, weights) = sketch.Items();
            var view = sketch.Sorted(scratch);
            Assert.Equal(values, view.Values.ToArray());
            Assert.Equal(weights, view.Weights.ToArray());
            Assert.Equal(sketch.Held, view.Values.Length);
            var sorted = SortedPresent(x);
            foreach (double p in Ps)
            {
                double q = view.Quantile(p);
                Assert.Equal(BitConverter.DoubleToInt64Bits(OldQuantile(values, weights, sketch.Count, p)), BitConverter.DoubleToInt64Bits(q));
                if (sorted.Length > 0)
                    AssertRankWithin(sorted, q, (long)Math.Round((sorted.Length - 1) * p, MidpointRounding.AwayFromZero), sketch.RankErrorBound);
            }
            foreach (bool upper in new[] { false, true })
                foreach (double alpha in new[] { 0.001, 0.05, 0.5 })
                    Assert.Equal(BitConverter.DoubleToInt64Bits(OldTailMean(values, weights, sketch.Count, alpha, upper)),
                        BitConverter.DoubleToInt64Bits(view.TailMean(alpha, upper)));
        }
    }

    /// <summary>
    /// A scratch sized for the largest sketch serves every sketch without growing, and a sorted view with the nine
    /// queries of a summary allocates a few dozen bytes (the view object), not the 16 bytes a held value the old
    /// query code allocated (here about 57 KB a view for the largest sketch, whose 300,000 values fill 9 levels).
    /// </summary>
    [Fact]
    public void AScratchSizedForTheLargestSketchAllocatesNothingThatGrowsWithTheSketch()
    {
        var sketches = new[] { 300_000, 40_000, 120_000 }.Select((n, i) =>
        {
            var sk = new QuantileSketch(1024);
            sk.Add(Sample(n, 40 + i));
            return sk;
        }).ToArray();
        int held = sketches.Max(sk => sk.Held);
        Assert.True(16L * held > 32 * 1024, $"held {held}: the old query code's arrays must dwarf the bound below");
        var scratch = new SketchScratch(held);
        var probabilities = new[] { 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99 };
        double sink = 0;
        sink += sketches[0].Sorted(scratch).Quantile(0.5);   // first use: warm the code paths
        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var sk in sketches)
        {
            var view = sk.Sorted(scratch);
            foreach (double p in probabilities) sink += view.Quantile(p);
            sink += view.TailMean(0.05, upper: false) + view.TailMean(0.05, upper: true);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.False(double.IsNaN(sink));
        Assert.Equal(held, scratch.Capacity);
        Assert.True(allocated < 1024, $"{allocated} bytes allocated for {sketches.Length} sorted views (a held value is 16 bytes; {held} held)");
    }
}
