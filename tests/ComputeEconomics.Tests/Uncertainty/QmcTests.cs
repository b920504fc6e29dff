using ComputeEconomics.Backends;
using ComputeEconomics.Kernels;
using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Models;
using ComputeEconomics.Output;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Tests.Uncertainty;

/// <summary>
/// Randomised quasi-Monte Carlo (`sampling: qmc`): scrambled Sobol for the market drivers' first months, Philox for
/// the rest, the error from independent scramblings (issue "uncertain inputs and variance reduction", item 2).
/// </summary>
public class QmcTests
{
    private static (RunSummary Summary, RunResult Result) Run(string sampling, string model, int paths, int months, IBackend? backend = null, int? batch = null)
    {
        var s = ScenarioLoader.Load(null, new[] { $"model={model}", $"sampling={sampling}", $"paths={paths}", $"horizon_months={months}", "band_paths=0" });
        var job = ScenarioCompiler.Compile(s);
        var b = backend ?? new CpuBackend();
        try
        {
            var r = Simulator.Run(job, b, new RunOptions { Paths = paths, BandPaths = 0, BatchSize = batch });
            return (RunSummary.From(r), r);
        }
        finally
        {
            if (backend == null) b.Dispose();
        }
    }

    [Fact]
    public void EveryDimensionIsANetOfOnePointPerInterval()
    {
        // The first 2^m points of a Sobol sequence, in any one dimension, put exactly one point in each interval
        // [k/2^m, (k+1)/2^m) (Sobol 1967: a (0, m, 1)-net); a digital shift keeps the property.
        var s = ScenarioLoader.Load(null, new[] { "sampling=qmc", "model=market", "horizon_months=12" });
        var job = (ModelJob<MarketModel>)ScenarioCompiler.Compile(s);
        var p = job.Model.Market;
        Assert.Equal(28, p.QmcDims);
        const int m = 8;
        unsafe
        {
            fixed (double* d = job.Data)
            {
                var data = new PtrVec<double>(d);
                for (int scrambling = 0; scrambling < 2; scrambling++)
                    for (int dim = 0; dim < p.QmcDims; dim++)
                    {
                        var seen = new bool[1 << m];
                        for (long i = 0; i < 1 << m; i++)
                            seen[Market.SobolWord(data, p, i, scrambling, dim) >> (32 - m)] = true;
                        Assert.True(seen.All(x => x), $"dimension {dim}, scrambling {scrambling}: an interval holds no point");
                    }
            }
        }
    }

    [Fact]
    public void QmcAgreesWithPlainMonteCarloOnTheFleetModel()
    {
        var (plain, _) = Run("none", "fleet", 4000, 12);
        var (qmc, _) = Run("qmc", "fleet", 4000, 12);
        foreach (var name in new[] { "total_revenue", "npv", "total_ebitda" })
        {
            var a = plain.Metric(name);
            var b = qmc.Metric(name);
            double se = Math.Sqrt(a.StdError * a.StdError + b.StdError * b.StdError);
            Assert.True(Math.Abs(a.Mean - b.Mean) <= 4 * se, $"{name}: plain {a.Mean} vs qmc {b.Mean} (4 s.e. = {4 * se})");
        }
    }

    [Fact]
    public void QmcLowersTheErrorOfASmoothMetricOverItsSobolMonths()
    {
        // Over 7 months every market draw is a Sobol coordinate: the mean price converges much faster than 1/sqrt(N).
        var (qmc, _) = Run("qmc", "market", 4096, 7);
        double vrf = qmc.VarianceReduction["mean_price"];
        Assert.True(vrf > 10, $"variance reduction factor of mean_price {vrf}");
        Assert.Contains("scramblings", qmc.StdErrorMethod);
        var (plain, _) = Run("none", "market", 4096, 7);
        Assert.True(qmc.Metric("mean_price").StdError < plain.Metric("mean_price").StdError / 3);
    }

    [Fact]
    public void QmcIsBitIdenticalAcrossBackendsAndBatches()
    {
        var (_, a) = Run("qmc", "fleet", 300, 24);
        using var ilgpu = IlgpuBackend.CreateCpu();
        var (_, b) = Run("qmc", "fleet", 300, 24, ilgpu);
        var (_, c) = Run("qmc", "fleet", 300, 24, batch: 7);
        for (int k = 0; k < a.Columns.Length; k++)
            for (int i = 0; i < 300; i++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(a.Columns[k][i]), BitConverter.DoubleToInt64Bits(b.Columns[k][i]));
                Assert.Equal(BitConverter.DoubleToInt64Bits(a.Columns[k][i]), BitConverter.DoubleToInt64Bits(c.Columns[k][i]));
            }
    }
}
