using ComputeEconomics.Kernels;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace ComputeEconomics.Tests.Kernels;

/// <summary>
/// The device reductions of <c>--statistics device</c> run on the CPU accelerator in the other tests; these compile each
/// of their kernels to PTX for the H100 (SM_90) with ILGPU's PTX backend, without a GPU, so a kernel CUDA cannot
/// translate fails here, in CI (as <see cref="PtxCompileTests"/> does for the model kernels).
/// </summary>
public class ReductionPtxTests
{
    [Theory]
    [InlineData(nameof(ReductionKernels.BlockMomentsKernel))]
    [InlineData(nameof(ReductionKernels.ChunkMomentsKernel))]
    [InlineData(nameof(ReductionKernels.MonthCountsKernel))]
    [InlineData(nameof(ReductionKernels.SortKeysKernel))]
    [InlineData(nameof(ReductionKernels.ChunkHeapSortKernel))]
    [InlineData(nameof(ReductionKernels.ChunkSampleKernel))]
    public void ReductionKernelCompilesToPtxForSm90(string name)
    {
        using var context = Context.Create(b => b.Cuda().EnableAlgorithms());
        using var backend = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_90),
            CudaArchitecture.SM_90, CudaInstructionSet.ISA_88, nvvmAPI: null);
        var entry = EntryPointDescription.FromImplicitlyGroupedKernel(typeof(ReductionKernels).GetMethod(name)!);
        var compiled = (PTXCompiledKernel)backend.Compile(entry, default(KernelSpecialization));
        Assert.Contains(".entry", compiled.PTXAssembly);
    }
}
