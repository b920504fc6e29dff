using ComputeEconomics.Backends;
using ComputeEconomics.Sweeps;

namespace ComputeEconomics.Tests.Sweeps;

/// <summary>The optimiser's direction (from MetricInfo) and its rule for a paired standard error that is only rounding.</summary>
public class OptimizerRulesTests
{
    private static readonly SweepTable Table = new(Array.Empty<SweepAxis>(),
        new[] { "npv", "payback_month", "burn_multiple", "final_price" }, new[] { "default", "gap_closed_by_year_5" });

    [Theory]
    [InlineData("npv.mean", true)]
    [InlineData("npv.sd", false)]
    [InlineData("payback_month.mean", false)]
    [InlineData("burn_multiple.p50", false)]
    [InlineData("final_price.mean", true)]
    [InlineData("default_probability", false)]
    [InlineData("gap_closed_by_year_5_probability", true)]
    public void AutoGoalFollowsTheMetricsFavourableDirection(string spec, bool maximize)
    {
        Assert.Equal(maximize, Objective.Parse(spec, "auto", Table).Maximize);
        Assert.True(Objective.Parse(spec, "max", Table).Maximize);
        Assert.False(Objective.Parse(spec, "min", Table).Maximize);
    }

    private static (double[] A, SweepRow Best) Paths(int n)
    {
        var rng = new Random(7);
        var a = new double[n];
        for (int i = 0; i < n; i++) a[i] = 1.3e8 + 4e7 * (rng.NextDouble() - 0.5);
        return (a, new SweepRow(0, Array.Empty<string>(), new[] { a.Average() }));
    }

    [Fact]
    public void ADifferenceThatIsTheSameOnEveryPathHasNoZScore()
    {
        var (a, best) = Paths(1000);
        // Every path 7e7 lower: the per-path differences differ only by the rounding of each subtraction.
        double[] b = a.Select(x => x - 7e7).ToArray();
        var row = new SweepRow(1, Array.Empty<string>(), new[] { b.Average() });
        var objective = new Objective("npv_mean", "npv", "mean", true);
        var c = SweepOptimizer.Compare(2, best, row, 0, a, b, objective, 42);
        Assert.Equal(7e7, c.Difference, 1e-3);
        Assert.Equal(0.0, c.PairedStdError);
        Assert.True(double.IsNaN(c.Z), c.ToString());
        Assert.Contains("no z", c.Method);
        // The same for a statistic whose error is bootstrapped.
        var p5 = new Objective("npv_p5", "npv", "p5", true);
        var q = SweepOptimizer.Compare(2, best, row, 0, a, b, p5, 42);
        Assert.Equal(0.0, q.PairedStdError);
        Assert.True(double.IsNaN(q.Z));
    }

    [Fact]
    public void AGenuinelyNoisyDifferenceKeepsItsStandardErrorAndZ()
    {
        var (a, best) = Paths(1000);
        var rng = new Random(11);
        double[] b = a.Select(x => x - 1e5 + 3e6 * (rng.NextDouble() - 0.5)).ToArray();
        var row = new SweepRow(1, Array.Empty<string>(), new[] { b.Average() });
        var c = SweepOptimizer.Compare(2, best, row, 0, a, b, new Objective("npv_mean", "npv", "mean", true), 42);
        // Standard error of the mean of d = a - b, computed here from its definition.
        double[] d = a.Zip(b, (x, y) => x - y).ToArray();
        double mean = d.Average();
        double se = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (d.Length - 1) / d.Length);
        Assert.Equal(se, c.PairedStdError, se * 1e-9);
        Assert.Equal(c.Difference / se, c.Z, 1e-6);
        Assert.True(se > 2e4 && se < 4e4, $"se {se}: 3e6 x sqrt(1/12) / sqrt(1000) is about 2.7e4");
    }

    [Fact]
    public void OptimisingTheUpperTailCvarOfACostReproducesTheSweepsColumn()
    {
        // payback_month: less is better, so its cvar5 is the upper tail; the re-run's check must compute the same tail.
        var plan = SweepTestData.Plan(SweepTestData.Grid, paths: 200);
        var o = SweepTestData.Run(plan);
        var objective = Objective.Parse("payback_month.cvar5", "auto", o.Table);
        Assert.False(objective.Maximize);
        var r = SweepOptimizer.Optimize(plan, o.Table, o.Rows, objective, new CpuBackend(), 1, null, CancellationToken.None);
        int col = o.Table.IndexOf("payback_month_cvar5");
        Assert.Equal(o.Rows.Where(x => !double.IsNaN(x.Values[col])).Min(x => x.Values[col]), r.Ranking[0].Value);
    }
}
