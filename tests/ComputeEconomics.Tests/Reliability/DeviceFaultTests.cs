using ComputeEconomics.Backends;
using ComputeEconomics.Models;
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
