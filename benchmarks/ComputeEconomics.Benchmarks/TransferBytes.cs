using ComputeEconomics.Backends;
using ComputeEconomics.Output;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Benchmarks;

/// <summary>
/// `transfer-bytes [PATHS] [MONTHS] [MODES]`: bytes copied from the device to the host per batch on the ILGPU CPU
/// accelerator, the default scenario (MONTHS: its horizon, default the scenario's) streamed with the metrics copied to
/// the host (<c>sketch</c>) and reduced on the device (<c>device</c>), batches of one chunk (2^20 paths), counted by
/// <see cref="IlgpuBackend.BytesToHost"/>; MODES: sketch,device (default both). Prints the rank-error bound and
/// the time of the device reduction (docs/performance.md).
/// </summary>
public static class TransferBytes
{
    public static int Run(string[] args)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        long paths = args.Length > 1 ? long.Parse(args[1], inv) : 1 << 16;
        var overrides = new List<string> { $"paths={paths}" };
        if (args.Length > 2) overrides.Add($"horizon_months={int.Parse(args[2], inv)}");
        string[] modes = args.Length > 3 ? args[3].Split(',') : new[] { "sketch", "device" };
        var job = ComputeEconomics.Models.ScenarioCompiler.Compile(ScenarioLoader.Load(null, overrides.ToArray()));
        using var backend = IlgpuBackend.CreateCpu();
        foreach (string mode in modes)
        {
            bool onDevice = mode == "device";
            long before = backend.BytesToHost;
            var reduction = backend.ReductionTime;
            var stats = new StreamingStatistics(job, Distributions.MonthMetrics) { OnDevice = onDevice };
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var r = Simulator.Run(job, backend, new RunOptions { Paths = paths, BandPaths = 0, Sink = stats, BatchSize = StreamingStatistics.DefaultChunkPaths });
            long bytes = backend.BytesToHost - before;
            var npv = stats.Sketches[0];
            Console.WriteLine($"{mode,-6}: {paths:N0} paths, {job.Months} months, {job.MetricNames.Count} metrics, {r.Batches} batches, " +
                $"{bytes:N0} bytes to the host ({bytes / r.Batches:N0} a batch, {(double)bytes / paths:F2} a path), {watch.Elapsed.TotalSeconds:F1} s " +
                $"(device reduction {(backend.ReductionTime - reduction).TotalSeconds:F1} s), npv mean {stats.MomentsOf(0).Mean:R}, p50 {npv.Quantile(0.5):R}, " +
                $"rank bound {stats.RelativeRankError:P4} (npv: {npv.RankErrorBound:N0} paths)");
        }
        return 0;
    }
}
