using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Output;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Tests.Reliability;

/// <summary>Device faults (issue: reliability, item 4): out-of-memory shrinks the batch with identical results; other faults name device, batch and seed.</summary>
public class DeviceFaultTests
{
    private static IModelJob Job() => ScenarioCompiler.Compile(ScenarioLoader.Load(null, new[] { "paths=300", "horizon_months=48", "band_paths=50" }));

    [Fact]
    public void DeviceOutOfMemoryShrinksTheBatchAndGivesIdenticalResults()
    {
        var job = Job();
        var warnings = new List<string>();
        var reference = Simulator.Run(job, new CpuBackend(), new RunOptions { Paths = 300, BandPaths = 50, BatchSize = 300 });
        using var faulty = new FaultInjectingBackend(new CpuBackend(), oomAbove: 40);
        var shrunk = Simulator.Run(job, faulty, new RunOptions { Paths = 300, BandPaths = 50, BatchSize = 300, Warning = warnings.Add });
        Assert.NotEmpty(warnings);
        Assert.Contains("out of memory", warnings[0]);
        Assert.True(shrunk.Batches >= 300 / 40, $"batches {shrunk.Batches}");
        for (int k = 0; k < job.MetricNames.Count; k++)
            for (int p = 0; p < 300; p++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(reference.Columns[k][p]), BitConverter.DoubleToInt64Bits(shrunk.Columns[k][p]));
        Assert.Equal(reference.Bands, shrunk.Bands);
    }

    [Fact]
    public void DeviceStatisticsUnderAnInjectedOutOfMemoryHalveWholeChunksWithIdenticalResults()
    {
        // CE_INJECT_OOM_ABOVE wraps the backend the factory creates; the wrapper used to hide the device reduction, so
        // `--statistics device --backend ilgpu-cpu` under injection was refused as "needs an ILGPU backend ..., not ilgpu-cpu".
        const int chunk = 1 << 12;
        const long paths = 3 * chunk + 1_000;
        var job = ScenarioCompiler.Compile(ScenarioLoader.Load(null, new[] { $"paths={paths}", "horizon_months=12", "band_paths=0" }));
        StreamingStatistics Stats() => new(job, Distributions.MonthMetrics) { OnDevice = true, ChunkPaths = chunk, SampleSize = 1 << 9 };
        var warnings = new List<string>();
        var reference = Stats();
        using (var plain = IlgpuBackend.CreateCpu())
            Simulator.Run(job, plain, new RunOptions { Paths = paths, BandPaths = 0, Sink = reference, BatchSize = 4 * chunk });
        var shrunk = Stats();
        using (var faulty = FaultInjectingBackend.FromEnvironment(IlgpuBackend.CreateCpu(),
                   name => name == FaultInjectingBackend.OomAboveVariable ? $"{2 * chunk}" : null))
        {
            Assert.IsAssignableFrom<IDeviceReduction>(faulty);
            var r = Simulator.Run(job, faulty, new RunOptions { Paths = paths, BandPaths = 0, Sink = shrunk, BatchSize = 4 * chunk, Warning = warnings.Add });
            Assert.Equal(4, r.Batches);   // the 13,288 paths refused, then half of them rounded down to whole chunks: 4 x 4,096
        }
        Assert.Contains(warnings, w => w.Contains("out of memory", StringComparison.Ordinal));
        for (int j = 0; j < job.MetricNames.Count; j++)
        {
            var (a, b) = (reference.MomentsOf(j), shrunk.MomentsOf(j));
            Assert.Equal((a.Count, a.Absent), (b.Count, b.Absent));
            Assert.Equal(BitConverter.DoubleToInt64Bits(a.Mean), BitConverter.DoubleToInt64Bits(b.Mean));
            Assert.Equal(BitConverter.DoubleToInt64Bits(a.SumSquaredDeviations), BitConverter.DoubleToInt64Bits(b.SumSquaredDeviations));
            var (sa, sb) = (reference.Sketches[j].Items(), shrunk.Sketches[j].Items());
            Assert.Equal(sa.Values, sb.Values);
            Assert.Equal(sa.Weights, sb.Weights);
        }
    }

    [Fact]
    public void AnIlgpuBatchAboveThe32BitIndexLimitIsRefusedBeforeAnythingIsAllocated()
    {
        // The kernels index scratch and metrics with 32-bit offsets: a batch whose buffers would pass 2^31 elements is
        // refused as an out-of-memory (the simulator then halves it), before any buffer is allocated or touched.
        var job = Job();
        long limit = int.MaxValue / (job.ScratchPerPath + job.MetricNames.Count);
        using var ilgpu = IlgpuBackend.CreateCpu();
        Assert.True(ilgpu.MaxBatch(job) <= limit);
        var ex = Assert.Throws<DeviceOutOfMemoryException>(() =>
            ilgpu.Run(job, 0, (int)limit + 1, new double[1], Array.Empty<float>(), 0));
        Assert.Contains("2^31", ex.Message);
    }

    [Fact]
    public void ABatchLargerThanAHostArrayIsRefusedNamingTheOption()
    {
        var job = Job();
        var ex = Assert.Throws<InputException>(() =>
            Simulator.Run(job, new CpuBackend(), new RunOptions { Paths = 300, BandPaths = 0, BatchSize = int.MaxValue / 2 }));
        Assert.Contains("--batch", ex.Message);
        Assert.Contains("must be at most", ex.Message);
    }

    [Fact]
    public void AFaultMidRunIsReportedWithDeviceBatchAndSeed()
    {
        using var faulty = new FaultInjectingBackend(new CpuBackend(), faultAtPath: 150);
        var ex = Assert.Throws<SimulationException>(() =>
            Simulator.Run(Job(), faulty, new RunOptions { Paths = 300, BandPaths = 0, BatchSize = 100 }));
        Assert.Contains("paths 100..199", ex.Message);
        Assert.Contains("seed 42", ex.Message);
        Assert.Contains("cpu on", ex.Message);
    }

    [Fact]
    public void ARunThatCannotFitInHostMemoryIsRefusedWithTheNumbers()
    {
        var job = ScenarioCompiler.Compile(ScenarioLoader.Load(null, new[] { "paths=900000000", "band_paths=0" }));
        var ex = Assert.Throws<InputException>(() => MemoryEstimate.For(job, new CpuBackend(), new RunOptions { Paths = 900_000_000, BandPaths = 0 }).ThrowIfTooLarge());
        Assert.Equal("paths", ex.Errors[0].Field);
        Assert.Contains("GiB of host memory", ex.Errors[0].Rule);
    }
}
