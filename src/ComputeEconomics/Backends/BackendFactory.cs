namespace ComputeEconomics.Backends;

/// <summary>Creates a backend by name; <c>auto</c> picks CUDA, else an OpenCL GPU, else cpu, and says why.</summary>
public static class BackendFactory
{
    /// <summary>Names accepted by --backend.</summary>
    public static readonly string[] Names = { "auto", "cpu", "ilgpu-cpu", "cuda", "opencl" };

    /// <summary>Test hook: when set, GPU backends fail to initialise with this message (fault injection).</summary>
    public static string? InjectedGpuFailure { get; set; } = Environment.GetEnvironmentVariable("CE_INJECT_GPU_FAILURE");

    /// <summary>
    /// Create backend <paramref name="name"/>; <paramref name="note"/> says which was chosen and why. The fault-injection
    /// variables (<see cref="FaultInjectingBackend.FromEnvironment"/>) wrap whichever backend is chosen.
    /// </summary>
    public static IBackend Create(string name, int threads, out string note)
    {
        IlgpuBackend.FleetKernelSetting.Check();
        if (CpuBackend.KernelSetting.Invalid() != null)
            throw new InputException(CpuBackend.KernelSetting.Variable, CpuBackend.KernelSetting.Value, CpuBackend.KernelSetting.Rule);
        var backend = CreateChosen(name, threads, out note);
        if (backend is CpuBackend cpu) note += $"; fleet kernel: {cpu.KernelDescription}";
        if (backend is IlgpuBackend ilgpu) note += $"; fleet kernel: {ilgpu.FleetKernelDescription}";
        else if (IlgpuBackend.FleetKernelSetting.Value == "lanes")
        {
            backend.Dispose();
            throw new InputException(IlgpuBackend.FleetKernelSetting.Variable, "lanes",
                $"runs on the ILGPU backends (ilgpu-cpu, cuda, opencl), not on the {backend.Name} backend ({note})");
        }
        var wrapped = FaultInjectingBackend.FromEnvironment(backend);
        if (!ReferenceEquals(wrapped, backend)) note += " (with injected faults: CE_INJECT_* is set)";
        return wrapped;
    }

    private static IBackend CreateChosen(string name, int threads, out string note)
    {
        switch (name)
        {
            case "cpu":
                note = "cpu: requested";
                return new CpuBackend(threads);
            case "ilgpu-cpu":
                note = "ilgpu-cpu: requested";
                return IlgpuBackend.CreateCpu();
            case "cuda":
            {
                var b = TryCuda(out string why);
                if (b == null) throw new InputException("--backend", "cuda", $"is not available on this machine: {why}");
                note = $"cuda: requested ({why})";
                return b;
            }
            case "opencl":
            {
                var b = TryOpenCL(false, out string why);
                if (b == null) throw new InputException("--backend", "opencl", $"is not available on this machine: {why}");
                note = $"opencl: requested ({why})";
                return b;
            }
            case "auto":
            {
                if (IlgpuBackend.Tuning.Invalid() is { } invalid)
                    throw new InputException("--backend", "auto", $"cannot use CUDA: {invalid}");
                var cuda = TryCuda(out string whyCuda);
                if (cuda != null) { note = $"auto chose cuda ({whyCuda})"; return cuda; }
                var cl = TryOpenCL(true, out string whyCl);
                if (cl != null) { note = $"auto chose opencl ({whyCl}; {whyCuda})"; return cl; }
                note = $"auto chose cpu ({whyCuda}; {whyCl})";
                return new CpuBackend(threads);
            }
            default:
                throw new InputException("--backend", name, $"must be one of: {string.Join(", ", Names)}");
        }
    }

    private static IBackend? TryCuda(out string why)
    {
        if (InjectedGpuFailure is { Length: > 0 } f) { why = $"CUDA failed to initialise: {f}"; return null; }
        return IlgpuBackend.TryCreateCuda(out why);
    }

    private static IBackend? TryOpenCL(bool gpuOnly, out string why)
    {
        if (InjectedGpuFailure is { Length: > 0 } f) { why = $"OpenCL failed to initialise: {f}"; return null; }
        return IlgpuBackend.TryCreateOpenCL(gpuOnly, out why);
    }
}
