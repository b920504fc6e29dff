using ComputeEconomics.Sweeps;

namespace ComputeEconomics.Tests.Sweeps;

/// <summary>Axes, grids, ranges and the validation of every point through the scenario validator.</summary>
public sealed class SweepPlanTests
{
    [Fact]
    public void GridIsTheFullProductWithTheLastAxisFastest()
    {
        var plan = SweepTestData.Plan(SweepTestData.Grid);
        Assert.Equal(6, plan.PointCount);
        var expected = new[] { ("0.3", "48"), ("0.3", "72"), ("0.5", "48"), ("0.5", "72"), ("0.7", "48"), ("0.7", "72") };
        for (int i = 0; i < 6; i++)
        {
            var v = plan.ValuesAt(i);
            Assert.Equal(expected[i], (v[0]!, v[1]!));
        }
        Assert.Equal(0.5, plan.ScenarioAt(2).Fleet.Financing.DebtShare);
        Assert.Equal(72, plan.ScenarioAt(5).Fleet.Depreciation.Book.UsefulLifeMonths);
        Assert.Null(plan.ScenarioAt(0).Sweep);
    }

    [Fact]
    public void LogRangeIsGeometricWithExactEnds()
    {
        var plan = SweepTestData.Plan("""
            scenario: neocloud-h100
            sweep:
              axes:
                - { field: market.price.volatility, from: 0.1, to: 0.4, steps: 3, scale: log }
            """);
        // Geometric: 0.1, sqrt(0.1 * 0.4) = 0.2, 0.4.
        Assert.Equal("0.1", plan.ValuesAt(0)[0]);
        Assert.Equal(0.2, double.Parse(plan.ValuesAt(1)[0]!, System.Globalization.CultureInfo.InvariantCulture), 12);
        Assert.Equal("0.4", plan.ValuesAt(2)[0]);
    }

    [Fact]
    public void AxisValueBreakingAFieldRuleNamesTheAxisAndField()
    {
        var ex = SweepTestData.Errors("""
            scenario: neocloud-h100
            sweep:
              axes:
                - field: fleet.financing.debt_share
                  values: [0.5]
                - field: fleet.depreciation.book.useful_life_months
                  values: [48, 0]
            """);
        var e = Assert.Single(ex.Errors);
        Assert.Equal("sweep.axes[1] (fleet.depreciation.book.useful_life_months)", e.Field);
        Assert.Equal("0", e.Value);
        Assert.Equal("must be in [1, 600]", e.Rule);
    }

    [Fact]
    public void EveryAxisErrorIsReportedAtOnce()
    {
        var ex = SweepTestData.Errors("""
            scenario: neocloud-h100
            sweep:
              axes:
                - { field: fleet.financing.debt_shar, values: [0.5] }
                - { field: seed, values: [1, 2] }
                - { field: fleet.replacement.policy, from: 0, to: 1, steps: 2 }
                - { field: market.price.volatility, from: 0.3, to: 0.1, steps: 2 }
                - { field: fleet.financing.wacc, values: [0.1, abc] }
            """);
        var fields = ex.Errors.Select(e => e.Field).ToList();
        Assert.Contains("sweep.axes[0] (fleet.financing.debt_shar)", fields);
        Assert.Contains("sweep.axes[1] (seed)", fields);
        Assert.Contains("sweep.axes[2] (fleet.replacement.policy)", fields);
        Assert.Contains("sweep.axes[3] (market.price.volatility)", fields);
        Assert.Contains(ex.Errors, e => e.Field == "sweep.axes[4] (fleet.financing.wacc)" && e.Value == "values[1] = abc" && e.Rule == "must be a finite number");
        Assert.Contains(ex.Errors, e => e.Field == "sweep.axes[0] (fleet.financing.debt_shar)" && e.Rule.Contains("debt_share", StringComparison.Ordinal));
    }

    [Fact]
    public void RangeEndOutsideTheFieldRuleIsRejected()
    {
        var ex = SweepTestData.Errors("""
            scenario: neocloud-h100
            sweep:
              design: latin_hypercube
              points: 8
              axes:
                - { field: fleet.financing.debt_share, from: 0.5, to: 1.5 }
            """);
        var e = Assert.Single(ex.Errors);
        Assert.Equal("sweep.axes[0] (fleet.financing.debt_share)", e.Field);
        Assert.Equal("1.5", e.Value);
        Assert.Equal("must be in [0, 1]", e.Rule);
    }

    [Fact]
    public void DesignDrawsInsideTheRangesAndWholeNumbersForIntegerFields()
    {
        foreach (var design in new[] { "latin_hypercube", "sobol" })
        {
            var plan = SweepTestData.Plan($$"""
                scenario: neocloud-h100
                sweep:
                  design: {{design}}
                  points: 64
                  axes:
                    - { field: fleet.financing.debt_share, from: 0.2, to: 0.8 }
                    - { field: fleet.depreciation.book.useful_life_months, from: 36, to: 72 }
                """);
            Assert.Equal(64, plan.PointCount);
            var lives = new HashSet<int>();
            for (int i = 0; i < 64; i++)
            {
                var s = plan.ScenarioAt(i);
                Assert.InRange(s.Fleet.Financing.DebtShare, 0.2, 0.8);
                Assert.InRange(s.Fleet.Depreciation.Book.UsefulLifeMonths, 36, 72);
                lives.Add(s.Fleet.Depreciation.Book.UsefulLifeMonths);
            }
            Assert.True(lives.Count > 20, $"{design}: only {lives.Count} distinct lives in 64 points");
        }
    }

    [Fact]
    public void EffectiveInputReloadsToTheSameHash()
    {
        var plan = SweepTestData.Plan(SweepTestData.Grid);
        var again = SweepPlan.FromText(plan.EffectiveYaml, "sweep.yaml");
        Assert.Equal(plan.Hash, again.Hash);
        Assert.Equal(plan.PointCount, again.PointCount);
    }
}
