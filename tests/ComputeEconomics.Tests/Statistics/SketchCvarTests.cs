using ComputeEconomics.Statistics;

namespace ComputeEconomics.Tests.Statistics;

/// <summary>
/// The streamed CVaR (the sketch's tail mean) against the exact tail mean of the same sample. Closed-form bound: the
/// sketch's quantile function Q'(u) lies between the exact Q(u - e) and Q(u + e), e = the rank-error bound, so the
/// mean of the k smallest differs from the exact one by at most (1/k) x integral over [0, k] of Q(u + e) - Q(u - e),
/// which is at most 2 e (x(k + e) - x(0)) / k (and the mirror bound for the largest).
/// </summary>
public class SketchCvarTests
{
    private static double[] Lognormal(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            x[i] = Math.Exp(1.5 * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return x;
    }

    [Theory]
    [InlineData(2048, false)]
    [InlineData(2048, true)]
    [InlineData(8192, false)]
    [InlineData(8192, true)]
    public void TailMeanIsWithinTheRankBoundOfTheExactCvar(int capacity, bool upper)
    {
        const int n = 200_000;
        const double alpha = 0.05;
        var x = Lognormal(n, 7 + capacity);
        var sketch = new QuantileSketch(capacity);
        sketch.Add(x);
        Assert.True(sketch.RankErrorBound > 0, "the sketch must have compacted for the test to mean anything");

        var sorted = x.OrderBy(v => upper ? -v : v).ToArray();   // the tail first
        int k = (int)Math.Ceiling(alpha * n);
        double exact = sorted.Take(k).Average();
        long e = sketch.RankErrorBound;
        double spread = Math.Abs(sorted[(int)Math.Min(n - 1, k + e)] - sorted[0]);
        double bound = 2.0 * e * spread / k;

        Assert.True(bound < 0.2 * spread, $"bound {bound} too loose to test anything (rank error {e} of {k} tail values)");
        double streamed = sketch.TailMean(alpha, upper);
        Assert.True(Math.Abs(streamed - exact) <= bound,
            $"streamed CVaR {streamed} vs exact {exact}: difference {Math.Abs(streamed - exact)} above the bound {bound} (rank error {e})");
        var ascending = x.OrderBy(v => v).ToArray();   // the engine's exact CVaR is this same tail mean
        double engineExact = upper ? Summarizer.UpperCvar(ascending, alpha) : Quantiles.Cvar(ascending, alpha);
        Assert.True(Math.Abs(engineExact - exact) <= 1e-12 * Math.Abs(exact), $"exact CVaR {engineExact} vs {exact}");
    }
}
