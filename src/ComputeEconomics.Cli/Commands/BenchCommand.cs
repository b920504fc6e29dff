using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Output;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ComputeEconomics.Cli.Commands;

/// <summary>`ce bench`: throughput of the fleet kernel on the benchmark scenario, as a table to compare machines.</summary>
public sealed class BenchCommand : Command<BenchCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--backend <B>"), Description("auto | cpu | ilgpu-cpu | cuda | opencl"), DefaultValue("auto")]
        public string Backend { get; init; } = "auto";

        [CommandOption("--paths <N>"), Description("Paths in the timed run"), DefaultValue(100_000L)]
        public long Paths { get; init; } = 100_000;

        [CommandOption("--months <M>"), Description("Horizon in months"), DefaultValue(120)]
        public int Months { get; init; } = 120;

        [CommandOption("--threads <N>"), Description("cpu backend threads (0 = all cores)"), DefaultValue(0)]
        public int Threads { get; init; }

        [CommandOption("--scenario <FILE>"), Description("Scenario to time instead of the built-in benchmark-fleet")]
        public string? Scenario { get; init; }

        [CommandOption("--statistics <MODE>"), Description("exact (every path copied to the host and sorted) | sketch (copied, streamed) | device (reduced on an ILGPU backend's device, only summaries copied) | auto (as ce run)"), DefaultValue("exact")]
        public string Statistics { get; init; } = "exact";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        var overrides = new[] { $"paths={settings.Paths.ToString(inv)}", $"horizon_months={settings.Months.ToString(inv)}", "band_paths=0" };
        var scenario = ScenarioLoader.Load(settings.Scenario ?? "benchmark-fleet", overrides);
        var job = ScenarioCompiler.Compile(scenario);
        using var backend = BackendFactory.Create(settings.Backend, settings.Threads, out string note);
        Cli.Err.MarkupLine($"[grey]{Markup.Escape(note)}[/]");
        var cancellation = Cli.Linked(cancellationToken);   // SIGINT/SIGTERM: in the warm-up, the timed run and its statistics
        string statistics = StatisticsChoice.Choose(settings.Statistics, scenario.Paths, StatisticsChoice.NeedsEveryPath(job, false, false), backend.Name, StatisticsChoice.DeviceChunkFits(job));
        StreamingStatistics? Sink() => statistics == "exact" ? null : new StreamingStatistics(job, Distributions.MonthMetrics) { OnDevice = statistics == "device" };
        // Warm-up: JIT or kernel compilation (the reduction's too) and buffer allocation are not timed.
        Simulator.Run(job, backend, new RunOptions { Paths = Math.Min(2048, scenario.Paths), BandPaths = 0, Cancellation = cancellation, Sink = Sink() });
        var reducer = backend as IDeviceReduction;
        var reductionBefore = reducer?.ReductionTime ?? TimeSpan.Zero;
        var result = Simulator.Run(job, backend, new RunOptions { Paths = scenario.Paths, BandPaths = 0, Cancellation = cancellation, Sink = Sink() });
        double reduction = ((reducer?.ReductionTime ?? TimeSpan.Zero) - reductionBefore).TotalSeconds;   // inside the kernel time
        var sw = Stopwatch.StartNew();
        var summary = RunSummary.From(result, cancellation: cancellation);
        double stats = sw.Elapsed.TotalSeconds;
        double total = result.Elapsed.TotalSeconds + stats;
        double kernel = result.KernelTime.TotalSeconds - reduction;
        double pathMonths = (double)scenario.Paths * scenario.HorizonMonths;
        var table = new Table().Border(TableBorder.Simple).AddColumns("quantity", "value");
        table.AddRow("device", Markup.Escape(backend.Device));
        table.AddRow("backend / math", Markup.Escape($"{backend.Name} / {backend.MathPath}"));
        if (backend.Name == "cuda") table.AddRow("launch", Markup.Escape(IlgpuBackend.Tuning.Describe()));
        if (backend is IlgpuBackend ilgpu) table.AddRow("fleet kernel", Markup.Escape(ilgpu.FleetKernelDescription));
        if (backend is CpuBackend cpu) table.AddRow("fleet kernel", Markup.Escape(cpu.KernelDescription));
        table.AddRow("scenario", Markup.Escape($"{scenario.Name}: {scenario.Paths:N0} paths x {scenario.HorizonMonths} months"));
        table.AddRow("statistics", statistics == "device" ? "device (summaries copied)" : statistics);
        table.AddRow("path-months/s (kernel)", (pathMonths / kernel).ToString("N0", inv));
        table.AddRow("path-months/s (end to end)", (pathMonths / total).ToString("N0", inv));
        table.AddRow("paths/s (end to end)", (scenario.Paths / total).ToString("N0", inv));
        table.AddRow("ms per million paths", (total / scenario.Paths * 1e6 * 1e3).ToString("N1", inv));
        table.AddRow("end to end / kernel rate", (kernel / total).ToString("P1", inv));
        table.AddRow("time in kernel", Share(kernel, total));
        table.AddRow("time in device reduction", Share(reduction, total));
        table.AddRow("time in transfers", Share(result.TransferTime.TotalSeconds, total));
        table.AddRow("time in statistics", Share(stats, total));
        table.AddRow("time in host batching (streamed statistics)", Share(result.Elapsed.TotalSeconds - result.KernelTime.TotalSeconds - result.TransferTime.TotalSeconds, total));
        table.AddRow("check: mean NPV", summary.Metric("npv").Mean.ToString("E6", inv));
        AnsiConsole.Write(table);
        return Cli.Ok;
    }

    private static string Share(double part, double total) =>
        $"{part.ToString("0.000", CultureInfo.InvariantCulture)} s ({(part / total).ToString("P1", CultureInfo.InvariantCulture)})";
}
