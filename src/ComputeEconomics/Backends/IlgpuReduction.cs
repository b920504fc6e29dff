using ComputeEconomics.Kernels;
using ComputeEconomics.Models;
using ILGPU;
using ILGPU.Runtime;

namespace ComputeEconomics.Backends;

/// <summary>The device reductions of <c>--statistics device</c> on the ILGPU backends (kernels: <see cref="ReductionKernels"/>).</summary>
public sealed partial class IlgpuBackend
{
    private Action<Index1D, ArrayView<double>, ArrayView<double>, ReduceInfo>? _momentsKernel;
    private Action<Index1D, ArrayView<double>, ArrayView<int>, ArrayView<long>, ReduceInfo>? _monthsKernel;
    private Action<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<long>, ReduceInfo>? _sampleKernel;

    /// <inheritdoc />
    public int BlockPaths => Statistics.Moments.BlockSize;
    /// <inheritdoc />
    public int ChunkPaths => 1 << 16;
    /// <inheritdoc />
    public int SampleSize => 1 << 12;

    /// <inheritdoc />
    public DeviceBatchSummary RunReduced(IModelJob job, long pathOffset, int count, float[] bands, long bandPaths,
        int[] monthMetrics, int months, CancellationToken cancellation = default, double[]? hostMetrics = null)
        => Guarded(job, count, () =>
        {
            job.Accept(new Runner(this, pathOffset, count, hostMetrics, bands, bandPaths, cancellation));
            cancellation.ThrowIfCancellationRequested();
            return Reduce(count, job.MetricNames.Count, monthMetrics, months);
        });

    /// <summary>Reduce the metrics of the batch just simulated (in <see cref="_metrics"/>) and copy the summaries to the host.</summary>
    private DeviceBatchSummary Reduce(int count, int k, int[] monthMetrics, int months)
    {
        var acc = _accelerator;
        var info = new ReduceInfo
        {
            BatchCount = count, MetricCount = k, BlockPaths = BlockPaths, Blocks = (count + BlockPaths - 1) / BlockPaths,
            ChunkPaths = ChunkPaths, Chunks = (count + ChunkPaths - 1) / ChunkPaths, SampleSize = SampleSize, Months = Math.Max(1, months),
        };
        _momentsKernel ??= acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, ReduceInfo>(ReductionKernels.BlockMomentsKernel);
        _monthsKernel ??= acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<int>, ArrayView<long>, ReduceInfo>(ReductionKernels.MonthCountsKernel);
        _sampleKernel ??= acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<long>, ReduceInfo>(ReductionKernels.ChunkSampleKernel);
        long metricLen = (long)count * k;
        if (_sort == null || _sort.Length < metricLen) { _sort?.Dispose(); _sort = acc.Allocate1D<double>(metricLen); }
        using var moments = acc.Allocate1D<double>((long)k * info.Blocks * ReductionKernels.MomentFields);
        using var samples = acc.Allocate1D<double>((long)k * info.Chunks * SampleSize);
        using var meta = acc.Allocate1D<long>(2L * k * info.Chunks);
        using var counts = acc.Allocate1D<long>(Math.Max(1, (long)monthMetrics.Length * info.Months));
        counts.MemSetToZero();
        var metrics = _metrics!.View.SubView(0, metricLen);
        _momentsKernel(k * info.Blocks, metrics, moments.View, info);
        if (monthMetrics.Length > 0)
        {
            using var which = acc.Allocate1D(monthMetrics);
            _monthsKernel(count, metrics, which.View, counts.View, info);
            acc.Synchronize();   // before `which` is freed
        }
        _sampleKernel(k * info.Chunks, metrics, _sort.View, samples.View, meta.View, info);
        acc.Synchronize();   // explicit, so the copies below are timed apart from the kernels
        _transfer.Start();
        var summary = new DeviceBatchSummary(count, info.Blocks, moments.GetAsArray1D(), monthMetrics.Length > 0 ? counts.GetAsArray1D() : Array.Empty<long>(),
            info.Chunks, SampleSize, samples.GetAsArray1D(), meta.GetAsArray1D());
        _transfer.Stop();
        Interlocked.Add(ref _bytesToHost, summary.BlockMoments.Length * 8L + summary.MonthCounts.Length * 8L + summary.Samples.Length * 8L + summary.SampleMeta.Length * 8L);
        return summary;
    }
}
