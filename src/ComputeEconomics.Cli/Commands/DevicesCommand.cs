using ComputeEconomics.Backends;
using Spectre.Console.Cli;

namespace ComputeEconomics.Cli.Commands;

/// <summary>`ce devices`: accelerators, memory, compute capability, and which math path each backend uses.</summary>
public sealed class DevicesCommand : Command<DevicesCommand.Settings>
{
    public sealed class Settings : CommandSettings { }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        Console.WriteLine("ILGPU devices:");
        foreach (var line in IlgpuBackend.ListDevices()) Console.WriteLine($"  {line}");
        Console.WriteLine();
        Console.WriteLine("Backends:");
        using (var cpu = new CpuBackend())
            Console.WriteLine($"  cpu        {cpu.Device}; math: {cpu.MathPath}");
        using (var icpu = IlgpuBackend.CreateCpu())
            Console.WriteLine($"  ilgpu-cpu  {icpu.Device}; math: {icpu.MathPath}");
        using (var cuda = IlgpuBackend.TryCreateCuda(out string why))
            Console.WriteLine(cuda != null ? $"  cuda       {cuda.Device}; math: {cuda.MathPath}; launch: {IlgpuBackend.Tuning.Describe()}" : $"  cuda       not available: {why}");
        using (var cl = IlgpuBackend.TryCreateOpenCL(false, out string why))
            Console.WriteLine(cl != null ? $"  opencl     {cl.Device}; math: {cl.MathPath}" : $"  opencl     not available: {why}");
        using var auto = BackendFactory.Create("auto", 0, out string note);
        Console.WriteLine();
        Console.WriteLine($"--backend auto: {note}");
        return Cli.Ok;
    }
}
