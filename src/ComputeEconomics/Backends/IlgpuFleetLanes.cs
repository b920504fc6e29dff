using ComputeEconomics.Kernels;
using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Models;
using ILGPU;
using ILGPU.Runtime;

namespace ComputeEconomics.Backends;

/// <summary>
/// The fleet kernel's choice on the ILGPU backends (CE_FLEET_KERNEL=classic|lanes): the classic kernel (a thread a path)
/// or the lane kernel (a group of lanes of one warp a path, <see cref="PathKernels.FleetLanesGrouped{TMath}"/>; the same
/// results bit for bit, docs/performance.md "The lane kernel"). Other model kinds always run their classic kernel.
/// </summary>
public sealed partial class IlgpuBackend
{
    /// <summary>Lanes a path at most (8 cohort slots a round on a 32-lane warp: 4 paths a warp).</summary>
    public const int MaxLanesPerPath = 8;

    /// <summary>CE_FLEET_KERNEL, read when the backend is created: "classic" (default) or "lanes".</summary>
    public static class FleetKernelSetting
    {
        public const string Variable = "CE_FLEET_KERNEL";

        public static string Value => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } v ? v : "classic";

        /// <summary>The setting named with its value and rule when it is neither classic nor lanes; null when valid.</summary>
        public static string? Invalid() => Value is "classic" or "lanes" ? null : $"{Variable}={Value}: must be classic or lanes";

        /// <summary>Exit 2 (<see cref="InputException"/>) on an invalid value.</summary>
        public static void Check()
        {
            if (Invalid() != null) throw new InputException(Variable, Value, "must be classic or lanes (the fleet kernel of the ILGPU backends)");
        }
    }

    /// <summary>True when fleet jobs run the lane kernel; set from CE_FLEET_KERNEL when the backend is created.</summary>
    public bool FleetLanes { get; set; } = FleetKernelSetting.Value == "lanes";

    /// <summary>Lanes serving one path on this accelerator: 8, or the warp size when that is smaller (4 on ILGPU's CPU accelerator).</summary>
    public int LanesPerPath => Math.Min(MaxLanesPerPath, _accelerator.WarpSize);

    /// <summary>Which fleet kernel runs, for `ce devices`, `ce bench` and the run's "math" line.</summary>
    public string FleetKernelDescription => FleetLanes
        ? $"lanes ({LanesPerPath} lanes a path, {LanesGroupSize} threads a group)"
        : "classic (a thread a path)";

    /// <summary>Threads a group of the lane kernel: CUDA's launch shape, else the accelerator's largest group, at most
    /// 256, in whole warps.</summary>
    private int LanesGroupSize
    {
        get
        {
            int warp = _accelerator.WarpSize;
            int wanted = _accelerator.AcceleratorType == AcceleratorType.Cuda ? _cudaGroupSize : Math.Min(256, _accelerator.MaxNumThreadsPerGroup);
            return Math.Max(warp, wanted / warp * warp);
        }
    }

    private Action<KernelConfig, ArrayView<FleetModel>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<float>, BatchInfo, LaneInfo>? _lanesKernel;

    /// <summary>
    /// Why this job cannot run on the lane kernel (exit 2, naming the field and the switch), or nothing. Shuffles and
    /// barriers need every path of a warp to take the same control flow: one parameter set per launch. The asset classes'
    /// purchase step writes path state from inside the cohort pass, which the lanes do not gather.
    /// </summary>
    public static void RefuseUnsupported(ModelJob<FleetModel> job)
    {
        const string Rule = "is not supported by the lane kernel (CE_FLEET_KERNEL=lanes); use CE_FLEET_KERNEL=classic";
        if (job.PerPathVariants)
            throw new InputException("uncertain inputs (a distribution on a field)", $"{job.Variants.Length} per-path parameter sets", Rule);
        if (job.Variants.Length > 1)
            throw new InputException("sweep points packed in one launch", $"{job.Variants.Length} parameter sets", Rule);
        if (job.Model.P.AssetClassesOn != Switch.Off)
            throw new InputException("fleet.depreciation.asset_classes", "a share above 0", Rule);
    }

    /// <summary>The lane kernel on a batch: groups of whole warps, a path on <see cref="LanesPerPath"/> lanes, the batch
    /// padded to whole groups (the padding paths have scratch and write nothing else); pieces of
    /// <see cref="CpuLaunchPaths"/> on the CPU accelerator, as the classic kernel.</summary>
    private void LaunchLanes(ModelJob<FleetModel> job, long offset, int count, double[]? metrics, float[] bands, long bandPaths,
        CancellationToken cancellation)
    {
        RefuseUnsupported(job);
        var acc = _accelerator;
        int lanes = LanesPerPath, group = LanesGroupSize, perGroup = group / lanes;
        int padded = (count + perGroup - 1) / perGroup * perGroup;
        long bandStride = (long)job.Months * job.SeriesNames.Count;
        WaitForAbandoned(cancellation);
        EnsureBuffers(job, padded, Math.Max(1, bandPaths * bandStride));
        var kernel = _lanesKernel ??= Compile(LoadLanesKernel, cancellation);
        var info = new BatchInfo
        {
            PathOffset = offset, BandPaths = bandPaths, MetricCount = job.MetricNames.Count, BandStride = bandStride,
            BatchCount = count, PathsPerVariant = job.PathsPerVariant, PerPathVariants = 0, FirstVariantPath = job.FirstVariantPath,
        };
        var modelView = ((MemoryBuffer1D<FleetModel, Stride1D.Dense>)_models!).View;
        int piece = acc.AcceleratorType == AcceleratorType.CPU ? Math.Max(perGroup, CpuLaunchPaths / perGroup * perGroup) : padded;
        for (int a = 0; a < count; a += piece)
        {
            cancellation.ThrowIfCancellationRequested();
            int groups = (Math.Min(piece, count - a) + perGroup - 1) / perGroup;
            kernel(new KernelConfig(groups, group), modelView, _data!.View, _scratch!.View, _metrics!.View, _bands!.View, info,
                new LaneInfo { LanesPerPath = lanes, FirstIndex = a, ScratchStride = padded });
            if (piece < count) acc.Synchronize();   // a piece at a time, so the token is checked while the batch runs
        }
        acc.Synchronize();   // explicit, so the copies are timed apart from the kernel
        CopyResults(offset, count, job.MetricNames.Count, bandStride, metrics, bands, bandPaths);
    }

    private Action<KernelConfig, ArrayView<FleetModel>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<float>, BatchInfo, LaneInfo> LoadLanesKernel()
    {
        var spec = _accelerator.AcceleratorType == AcceleratorType.Cuda
            ? new KernelSpecialization(LanesGroupSize, _cudaMinGroups > 0 ? _cudaMinGroups : null)
            : default;
        return _doubleMath
            ? _accelerator.LoadStreamKernel<ArrayView<FleetModel>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<float>, BatchInfo, LaneInfo>(
                PathKernels.FleetLanesGrouped<DoubleMath>, spec)
            : _accelerator.LoadStreamKernel<ArrayView<FleetModel>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<float>, BatchInfo, LaneInfo>(
                PathKernels.FleetLanesGrouped<FloatMath>, spec);
    }
}
