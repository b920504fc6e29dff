using ComputeEconomics.Models;

namespace ComputeEconomics.Backends;

/// <summary>
/// A backend that reduces each batch's per-path metrics where they were computed (<c>--statistics device</c>) and
/// copies only the summaries to the host: per metric, the moments of each block of <see cref="BlockPaths"/> paths
/// (at fixed positions in the batch), exact month-of-event counts, and per chunk of <see cref="ChunkPaths"/> paths a
/// sorted sample of at most <see cref="SampleSize"/> values for the quantile sketch.
/// </summary>
public interface IDeviceReduction
{
    /// <summary>Paths per moment block (the host's <c>Moments.BlockSize</c>).</summary>
    int BlockPaths { get; }
    /// <summary>Paths per sketch chunk; every batch but the last must be a multiple of it (then no result depends on the batch size).</summary>
    int ChunkPaths { get; }
    /// <summary>Largest sample a chunk sends (a power of two).</summary>
    int SampleSize { get; }
    /// <summary>Bytes copied from the device to the host so far (per-path metrics, band series and summaries).</summary>
    long BytesToHost { get; }

    /// <summary>
    /// Simulate paths [pathOffset, pathOffset + count) like <see cref="IBackend.Run"/>, then reduce them on the device.
    /// <paramref name="monthMetrics"/>: indices of the metrics whose months are counted in <paramref name="months"/> bins.
    /// <paramref name="hostMetrics"/>: when set, the per-path metrics are also copied there, as <see cref="IBackend.Run"/> does
    /// (<c>--per-path</c>: the transfer a device reduction otherwise saves).
    /// </summary>
    DeviceBatchSummary RunReduced(IModelJob job, long pathOffset, int count, float[] bands, long bandPaths,
        int[] monthMetrics, int months, CancellationToken cancellation = default, double[]? hostMetrics = null);
}

/// <summary>What a device reduction copies to the host for one batch.</summary>
/// <param name="Count">Paths in the batch.</param>
/// <param name="Blocks">Moment blocks per metric.</param>
/// <param name="BlockMoments">Per metric j and block b, at (j x Blocks + b) x 8: count, absent, mean, M2, min, max, negatives, positives.</param>
/// <param name="MonthCounts">Per listed month metric m, at m x months + month: the paths whose event fell in that month.</param>
/// <param name="Chunks">Sketch chunks per metric.</param>
/// <param name="SampleSize">Values reserved per chunk in <paramref name="Samples"/>.</param>
/// <param name="Samples">Per metric j and chunk c, from (j x Chunks + c) x SampleSize: the chunk's sorted, thinned sample.</param>
/// <param name="SampleMeta">Per metric j and chunk c, at 2 (j x Chunks + c): the chunk's present values, then the sample's level.</param>
public sealed record DeviceBatchSummary(int Count, int Blocks, double[] BlockMoments, long[] MonthCounts, int Chunks, int SampleSize,
    double[] Samples, long[] SampleMeta)
{
    /// <summary>Doubles per moment block in <see cref="BlockMoments"/>.</summary>
    public const int MomentFields = Kernels.ReductionKernels.MomentFields;
}
