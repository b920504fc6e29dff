namespace ComputeEconomics.Kernels.Random;

/// <summary>
/// Binomial(n, h) sampling from one 32-bit Philox word, inside a kernel (the fleet model's failures):
/// exact inversion of the CDF by the pmf recurrence p_{k+1} = p_k (n-k)/(k+1) h/(1-h), p_0 = (1-h)^n, or the
/// normal approximation with continuity correction when n h is large. <c>odds</c> is h / (1 - h) and
/// <c>logSurvive</c> is log(1 - h), both computed once on the host per generation. n = 0 or h = 0 gives 0,
/// h = 1 gives n.
/// </summary>
public static class Binomial
{
    /// <summary>
    /// Binomial(n, h) draw from one 32-bit Philox word. Exact inversion of the CDF when n*h is at most
    /// <paramref name="exactLimit"/>; above it the normal approximation with continuity correction,
    /// round(n h + sqrt(n h (1-h)) Z) with Z = Phi^-1(u), clamped to [0, n] (error in the mean below 1e-3
    /// of a unit for n h > 20).
    /// </summary>
    public static double Sample<TMath>(double n, double h, double logSurvive, double exactLimit, uint word)
        where TMath : struct, IMathPolicy
        => Sample<TMath>(n, h, h / (1.0 - h), logSurvive, exactLimit, word);

    /// <summary><see cref="Sample{TMath}(double, double, double, double, uint)"/> with the odds h / (1 - h) given.</summary>
    public static double Sample<TMath>(double n, double h, double odds, double logSurvive, double exactLimit, uint word)
        where TMath : struct, IMathPolicy
    {
        TMath m = default;
        if (n <= 0 || h <= 0) return 0.0;
        if (h >= 1) return n;   // every unit fails (odds and logSurvive are infinite there)
        double mean = n * h;
        double u = Philox4x32.ToUniform(word);
        if (mean <= exactLimit)
        {
            double p0 = m.Exp(n * logSurvive);
            return FromMode(n, odds, 0.0, p0, p0, u);   // inversion from 0: the search from the mode with mode 0
        }
        double z = Normal.InvCdf<TMath>(u);
        double draw = Math.Floor(mean + m.Sqrt(mean * (1.0 - h)) * z + 0.5);
        return Math.Min(n, Math.Max(0.0, draw));
    }

    /// <summary>Mode m = floor((n+1) h) of Binomial(n, h) with pmf(m) and cdf(m), by the recurrence from pmf(0) = (1-h)^n.</summary>
    public static void ModeCache<TMath>(double n, double h, double logSurvive, out double mode, out double pmf, out double cdf)
        where TMath : struct, IMathPolicy
        => ModeCache<TMath>(n, h, h / (1.0 - h), logSurvive, out mode, out pmf, out cdf);

    /// <summary>The mode cache with the odds h / (1 - h) given.</summary>
    public static void ModeCache<TMath>(double n, double h, double odds, double logSurvive, out double mode, out double pmf, out double cdf)
        where TMath : struct, IMathPolicy
    {
        TMath m = default;
        if (h >= 1) { mode = n; pmf = 1.0; cdf = 1.0; return; }   // Binomial(n, 1) is n for certain
        mode = Math.Min(n, Math.Floor((n + 1) * h));
        double ratio = odds;
        pmf = m.Exp(n * logSurvive);
        cdf = pmf;
        for (double k = 0; k < mode; k += 1.0)
        {
            pmf *= (n - k) / (k + 1.0) * ratio;
            cdf += pmf;
        }
    }

    /// <summary>
    /// Exact Binomial(n, h) inversion of the uniform <paramref name="u"/> (the smallest k with cdf(k) >= u), searched
    /// down or up from the mode whose pmf and cdf are given: the same draw as inversion from 0, in about one standard
    /// deviation of steps. <paramref name="odds"/> is h / (1 - h).
    /// </summary>
    public static double FromMode(double n, double odds, double mode, double pmfMode, double cdfMode, double u)
    {
        double ratio = odds;
        double k = mode, p = pmfMode, c = cdfMode;
        if (u <= c)
        {
            while (k > 0 && u <= c - p)
            {
                c -= p;
                p *= k / ((n - k + 1.0) * ratio);
                k -= 1.0;
            }
            return k;
        }
        while (u > c && k < n)
        {
            p *= (n - k) / (k + 1.0) * ratio;
            k += 1.0;
            c += p;
            if (p < 1e-300 && k > mode) break;
        }
        return k;
    }
}
