using ComputeEconomics.Backends;
using Spectre.Console.Cli;

namespace ComputeEconomics.Cli.Commands;

/// <summary>`ce devices`: accelerators, memory, compute capability, which math path each backend uses and which fleet
/// kernel each backend runs (CE_FLEET_KERNEL on the ILGPU backends, CE_CPU_KERNEL on the cpu backend).</summary>
public sealed class DevicesCommand : Command<DevicesCommand.Settings>
{
    public sealed class Settings : CommandSettings { }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        IlgpuBackend.FleetKernelSetting.Check();
        Console.WriteLine("ILGPU devices:");
        foreach (var line in IlgpuBackend.ListDevices()) Console.WriteLine($"  {line}");
        Console.WriteLine();
        Console.WriteLine("Backends:");
        using (var cpu = new CpuBackend())
            Console.WriteLine($"  cpu        {cpu.Device}; math: {cpu.MathPath}; fleet kernel: {cpu.KernelDescription}");
        using (var icpu = IlgpuBackend.CreateCpu())
            Console.WriteLine($"  ilgpu-cpu  {icpu.Device}; math: {icpu.MathPath}; fleet kernel: {icpu.FleetKernelDescription}");
        using (var cuda = IlgpuBackend.TryCreateCuda(out string why))
            Console.WriteLine(cuda != null ? $"  cuda       {cuda.Device}; math: {cuda.MathPath}; launch: {IlgpuBackend.Tuning.Describe()}; fleet kernel: {cuda.FleetKernelDescription}" : $"  cuda       not available: {why}");
        using (var cl = IlgpuBackend.TryCreateOpenCL(false, out string why))
            Console.WriteLine(cl != null ? $"  opencl     {cl.Device}; math: {cl.MathPath}; fleet kernel: {cl.FleetKernelDescription}" : $"  opencl     not available: {why}");
        Console.WriteLine();
        try
        {
            using var auto = BackendFactory.Create("auto", 0, out string note);
            Console.WriteLine($"--backend auto: {note}");
        }
        catch (InputException ex)   // CE_FLEET_KERNEL=lanes where auto would choose the cpu backend
        {
            Console.WriteLine($"--backend auto: refused: {ex.Message}");
        }
        return Cli.Ok;
    }
}
