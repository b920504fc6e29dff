using ComputeEconomics.Statistics;

namespace ComputeEconomics.Uncertainty;

/// <summary>
/// Standard errors of the Monte Carlo mean under each sampling scheme, and the variance reduction factor.
/// </summary>
/// <remarks>
/// Plain Monte Carlo: paths are independent, s.e. = s / sqrt(N) with s the per-path sample standard deviation.
/// Antithetic: path 2k+1 mirrors path 2k's market draws, so the two are dependent and only the pair averages
/// y_k = (x_2k + x_2k+1)/2 are independent: s.e. = sd(y) / sqrt(K) over the K pairs whose two values are present
/// (Glasserman 2004, Monte Carlo Methods in Financial Engineering, section 4.2). An unpaired last path (odd N) counts in the
/// mean but not in the error. The variance reduction factor is the plain-MC variance of the mean at the same number of
/// paths divided by the estimator's: (s^2 / N) / s.e.^2, with s^2 the per-path sample variance (Glasserman 4.2, eq. 4.29).
/// </remarks>
public static class Estimators
{
    /// <summary>The standard error of the mean of <paramref name="values"/> (NaN = absent) under <paramref name="sampling"/>.</summary>
    public static double StdError(ReadOnlySpan<double> values, string sampling)
        => sampling == "antithetic" ? PairStdError(values) : Moments.Of(values).StdError;

    /// <summary>Standard error from the averages of the pairs (2k, 2k+1); NaN with fewer than two complete pairs.</summary>
    public static double PairStdError(ReadOnlySpan<double> values)
    {
        var m = new Moments();
        for (int k = 0; 2 * k + 1 < values.Length; k++)
        {
            double a = values[2 * k], b = values[2 * k + 1];
            if (double.IsNaN(a) || double.IsNaN(b)) continue;
            m.Push(0.5 * (a + b));
        }
        return m.StdError;
    }

    /// <summary>(per-path variance / N) / s.e.^2: how many times more plain paths would give the same error. NaN when undefined.</summary>
    public static double VarianceReductionFactor(ReadOnlySpan<double> values, double stdError)
    {
        var m = Moments.Of(values);
        double plain = m.Variance / m.Count;
        return stdError > 0 && double.IsFinite(plain) ? plain / (stdError * stdError) : double.NaN;
    }
}
