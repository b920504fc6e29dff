using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Tests.Engine;

/// <summary>
/// Sweeps pack many points into one launch (parameters per point in one buffer, tables concatenated).
/// Every point's per-path results must be bit-identical to running that point alone, on every backend.
/// </summary>
public class VariantPackingTests
{
    private static readonly string[][] Points =
    {
        new[] { "fleet.depreciation.book.useful_life_months=36" },
        new[] { "fleet.depreciation.book.useful_life_months=72", "fleet.expansion.every_months=12", "fleet.expansion.units=500" },
        new[] { "market.price.drift=-0.6", "fleet.depreciation.book.method=declining_balance" },
    };

    [Theory]
    [InlineData("cpu")]
    [InlineData("ilgpu-cpu")]
    public void PackedPointsEqualPointsRunAlone(string backendName)
    {
        const int paths = 40;
        var jobs = Points.Select(o => ScenarioCompiler.Compile(ScenarioLoader.Load(null,
            o.Concat(new[] { $"paths={paths}", "horizon_months=60", "band_paths=0" })))).ToList();
        using var backend = BackendFactory.Create(backendName, 0, out _);
        var alone = jobs.Select(j => Simulator.Run(j, backend, new RunOptions { Paths = paths, BandPaths = 0 })).ToList();
        var packed = new List<RunResult>();
        SweepExecutor.Run(new[] { 0, 1, 2 }, i => jobs[i], backend, new RunOptions { Paths = paths, BandPaths = 0, BatchSize = 7 },
            (i, r) => packed.Add(r));
        Assert.Equal(3, packed.Count);
        for (int p = 0; p < 3; p++)
            for (int k = 0; k < jobs[p].MetricNames.Count; k++)
                for (int i = 0; i < paths; i++)
                    Assert.True(BitConverter.DoubleToInt64Bits(alone[p].Columns[k][i]) == BitConverter.DoubleToInt64Bits(packed[p].Columns[k][i]),
                        $"point {p}, metric {jobs[p].MetricNames[k]}, path {i}: {alone[p].Columns[k][i]:R} vs {packed[p].Columns[k][i]:R}");
        // The points really differ, so a mix-up of their parameters would show.
        Assert.NotEqual(alone[0].Columns[0], alone[2].Columns[0]);
    }

    /// <summary>A pack of many points of few paths is bounded by the points' tables (each point brings its own), not only
    /// by the paths: the table budget divided by one point's table, never below one point.</summary>
    [Fact]
    public void PackSizeIsBoundedByTablesAndPaths()
    {
        var job = ScenarioCompiler.Compile(ScenarioLoader.Load(null, new[] { "paths=20" }));
        long perPoint = job.Data.Length;
        Assert.True(perPoint > 1000, $"the default scenario's tables ({perPoint} doubles) are what this test is about");
        int byTables = (int)(SweepExecutor.MaxPackTableDoubles / perPoint);
        Assert.Equal(byTables, SweepExecutor.PackSize(job, 1_000_000, paths: 20, maxBatch: 1L << 30));
        Assert.Equal(5, SweepExecutor.PackSize(job, 5, paths: 20, maxBatch: 1L << 30));                  // fewer points left
        Assert.Equal((int)Math.Min(byTables, 100 / 20), SweepExecutor.PackSize(job, 1_000_000, paths: 20, maxBatch: 100));   // the backend's batch
        Assert.Equal(1, SweepExecutor.PackSize(job, 1_000_000, paths: 1L << 22, maxBatch: 1L << 30));    // one point fills a pack
    }
}
