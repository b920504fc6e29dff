using ComputeEconomics.Backends;
using ComputeEconomics.Kernels;
using ComputeEconomics.Models;
using ComputeEconomics.Output;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Statistics;

namespace ComputeEconomics.Tests.Engine;

/// <summary>
/// Issue 17, item 2: <c>--statistics device</c> on the ILGPU CPU accelerator. The device pushes each block of 4,096
/// paths with the host's Welford update and combines a chunk's blocks with the host's Chan merge; the host streams the
/// same hierarchy (blocks -> chunk -> total), so on this accelerator (IEEE double, no fused multiply-add) the moments
/// equal the host's bit for bit; counts are integers; the quantiles come from each chunk's radix-sorted keys, a fixed
/// sample per (metric, chunk), each a path's value whose rank is within the tracked bound. The chunks here are small
/// (2^13 paths, samples of 2^9 values) so that several chunks, the last one partial, run in seconds; the default shape
/// (2^20, 2^14) is the same code with other numbers.
/// </summary>
public sealed class DeviceReductionTests
{
    private const long Paths = 3 * Chunk + 5_000;   // three full chunks and a partial one (not a whole block either)
    private const int Chunk = 1 << 13;
    private const int Sample = 1 << 9;

    private static IModelJob Job() => ScenarioCompiler.Compile(ScenarioLoader.Load(null, new[] { $"paths={Paths}", "horizon_months=24" }));

    private static (StreamingStatistics Stats, long Bytes, int Batches) Streamed(IModelJob job, IlgpuBackend backend, bool onDevice,
        int? batch = null, int chunk = Chunk, long paths = Paths)
    {
        long before = backend.BytesToHost;
        var stats = new StreamingStatistics(job, Distributions.MonthMetrics) { OnDevice = onDevice, ChunkPaths = chunk, SampleSize = Sample };
        var r = Simulator.Run(job, backend, new RunOptions { Paths = paths, BandPaths = 0, Sink = stats, BatchSize = batch });
        return (stats, backend.BytesToHost - before, r.Batches);
    }

    private static bool SameBits(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    [Fact]
    public void DeviceSummariesEqualTheHostsAndQuantilesKeepTheirRankBound()
    {
        var job = Job();
        using var backend = IlgpuBackend.CreateCpu();
        var (host, hostBytes, _) = Streamed(job, backend, onDevice: false, batch: Chunk);
        var (device, deviceBytes, _) = Streamed(job, backend, onDevice: true, batch: Chunk);
        var exact = Simulator.Run(job, new CpuBackend(), new RunOptions { Paths = Paths, BandPaths = 0 });   // cpu = ilgpu-cpu bit for bit
        for (int j = 0; j < job.MetricNames.Count; j++)
        {
            string name = job.MetricNames[j];
            var (h, d) = (host.MomentsOf(j), device.MomentsOf(j));
            Assert.Equal(h.Count, d.Count);
            Assert.Equal(h.Absent, d.Absent);
            Assert.Equal(exact.Columns[j].Count(double.IsNaN), d.Absent);   // absent values counted, not sorted in
            Assert.True(SameBits(h.Mean, d.Mean) && SameBits(h.SumSquaredDeviations, d.SumSquaredDeviations), $"{name}: {h} vs {d}");
            Assert.True(SameBits(h.Min, d.Min) && SameBits(h.Max, d.Max), $"{name}: {h} vs {d}");
            Assert.Equal(host.NegativeCount(j), device.NegativeCount(j));
            Assert.Equal(host.PositiveCount(j), device.PositiveCount(j));
            Assert.Equal(host.MonthCounts(j), device.MonthCounts(j));
            CheckRanks(name, exact.Columns[j], device.Sketches[j]);
            Assert.Equal(SampleBound(exact.Columns[j]), device.Sketches[j].RankErrorBound);
        }
        Assert.True(deviceBytes * 4 < hostBytes, $"device {deviceBytes} bytes, host {hostBytes}");
    }

    /// <summary>
    /// The rank-error bound the samples add, computed here from the column: per chunk of m present values, sampled every
    /// 2^L-th with L the least such that ceil(m / 2^L) &lt;= 2^9, 2^L - 1 ranks; nothing else, since the sketch's levels
    /// (32,768 values) never fill with these few samples.
    /// </summary>
    private static long SampleBound(double[] column)
    {
        long bound = 0;
        for (int first = 0; first < column.Length; first += Chunk)
        {
            long present = column.Skip(first).Take(Chunk).Count(x => !double.IsNaN(x));
            int level = 0;
            while (Math.Ceiling(present / Math.Pow(2, level)) > Sample) level++;
            bound += (1L << level) - 1;
        }
        return bound;
    }

    /// <summary>Each quantile is a value whose rank among the present values is within the sketch's bound of round((n - 1) p).</summary>
    private static void CheckRanks(string name, double[] column, QuantileSketch sketch)
    {
        var sorted = column.Where(x => !double.IsNaN(x)).OrderBy(x => x).ToArray();
        Assert.Equal(sorted.Length, sketch.Count);
        if (sorted.Length == 0) return;
        foreach (double p in new[] { 0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0 })
        {
            double q = sketch.Quantile(p);
            long target = (long)Math.Round((sorted.Length - 1) * p, MidpointRounding.AwayFromZero);
            int lo = LowerBound(sorted, q), hi = LowerBound(sorted, Math.BitIncrement(q)) - 1;   // ranks holding the value q
            Assert.True(lo <= hi, $"{name} p{p}: {q:R} is not a path's value");
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

    [Fact]
    public void DeviceSummariesDoNotDependOnTheBatchSizeAndRepeatBitForBit()
    {
        var job = Job();
        using var backend = IlgpuBackend.CreateCpu();
        var (small, _, smallBatches) = Streamed(job, backend, onDevice: true, batch: 1);          // rounded up to one chunk
        var (large, _, largeBatches) = Streamed(job, backend, onDevice: true, batch: 1 << 20);    // the whole run in one batch
        Assert.Equal((4, 1), (smallBatches, largeBatches));
        foreach (var other in new[] { large })
            for (int j = 0; j < job.MetricNames.Count; j++)
            {
                var (a, b) = (small.MomentsOf(j), other.MomentsOf(j));
                Assert.True(SameBits(a.Mean, b.Mean) && SameBits(a.SumSquaredDeviations, b.SumSquaredDeviations) && a.Absent == b.Absent, job.MetricNames[j]);
                Assert.Equal(small.Sketches[j].Items().Values, other.Sketches[j].Items().Values);
                Assert.Equal(small.Sketches[j].RankErrorBound, other.Sketches[j].RankErrorBound);
            }
    }

    /// <summary>
    /// What a batch copies is a fixed number of bytes per chunk, whatever the chunk's paths: per metric 8 moment fields
    /// and the sample (2^9 doubles), per batch the month counts (month metrics x months longs). A chunk of twice the
    /// paths (2^13 against 2^12) copies the same bytes; copying the metrics (sketch) copies twice as many.
    /// </summary>
    [Fact]
    public void BytesToTheHostPerBatchDoNotGrowWithTheBatchsPaths()
    {
        var job = Job();
        using var backend = IlgpuBackend.CreateCpu();
        const long paths = 2 * Chunk;   // whole chunks of either size
        int k = job.MetricNames.Count;
        long monthBytes = (long)new StreamingStatistics(job, Distributions.MonthMetrics).MonthMetricIndices.Length * job.Months * sizeof(long);
        long perBatch = (long)k * (ReductionKernels.MomentFields + Sample) * sizeof(double) + monthBytes;
        foreach (int chunk in new[] { Chunk / 2, Chunk })
        {
            var (_, bytes, batches) = Streamed(job, backend, onDevice: true, batch: chunk, chunk: chunk, paths: paths);
            Assert.Equal((int)(paths / chunk), batches);
            Assert.Equal(perBatch, bytes / batches);
            Assert.Equal(0, bytes % batches);
            var (_, hostBytes, hostBatches) = Streamed(job, backend, onDevice: false, batch: chunk, chunk: chunk, paths: paths);
            Assert.Equal((long)chunk * k * sizeof(double), hostBytes / hostBatches);   // the metrics themselves
        }
    }

    /// <summary>
    /// The GPUs sort each chunk with ILGPU.Algorithms' radix sort, the CPU accelerator with a heapsort thread per chunk:
    /// both leave the same sorted keys, so the same samples and sketches (a full chunk and a partial one).
    /// </summary>
    [Fact]
    public void TheRadixSortAndTheHeapsortGiveTheSameSamples()
    {
        var job = Job();
        using var heap = IlgpuBackend.CreateCpu();
        using var radix = IlgpuBackend.CreateCpu();
        radix.RadixSortChunks = true;
        Assert.False(heap.RadixSortChunks);
        var (a, _, _) = Streamed(job, heap, onDevice: true, paths: Chunk + 1_000);
        var (b, _, _) = Streamed(job, radix, onDevice: true, paths: Chunk + 1_000);
        for (int j = 0; j < job.MetricNames.Count; j++)
        {
            Assert.Equal(a.Sketches[j].Items().Values, b.Sketches[j].Items().Values);
            Assert.Equal(a.Sketches[j].RankErrorBound, b.Sketches[j].RankErrorBound);
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

    /// <summary>
    /// A chunk must fit one launch (chunk x (scratch + metrics) doubles below 2^31): a device run whose chunk does not is
    /// refused before it starts, naming the option and the numbers, and auto on a GPU does not choose device for it.
    /// </summary>
    [Fact]
    public void AChunkTooLargeForOneLaunchIsRefusedAndAutoAvoidsIt()
    {
        var job = Job();
        Assert.True(StatisticsChoice.DeviceChunkFits(job));   // the default scenario: 2^20 paths fit
        const int huge = 1 << 30;
        Assert.False(StatisticsChoice.DeviceChunkFits(job, huge));
        using var backend = IlgpuBackend.CreateCpu();
        var stats = new StreamingStatistics(job, Distributions.MonthMetrics) { OnDevice = true, ChunkPaths = huge };
        var ex = Assert.Throws<InputException>(() => Simulator.Run(job, backend, new RunOptions { Paths = 100, BandPaths = 0, Sink = stats }));
        Assert.Equal("--statistics", ex.Errors[0].Field);
        Assert.Contains("1,073,741,824 paths in one launch", ex.Errors[0].Rule);
        Assert.Equal("sketch", StatisticsChoice.Choose("auto", 50_000_000, null, "cuda", deviceFits: false));
    }

    /// <summary>IEEE 754 total order of the numbers (-0 before +0) and NaN after them all; the key maps back bit for bit.</summary>
    [Fact]
    public void SortKeysOrderTheDoublesAndMapBackBitForBit()
    {
        double[] ascending = { double.NegativeInfinity, double.MinValue, -1.5, -double.Epsilon, -0.0, 0.0, double.Epsilon, 1e-300, 1.0, double.MaxValue, double.PositiveInfinity };
        for (int i = 0; i < ascending.Length; i++)
        {
            Assert.True(SameBits(ascending[i], ReductionKernels.FromSortKey(ReductionKernels.SortKey(ascending[i]))), ascending[i].ToString("R"));
            Assert.True(ReductionKernels.SortKey(ascending[i]) < ReductionKernels.SortKey(double.NaN));
            if (i > 0) Assert.True(ReductionKernels.SortKey(ascending[i - 1]) < ReductionKernels.SortKey(ascending[i]), $"{ascending[i - 1]:R} < {ascending[i]:R}");
        }
        Assert.Equal(ReductionKernels.AbsentKey, ReductionKernels.SortKey(-double.NaN));
    }

    /// <summary>The device's min and max are System.Math's, signed zeros included (Math.Min(0, -0) is -0).</summary>
    [Fact]
    public void DeviceMinAndMaxAreSystemMaths()
    {
        (double, double)[] pairs = { (0.0, -0.0), (-0.0, 0.0), (-0.0, -0.0), (0.0, 0.0), (1.0, -2.0), (double.NegativeInfinity, 3.0) };
        foreach (var (a, b) in pairs)
        {
            Assert.True(SameBits(Math.Min(a, b), ReductionKernels.MinOf(a, b)), $"min({a:R}, {b:R})");
            Assert.True(SameBits(Math.Max(a, b), ReductionKernels.MaxOf(a, b)), $"max({a:R}, {b:R})");
        }
    }

    /// <summary>L is the least level that leaves at most the sample size: ceil(m / 2^L) &lt;= S &lt; ceil(m / 2^(L-1)).</summary>
    [Theory]
    [InlineData(0L, 0)]
    [InlineData(16_384L, 0)]
    [InlineData(16_385L, 1)]
    [InlineData(1L << 20, 6)]
    [InlineData(1_000_000L, 6)]
    [InlineData(100_000L, 3)]
    public void TheSampleLevelIsTheLeastThatFits(long present, int level) =>
        Assert.Equal(level, ReductionKernels.SampleLevel(present, StreamingStatistics.DefaultSampleSize));
}
