using System.Text.Json;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Cli;

/// <summary>`ce run --statistics`: the mode used and its bound are said on the console and in summary.json; bad values exit 2 naming the option.</summary>
public class StatisticsOptionTests
{
    [Fact]
    public void ASketchRunSaysSoWithItsBoundAndAnExactRunSaysExact()
    {
        var sketch = CeProcess.Run(new[] { "run", "--paths", "300", "--backend", "cpu", "--statistics", "sketch", "--json" });
        Assert.True(sketch.ExitCode == 0, sketch.ToString());
        var stats = JsonDocument.Parse(sketch.StdOut).RootElement.GetProperty("statistics");
        Assert.Equal("sketch", stats.GetProperty("method").GetString());
        Assert.Equal("host", stats.GetProperty("reduced_on").GetString());
        Assert.Equal(0.0, stats.GetProperty("quantile_rank_error").GetDouble());   // 300 values: below one level's capacity, no compaction
        var exact = CeProcess.Run(new[] { "run", "--paths", "300", "--backend", "cpu", "--json" });
        Assert.Equal("exact", JsonDocument.Parse(exact.StdOut).RootElement.GetProperty("statistics").GetProperty("method").GetString());
        var console = CeProcess.Run(new[] { "run", "--paths", "300", "--backend", "cpu", "--statistics", "sketch" });
        Assert.Contains("statistics: sketch", console.StdOut);
        Assert.Contains("memory estimate", console.StdErr);
    }

    [Theory]
    [InlineData("approximate", "must be one of exact, sketch, device, auto")]
    [InlineData("sketch", "needs every path's metrics")]
    public void ABadModeIsExit2NamingTheOption(string mode, string rule)
    {
        var r = CeProcess.Run(new[] { "run", "--paths", "100", "--backend", "cpu", "--set", "sampling=antithetic", "--statistics", mode });
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--statistics", r.StdErr);
        Assert.Contains(rule, r.StdErr);
    }

    /// <summary>
    /// A run that would not fit is refused before it starts: exact statistics keep 8 bytes x 33 metrics x 1e9 paths
    /// (264 GB, beyond any machine the tests run on), so `ce run` exits 2 naming the paths, the estimate and the flag to
    /// use, with no stack trace.
    /// </summary>
    [Fact]
    public void ARunThatWouldNotFitIsRefusedNamingTheFlagToUse()
    {
        var r = CeProcess.Run(new[] { "run", "--paths", "1000000000", "--backend", "cpu", "--statistics", "exact" });
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("paths", r.StdErr);
        Assert.Contains("needs about", r.StdErr);
        Assert.Contains("--statistics sketch", r.StdErr);
        Assert.Contains("every path's metrics kept for exact statistics", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
    }

    [Fact]
    public void DeviceStatisticsNeedAnIlgpuBackendAndSaySo()
    {
        var cpu = CeProcess.Run(new[] { "run", "--paths", "100", "--backend", "cpu", "--statistics", "device" });
        Assert.Equal(2, cpu.ExitCode);
        Assert.Contains("--statistics", cpu.StdErr);
        Assert.Contains("needs an ILGPU backend", cpu.StdErr);
        Assert.DoesNotContain("   at ", cpu.StdErr);
        var device = CeProcess.Run(new[] { "run", "--paths", "300", "--backend", "ilgpu-cpu", "--statistics", "device", "--set", "horizon_months=24" });
        Assert.True(device.ExitCode == 0, device.ToString());
        Assert.Contains("statistics: sketch, reduced on the device", device.StdOut);
    }

    /// <summary>`ce bench --statistics device` times the reduction apart from the path kernel; a bad mode or the cpu backend exit 2.</summary>
    [Fact]
    public void BenchReportsTheDeviceReductionApartFromTheKernel()
    {
        var device = CeProcess.Run(new[] { "bench", "--backend", "ilgpu-cpu", "--paths", "3000", "--months", "12", "--statistics", "device" });
        Assert.True(device.ExitCode == 0, device.ToString());
        Assert.Contains("device (summaries copied)", device.StdOut);
        Assert.Contains("time in device reduction", device.StdOut);
        Assert.Contains("end to end / kernel rate", device.StdOut);
        var cpu = CeProcess.Run(new[] { "bench", "--backend", "cpu", "--paths", "300", "--months", "12", "--statistics", "device" });
        Assert.Equal(2, cpu.ExitCode);
        Assert.Contains("needs an ILGPU backend", cpu.StdErr);
        var bad = CeProcess.Run(new[] { "bench", "--backend", "cpu", "--paths", "300", "--statistics", "approx" });
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--statistics", bad.StdErr);
    }
}
