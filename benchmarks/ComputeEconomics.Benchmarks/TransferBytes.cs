using ComputeEconomics.Backends;
using ComputeEconomics.Output;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Benchmarks;

/// <summary>
/// `transfer-bytes [PATHS]`: bytes copied from the device to the host per batch on the ILGPU CPU accelerator, the
/// default scenario streamed with the metrics copied to the host (<c>--statistics sketch</c>) and reduced on the device
/// (<c>--statistics device</c>), counted by <see cref="IlgpuBackend.BytesToHost"/> (docs/performance.md).
/// </summary>
public static class TransferBytes
{
    public static int Run(string[] args)
    {
        long paths = args.Length > 1 ? long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1 << 16;
        var job = ComputeEconomics.Models.ScenarioCompiler.Compile(ScenarioLoader.Load(null, new[] { $"paths={paths}" }));
        using var backend = IlgpuBackend.CreateCpu();
        foreach (bool onDevice in new[] { false, true })
        {
            long before = backend.BytesToHost;
            var stats = new StreamingStatistics(job, Distributions.MonthMetrics) { OnDevice = onDevice };
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var r = Simulator.Run(job, backend, new RunOptions { Paths = paths, BandPaths = 0, Sink = stats, BatchSize = 1 << 16 });
            long bytes = backend.BytesToHost - before;
            Console.WriteLine($"{(onDevice ? "device" : "host  ")}: {paths:N0} paths, {job.MetricNames.Count} metrics, {r.Batches} batches, " +
                $"{bytes:N0} bytes to the host ({bytes / r.Batches:N0} a batch, {(double)bytes / paths:F1} a path), {watch.Elapsed.TotalSeconds:F1} s, " +
                $"npv mean {stats.MomentsOf(0).Mean:R}, p50 {stats.Sketches[0].Quantile(0.5):R}, rank bound {stats.RelativeRankError:P4}");
        }
        return 0;
    }
}
