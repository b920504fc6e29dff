namespace ComputeEconomics.Calibration;

/// <summary>The filter's state after a month: per regime its probability, state mean and covariance.</summary>
/// <param name="Prob">Pr(regime j | data so far).</param>
/// <param name="Mean">Per regime: [z, b_1..b_K] (latent state, then the vendor/product effects).</param>
/// <param name="Cov">Per regime: the covariance, row-major n x n.</param>
public sealed record FilterState(double[] Prob, double[][] Mean, double[][] Cov)
{
    /// <summary>State dimension.</summary>
    public int Dim => Mean[0].Length;

    /// <summary>Mixture mean of state component <paramref name="i"/>.</summary>
    public double MeanOf(int i) => Enumerable.Range(0, Prob.Length).Sum(j => Prob[j] * Mean[j][i]);

    /// <summary>Mixture variance of state component <paramref name="i"/>.</summary>
    public double VarOf(int i)
    {
        double m = MeanOf(i), v = 0;
        for (int j = 0; j < Prob.Length; j++)
        {
            double d = Mean[j][i] - m;
            v += Prob[j] * (Cov[j][i * Dim + i] + d * d);
        }
        return v;
    }
}

/// <summary>
/// Exact Gaussian likelihood of the monthly state-space model (Kalman filter; for the floor model an extended Kalman
/// filter, linearised at the predicted state; for two regimes Kim's (1994) filter, which collapses the regime pairs
/// each month). State [z, b_1..b_K]: z the latent level state, b_k the vendor/product random effects (constant,
/// prior N(0, omega^2)). Each observation y = LogLevel(z) + b_k + offset_c + N(0, tau^2), processed one at a time.
/// Months without observations only predict, so the likelihood is exact for irregular, missing months.
/// </summary>
public static class KimFilter
{
    /// <summary>Log-likelihood of <paramref name="data"/>; <paramref name="track"/> receives each month's filtered state.</summary>
    public static double LogLikelihood(PriceData data, Decoded p, Action<int, FilterState>? track = null) =>
        Run(data, p, track).LogLik;

    /// <summary>Runs the filter; returns the log-likelihood and the state after the last grid month.</summary>
    public static (double LogLik, FilterState Last) Run(PriceData data, Decoded p, Action<int, FilterState>? track = null)
    {
        int regimes = p.Intercept.Length, n = 1 + data.Vendors.Count;
        var state = Initial(p, regimes, n);
        double ll = 0;
        for (int t = 0; t < data.MonthCount; t++)
        {
            var points = data.ByMonth[t];
            if (t == 0)
            {
                ll += UpdateFirstMonth(state, points, p);
            }
            else
            {
                double monthLl;
                (state, monthLl) = Step(state, points, p);
                ll += monthLl;
            }
            if (!double.IsFinite(ll)) return (double.NegativeInfinity, state);
            track?.Invoke(t, state);
        }
        return (ll, state);
    }

    private static FilterState Initial(Decoded p, int regimes, int n)
    {
        var prob = new double[regimes];
        if (regimes == 1) prob[0] = 1;
        else
        {
            double denom = p.P01 + p.P10;
            prob[1] = denom > 0 ? p.P01 / denom : 0;
            prob[0] = 1 - prob[1];
        }
        var mean = new double[regimes][];
        var cov = new double[regimes][];
        for (int j = 0; j < regimes; j++)
        {
            mean[j] = new double[n];
            mean[j][0] = p.Z1;
            cov[j] = new double[n * n];
            for (int k = 1; k < n; k++) cov[j][k * n + k] = p.Omega * p.Omega;
        }
        return new FilterState(prob, mean, cov);
    }

    /// <summary>Month 0: no transition; the regimes share the state, so one update serves all.</summary>
    private static double UpdateFirstMonth(FilterState s, IReadOnlyList<PricePoint> points, Decoded p)
    {
        double ll = 0;
        foreach (var pt in points) ll += Update(s.Mean[0], s.Cov[0], pt, p);
        for (int j = 1; j < s.Prob.Length; j++)
        {
            Array.Copy(s.Mean[0], s.Mean[j], s.Dim);
            Array.Copy(s.Cov[0], s.Cov[j], s.Cov[0].Length);
        }
        return ll;
    }

    /// <summary>One month: predict every regime pair (i -> j), update with the month's points, collapse to j.</summary>
    private static (FilterState, double) Step(FilterState s, IReadOnlyList<PricePoint> points, Decoded p)
    {
        int r = s.Prob.Length, n = s.Dim;
        var logW = new double[r, r];
        var means = new double[r, r][];
        var covs = new double[r, r][];
        for (int i = 0; i < r; i++)
            for (int j = 0; j < r; j++)
            {
                double pij = s.Prob[i] * p.Transition(i, j);
                var a = (double[])s.Mean[i].Clone();
                var c = (double[])s.Cov[i].Clone();
                Predict(a, c, n, p, j);
                double ll = 0;
                foreach (var pt in points) ll += Update(a, c, pt, p);
                logW[i, j] = pij > 0 ? Math.Log(pij) + ll : double.NegativeInfinity;
                means[i, j] = a;
                covs[i, j] = c;
            }
        double max = double.NegativeInfinity;
        foreach (var w in logW) max = Math.Max(max, w);
        if (!double.IsFinite(max)) return (s, double.NegativeInfinity);
        double total = 0;
        var weights = new double[r, r];
        for (int i = 0; i < r; i++)
            for (int j = 0; j < r; j++) { weights[i, j] = Math.Exp(logW[i, j] - max); total += weights[i, j]; }
        return (Collapse(weights, total, means, covs, n), max + Math.Log(total));
    }

    private static FilterState Collapse(double[,] w, double total, double[,][] means, double[,][] covs, int n)
    {
        int r = w.GetLength(0);
        var prob = new double[r];
        var mean = new double[r][];
        var cov = new double[r][];
        for (int j = 0; j < r; j++)
        {
            double pj = 0;
            for (int i = 0; i < r; i++) pj += w[i, j];
            prob[j] = pj / total;
            mean[j] = new double[n];
            cov[j] = new double[n * n];
            if (pj <= 0) { Array.Copy(means[0, j], mean[j], n); Array.Copy(covs[0, j], cov[j], n * n); continue; }
            for (int i = 0; i < r; i++)
                for (int k = 0; k < n; k++) mean[j][k] += w[i, j] / pj * means[i, j][k];
            for (int i = 0; i < r; i++)
            {
                double wi = w[i, j] / pj;
                var a = means[i, j];
                var c = covs[i, j];
                for (int k = 0; k < n; k++)
                    for (int l = 0; l < n; l++)
                        cov[j][k * n + l] += wi * (c[k * n + l] + (a[k] - mean[j][k]) * (a[l] - mean[j][l]));
            }
        }
        return new FilterState(prob, mean, cov);
    }

    /// <summary>z -> Intercept[j] + Phi z; the z row and column scale by Phi; Var z gains Q^2.</summary>
    private static void Predict(double[] a, double[] c, int n, Decoded p, int regime)
    {
        a[0] = p.Intercept[regime] + p.Phi * a[0];
        if (p.Phi != 1.0)
        {
            for (int k = 1; k < n; k++) { c[k] *= p.Phi; c[k * n] *= p.Phi; }
            c[0] *= p.Phi * p.Phi;
        }
        c[0] += p.Q * p.Q;
    }

    /// <summary>Scalar (extended) Kalman update with one point; returns its log predictive density.</summary>
    private static double Update(double[] a, double[] c, PricePoint pt, Decoded p)
    {
        int n = a.Length, k = 1 + pt.Vendor;
        double h0 = p.Slope(a[0]);
        double predicted = p.LogLevel(a[0]) + a[k] + p.Offsets[pt.Contract];
        var ph = new double[n];
        for (int i = 0; i < n; i++) ph[i] = h0 * c[i * n] + c[i * n + k];
        double f = h0 * ph[0] + ph[k] + p.Tau * p.Tau;
        double v = pt.LogValue - predicted;
        for (int i = 0; i < n; i++) a[i] += ph[i] * v / f;
        for (int i = 0; i < n; i++)
        {
            double gi = ph[i] / f;
            for (int l = 0; l < n; l++) c[i * n + l] -= gi * ph[l];
        }
        return -0.5 * (Math.Log(2 * Math.PI * f) + v * v / f);
    }
}
