using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Output;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Statistics;
using ComputeEconomics.Uncertainty;

namespace ComputeEconomics.Tests.Uncertainty;

/// <summary>The drawn inputs feed a sensitivity measure: each input's Spearman rank correlation with the answer.</summary>
public class RankCorrelationTests
{
    [Fact]
    public void SpearmanMatchesThePublishedExample()
    {
        // Wikipedia, "Spearman's rank correlation coefficient", worked example (IQ against hours of TV a week):
        // rho = 1 - 6 * 194 / (10 * 99) = -29/165.
        double[] iq = { 106, 100, 86, 101, 99, 103, 97, 113, 112, 110 };
        double[] tv = { 7, 27, 2, 50, 28, 29, 20, 12, 6, 17 };
        Assert.Equal(-29.0 / 165.0, Estimators.Spearman(iq, tv), 12);
        Assert.Equal(1.0, Estimators.Spearman(iq, iq.Select(x => Math.Exp(x / 50)).ToArray()), 12);   // any increasing map
        Assert.Equal(-1.0, Estimators.Spearman(iq, iq.Select(x => -x).ToArray()), 12);
        Assert.True(double.IsNaN(Estimators.Spearman(new[] { 1.0, 2 }, new[] { 3.0, 4 })));
    }

    [Fact]
    public void AnInputTheAnswerIncreasesWithHasRankCorrelationOne()
    {
        // With every driver deterministic and no failures, NPV rises strictly with the initial rent: rho = 1 exactly.
        var loaded = ScenarioLoader.LoadWithUncertainty(null, new[]
        {
            "paths=200", "band_paths=0", "market.price.volatility=0", "market.utilisation.volatility=0",
            "market.electricity.volatility=0", "market.regime.normal_to_bust=0", "fleet.failures.enabled=false",
            "market.price.initial={dist: uniform, low: 2.5, high: 4.5}",
        });
        using var cpu = new CpuBackend();
        var r = Simulator.Run(ScenarioCompiler.Compile(loaded.Scenario), cpu,
            new RunOptions { Paths = 200, BandPaths = 0, PerPathJobs = new UncertainJobSource(loaded) });
        var input = Assert.Single(RunSummary.From(r, loaded.Uncertainty.Fields).Inputs);
        Assert.Equal("npv", input.Against);
        Assert.Equal(1.0, input.RankCorrelation, 12);
    }
}
