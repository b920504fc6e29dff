using ComputeEconomics.Models;

namespace ComputeEconomics.Backends;

/// <summary>
/// A backend that reduces each batch's per-path metrics where they were computed (<c>--statistics device</c>) and
/// copies only the summaries to the host: per metric and chunk of <see cref="DeviceReductionShape.ChunkPaths"/> paths
/// (at fixed positions in the batch), the chunk's exact moments and a sorted sample of
/// <see cref="DeviceReductionShape.SampleSize"/> values for the quantile sketch, and per batch exact month-of-event
/// counts. What a batch copies is a fixed number of bytes per chunk, whatever the chunk's paths.
/// </summary>
public interface IDeviceReduction
{
    /// <summary>Bytes copied from the device to the host so far (per-path metrics, band series and summaries).</summary>
    long BytesToHost { get; }

    /// <summary>Time spent in the reduction kernels (sorts included), apart from the path kernel and the copies.</summary>
    TimeSpan ReductionTime { get; }

    /// <summary>
    /// Simulate paths [pathOffset, pathOffset + count) like <see cref="IBackend.Run"/>, then reduce them on the device
    /// as <paramref name="shape"/> says. Every batch but the last must be a multiple of the shape's chunk.
    /// <paramref name="hostMetrics"/>: when set, the per-path metrics are also copied there, as <see cref="IBackend.Run"/> does
    /// (<c>--per-path</c>: the transfer a device reduction otherwise saves).
    /// </summary>
    DeviceBatchSummary RunReduced(IModelJob job, long pathOffset, int count, float[] bands, long bandPaths,
        DeviceReductionShape shape, CancellationToken cancellation = default, double[]? hostMetrics = null);
}

/// <summary>What a device reduction computes.</summary>
/// <param name="ChunkPaths">Paths per chunk: a power of two and a multiple of the moment block (4,096).</param>
/// <param name="SampleSize">Values a chunk sends per metric: a power of two, at most <paramref name="ChunkPaths"/>.</param>
/// <param name="MonthMetrics">Indices of the metrics whose months are counted.</param>
/// <param name="Months">Bins of those counts.</param>
public sealed record DeviceReductionShape(int ChunkPaths, int SampleSize, int[] MonthMetrics, int Months);

/// <summary>What a device reduction copies to the host for one batch.</summary>
/// <param name="Count">Paths in the batch.</param>
/// <param name="Chunks">Chunks in the batch (the last may be partial).</param>
/// <param name="ChunkMoments">Per metric j and chunk c, at (j x Chunks + c) x 8: count, absent, mean, M2, min, max, negatives, positives.</param>
/// <param name="MonthCounts">Per listed month metric m, at m x months + month: the paths whose event fell in that month.</param>
/// <param name="SampleSize">Values per (metric, chunk) in <paramref name="Samples"/>.</param>
/// <param name="Samples">
/// Per metric j and chunk c, from (j x Chunks + c) x SampleSize: the chunk's present values of ranks 0, 2^L, 2 x 2^L, ...
/// (L = <c>ReductionKernels.SampleLevel(count, SampleSize)</c>, count from <paramref name="ChunkMoments"/>), then NaN.
/// </param>
public sealed record DeviceBatchSummary(int Count, int Chunks, double[] ChunkMoments, long[] MonthCounts, int SampleSize, double[] Samples)
{
    /// <summary>Doubles per moment summary in <see cref="ChunkMoments"/>.</summary>
    public const int MomentFields = Kernels.ReductionKernels.MomentFields;

    /// <summary>Bytes the summary took to copy.</summary>
    public long Bytes => (ChunkMoments.Length + MonthCounts.Length + (long)Samples.Length) * sizeof(double);
}
