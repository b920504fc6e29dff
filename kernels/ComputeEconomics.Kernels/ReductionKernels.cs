using ILGPU;

namespace ComputeEconomics.Kernels;

/// <summary>Geometry of one batch's device reduction, passed by value to the reduction kernels.</summary>
public struct ReduceInfo
{
    /// <summary>Paths in the batch (the stride of the metric-major metrics buffer).</summary>
    public long BatchCount;
    /// <summary>Metrics per path.</summary>
    public int MetricCount;
    /// <summary>Paths per moment block (the host's <c>Moments.BlockSize</c>, 4096).</summary>
    public int BlockPaths;
    /// <summary>Moment blocks in the batch: ceil(BatchCount / BlockPaths).</summary>
    public int Blocks;
    /// <summary>Paths per chunk (a power of two, a multiple of BlockPaths): the unit of the moment summary and the sorted sample.</summary>
    public int ChunkPaths;
    /// <summary>Chunks in the batch: ceil(BatchCount / ChunkPaths).</summary>
    public int Chunks;
    /// <summary>Values a chunk sends to the host per metric (a power of two).</summary>
    public int SampleSize;
    /// <summary>Months of a month-of-event histogram.</summary>
    public int Months;
}

/// <summary>
/// Device reductions of a batch's per-path metrics (<c>--statistics device</c>): per metric and chunk of paths, exact
/// moments (blocks pushed in path order, then the chunk's blocks combined left to right), exact month-of-event counts,
/// and a fixed-size sample of the chunk's sorted values for the quantile sketch, so that only these summaries are
/// copied to the host. Every output depends only on the metric values and the fixed block and chunk positions, never on
/// the launch geometry.
/// </summary>
public static class ReductionKernels
{
    /// <summary>Doubles per moment summary: count, absent, mean, M2, min, max, negatives, positives.</summary>
    public const int MomentFields = 8;

    /// <summary>The sort key of an absent value (NaN): above every other key, so the present values sort first.</summary>
    public const ulong AbsentKey = ulong.MaxValue;

    /// <summary>
    /// Launch contract: index t in [0, MetricCount x Blocks): metric j = t / Blocks, block b = t % Blocks, the batch
    /// paths [b x BlockPaths, min(BatchCount, (b + 1) x BlockPaths)). Pushes them in path order with Welford's update,
    /// the operations of the host's <c>Moments.Push</c>, and writes <see cref="MomentFields"/> doubles at t x 8 of output.
    /// </summary>
    public static void BlockMomentsKernel(Index1D t, ArrayView<double> metrics, ArrayView<double> output, ReduceInfo info)
    {
        long j = t.X / info.Blocks, b = t.X % info.Blocks;
        long first = b * info.BlockPaths;
        long end = first + info.BlockPaths < info.BatchCount ? first + info.BlockPaths : info.BatchCount;
        long count = 0, absent = 0, negative = 0, positive = 0;
        double mean = 0.0, m2 = 0.0, min = 0.0, max = 0.0;
        for (long i = first; i < end; i++)
        {
            double x = metrics[j * info.BatchCount + i];
            if (double.IsNaN(x)) { absent++; continue; }
            if (x < 0) negative++;
            else if (x > 0) positive++;
            if (count == 0) { count = 1; mean = x; m2 = 0.0; min = x; max = x; continue; }
            count++;
            double delta = x - mean;
            mean += delta / count;
            m2 += delta * (x - mean);
            if (x < min) min = x;
            if (x > max) max = x;
        }
        long o = (long)t.X * MomentFields;
        output[o] = count; output[o + 1] = absent; output[o + 2] = mean; output[o + 3] = m2;
        output[o + 4] = min; output[o + 5] = max; output[o + 6] = negative; output[o + 7] = positive;
    }

    /// <summary>
    /// Launch contract: index t in [0, MetricCount x Chunks): metric j = t / Chunks, chunk c = t % Chunks. Combines the
    /// chunk's block summaries (blocks of metric j at (j x Blocks + b) x 8 of blocks, b from c x ChunkPaths / BlockPaths)
    /// left to right, from an empty summary, with the operations of the host's <c>Moments.Combine</c> (Chan et al.), and
    /// writes the chunk's summary at t x 8 of output.
    /// </summary>
    public static void ChunkMomentsKernel(Index1D t, ArrayView<double> blocks, ArrayView<double> output, ReduceInfo info)
    {
        long j = t.X / info.Chunks, c = t.X % info.Chunks;
        long perChunk = info.ChunkPaths / info.BlockPaths;
        long first = c * perChunk, end = first + perChunk < info.Blocks ? first + perChunk : info.Blocks;
        long count = 0, absent = 0, negative = 0, positive = 0;
        double mean = 0.0, m2 = 0.0, min = 0.0, max = 0.0;
        for (long b = first; b < end; b++)
        {
            long i = (j * info.Blocks + b) * MomentFields;
            long bc = (long)blocks[i];
            absent += (long)blocks[i + 1];
            negative += (long)blocks[i + 6];
            positive += (long)blocks[i + 7];
            if (bc == 0) continue;
            double bm = blocks[i + 2], bm2 = blocks[i + 3], bmin = blocks[i + 4], bmax = blocks[i + 5];
            if (count == 0) { count = bc; mean = bm; m2 = bm2; min = bmin; max = bmax; continue; }
            long n = count + bc;
            double na = count, nb = bc;
            double delta = bm - mean;
            mean += delta * (nb / n);
            m2 = m2 + bm2 + delta * delta * (na * nb / n);
            min = MinOf(min, bmin);
            max = MaxOf(max, bmax);
            count = n;
        }
        long o = (long)t.X * MomentFields;
        output[o] = count; output[o + 1] = absent; output[o + 2] = mean; output[o + 3] = m2;
        output[o + 4] = min; output[o + 5] = max; output[o + 6] = negative; output[o + 7] = positive;
    }

    /// <summary>System.Math.Min of two numbers (not NaN): the smaller, and -0 when they are equal and either is -0.</summary>
    public static double MinOf(double a, double b) => a < b ? a : b < a ? b : (Interop.FloatAsInt(a) >> 63) != 0 ? a : b;

    /// <summary>System.Math.Max of two numbers (not NaN): the larger, and +0 when they are equal and either is +0.</summary>
    public static double MaxOf(double a, double b) => a > b ? a : b > a ? b : (Interop.FloatAsInt(a) >> 63) != 0 ? b : a;

    /// <summary>
    /// Launch contract: index t in [0, launched); the batch paths i = t, t + launched, ... below BatchCount (all of them
    /// when launched = BatchCount, a GPU's launch; fewer threads on the CPU accelerator, where each index costs more than
    /// the work); for each listed month metric m (metric index monthMetrics[m]), a present value x adds 1 to
    /// counts[m x Months + clamp(floor(x), 0, Months - 1)]. Integer atomics: the counts do not depend on the order of the adds.
    /// </summary>
    public static void MonthCountsKernel(Index1D t, ArrayView<double> metrics, ArrayView<int> monthMetrics, ArrayView<long> counts, ReduceInfo info, int launched)
    {
        for (long i = t.X; i < info.BatchCount; i += launched)
            for (int m = 0; m < monthMetrics.IntLength; m++)
            {
                double x = metrics[monthMetrics[m] * info.BatchCount + i];
                if (double.IsNaN(x)) continue;
                int bin = x < 0 ? 0 : x >= info.Months - 1 ? info.Months - 1 : (int)x;
                Atomic.Add(ref counts[(long)m * info.Months + bin], 1L);
            }
    }

    /// <summary>
    /// Launch contract: index t in [0, launched); the elements i = t, t + launched, ... of keys (as many as the metrics
    /// it covers): keys[i] = <see cref="SortKey"/>(metrics[i]). Sorting the keys as unsigned integers sorts the values.
    /// </summary>
    public static void SortKeysKernel(Index1D t, ArrayView<double> metrics, ArrayView<ulong> keys, int launched)
    {
        for (long i = t.X; i < keys.Length; i += launched) keys[i] = SortKey(metrics[i]);
    }

    /// <summary>
    /// The order-preserving unsigned image of a double: x &lt; y (as numbers, -0 before +0) iff SortKey(x) &lt; SortKey(y);
    /// NaN (absent) maps to <see cref="AbsentKey"/>, after every number. Inverse: <see cref="FromSortKey"/>.
    /// </summary>
    public static ulong SortKey(double x)
    {
        if (double.IsNaN(x)) return AbsentKey;
        ulong bits = Interop.FloatAsInt(x);
        return (bits >> 63) != 0 ? ~bits : bits | 0x8000_0000_0000_0000UL;
    }

    /// <summary>The double whose <see cref="SortKey"/> is <paramref name="key"/> (bit for bit).</summary>
    public static double FromSortKey(ulong key) =>
        Interop.IntAsFloat((key >> 63) != 0 ? key & 0x7FFF_FFFF_FFFF_FFFFUL : ~key);

    /// <summary>
    /// Launch contract: index t in [0, MetricCount x Chunks): metric j = t / Chunks, chunk c = t % Chunks; sorts the
    /// chunk's keys (from j x BatchCount + c x ChunkPaths, min(ChunkPaths, BatchCount - c x ChunkPaths) of them) ascending
    /// in place with a heapsort, one thread per chunk. The sorted keys are the same whatever the sort: this is the CPU
    /// accelerator's (where ILGPU's radix sort emulates its groups' barriers with threads and is slow); GPUs use the radix sort.
    /// </summary>
    public static void ChunkHeapSortKernel(Index1D t, ArrayView<ulong> keys, ReduceInfo info)
    {
        long j = t.X / info.Chunks, c = t.X % info.Chunks;
        long first = c * info.ChunkPaths;
        long n = first + info.ChunkPaths < info.BatchCount ? info.ChunkPaths : info.BatchCount - first;
        long at = j * info.BatchCount + first;
        for (long start = n / 2 - 1; start >= 0; start--) SiftDown(keys, at, start, n);
        for (long end = n - 1; end > 0; end--)
        {
            ulong top = keys[at];
            keys[at] = keys[at + end];
            keys[at + end] = top;
            SiftDown(keys, at, 0, end);
        }
    }

    private static void SiftDown(ArrayView<ulong> view, long at, long root, long n)
    {
        while (true)
        {
            long child = 2 * root + 1;
            if (child >= n) return;
            if (child + 1 < n && view[at + child + 1] > view[at + child]) child++;
            if (view[at + child] <= view[at + root]) return;
            ulong swap = view[at + root];
            view[at + root] = view[at + child];
            view[at + child] = swap;
            root = child;
        }
    }

    /// <summary>
    /// The level L of a chunk's sample: the least L with ceil(present / 2^L) &lt;= sampleSize; the sample is the
    /// sorted values at ranks 0, 2^L, 2 x 2^L, ... (ceil(present / 2^L) of them).
    /// </summary>
    public static int SampleLevel(long present, int sampleSize)
    {
        int level = 0;
        while (((present + (1L << level) - 1) >> level) > sampleSize) level++;
        return level;
    }

    /// <summary>
    /// Launch contract: index t in [0, launched); each slot v = t, t + launched, ... below MetricCount x Chunks x
    /// SampleSize: s = v % SampleSize, u = v / SampleSize, metric j = u / Chunks, chunk c = u % Chunks. keys holds each chunk's keys sorted ascending (metric j's chunk c from
    /// j x BatchCount + c x ChunkPaths); chunkMoments[u x 8] is the chunk's present count m (its absent values sort last).
    /// Writes sample[v] = the value of rank s x 2^L, L = <see cref="SampleLevel"/>(m, SampleSize), or NaN when
    /// s x 2^L &gt;= m.
    /// </summary>
    public static void ChunkSampleKernel(Index1D t, ArrayView<ulong> keys, ArrayView<double> chunkMoments, ArrayView<double> sample, ReduceInfo info, int launched)
    {
        for (long v = t.X; v < sample.Length; v += launched)
        {
            long s = v % info.SampleSize, u = v / info.SampleSize;
            long j = u / info.Chunks, c = u % info.Chunks;
            long present = (long)chunkMoments[u * MomentFields];
            int level = SampleLevel(present, info.SampleSize);
            long rank = s << level;
            sample[v] = rank < present ? FromSortKey(keys[j * info.BatchCount + c * info.ChunkPaths + rank]) : double.NaN;
        }
    }
}
