using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Output;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Tests.Engine;

/// <summary>
/// Issue 17, item 2: <c>--statistics device</c> on the ILGPU CPU accelerator. The device pushes each block of 4,096
/// paths with the host's Welford update and the host combines the blocks as the streamed statistics do, so on this
/// accelerator (IEEE double, no fused multiply-add) the moments equal the host's bit for bit; counts are integers; the
/// quantiles come from sorted, thinned chunk samples, each a path's value whose rank is within the tracked bound.
/// </summary>
public sealed class DeviceReductionTests
{
    private const long Paths = 70_000;   // two sketch chunks of 65,536 paths, the second partial

    private static IModelJob Job() => ScenarioCompiler.Compile(ScenarioLoader.Load(null, new[] { $"paths={Paths}", "horizon_months=24" }));

    private static (StreamingStatistics Stats, long Bytes) Streamed(IModelJob job, IlgpuBackend backend, bool onDevice, int? batch = null)
    {
        long before = backend.BytesToHost;
        var stats = new StreamingStatistics(job, Distributions.MonthMetrics) { OnDevice = onDevice };
        Simulator.Run(job, backend, new RunOptions { Paths = Paths, BandPaths = 0, Sink = stats, BatchSize = batch });
        return (stats, backend.BytesToHost - before);
    }

    [Fact]
    public void DeviceSummariesEqualTheHostsAndQuantilesKeepTheirRankBound()
    {
        var job = Job();
        using var backend = IlgpuBackend.CreateCpu();
        var (host, hostBytes) = Streamed(job, backend, onDevice: false);
        var (device, deviceBytes) = Streamed(job, backend, onDevice: true);
        var exact = Simulator.Run(job, new CpuBackend(), new RunOptions { Paths = Paths, BandPaths = 0 });   // cpu = ilgpu-cpu bit for bit
        for (int j = 0; j < job.MetricNames.Count; j++)
        {
            string name = job.MetricNames[j];
            var (h, d) = (host.MomentsOf(j), device.MomentsOf(j));
            Assert.Equal(h.Count, d.Count);
            Assert.Equal(h.Absent, d.Absent);
            Assert.True((BitConverter.DoubleToInt64Bits(h.Mean) == BitConverter.DoubleToInt64Bits(d.Mean)) && (BitConverter.DoubleToInt64Bits(h.SumSquaredDeviations) == BitConverter.DoubleToInt64Bits(d.SumSquaredDeviations)), $"{name}: {h} vs {d}");
            Assert.True(RelClose(h.Mean, d.Mean) && RelClose(h.StdDev, d.StdDev), name);   // the 1e-12 of the issue, implied by the above
            Assert.Equal((h.Min, h.Max), (d.Min, d.Max));
            Assert.Equal(host.NegativeCount(j), device.NegativeCount(j));
            Assert.Equal(host.PositiveCount(j), device.PositiveCount(j));
            Assert.Equal(host.MonthCounts(j), device.MonthCounts(j));
            CheckRanks(name, exact.Columns[j], device.Sketches[j]);
        }
        Assert.True(deviceBytes * 4 < hostBytes, $"device {deviceBytes} bytes, host {hostBytes}");
    }

    /// <summary>Each quantile is a value whose rank among the present values is within the sketch's bound of round((n - 1) p).</summary>
    private static void CheckRanks(string name, double[] column, ComputeEconomics.Statistics.QuantileSketch sketch)
    {
        var sorted = column.Where(x => !double.IsNaN(x)).OrderBy(x => x).ToArray();
        if (sorted.Length == 0) return;
        Assert.Equal(sorted.Length, sketch.Count);
        foreach (double p in new[] { 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99 })
        {
            double q = sketch.Quantile(p);
            long target = (long)Math.Round((sorted.Length - 1) * p, MidpointRounding.AwayFromZero);
            int lo = LowerBound(sorted, q), hi = LowerBound(sorted, Math.BitIncrement(q)) - 1;   // ranks holding the value q
            long distance = target < lo ? lo - target : target > hi ? target - hi : 0;
            Assert.True(distance <= sketch.RankErrorBound, $"{name} p{p}: rank distance {distance} > bound {sketch.RankErrorBound}");
        }
    }

    private static int LowerBound(double[] sorted, double x)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi) { int mid = (lo + hi) / 2; if (sorted[mid] < x) lo = mid + 1; else hi = mid; }
        return lo;
    }

    private static bool RelClose(double a, double b) => a == b || (double.IsNaN(a) && double.IsNaN(b)) || Math.Abs(a - b) <= 1e-12 * Math.Max(Math.Abs(a), Math.Abs(b));

    [Fact]
    public void DeviceSummariesDoNotDependOnTheBatchSize()
    {
        var job = Job();
        using var backend = IlgpuBackend.CreateCpu();
        var (small, _) = Streamed(job, backend, onDevice: true, batch: 1);         // rounded up to one chunk
        var (large, _) = Streamed(job, backend, onDevice: true, batch: 1 << 20);   // the whole run in one batch
        for (int j = 0; j < job.MetricNames.Count; j++)
        {
            Assert.True((BitConverter.DoubleToInt64Bits(small.MomentsOf(j).Mean) == BitConverter.DoubleToInt64Bits(large.MomentsOf(j).Mean)), job.MetricNames[j]);
            Assert.Equal(small.Sketches[j].Items().Values, large.Sketches[j].Items().Values);
            Assert.Equal(small.Sketches[j].RankErrorBound, large.Sketches[j].RankErrorBound);
        }
    }

    [Fact]
    public void TheCpuBackendCannotReduceOnADevice()
    {
        var job = Job();
        var stats = new StreamingStatistics(job, Distributions.MonthMetrics) { OnDevice = true };
        var ex = Assert.Throws<InputException>(() => Simulator.Run(job, new CpuBackend(1), new RunOptions { Paths = 100, BandPaths = 0, Sink = stats }));
        Assert.Contains("--statistics", ex.Message);
    }
}
