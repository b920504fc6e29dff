namespace ComputeEconomics.Tests.TestSupport;

/// <summary>
/// Sample moments for the Monte Carlo cross-checks: two-pass, so the results do not depend on the order
/// of the sums beyond rounding. Every estimator is the usual one (N-1 normaliser for the variance;
/// skewness and kurtosis as the plain moment ratios m3/m2^1.5 and m4/m2^2).
/// </summary>
public static class SampleStats
{
    public static double Mean(IReadOnlyList<double> x)
    {
        double s = 0;
        for (int i = 0; i < x.Count; i++) s += x[i];
        return s / x.Count;
    }

    /// <summary>Unbiased sample variance (N-1).</summary>
    public static double Variance(IReadOnlyList<double> x)
    {
        double m = Mean(x), s = 0;
        for (int i = 0; i < x.Count; i++) s += (x[i] - m) * (x[i] - m);
        return s / (x.Count - 1);
    }

    /// <summary>Standard error of the mean, sqrt(Var/N).</summary>
    public static double StdError(IReadOnlyList<double> x) => Math.Sqrt(Variance(x) / x.Count);

    /// <summary>Central moments m2, m3, m4 (1/N normaliser).</summary>
    public static (double M2, double M3, double M4) CentralMoments(IReadOnlyList<double> x)
    {
        double m = Mean(x), s2 = 0, s3 = 0, s4 = 0;
        for (int i = 0; i < x.Count; i++)
        {
            double d = x[i] - m, d2 = d * d;
            s2 += d2; s3 += d2 * d; s4 += d2 * d2;
        }
        return (s2 / x.Count, s3 / x.Count, s4 / x.Count);
    }

    /// <summary>Pearson sample correlation.</summary>
    public static double Correlation(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double mx = Mean(x), my = Mean(y), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Count; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
        }
        return sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>|estimate - exact| &lt;= k * stderr, with every input in the failure message.</summary>
    public static void AssertWithinStdErrors(double exact, double estimate, double stdError, double k, string what)
    {
        double z = (estimate - exact) / stdError;
        Assert.True(Math.Abs(estimate - exact) <= k * stdError,
            $"{what}: expected {exact:R}, estimate {estimate:R}, stderr {stdError:R}, z = {z:F2} (allowed |z| <= {k})");
    }

    /// <summary>|actual - expected| &lt;= tolerance * |expected| (absolute when expected is 0).</summary>
    public static void AssertRelative(double expected, double actual, double tolerance, string what)
    {
        double scale = expected == 0 ? 1.0 : Math.Abs(expected);
        Assert.True(Math.Abs(actual - expected) <= tolerance * scale,
            $"{what}: expected {expected:R}, got {actual:R} (relative error {Math.Abs(actual - expected) / scale:E3}, allowed {tolerance:E1})");
    }
}
