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
}
