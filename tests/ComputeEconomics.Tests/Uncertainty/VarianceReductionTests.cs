using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Output;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Statistics;
using ComputeEconomics.Tests.TestSupport;
using ComputeEconomics.Uncertainty;

namespace ComputeEconomics.Tests.Uncertainty;

/// <summary>Antithetic standard errors, the variance reduction factor and the stopping rule.</summary>
public class VarianceReductionTests
{
    [Fact]
    public void PairStdErrorUsesThePairAverages()
    {
        // Pairs (1,3) and (5,7): averages 2 and 6, sd sqrt(8), s.e. sqrt(8)/sqrt(2) = 2.
        Assert.Equal(2.0, Estimators.PairStdError(new[] { 1.0, 3, 5, 7 }), 14);
        // Perfectly mirrored pairs have zero error; an incomplete pair (NaN) is skipped.
        Assert.Equal(0.0, Estimators.PairStdError(new[] { -1.0, 1, -4, 4, 2, double.NaN }));
        // Per-path variance of {1,3,5,7} is 20/3; plain s.e.^2 = 20/12; factor (20/12) / 4.
        Assert.Equal(20.0 / 12 / 4, Estimators.VarianceReductionFactor(new[] { 1.0, 3, 5, 7 }, 2.0), 14);
    }

    /// <summary>
    /// The fleet model with market risk only: antithetic and plain Monte Carlo estimate the same means (within 4 combined
    /// standard errors), and for revenue, which is monotone in the price and utilisation shocks, the antithetic estimator's
    /// standard error is lower (Glasserman 2004, 4.2: antithetic variates help a monotone function).
    /// </summary>
    [Fact]
    public void AntitheticAgreesWithPlainMonteCarloOnTheFleetModelAndLowersTheStdError()
    {
        const int paths = 4000;
        string[] common = { $"paths={paths}", "horizon_months=60", "band_paths=0", "fleet.failures.enabled=false" };
        using var cpu = new CpuBackend();
        RunSummary Run(string sampling, long seed)
        {
            var s = ScenarioLoader.Load(null, common.Append($"sampling={sampling}").Append($"seed={seed}"));
            return RunSummary.From(Simulator.Run(ScenarioCompiler.Compile(s), cpu, new RunOptions { Paths = paths, BandPaths = 0 }));
        }
        var plain = Run("none", 11);
        var anti = Run("antithetic", 12);
        foreach (var metric in new[] { "npv", "total_revenue", "book_value_y3", "final_market_value" })
        {
            var a = anti.Metric(metric);
            var p = plain.Metric(metric);
            double tol = 4 * Math.Sqrt(a.StdError * a.StdError + p.StdError * p.StdError);
            Assert.True(Math.Abs(a.Mean - p.Mean) <= tol, $"{metric}: antithetic {a.Mean:G6} vs plain {p.Mean:G6}, 4 se {tol:G4}");
        }
        var rev = anti.Metric("total_revenue");
        Assert.True(rev.StdError < plain.Metric("total_revenue").StdError,
            $"antithetic s.e. {rev.StdError:G4} vs plain {plain.Metric("total_revenue").StdError:G4}");
        Assert.True(anti.VarianceReduction["total_revenue"] > 1.5, $"factor {anti.VarianceReduction["total_revenue"]:G4}");
        Assert.Empty(plain.VarianceReduction);
        Assert.Contains("antithetic pairs", anti.StdErrorMethod);
        Assert.Contains("\"variance_reduction\"", Writers.SummaryJson(anti));
    }

    // The market model with price volatility only and no regime switch: P_T is lognormal with known variance,
    // Var P_T = P0^2 (exp(sigma^2 T) - 1) for zero drift (T in years). A target set to sd/sqrt(12000) is missed at 8192 paths
    // (s.e. 1.21 x target) and met at 16384 (0.86 x target), far beyond the sampling error of the s.e. estimate itself.
    private const string Lognormal = """
        model: market
        horizon_months: 12
        band_paths: 0
        market:
          regime: { initial: 0, normal_to_bust: 0, bust_to_normal: 0 }
          price: { initial: 2.0, drift: 0, drift_bust: 0, volatility: 0.3 }
          utilisation: { initial: 0.7, mean: 0.7, mean_bust: 0.5, reversion: 1, volatility: 0 }
          electricity: { initial: 0.1, drift: 0, volatility: 0 }
        """;

    [Fact]
    public void StoppingRuleStopsAtTheTargetOnACaseWithAKnownVariance()
    {
        var s = ScenarioLoader.FromText(Lognormal, "t");
        var job = ScenarioCompiler.Compile(s);
        double sd = 2.0 * Math.Sqrt(Math.Exp(0.09) - 1);
        var target = TargetStdError.Parse($"final_price.mean={sd / Math.Sqrt(12_000):R}", job.MetricNames);
        using var cpu = new CpuBackend();
        var (result, stop) = AdaptiveRunner.Run(job, cpu, new RunOptions { BandPaths = 0 }, target, maxPaths: 1 << 20);
        Assert.Equal("target", stop.StoppedBy);
        Assert.Equal(16_384, stop.Paths);
        Assert.Equal(new long[] { 4096, 8192, 16384 }, stop.Stages);
        Assert.True(stop.StdError <= stop.Threshold);
        // Deterministic: the same as one run of 16384 paths, bit for bit.
        var once = Simulator.Run(job, cpu, new RunOptions { Paths = 16_384, BandPaths = 0 });
        BitCompare.AssertIdentical(once, result, "adaptive vs one run");

        // Relative target: 0.5% of the mean (2.0) = 0.01; sd/sqrt(n) <= 0.01 needs n >= 3767 -> the first stage.
        var rel = TargetStdError.Parse("final_price=0.5%", job.MetricNames);
        var (_, relStop) = AdaptiveRunner.Run(job, cpu, new RunOptions { BandPaths = 0 }, rel, maxPaths: 1 << 20);
        Assert.Equal(4096, relStop.Paths);
        Assert.True(rel.Relative && rel.Value == 0.005);

        // A target out of reach stops at --max-paths, with the last stage cut to it.
        var far = TargetStdError.Parse("final_price.mean=0.0001", job.MetricNames);
        var (maxed, maxStop) = AdaptiveRunner.Run(job, cpu, new RunOptions { BandPaths = 0 }, far, maxPaths: 10_000);
        Assert.Equal("max_paths", maxStop.StoppedBy);
        Assert.Equal(new long[] { 4096, 8192, 10000 }, maxStop.Stages);
        Assert.Equal(10_000, maxed.Paths);
    }

    [Theory]
    [InlineData("npv")]
    [InlineData("npv.mean=")]
    [InlineData("npv.mean=-1")]
    [InlineData("nvp.mean=1%")]
    [InlineData("npv.mean=abc")]
    public void BadTargetsAreInputErrors(string text)
    {
        var ex = Assert.Throws<InputException>(() => TargetStdError.Parse(text, MetricNames.Fleet));
        Assert.Contains(ex.Errors, e => e.Field == "--target-stderr");
    }
}
