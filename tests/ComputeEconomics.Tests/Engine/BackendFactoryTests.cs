using ComputeEconomics.Backends;

namespace ComputeEconomics.Tests.Engine;

/// <summary>
/// The fault-injection hook of <see cref="BackendFactory"/> is process-wide: tests that set it run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GpuFaultInjectionCollection
{
    public const string Name = "GPU fault injection (runs alone)";
}

/// <summary>`--backend` names: cpu and ilgpu-cpu always work; cuda without a GPU is a clear input error (exit code 2).</summary>
[Collection(GpuFaultInjectionCollection.Name)]
public class BackendFactoryTests
{
    private static bool HasCuda()
    {
        using var b = IlgpuBackend.TryCreateCuda(out _);
        return b != null;
    }

    [Fact]
    public void CudaWithoutAGpuIsAnInputErrorNamingTheBackendOption()
    {
        if (HasCuda())
        {
            // A machine with a CUDA device: the same request must succeed instead.
            using var gpu = BackendFactory.Create("cuda", 0, out string gpuNote);
            Assert.Equal("cuda", gpu.Name);
            Assert.Contains("cuda", gpuNote, StringComparison.Ordinal);
            return;
        }
        var ex = Assert.Throws<InputException>(() => BackendFactory.Create("cuda", 0, out _));
        var e = Assert.Single(ex.Errors);
        Assert.Equal("--backend", e.Field);
        Assert.Equal("cuda", e.Value);
        Assert.Contains("not available", e.Rule, StringComparison.Ordinal);
        Assert.Contains("--backend", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CudaThatFailsToInitialiseIsAnInputErrorWithTheReason()
    {
        string? saved = BackendFactory.InjectedGpuFailure;
        try
        {
            BackendFactory.InjectedGpuFailure = "injected: driver missing";
            var ex = Assert.Throws<InputException>(() => BackendFactory.Create("cuda", 0, out _));
            Assert.Equal("--backend", Assert.Single(ex.Errors).Field);
            Assert.Contains("injected: driver missing", ex.Message, StringComparison.Ordinal);
            var cl = Assert.Throws<InputException>(() => BackendFactory.Create("opencl", 0, out _));
            Assert.Equal("--backend", Assert.Single(cl.Errors).Field);
        }
        finally
        {
            BackendFactory.InjectedGpuFailure = saved;
        }
    }

    [Fact]
    public void AutoFallsBackToCpuAndSaysWhy()
    {
        string? saved = BackendFactory.InjectedGpuFailure;
        try
        {
            BackendFactory.InjectedGpuFailure = "injected: no device";
            using var b = BackendFactory.Create("auto", 2, out string note);
            Assert.Equal("cpu", b.Name);
            Assert.StartsWith("auto chose cpu", note, StringComparison.Ordinal);
            Assert.Contains("CUDA", note, StringComparison.Ordinal);
            Assert.Contains("OpenCL", note, StringComparison.Ordinal);
            Assert.Contains("injected: no device", note, StringComparison.Ordinal);
        }
        finally
        {
            BackendFactory.InjectedGpuFailure = saved;
        }
    }

    [Fact]
    public void AutoOnThisMachineNamesTheChoiceAndTheReason()
    {
        using var b = BackendFactory.Create("auto", 0, out string note);
        Assert.StartsWith($"auto chose {b.Name} (", note, StringComparison.Ordinal);
        if (b.Name == "cpu") Assert.Contains("CUDA", note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("CPU")]
    [InlineData("")]
    public void UnknownBackendNameIsAnInputErrorListingTheNames(string name)
    {
        var ex = Assert.Throws<InputException>(() => BackendFactory.Create(name, 0, out _));
        var e = Assert.Single(ex.Errors);
        Assert.Equal("--backend", e.Field);
        foreach (string known in BackendFactory.Names) Assert.Contains(known, e.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void CpuAndIlgpuCpuAreAlwaysAvailable()
    {
        using (var cpu = BackendFactory.Create("cpu", 2, out string note))
        {
            Assert.Equal("cpu", cpu.Name);
            Assert.Equal(2, ((CpuBackend)cpu).Threads);
            Assert.Contains("cpu", note, StringComparison.Ordinal);
        }
        using var ilgpu = BackendFactory.Create("ilgpu-cpu", 0, out _);
        Assert.Equal("ilgpu-cpu", ilgpu.Name);
    }
}
