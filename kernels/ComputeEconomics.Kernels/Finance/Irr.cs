namespace ComputeEconomics.Kernels.Finance;

/// <summary>
/// Internal rate of return of a path's monthly cash flows, inside a kernel: no allocation, no transcendental
/// functions (Horner evaluation of the NPV polynomial in v = 1/(1+r)). Used by the fleet model's metrics.
/// </summary>
public static class Irr
{
    /// <summary>
    /// Annualised IRR of the monthly cash flows cf[0..months-1] (cf[0] undiscounted), or NaN when the flows
    /// never change sign or no root lies between -50% and +100% a month. With several roots it returns the
    /// smallest non-negative monthly rate, else the negative one closest to 0 (numpy-financial's rule), found on
    /// the grid 0, 0.25%, 0.5%, 1%, ... (doubling) outward from 0; then safeguarded Newton on v = 1/(1+r) with
    /// bisection in the bracket. Flow t is at cf[b + t * stride].
    /// </summary>
    public static double Annual<TD>(TD cf, int b, int stride, int months) where TD : struct, IVec<double>
        => Annual(cf, b, stride, months, out _);

    /// <summary><see cref="Annual{TD}(TD, int, int, int)"/> with the reason, an <see cref="IrrStatus"/> code: Exists, or why
    /// there is no IRR.</summary>
    public static double Annual<TD>(TD cf, int b, int stride, int months, out int status) where TD : struct, IVec<double>
    {
        int signs = Signs(cf, b, stride, months);
        if (signs != 3)
        {
            status = signs == 1 ? IrrStatus.NeverNegative : IrrStatus.NeverPositive;
            return double.NaN;
        }
        double fZero = Poly(cf, b, stride, months, 1.0, out _);
        status = IrrStatus.Exists;
        if (fZero == 0) return 0.0;
        if (!Bracket(cf, b, stride, months, fZero, out double lo, out double hi, out double flo))
        {
            // No sign change on the grid: the NPV keeps the sign of the undiscounted sum at every rate searched.
            status = fZero < 0 ? IrrStatus.NegativeAtEveryRate : IrrStatus.PositiveAtEveryRate;
            return double.NaN;
        }
        double v = Refine(cf, b, stride, months, lo, hi, flo);
        double g = 1.0 / v;
        double g2 = g * g, g4 = g2 * g2, g8 = g4 * g4;
        return g8 * g4 - 1.0;
    }

    /// <summary>1 when some flow is positive, 2 when some is negative, 3 when both (the flows change sign).</summary>
    private static int Signs<TD>(TD cf, int b, int stride, int months) where TD : struct, IVec<double>
    {
        int signs = 0;
        for (int t = 0; t < months; t++)
        {
            double x = cf[b + t * stride];
            if (x > 0) signs |= 1; else if (x < 0) signs |= 2;
        }
        return signs;
    }

    /// <summary>
    /// numpy-financial's choice among several roots: the smallest non-negative rate if there is one, else the
    /// negative rate closest to zero. Grid outward from r = 0 (0.25%, 0.5%, 1%, ... a month), the positive side
    /// first (up to +100% a month), then the negative side (down to -50%). The bracket [lo, hi] is in v = 1/(1+r);
    /// flo is the polynomial at lo.
    /// </summary>
    private static bool Bracket<TD>(TD cf, int b, int stride, int months, double fZero, out double lo, out double hi, out double flo)
        where TD : struct, IVec<double>
    {
        lo = 0; hi = 0; flo = 0;
        bool found = false;
        for (int side = 0; side < 2 && !found; side++)
        {
            double sign = side == 0 ? 1.0 : -1.0, limit = side == 0 ? 1.0 : 0.5;
            double vPrev = 1.0, fPrev = fZero;
            for (double grid = 0.0025; grid < 2.0 * limit && !found; grid *= 2.0)
            {
                double vGrid = 1.0 / (1.0 + sign * Math.Min(grid, limit));
                double f = Poly(cf, b, stride, months, vGrid, out _);
                if ((f < 0) != (fPrev < 0) || f == 0)
                {
                    bool gridIsLow = vGrid < vPrev;
                    lo = gridIsLow ? vGrid : vPrev; hi = gridIsLow ? vPrev : vGrid; flo = gridIsLow ? f : fPrev; found = true;
                }
                vPrev = vGrid; fPrev = f;
            }
        }
        return found;
    }

    /// <summary>Safeguarded Newton in the bracket [lo, hi] (bisection when a step leaves it), to 1e-15 relative.</summary>
    private static double Refine<TD>(TD cf, int b, int stride, int months, double lo, double hi, double flo)
        where TD : struct, IVec<double>
    {
        double v = 0.5 * (lo + hi);
        for (int it = 0; it < 200; it++)
        {
            double f = Poly(cf, b, stride, months, v, out double df);
            if (f == 0) break;
            if ((f < 0) == (flo < 0)) { lo = v; flo = f; } else hi = v;
            double next = df != 0 ? v - f / df : 0.5 * (lo + hi);
            if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
            if (Math.Abs(next - v) <= 1e-15 * v || hi - lo <= 1e-15 * v) { v = next; break; }
            v = next;
        }
        return v;
    }

    /// <summary>NPV polynomial sum_t cf[t] v^t and its derivative in v, by Horner's rule.</summary>
    public static double Poly<TD>(TD cf, int b, int stride, int months, double v, out double derivative)
        where TD : struct, IVec<double>
    {
        double f = 0, df = 0;
        for (int t = months - 1; t >= 0; t--)
        {
            df = df * v + f;
            f = f * v + cf[b + t * stride];
        }
        derivative = df;
        return f;
    }
}

/// <summary>Why a path has an IRR or not (<see cref="Irr.Annual{TD}(TD, int, int, int, out int)"/>; metric irr_status).</summary>
public static class IrrStatus
{
    /// <summary>A root was found.</summary>
    public const int Exists = 0;
    /// <summary>No flow is negative (nothing invested, or all flows 0): the IRR is unbounded above, or undefined.</summary>
    public const int NeverNegative = 1;
    /// <summary>No flow is positive: nothing is ever earned back.</summary>
    public const int NeverPositive = 2;
    /// <summary>The flows change sign but the NPV is negative at every rate from -50% to +100% a month (their undiscounted
    /// sum is negative): no rate in that range breaks even.</summary>
    public const int NegativeAtEveryRate = 3;
    /// <summary>The flows change sign but the NPV is positive at every rate searched: a root above +100% a month (or two
    /// roots inside one grid cell).</summary>
    public const int PositiveAtEveryRate = 4;
}
