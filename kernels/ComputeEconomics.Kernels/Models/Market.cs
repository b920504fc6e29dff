using ComputeEconomics.Kernels.Random;

namespace ComputeEconomics.Kernels.Models;

/// <summary>
/// Market driver parameters (SPEC section 1), already converted to monthly terms on the host.
/// All fields are plain doubles so the struct can be passed to a GPU kernel by value.
/// </summary>
public struct MarketParams
{
    /// <summary>Monthly probability normal -> bust.</summary>
    public double P01;
    /// <summary>Monthly probability bust -> normal.</summary>
    public double P10;
    /// <summary>Regime at month 0 (<see cref="MarketRegime"/>).</summary>
    public int InitialRegime;

    /// <summary>ln P_0, P in USD per perf-unit-hour.</summary>
    public double LnPrice0;
    /// <summary>(mu_P[s] - sigma_P^2/2)/12 for s = 0, 1.</summary>
    public double PriceDrift0, PriceDrift1;
    /// <summary>mu_P[s] (annual) for s = 0, 1: the drift a buyer expects (used in market value).</summary>
    public double PriceMu0, PriceMu1;
    /// <summary>sigma_P / sqrt(12).</summary>
    public double PriceVolMonthly;

    /// <summary>logit(U_0).</summary>
    public double LogitUtil0;
    /// <summary>logit(theta[s]).</summary>
    public double LogitTheta0, LogitTheta1;
    /// <summary>theta[s] itself (the long-run utilisation used in valuation).</summary>
    public double Theta0, Theta1;
    /// <summary>kappa / 12.</summary>
    public double KappaMonthly;
    /// <summary>sigma_U / sqrt(12).</summary>
    public double UtilVolMonthly;

    /// <summary>ln E_0, E in USD/kWh.</summary>
    public double LnElec0;
    /// <summary>(mu_E - sigma_E^2/2)/12.</summary>
    public double ElecDrift;
    /// <summary>sigma_E / sqrt(12).</summary>
    public double ElecVolMonthly;

    /// <summary>Lower Cholesky factor of the 3x3 shock correlation (price, utilisation, electricity).</summary>
    public double L00, L10, L11, L20, L21, L22;

    /// <summary>Seed (32 bits) of the whole run.</summary>
    public uint Seed;
    /// <summary>1 when paths come in antithetic pairs (odd path = mirrored draws of the even one).</summary>
    public int Antithetic;

    /// <summary>Randomised QMC: number of independent scramblings R (0 = plain Philox). Path p is point p / R of
    /// scrambling p % R.</summary>
    public int QmcScramblings;
    /// <summary>Sobol dimensions used: month t's four uniforms are dimensions 4(t-1) .. 4(t-1)+3 while below this.</summary>
    public int QmcDims;
    /// <summary>Offset of the direction numbers (QmcDims x 32, scaled by 2^32) and of the digital shifts (R x QmcDims).</summary>
    public int QmcDirOffset, QmcShiftOffset;
}

/// <summary>Host-side helpers of <see cref="MarketParams"/>.</summary>
public static class MarketParamsExtensions
{
    /// <summary>Shift the QMC table offsets when tables are concatenated (see IPathModel.ShiftDataOffsets).</summary>
    public static void ShiftDataOffsets(ref this MarketParams p, int shift)
    {
        if (p.QmcScramblings > 0) { p.QmcDirOffset += shift; p.QmcShiftOffset += shift; }
    }
}

/// <summary>The market state of one path at one month.</summary>
public struct MarketState
{
    public int Month;
    public int Regime;
    public double LnPrice, LogitUtil, LnElec;
    /// <summary>Compute price index, USD per perf-unit-hour.</summary>
    public double Price;
    /// <summary>Utilisation in (0,1).</summary>
    public double Util;
    /// <summary>Electricity, USD/kWh.</summary>
    public double Elec;
}

/// <summary>
/// The market path generator. Month 0 is the initial state; month t >= 1 is reached from t-1 with
/// the Philox block (seed, path, month = t, slot 0, stream Market): word X drives the regime
/// switch, words Y, Z, W give three independent normals (inverse CDF) mixed by the Cholesky factor.
/// The regime is drawn first, and the month's drifts use the new regime.
/// </summary>
public static class Market
{
    /// <summary>The month-0 state.</summary>
    public static MarketState Initial<TMath>(in MarketParams p) where TMath : struct, IMathPolicy
    {
        TMath m = default;
        var s = new MarketState
        {
            Month = 0,
            Regime = p.InitialRegime,
            LnPrice = p.LnPrice0,
            LogitUtil = p.LogitUtil0,
            LnElec = p.LnElec0,
        };
        s.Price = m.Exp(s.LnPrice);
        s.Util = Logistic<TMath>(s.LogitUtil);
        s.Elec = m.Exp(s.LnElec);
        return s;
    }

    /// <summary>Advance <paramref name="s"/> by one month on path <paramref name="path"/> (data: the model's tables, for QMC).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static void Step<TMath, TD>(in MarketParams p, TD data, long path, ref MarketState s)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
        => Step<TMath, TD, BranchedInverse<TMath>>(p, data, path, ref s);

    /// <summary>The same step with the inverse normal <typeparamref name="TNormal"/> (the lane kernel's branch-free one;
    /// the same bits either way).</summary>
    public static void Step<TMath, TD, TNormal>(in MarketParams p, TD data, long path, ref MarketState s)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
        where TNormal : struct, IInverseNormal
    {
        TNormal inverse = default;
        TMath m = default;
        int t = s.Month + 1;
        long basePath = p.Antithetic != Switch.Off ? (path & ~1L) : path;
        bool mirror = p.Antithetic != Switch.Off && (path & 1L) != 0;
        double u0, u1, u2, u3;
        int dim = 4 * (t - 1);
        if (p.QmcScramblings > 0 && dim + 3 < p.QmcDims)
        {
            // Randomised QMC: Sobol point path / R, digitally shifted by scrambling path % R.
            long point = path / p.QmcScramblings;
            long scrambling = path - point * p.QmcScramblings;
            u0 = Philox4x32.ToUniform(SobolWord(data, p, point, scrambling, dim));
            u1 = Philox4x32.ToUniform(SobolWord(data, p, point, scrambling, dim + 1));
            u2 = Philox4x32.ToUniform(SobolWord(data, p, point, scrambling, dim + 2));
            u3 = Philox4x32.ToUniform(SobolWord(data, p, point, scrambling, dim + 3));
        }
        else
        {
            UInt4 b = Philox4x32.Block(p.Seed, basePath, (uint)t, 0u, Streams.Market);
            u0 = Philox4x32.ToUniform(b.X);
            u1 = Philox4x32.ToUniform(b.Y);
            u2 = Philox4x32.ToUniform(b.Z);
            u3 = Philox4x32.ToUniform(b.W);
        }
        if (mirror)
        {
            u0 = 1.0 - u0; u1 = 1.0 - u1; u2 = 1.0 - u2; u3 = 1.0 - u3;
        }

        if (s.Regime == MarketRegime.Normal) { if (u0 < p.P01) s.Regime = MarketRegime.Bust; }
        else if (u0 < p.P10) s.Regime = MarketRegime.Normal;

        double e1 = inverse.InvCdf(u1);
        double e2 = inverse.InvCdf(u2);
        double e3 = inverse.InvCdf(u3);
        double z1 = p.L00 * e1;
        double z2 = p.L10 * e1 + p.L11 * e2;
        double z3 = p.L20 * e1 + p.L21 * e2 + p.L22 * e3;

        s.LnPrice += (s.Regime == MarketRegime.Normal ? p.PriceDrift0 : p.PriceDrift1) + p.PriceVolMonthly * z1;
        double target = s.Regime == MarketRegime.Normal ? p.LogitTheta0 : p.LogitTheta1;
        s.LogitUtil += p.KappaMonthly * (target - s.LogitUtil) + p.UtilVolMonthly * z2;
        s.LnElec += p.ElecDrift + p.ElecVolMonthly * z3;
        s.Month = t;
        s.Price = m.Exp(s.LnPrice);
        s.Util = Logistic<TMath>(s.LogitUtil);
        s.Elec = m.Exp(s.LnElec);
    }

    /// <summary>
    /// Coordinate <paramref name="dim"/> of Sobol point <paramref name="point"/> (Joe-Kuo direction numbers, natural
    /// order: the XOR of the direction numbers of the set bits of the index) with the digital shift of
    /// <paramref name="scrambling"/>, as a 32-bit word.
    /// </summary>
    public static uint SobolWord<TD>(TD data, in MarketParams p, long point, long scrambling, int dim) where TD : struct, IVec<double>
    {
        uint x = 0;
        int dirBase = p.QmcDirOffset + dim * 32;
        for (int k = 0; k < 32 && (point >> k) != 0; k++)
            if (((point >> k) & 1L) != 0) x ^= (uint)data[dirBase + k];
        return x ^ (uint)data[p.QmcShiftOffset + scrambling * p.QmcDims + dim];
    }

    /// <summary>1/(1+exp(-x)).</summary>
    public static double Logistic<TMath>(double x) where TMath : struct, IMathPolicy
    {
        TMath m = default;
        return 1.0 / (1.0 + m.Exp(-x));
    }
}
