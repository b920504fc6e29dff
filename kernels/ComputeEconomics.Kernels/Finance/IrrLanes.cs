using System.Runtime.Intrinsics;

namespace ComputeEconomics.Kernels.Finance;

/// <summary>
/// <see cref="Irr.Annual{TD}(TD, int, int, int, out int)"/> of four paths at once (the cpu backend's lockstep): the NPV
/// polynomial's Horner chain, latency-bound in a scalar register, runs on four lanes in one 256-bit vector; the grid
/// search, the safeguarded Newton steps and their stopping rules are the scalar code's, lane by lane with masks, so each
/// lane's IRR and status are the scalar ones bit for bit. Flows: month t of lane l at cf[4 t + l]. CPU only.
/// </summary>
public static class IrrLanes
{
    /// <summary>The annual IRRs of the four lanes (NaN where there is none) and their <see cref="IrrStatus"/> codes.</summary>
    public static unsafe Vector256<double> Annual(double* cf, int months, Span<int> status)
    {
        Vector256<double> zero = Vector256<double>.Zero, pos = zero, neg = zero;
        for (int t = 0; t < months; t++)
        {
            Vector256<double> x = Vector256.Load(cf + 4 * t);
            pos |= Vector256.GreaterThan(x, zero);
            neg |= Vector256.LessThan(x, zero);
        }
        Vector256<double> fZero = Poly(cf, months, Vector256.Create(1.0), out _);
        Vector256<double> search = pos & neg & ~Vector256.Equals(fZero, zero);
        Vector256<double> found = Bracket(cf, months, fZero, search, out Vector256<double> lo, out Vector256<double> hi, out Vector256<double> flo);
        Vector256<double> v = Refine(cf, months, lo, hi, flo, search & found);
        Vector256<double> g = Vector256.Create(1.0) / v;
        Vector256<double> g2 = g * g, g4 = g2 * g2, g8 = g4 * g4;
        Vector256<double> irr = g8 * g4 - Vector256.Create(1.0);
        uint p = pos.ExtractMostSignificantBits(), n = neg.ExtractMostSignificantBits(), f = found.ExtractMostSignificantBits();
        uint z = Vector256.Equals(fZero, zero).ExtractMostSignificantBits(), below = Vector256.LessThan(fZero, zero).ExtractMostSignificantBits();
        for (int l = 0; l < 4; l++)
        {
            bool signs = (p >> l & 1) != 0 && (n >> l & 1) != 0;
            if (!signs) status[l] = (p >> l & 1) != 0 ? IrrStatus.NeverNegative : IrrStatus.NeverPositive;
            else if ((z >> l & 1) != 0 || (f >> l & 1) != 0) status[l] = IrrStatus.Exists;
            else status[l] = (below >> l & 1) != 0 ? IrrStatus.NegativeAtEveryRate : IrrStatus.PositiveAtEveryRate;
        }
        Vector256<double> exists = search & found;
        Vector256<double> atZero = pos & neg & Vector256.Equals(fZero, zero);
        return Vector256.ConditionalSelect(exists, irr, Vector256.ConditionalSelect(atZero, zero, Vector256.Create(double.NaN)));
    }

    /// <summary><see cref="Irr"/>'s grid search outward from r = 0 on the lanes of <paramref name="search"/>: the grid is the
    /// same for every lane, each lane stops at its first sign change. Returns the lanes that found one.</summary>
    private static unsafe Vector256<double> Bracket(double* cf, int months, Vector256<double> fZero, Vector256<double> search,
        out Vector256<double> lo, out Vector256<double> hi, out Vector256<double> flo)
    {
        Vector256<double> zero = Vector256<double>.Zero, found = zero;
        lo = zero; hi = zero; flo = zero;
        for (int side = 0; side < 2; side++)
        {
            double sign = side == 0 ? 1.0 : -1.0, limit = side == 0 ? 1.0 : 0.5;
            double vPrev = 1.0;
            Vector256<double> fPrev = fZero;
            for (double grid = 0.0025; grid < 2.0 * limit; grid *= 2.0)
            {
                Vector256<double> open = search & ~found;
                if (open.ExtractMostSignificantBits() == 0) return found;
                double vGrid = 1.0 / (1.0 + sign * Math.Min(grid, limit));
                Vector256<double> f = Poly(cf, months, Vector256.Create(vGrid), out _);
                Vector256<double> cross = open & ((Vector256.LessThan(f, zero) ^ Vector256.LessThan(fPrev, zero)) | Vector256.Equals(f, zero));
                bool gridIsLow = vGrid < vPrev;
                lo = Vector256.ConditionalSelect(cross, Vector256.Create(gridIsLow ? vGrid : vPrev), lo);
                hi = Vector256.ConditionalSelect(cross, Vector256.Create(gridIsLow ? vPrev : vGrid), hi);
                flo = Vector256.ConditionalSelect(cross, gridIsLow ? f : fPrev, flo);
                found |= cross;
                vPrev = vGrid; fPrev = f;
            }
        }
        return found;
    }

    /// <summary><see cref="Irr"/>'s safeguarded Newton in [lo, hi] on the lanes of <paramref name="lanes"/>, each lane
    /// stopping by the scalar rules (a zero of the polynomial, the 1e-15 tolerances, 200 steps).</summary>
    private static unsafe Vector256<double> Refine(double* cf, int months, Vector256<double> lo, Vector256<double> hi, Vector256<double> flo,
        Vector256<double> lanes)
    {
        Vector256<double> zero = Vector256<double>.Zero, half = Vector256.Create(0.5), tolerance = Vector256.Create(1e-15);
        Vector256<double> v = half * (lo + hi);
        Vector256<double> open = lanes;
        for (int it = 0; it < 200 && open.ExtractMostSignificantBits() != 0; it++)
        {
            Vector256<double> f = Poly(cf, months, v, out Vector256<double> df);
            Vector256<double> step = open & ~Vector256.Equals(f, zero);
            Vector256<double> sameSide = ~(Vector256.LessThan(f, zero) ^ Vector256.LessThan(flo, zero));
            lo = Vector256.ConditionalSelect(step & sameSide, v, lo);
            flo = Vector256.ConditionalSelect(step & sameSide, f, flo);
            hi = Vector256.ConditionalSelect(step & ~sameSide, v, hi);
            Vector256<double> mid = half * (lo + hi);
            Vector256<double> next = Vector256.ConditionalSelect(~Vector256.Equals(df, zero), v - f / df, mid);
            next = Vector256.ConditionalSelect(Vector256.GreaterThan(next, lo) & Vector256.LessThan(next, hi), next, mid);
            Vector256<double> converged = Vector256.LessThanOrEqual(Vector256.Abs(next - v), tolerance * v)
                | Vector256.LessThanOrEqual(hi - lo, tolerance * v);
            v = Vector256.ConditionalSelect(step, next, v);
            open &= ~Vector256.Equals(f, zero) & ~converged;
        }
        return v;
    }

    /// <summary>The NPV polynomial sum_t cf[t] v^t and its derivative on four lanes (<see cref="Irr.Poly{TD}"/>'s Horner steps).</summary>
    private static unsafe Vector256<double> Poly(double* cf, int months, Vector256<double> v, out Vector256<double> derivative)
    {
        Vector256<double> f = Vector256<double>.Zero, df = Vector256<double>.Zero;
        for (int t = months - 1; t >= 0; t--)
        {
            df = df * v + f;
            f = f * v + Vector256.Load(cf + 4 * t);
        }
        derivative = df;
        return f;
    }
}
