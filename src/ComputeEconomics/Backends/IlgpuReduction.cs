using ComputeEconomics.Kernels;
using ComputeEconomics.Models;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Algorithms.RadixSortOperations;
using ILGPU.Runtime;

namespace ComputeEconomics.Backends;

/// <summary>The device reductions of <c>--statistics device</c> on the ILGPU backends (kernels: <see cref="ReductionKernels"/>).</summary>
public sealed partial class IlgpuBackend
{
    private Action<Index1D, ArrayView<double>, ArrayView<double>, ReduceInfo>? _blockMomentsKernel, _chunkMomentsKernel;
    private Action<Index1D, ArrayView<double>, ArrayView<int>, ArrayView<long>, ReduceInfo, int>? _monthsKernel;
    private Action<Index1D, ArrayView<double>, ArrayView<ulong>, int>? _keysKernel;
    private Action<Index1D, ArrayView<ulong>, ArrayView<double>, ArrayView<double>, ReduceInfo, int>? _sampleKernel;
    private Action<Index1D, ArrayView<ulong>, ReduceInfo>? _heapSortKernel;
    private RadixSort<ulong, Stride1D.Dense>? _radixSort;
    private MemoryBuffer1D<ulong, Stride1D.Dense>? _keys;
    private MemoryBuffer1D<int, Stride1D.Dense>? _sortTemp;
    private readonly System.Diagnostics.Stopwatch _reduction = new();

    /// <inheritdoc />
    public TimeSpan ReductionTime => _reduction.Elapsed;

    /// <summary>
    /// Sort each (metric, chunk) with ILGPU.Algorithms' radix sort (true: the default on a GPU) or with one heapsort
    /// thread per chunk (the default on the CPU accelerator, where the radix sort is some 50 times slower). The sorted
    /// keys, and so every result, are the same either way (tested).
    /// </summary>
    public bool RadixSortChunks { get; set; }

    /// <inheritdoc />
    public DeviceBatchSummary RunReduced(IModelJob job, long pathOffset, int count, float[] bands, long bandPaths,
        DeviceReductionShape shape, CancellationToken cancellation = default, double[]? hostMetrics = null)
        => Guarded(job, count, () =>
        {
            job.Accept(new Runner(this, pathOffset, count, hostMetrics, bands, bandPaths, cancellation));   // ends synchronized
            cancellation.ThrowIfCancellationRequested();
            return Reduce(count, job.MetricNames.Count, shape, cancellation);
        });

    /// <summary>Reduce the metrics of the batch just simulated (in <see cref="_metrics"/>) and copy the summaries to the host.</summary>
    private DeviceBatchSummary Reduce(int count, int k, DeviceReductionShape shape, CancellationToken cancellation)
    {
        var acc = _accelerator;
        int blockPaths = Statistics.Moments.BlockSize;
        var info = new ReduceInfo
        {
            BatchCount = count, MetricCount = k, BlockPaths = blockPaths, Blocks = (count + blockPaths - 1) / blockPaths,
            ChunkPaths = shape.ChunkPaths, Chunks = (count + shape.ChunkPaths - 1) / shape.ChunkPaths, SampleSize = shape.SampleSize,
            Months = Math.Max(1, shape.Months),
        };
        if (_heapSortKernel == null) Compile(() => { LoadReductionKernels(shape.ChunkPaths); return true; }, cancellation);   // the first batch compiles them
        else LoadReductionKernels(shape.ChunkPaths);
        _reduction.Start();
        long metricLen = (long)count * k;
        if (_keys == null || _keys.Length < metricLen) { _keys?.Dispose(); _keys = acc.Allocate1D<ulong>(metricLen); }
        using var blocks = acc.Allocate1D<double>((long)k * info.Blocks * ReductionKernels.MomentFields);
        using var chunks = acc.Allocate1D<double>((long)k * info.Chunks * ReductionKernels.MomentFields);
        using var samples = acc.Allocate1D<double>((long)k * info.Chunks * shape.SampleSize);
        using var counts = acc.Allocate1D<long>(Math.Max(1, (long)shape.MonthMetrics.Length * info.Months));
        using var which = acc.Allocate1D(shape.MonthMetrics.Length > 0 ? shape.MonthMetrics : new[] { 0 });   // a synchronous copy
        var metrics = _metrics!.View.SubView(0, metricLen);
        _blockMomentsKernel!(k * info.Blocks, metrics, blocks.View, info);
        _chunkMomentsKernel!(k * info.Chunks, blocks.View, chunks.View, info);
        counts.MemSetToZero();
        if (shape.MonthMetrics.Length > 0)
        {
            _monthsKernel!(Launched(count), metrics, which.View.SubView(0, shape.MonthMetrics.Length), counts.View, info, Launched(count));
        }
        _keysKernel!(Launched(metricLen), metrics, _keys.View.SubView(0, metricLen), Launched(metricLen));
        if (!RadixSortChunks) _heapSortKernel!(k * info.Chunks, _keys.View.SubView(0, metricLen), info);
        else
            for (long j = 0; j < k; j++)   // each (metric, chunk) sorted on its own: the chunks sit at fixed path positions
                for (long c = 0; c < info.Chunks; c++)
                {
                    long first = c * shape.ChunkPaths, length = Math.Min(shape.ChunkPaths, count - first);
                    _radixSort!(acc.DefaultStream, _keys.View.SubView(j * count + first, length), _sortTemp!.View);
                }
        long slots = (long)k * info.Chunks * shape.SampleSize;
        _sampleKernel!(Launched(slots), _keys.View.SubView(0, metricLen), chunks.View, samples.View, info, Launched(slots));
        acc.Synchronize();   // explicit, so the copies below are timed apart from the kernels
        _reduction.Stop();
        _transfer.Start();
        var summary = new DeviceBatchSummary(count, info.Chunks, chunks.GetAsArray1D(),
            shape.MonthMetrics.Length > 0 ? counts.GetAsArray1D() : Array.Empty<long>(), shape.SampleSize, samples.GetAsArray1D());
        _transfer.Stop();
        Interlocked.Add(ref _bytesToHost, summary.Bytes);
        return summary;
    }

    /// <summary>
    /// Threads of an element-wise reduction kernel over <paramref name="elements"/>: one each on a GPU; on the CPU
    /// accelerator at most <see cref="CpuReductionThreads"/>, each looping over a stride (an index there costs more than
    /// the work). The results do not depend on it.
    /// </summary>
    private int Launched(long elements) =>
        (int)Math.Max(1, _accelerator.AcceleratorType == AcceleratorType.CPU ? Math.Min(elements, CpuReductionThreads) : elements);

    /// <summary>Most threads of an element-wise reduction kernel on the CPU accelerator.</summary>
    public const int CpuReductionThreads = 256;

    /// <summary>Load the reduction kernels once, and the radix sort with temporary storage for a chunk of <paramref name="chunkPaths"/> keys.</summary>
    private void LoadReductionKernels(int chunkPaths)
    {
        var acc = _accelerator;
        _blockMomentsKernel ??= acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, ReduceInfo>(ReductionKernels.BlockMomentsKernel);
        _chunkMomentsKernel ??= acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, ReduceInfo>(ReductionKernels.ChunkMomentsKernel);
        _monthsKernel ??= acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<int>, ArrayView<long>, ReduceInfo, int>(ReductionKernels.MonthCountsKernel);
        _keysKernel ??= acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<ulong>, int>(ReductionKernels.SortKeysKernel);
        _sampleKernel ??= acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<ulong>, ArrayView<double>, ArrayView<double>, ReduceInfo, int>(ReductionKernels.ChunkSampleKernel);
        _heapSortKernel ??= acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<ulong>, ReduceInfo>(ReductionKernels.ChunkHeapSortKernel);
        if (!RadixSortChunks) return;
        _radixSort ??= acc.CreateRadixSort<ulong, Stride1D.Dense, AscendingUInt64>();
        long temp = acc.ComputeRadixSortTempStorageSize<ulong, AscendingUInt64>(chunkPaths);
        if (_sortTemp == null || _sortTemp.Length < temp) { _sortTemp?.Dispose(); _sortTemp = acc.Allocate1D<int>(temp); }
    }
}
