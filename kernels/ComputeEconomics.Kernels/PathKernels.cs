using ComputeEconomics.Kernels.Models;
using ILGPU;

namespace ComputeEconomics.Kernels;

/// <summary>Launch geometry of one batch, passed by value to the kernel.</summary>
public struct BatchInfo
{
    /// <summary>Global index of the batch's first path.</summary>
    public long PathOffset;
    /// <summary>Paths with a global index below this write monthly series into the band buffer.</summary>
    public long BandPaths;
    /// <summary>Metrics per path.</summary>
    public int MetricCount;
    /// <summary>Monthly values per path in the band buffer (months x series).</summary>
    public long BandStride;
    /// <summary>Number of paths in the batch (the scratch stride).</summary>
    public long BatchCount;
    /// <summary>Paths per variant: global index g is path g % PathsPerVariant of variant g / PathsPerVariant.</summary>
    public long PathsPerVariant;
    /// <summary>1 when every path has its own variant (uncertain inputs): global index g is path g with the
    /// parameters models[g - FirstVariantPath]; PathsPerVariant is then ignored.</summary>
    public int PerPathVariants;
    /// <summary>Global index of the path whose parameters are models[0] (per-path variants only).</summary>
    public long FirstVariantPath;
}

/// <summary>Geometry of a lane kernel launch (<see cref="PathKernels.FleetLanesGrouped{TMath}"/>), passed by value.</summary>
public struct LaneInfo
{
    /// <summary>Lanes serving one path: a power of two that divides the warp size and the group size.</summary>
    public int LanesPerPath;
    /// <summary>Batch index of the launch's first path (a launch may cover a piece of the batch).</summary>
    public int FirstIndex;
    /// <summary>Scratch stride: the batch rounded up to whole groups, so the padding paths past the batch have scratch.</summary>
    public int ScratchStride;
}

/// <summary>ILGPU entry points. One generic kernel serves every model and math policy.</summary>
public static class PathKernels
{
    /// <summary>
    /// Launch contract: index i is global index g = BatchInfo.PathOffset + i of the batch, 0 &lt;= i &lt; BatchCount;
    /// g is path g % PathsPerVariant of variant (sweep point) g / PathsPerVariant, whose parameters are
    /// models[variant]; with PerPathVariants set, g is path g itself with the parameters models[g - FirstVariantPath]
    /// (uncertain inputs drawn per path on the host). metrics: MetricCount x BatchCount doubles (batch-local, metric-major: metric k of batch path i at k * BatchCount + i). bands: BandPaths x BandStride
    /// floats, indexed by path (single-variant runs only). scratch: BatchCount x model scratch size,
    /// field-major (stride BatchCount). Counters consumed: see <see cref="Random.Streams"/>.
    /// </summary>
    public static void PathKernel<TModel, TMath>(
        Index1D i, ArrayView<TModel> models, ArrayView<double> data, ArrayView<double> scratch,
        ArrayView<double> metrics, ArrayView<float> bands, BatchInfo info)
        where TModel : unmanaged, IPathModel
        where TMath : struct, IMathPolicy
        => RunPath<TModel, TMath>(i.X, models, data, scratch, metrics, bands, info);

    /// <summary>
    /// The same kernel, explicitly grouped (launched with a KernelConfig of ceil(BatchCount / group) groups), so the
    /// CUDA backend can load it with a <see cref="ILGPU.Runtime.KernelSpecialization"/> (threads per group, minimum
    /// groups per multiprocessor: ptxas then caps the registers per thread to reach that occupancy).
    /// </summary>
    public static void PathKernelGrouped<TModel, TMath>(
        ArrayView<TModel> models, ArrayView<double> data, ArrayView<double> scratch,
        ArrayView<double> metrics, ArrayView<float> bands, BatchInfo info)
        where TModel : unmanaged, IPathModel
        where TMath : struct, IMathPolicy
    {
        int index = Grid.GlobalIndex.X;
        if (index < info.BatchCount) RunPath<TModel, TMath>(index, models, data, scratch, metrics, bands, info);
    }

    /// <summary>
    /// The fleet's lane kernel (CE_FLEET_KERNEL=lanes; docs/performance.md, "The lane kernel"), explicitly grouped: thread
    /// x of the launch is lane x % L of batch path FirstIndex + x / L (L = LanesPerPath, the group size a multiple of the
    /// warp size, and L a power of two dividing it, so a path's lanes sit in one warp). One variant: models[0]; global
    /// path PathOffset + index. Paths at or past BatchCount are padding: they run (every lane of a warp must reach each
    /// shuffle and barrier) on their own scratch (stride ScratchStride) and write nothing else. Metrics, bands and scratch
    /// as in <see cref="PathKernel{TModel, TMath}"/>; the results are the classic kernel's, bit for bit.
    /// </summary>
    public static void FleetLanesGrouped<TMath>(
        ArrayView<FleetModel> models, ArrayView<double> data, ArrayView<double> scratch,
        ArrayView<double> metrics, ArrayView<float> bands, BatchInfo info, LaneInfo lanes)
        where TMath : struct, IMathPolicy
    {
        int thread = Grid.GlobalIndex.X;
        int within = thread / lanes.LanesPerPath;
        int lane = thread - within * lanes.LanesPerPath;
        int index = lanes.FirstIndex + within;
        bool real = index < info.BatchCount;
        long path = info.PathOffset + index;
        ref FleetModel model = ref models[0];
        var slot = new PathSlot
        {
            Path = path,
            MetricBase = index,
            MetricStride = (int)info.BatchCount,
            BandBase = real && path < info.BandPaths ? path * info.BandStride : -1,
            ScratchBase = index,
            ScratchStride = lanes.ScratchStride,
        };
        model.SimulateLanes<TMath, ViewVec<double>, ViewVec<float>>(slot, lane, lanes.LanesPerPath, real,
            new ViewVec<double>(data), new ViewVec<double>(scratch),
            new ViewVec<double>(metrics), new ViewVec<float>(bands));
    }

    private static void RunPath<TModel, TMath>(
        int index, ArrayView<TModel> models, ArrayView<double> data, ArrayView<double> scratch,
        ArrayView<double> metrics, ArrayView<float> bands, BatchInfo info)
        where TModel : unmanaged, IPathModel
        where TMath : struct, IMathPolicy
    {
        long global = info.PathOffset + index;
        long variant, path;
        bool ownBands;
        if (info.PerPathVariants != 0)
        {
            variant = global - info.FirstVariantPath;
            path = global;
            ownBands = true;
        }
        else
        {
            variant = global / info.PathsPerVariant;
            path = global - variant * info.PathsPerVariant;
            ownBands = variant == 0;
        }
        // By reference: the parameters are read where they lie (one copy per variant, shared by the threads and
        // cached), not copied into every thread's local memory.
        ref TModel model = ref models[variant];
        var slot = new PathSlot
        {
            Path = path,
            MetricBase = index,
            MetricStride = (int)info.BatchCount,
            BandBase = ownBands && path < info.BandPaths ? path * info.BandStride : -1,
            ScratchBase = index,
            ScratchStride = (int)info.BatchCount,
        };
        model.Simulate<TMath, ViewVec<double>, ViewVec<float>>(slot,
            new ViewVec<double>(data), new ViewVec<double>(scratch),
            new ViewVec<double>(metrics), new ViewVec<float>(bands));
    }

    /// <summary>Philox known-answer kernel: out[4i..4i+3] = Philox(counter_i, key_i) for inputs laid out as 6 words each.</summary>
    public static void PhiloxKernel(Index1D i, ArrayView<uint> input, ArrayView<uint> output)
    {
        long b = (long)i.X * 6;
        var r = Random.Philox4x32.Generate(new Random.UInt4(input[b], input[b + 1], input[b + 2], input[b + 3]), input[b + 4], input[b + 5]);
        output[(long)i.X * 4] = r.X;
        output[(long)i.X * 4 + 1] = r.Y;
        output[(long)i.X * 4 + 2] = r.Z;
        output[(long)i.X * 4 + 3] = r.W;
    }
}
