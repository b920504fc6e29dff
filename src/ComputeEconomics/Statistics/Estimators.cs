using ComputeEconomics.Statistics;

namespace ComputeEconomics.Statistics;

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
    public static double StdError(ReadOnlySpan<double> values, string sampling, int scramblings = 0) => sampling switch
    {
        "antithetic" => PairStdError(values),
        "qmc" => ReplicateStdError(values, scramblings),
        _ => Moments.Of(values).StdError,
    };

    /// <summary>
    /// Randomised QMC: path p belongs to scrambling p % R; the R replicate means are independent and identically
    /// distributed, so s.e. = sd(replicate means) / sqrt(R) (Owen 1997; L'Ecuyer and Lemieux 2002). Absent values are
    /// left out of their replicate's mean. NaN with fewer than two replicates holding values.
    /// </summary>
    public static double ReplicateStdError(ReadOnlySpan<double> values, int scramblings)
    {
        if (scramblings < 2) return double.NaN;
        var sums = new double[scramblings];
        var counts = new long[scramblings];
        for (int p = 0; p < values.Length; p++)
        {
            if (double.IsNaN(values[p])) continue;
            sums[p % scramblings] += values[p];
            counts[p % scramblings]++;
        }
        var m = new Moments();
        for (int r = 0; r < scramblings; r++) if (counts[r] > 0) m.Push(sums[r] / counts[r]);
        return m.StdError;
    }

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

    /// <summary>
    /// Spearman's rank correlation of the pairs (x_i, y_i) with both present (average ranks for ties): the Pearson
    /// correlation of the ranks. NaN with fewer than three pairs or a constant side.
    /// </summary>
    public static double Spearman(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (int i = 0; i < Math.Min(x.Length, y.Length); i++)
            if (!double.IsNaN(x[i]) && !double.IsNaN(y[i])) { xs.Add(x[i]); ys.Add(y[i]); }
        if (xs.Count < 3) return double.NaN;
        double[] rx = Ranks(xs.ToArray()), ry = Ranks(ys.ToArray());
        double mx = rx.Average(), my = ry.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < rx.Length; i++)
        {
            sxy += (rx[i] - mx) * (ry[i] - my); sxx += (rx[i] - mx) * (rx[i] - mx); syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }

    private static double[] Ranks(double[] v)
    {
        var order = Enumerable.Range(0, v.Length).OrderBy(i => v[i]).ToArray();
        var ranks = new double[v.Length];
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j + 1 < order.Length && v[order[j + 1]] == v[order[i]]) j++;
            double r = 0.5 * (i + j) + 1;
            for (int k = i; k <= j; k++) ranks[order[k]] = r;
            i = j + 1;
        }
        return ranks;
    }

    /// <summary>(per-path variance / N) / s.e.^2: how many times more plain paths would give the same error. NaN when undefined.</summary>
    public static double VarianceReductionFactor(ReadOnlySpan<double> values, double stdError)
    {
        var m = Moments.Of(values);
        double plain = m.Variance / m.Count;
        return stdError > 0 && double.IsFinite(plain) ? plain / (stdError * stdError) : double.NaN;
    }
}
