using ILGPU;

namespace ComputeEconomics.Kernels.Random;

/// <summary>
/// Standard normal quantile by Wichura's algorithm AS 241 (PPND16, Applied Statistics 37(3), 1988),
/// accurate to about 1e-16 relative. Inverse-CDF (not Box-Muller) so that one uniform gives one
/// normal, antithetic pairs are u and 1-u, and quasi-random points map monotonically.
/// The central region (0.075 &lt; u &lt; 0.925, 85% of draws) needs no transcendental function.
/// </summary>
public static class Normal
{
    /// <summary>Phi^-1(u) for u in (0,1), evaluated with the math policy <typeparamref name="TMath"/>.</summary>
    public static double InvCdf<TMath>(double u) where TMath : struct, IMathPolicy
    {
        TMath m = default;
        double q = u - 0.5;
        if (Math.Abs(q) <= 0.425)
        {
            double r = 0.180625 - q * q;
            return q * (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r
                        + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r
                        + 133.14166789178437745) * r + 3.387132872796366608)
                   / (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r
                        + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r
                        + 42.313330701600911252) * r + 1.0);
        }
        double rr = q < 0 ? u : 1.0 - u;
        rr = m.Sqrt(-m.Log(rr));
        double val;
        if (rr <= 5.0)
        {
            rr -= 1.6;
            val = (((((((rr * 7.7454501427834140764e-4 + 0.0227238449892691845833) * rr + 0.24178072517745061177) * rr
                    + 1.27045825245236838258) * rr + 3.64784832476320460504) * rr + 5.7694972214606914055) * rr
                    + 4.6303378461565452959) * rr + 1.42343711074968357734)
                  / (((((((rr * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * rr + 0.0151986665636164571966) * rr
                    + 0.14810397642748007459) * rr + 0.68976733498510000455) * rr + 1.6763848301838038494) * rr
                    + 2.05319162663775882187) * rr + 1.0);
        }
        else
        {
            rr -= 5.0;
            val = (((((((rr * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * rr + 0.0012426609473880784386) * rr
                    + 0.026532189526576123093) * rr + 0.29656057182850489123) * rr + 1.7848265399172913358) * rr
                    + 5.4637849111641143699) * rr + 6.6579046435011037772)
                  / (((((((rr * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * rr + 1.8463183175100546818e-5) * rr
                    + 7.868691311456132591e-4) * rr + 0.0148753612908506148525) * rr + 0.13692988092273580531) * rr
                    + 0.59983220655588793769) * rr + 1.0);
        }
        return q < 0 ? -val : val;
    }

    /// <summary>
    /// Phi^-1(u) without a branch on u: the central rational function, the tail's square root of -log and both tail
    /// rational functions are all evaluated, then selected (the lane kernel, where a warp's lanes would otherwise run
    /// both branches of <see cref="InvCdf{TMath}"/> one after the other anyway). The expressions are
    /// <see cref="InvCdf{TMath}"/>'s, term for term, so the result has the same bits for every u in (0,1). The tail's
    /// log argument is min(u, 1 - u), positive for every u in (0,1) and at least 0.075 when the central branch is the
    /// one selected, so the unused tail evaluations never take the log of 0 or of a negative number.
    /// </summary>
    public static double InvCdfSelect<TMath>(double u) where TMath : struct, IMathPolicy
    {
        TMath m = default;
        double q = u - 0.5;
        double r = 0.180625 - q * q;
        double central = q * (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r
                    + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r
                    + 133.14166789178437745) * r + 3.387132872796366608)
               / (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r
                    + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r
                    + 42.313330701600911252) * r + 1.0);
        // min(u, 1 - u) is InvCdf's (q < 0 ? u : 1 - u) for every u in (0,1), as one min instruction instead of a branch.
        double rr = m.Sqrt(-m.Log(Math.Min(u, 1.0 - u)));
        double a = rr - 1.6;
        double near = (((((((a * 7.7454501427834140764e-4 + 0.0227238449892691845833) * a + 0.24178072517745061177) * a
                + 1.27045825245236838258) * a + 3.64784832476320460504) * a + 5.7694972214606914055) * a
                + 4.6303378461565452959) * a + 1.42343711074968357734)
              / (((((((a * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * a + 0.0151986665636164571966) * a
                + 0.14810397642748007459) * a + 0.68976733498510000455) * a + 1.6763848301838038494) * a
                + 2.05319162663775882187) * a + 1.0);
        double b = rr - 5.0;
        double far = (((((((b * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * b + 0.0012426609473880784386) * b
                + 0.026532189526576123093) * b + 0.29656057182850489123) * b + 1.7848265399172913358) * b
                + 5.4637849111641143699) * b + 6.6579046435011037772)
              / (((((((b * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * b + 1.8463183175100546818e-5) * b
                + 7.868691311456132591e-4) * b + 0.0148753612908506148525) * b + 0.13692988092273580531) * b
                + 0.59983220655588793769) * b + 1.0);
        // rr <= 5 ? near : far, by the bits: rr is positive (or +inf), and positive doubles order as their bit patterns,
        // so the sign of bits(5) - bits(rr) is the comparison. A ternary here compiles to a branch on a GPU: ILGPU sinks
        // each operand's evaluation into its side.
        long farMask = ((long)Interop.FloatAsInt(5.0) - (long)Interop.FloatAsInt(rr)) >> 63;
        double val = Interop.IntAsFloat((Interop.FloatAsInt(near) & ~(ulong)farMask) | (Interop.FloatAsInt(far) & (ulong)farMask));
        double tail = q < 0 ? -val : val;
        return Math.Abs(q) <= 0.425 ? central : tail;
    }
}

/// <summary>An inverse normal CDF chosen at compile time (a struct type argument, like the math policy): the market
/// step's normals come through it, so the lane kernel can take the branch-free form and the classic kernel keeps its own.</summary>
public interface IInverseNormal
{
    /// <summary>Phi^-1(u) for u in (0,1).</summary>
    double InvCdf(double u);
}

/// <summary><see cref="Normal.InvCdf{TMath}"/>: the classic kernels' (a branch on u).</summary>
public struct BranchedInverse<TMath> : IInverseNormal where TMath : struct, IMathPolicy
{
    public readonly double InvCdf(double u) => Normal.InvCdf<TMath>(u);
}

/// <summary><see cref="Normal.InvCdfSelect{TMath}"/>: the lane kernel's (no branch; the same bits).</summary>
public struct SelectedInverse<TMath> : IInverseNormal where TMath : struct, IMathPolicy
{
    public readonly double InvCdf(double u) => Normal.InvCdfSelect<TMath>(u);
}
