using System.Reflection;
using ComputeEconomics.Kernels;
using ComputeEconomics.Kernels.Models;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace ComputeEconomics.Benchmarks;

/// <summary>
/// `ComputeEconomics.Benchmarks ptx DIR [GROUP MIN_GROUPS_PER_SM]`: writes the PTX of the fleet kernel and of its lane
/// kernel (fleet-lanes-*.ptx; both math policies each) as ILGPU's CUDA backend generates it for SM_90, so `ptxas -v -arch=sm_90` on a machine with the CUDA
/// toolkit reports registers, stack frame and spills without running anything (benchmarks/gpu/gpu-checks.sh).
/// </summary>
public static class PtxDump
{
    public static int Run(string[] args)
    {
        string dir = args.Length > 1 ? args[1] : "ptx";
        int group = args.Length > 2 ? int.Parse(args[2]) : 0;
        int minGroups = args.Length > 3 ? int.Parse(args[3]) : 0;
        Directory.CreateDirectory(dir);
        // With a CUDA device and libdevice (CUDA_HOME), the PTX the cuda backend really loads (double math linked
        // from libdevice); else ILGPU's own PTX backend for SM_90 without a device.
        using var context = TryLibDevice() ?? Context.Create(b => b.Cuda().EnableAlgorithms());
        using var accelerator = context.GetCudaDevices().Count > 0 ? context.GetCudaDevices()[0].CreateAccelerator(context) : null;
        using var own = accelerator == null
            ? new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_90), CudaArchitecture.SM_90, CudaInstructionSet.ISA_88, nvvmAPI: null)
            : null;
        var backend = accelerator != null
            ? (Backend)typeof(Accelerator).GetProperty("Backend", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!.GetValue(accelerator)!
            : own!;
        Console.WriteLine(accelerator != null ? $"PTX from the CUDA accelerator {accelerator.Name}" : "PTX from ILGPU's PTX backend (no CUDA device)");
        var spec = group > 0 ? new KernelSpecialization(group, minGroups > 0 ? minGroups : null) : default;
        foreach (var math in new[] { typeof(DoubleMath), typeof(FloatMath) })
        {
            // The classic kernel (a thread a path) and the lane kernel (CE_FLEET_KERNEL=lanes: 8 lanes a path on a GPU).
            Write(backend, spec, typeof(PathKernels).GetMethod(nameof(PathKernels.PathKernelGrouped))!.MakeGenericMethod(typeof(FleetModel), math),
                Path.Combine(dir, $"fleet-{math.Name}-g{group}-m{minGroups}.ptx"));
            Write(backend, spec, typeof(PathKernels).GetMethod(nameof(PathKernels.FleetLanesGrouped))!.MakeGenericMethod(math),
                Path.Combine(dir, $"fleet-lanes-{math.Name}-g{group}-m{minGroups}.ptx"));
        }
        return 0;
    }

    private static void Write(Backend backend, KernelSpecialization spec, MethodInfo kernel, string file)
    {
        var compiled = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(kernel), spec);
        File.WriteAllText(file, compiled.PTXAssembly);
        Console.WriteLine($"{file}: {compiled.PTXAssembly.Length} chars");
    }

    private static Context? TryLibDevice()
    {
        try { return Context.Create(b => b.Cuda().EnableAlgorithms().LibDevice()); }
        catch (Exception) { return null; }
    }
}
