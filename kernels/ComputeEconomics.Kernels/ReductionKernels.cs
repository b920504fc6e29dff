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
    /// <summary>Paths per sketch chunk (a multiple of BlockPaths).</summary>
    public int ChunkPaths;
    /// <summary>Sketch chunks in the batch: ceil(BatchCount / ChunkPaths).</summary>
    public int Chunks;
    /// <summary>Largest sample a chunk sends to the host (a power of two).</summary>
    public int SampleSize;
    /// <summary>Months of a month-of-event histogram.</summary>
    public int Months;
}

/// <summary>
/// Device reductions of a batch's per-path metrics (<c>--statistics device</c>): exact moment blocks, exact
/// month-of-event counts and a sorted, thinned sample per chunk for the quantile sketch, so that only these summaries
/// are copied to the host. Every output depends only on the metric values and the fixed block and chunk positions,
/// never on the launch geometry.
/// </summary>
public static class ReductionKernels
{
    /// <summary>Doubles per moment block: count, absent, mean, M2, min, max, negatives, positives.</summary>
    public const int MomentFields = 8;

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
    /// Launch contract: index i in [0, BatchCount), a batch path; for each listed month metric m (metric index
    /// monthMetrics[m]), a present value x adds 1 to counts[m x Months + clamp(floor(x), 0, Months - 1)]. Integer atomics:
    /// the counts do not depend on the order of the adds.
    /// </summary>
    public static void MonthCountsKernel(Index1D i, ArrayView<double> metrics, ArrayView<int> monthMetrics, ArrayView<long> counts, ReduceInfo info)
    {
        for (int m = 0; m < monthMetrics.IntLength; m++)
        {
            double x = metrics[monthMetrics[m] * info.BatchCount + i.X];
            if (double.IsNaN(x)) continue;
            int bin = x < 0 ? 0 : x >= info.Months - 1 ? info.Months - 1 : (int)x;
            Atomic.Add(ref counts[(long)m * info.Months + bin], 1L);
        }
    }

    /// <summary>
    /// Launch contract: index t in [0, MetricCount x Chunks): metric j = t / Chunks, chunk c = t % Chunks. Copies the
    /// chunk's present values into scratch[j x BatchCount + c x ChunkPaths ...], sorts them (heapsort, in place), and
    /// writes every 2^L-th of the sorted values (from the smallest) to sample[t x SampleSize ...], L the least level with
    /// ceil(m / 2^L) &lt;= SampleSize for the m present values; meta[2t] = m, meta[2t + 1] = L.
    /// </summary>
    public static void ChunkSampleKernel(Index1D t, ArrayView<double> metrics, ArrayView<double> scratch, ArrayView<double> sample,
        ArrayView<long> meta, ReduceInfo info)
    {
        long j = t.X / info.Chunks, c = t.X % info.Chunks;
        long first = c * info.ChunkPaths;
        long end = first + info.ChunkPaths < info.BatchCount ? first + info.ChunkPaths : info.BatchCount;
        long at = j * info.BatchCount + first, m = 0;
        for (long i = first; i < end; i++)
        {
            double x = metrics[j * info.BatchCount + i];
            if (!double.IsNaN(x)) scratch[at + m++] = x;
        }
        HeapSort(scratch, at, m);
        int level = 0;
        while (((m + (1L << level) - 1) >> level) > info.SampleSize) level++;
        long taken = (m + (1L << level) - 1) >> level;
        for (long s = 0; s < taken; s++) sample[(long)t.X * info.SampleSize + s] = scratch[at + (s << level)];
        meta[2L * t.X] = m;
        meta[2L * t.X + 1] = level;
    }

    /// <summary>Sort view[at .. at + n) ascending in place (heapsort: no recursion, no allocation).</summary>
    private static void HeapSort(ArrayView<double> view, long at, long n)
    {
        for (long start = n / 2 - 1; start >= 0; start--) SiftDown(view, at, start, n);
        for (long end = n - 1; end > 0; end--)
        {
            double top = view[at];
            view[at] = view[at + end];
            view[at + end] = top;
            SiftDown(view, at, 0, end);
        }
    }

    private static void SiftDown(ArrayView<double> view, long at, long root, long n)
    {
        while (true)
        {
            long child = 2 * root + 1;
            if (child >= n) return;
            if (child + 1 < n && view[at + child + 1] > view[at + child]) child++;
            if (view[at + child] <= view[at + root]) return;
            double swap = view[at + root];
            view[at + root] = view[at + child];
            view[at + child] = swap;
            root = child;
        }
    }
}
