using System.Reflection;
using ComputeEconomics.Kernels;
using ComputeEconomics.Kernels.Models;
using ILGPU;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace ComputeEconomics.Tests.Kernels;

/// <summary>
/// The ILGPU CPU accelerator runs kernels as .NET code, so it cannot prove that a kernel is valid GPU code.
/// These tests compile every model kernel to PTX for the H100 (SM_90) with ILGPU's PTX backend, which needs
/// no GPU: anything the CUDA backend cannot translate (a reference type, an unsupported intrinsic) fails here, in CI.
/// </summary>
public class PtxCompileTests
{
    public static TheoryData<Type, Type> Kernels => new()
    {
        { typeof(FleetModel), typeof(FloatMath) },
        { typeof(FleetModel), typeof(DoubleMath) },
        { typeof(MarketModel), typeof(FloatMath) },
        { typeof(MarketModel), typeof(DoubleMath) },
        { typeof(LabModel), typeof(FloatMath) },
        { typeof(LabModel), typeof(DoubleMath) },
        { typeof(SectorModel), typeof(FloatMath) },
        { typeof(SectorModel), typeof(DoubleMath) },
        { typeof(EconomyModel), typeof(FloatMath) },
        { typeof(EconomyModel), typeof(DoubleMath) },
    };

    [Theory]
    [MemberData(nameof(Kernels))]
    public void ModelKernelCompilesToPtxForSm90(Type model, Type math)
    {
        using var context = Context.Create(b => b.Cuda().EnableAlgorithms());
        using var backend = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_90),
            CudaArchitecture.SM_90, CudaInstructionSet.ISA_88, nvvmAPI: null);
        MethodInfo kernel = typeof(PathKernels).GetMethod(nameof(PathKernels.PathKernel))!.MakeGenericMethod(model, math);
        var entry = EntryPointDescription.FromImplicitlyGroupedKernel(kernel);
        var compiled = (PTXCompiledKernel)backend.Compile(entry, default(KernelSpecialization));
        Assert.Contains(".entry", compiled.PTXAssembly);
        // ILGPU 1.5.3 writes `.target sm_80` for SM_90 requests; the driver JIT-compiles that PTX for the H100.
        Assert.Matches(@"\.target sm_[89]\d", compiled.PTXAssembly);
    }

    [Theory]
    [InlineData(256, 2)]
    [InlineData(128, 0)]
    public void GroupedFleetKernelCarriesItsLaunchBoundsIntoThePtx(int group, int minGroups)
    {
        using var context = Context.Create(b => b.Cuda().EnableAlgorithms());
        using var backend = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_90),
            CudaArchitecture.SM_90, CudaInstructionSet.ISA_88, nvvmAPI: null);
        MethodInfo kernel = typeof(PathKernels).GetMethod(nameof(PathKernels.PathKernelGrouped))!.MakeGenericMethod(typeof(FleetModel), typeof(FloatMath));
        var entry = EntryPointDescription.FromExplicitlyGroupedKernel(kernel);
        var compiled = (PTXCompiledKernel)backend.Compile(entry, new KernelSpecialization(group, minGroups > 0 ? minGroups : null));
        // .maxntid and .minnctapersm are what make ptxas cap the registers (the occupancy knob of IlgpuBackend.Tuning).
        Assert.Matches($@"\.maxntid {group}\b", compiled.PTXAssembly);
        if (minGroups > 0) Assert.Matches($@"\.minnctapersm {minGroups}\b", compiled.PTXAssembly);
        else Assert.DoesNotContain(".minnctapersm", compiled.PTXAssembly);
    }

    [Theory]
    [InlineData(typeof(DoubleMath))]
    [InlineData(typeof(FloatMath))]
    public void FleetLaneKernelCompilesToPtxWithWarpShufflesAndBarriers(Type math)
    {
        using var context = Context.Create(b => b.Cuda().EnableAlgorithms());
        using var backend = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_90),
            CudaArchitecture.SM_90, CudaInstructionSet.ISA_88, nvvmAPI: null);
        MethodInfo kernel = typeof(PathKernels).GetMethod(nameof(PathKernels.FleetLanesGrouped))!.MakeGenericMethod(math);
        var compiled = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(kernel), new KernelSpecialization(384, 1));
        // The cohorts' totals reach the leader lane by sub-warp shuffles; the scratch hand-overs are warp barriers.
        Assert.Contains("shfl.sync.idx", compiled.PTXAssembly);
        Assert.Contains("bar.warp.sync", compiled.PTXAssembly);
        Assert.Matches(@"\.maxntid 384\b", compiled.PTXAssembly);
    }

    private static void InvCdfSelectKernel(Index1D i, ArrayView<double> u) => u[i] = ComputeEconomics.Kernels.Random.Normal.InvCdfSelect<FloatMath>(u[i]);

    private static void InvCdfKernel(Index1D i, ArrayView<double> u) => u[i] = ComputeEconomics.Kernels.Random.Normal.InvCdf<FloatMath>(u[i]);

    [Fact]
    public void TheSelectingInverseNormalHasNoBranchInPtx()
    {
        // Branch-free where it matters, on the GPU: ILGPU turns a ternary whose operands it can sink into a branch, so the
        // selecting inverse uses min and a bit mask; the branched one (AS241 as written) keeps its branches. FloatMath: its
        // log is one hardware instruction, where ILGPU's own double log (DoubleMath without libdevice) branches inside.
        using var context = Context.Create(b => b.Cuda().EnableAlgorithms());
        using var backend = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_90),
            CudaArchitecture.SM_90, CudaInstructionSet.ISA_88, nvvmAPI: null);
        string Ptx(string name) => ((PTXCompiledKernel)backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(
            typeof(PtxCompileTests).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!), default(KernelSpecialization))).PTXAssembly;
        static int Branches(string ptx) => System.Text.RegularExpressions.Regex.Matches(ptx, @"\bbra(\.uni)?\b").Count;
        Assert.Equal(0, Branches(Ptx(nameof(InvCdfSelectKernel))));
        Assert.True(Branches(Ptx(nameof(InvCdfKernel))) > 0, "the branched inverse should branch");
    }

    [Fact]
    public void PhiloxKernelCompilesToPtxForSm90()
    {
        using var context = Context.Create(b => b.Cuda());
        using var backend = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_90),
            CudaArchitecture.SM_90, CudaInstructionSet.ISA_88, nvvmAPI: null);
        var entry = EntryPointDescription.FromImplicitlyGroupedKernel(typeof(PathKernels).GetMethod(nameof(PathKernels.PhiloxKernel))!);
        var compiled = (PTXCompiledKernel)backend.Compile(entry, default(KernelSpecialization));
        Assert.Contains(".entry", compiled.PTXAssembly);
    }
}
