using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ComputeEconomics.Kernels.Random;

/// <summary>
/// <see cref="Philox4x32"/> and <see cref="Normal.InvCdf{TMath}"/> on four lanes at once (256-bit vectors, AVX2), for the
/// cpu backend's lockstep: the same operations as the scalar code, so each lane's words and normals are the scalar ones bit
/// for bit. A 32-bit word sits in the low half of a 64-bit lane, where AVX2's unsigned 32 x 32 -> 64 multiply reads it.
/// CPU only: never called from an ILGPU kernel.
/// </summary>
public static class Lanes4
{
    private static Vector256<ulong> Low32 => Vector256.Create(0xFFFF_FFFFUL);

    /// <summary><see cref="Philox4x32.Block"/> of four paths (lane l: <paramref name="path"/>[l]) with the same seed,
    /// month, slot and stream: the four words of each lane's block.</summary>
    public static void Block(uint seed, Vector256<long> path, uint month, uint slot, uint stream,
        out Vector256<ulong> x, out Vector256<ulong> y, out Vector256<ulong> z, out Vector256<ulong> w)
    {
        Vector256<ulong> c0 = Vector256.Create((ulong)month), c1 = Vector256.Create((ulong)slot), c2 = Vector256.Create((ulong)stream);
        Vector256<ulong> c3 = Vector256.ShiftRightLogical(path.AsUInt64(), 32);
        Vector256<ulong> k0 = path.AsUInt64() & Low32, k1 = Vector256.Create((ulong)seed);
        Vector256<ulong> w0 = Vector256.Create((ulong)Philox4x32.W0), w1 = Vector256.Create((ulong)Philox4x32.W1);
        Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
        for (int r = 1; r < 10; r++)
        {
            k0 = (k0 + w0) & Low32;
            k1 = (k1 + w1) & Low32;
            Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
        }
        x = c0; y = c1; z = c2; w = c3;
    }

    /// <summary>One Philox4x32 round (<see cref="Philox4x32"/>'s Round) on four lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(ref Vector256<ulong> c0, ref Vector256<ulong> c1, ref Vector256<ulong> c2, ref Vector256<ulong> c3,
        Vector256<ulong> k0, Vector256<ulong> k1)
    {
        Vector256<ulong> p0 = Avx2.Multiply(c0.AsUInt32(), Vector256.Create((ulong)Philox4x32.M0).AsUInt32());
        Vector256<ulong> p1 = Avx2.Multiply(c2.AsUInt32(), Vector256.Create((ulong)Philox4x32.M1).AsUInt32());
        Vector256<ulong> n0 = Vector256.ShiftRightLogical(p1, 32) ^ c1 ^ k0;
        Vector256<ulong> n2 = Vector256.ShiftRightLogical(p0, 32) ^ c3 ^ k1;
        c1 = p1 & Low32; c3 = p0 & Low32;
        c0 = n0; c2 = n2;
    }

    /// <summary><see cref="Philox4x32.ToUniform"/> of four words: (x + 0.5) / 2^32 (the conversion is exact below 2^53).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ToUniform(Vector256<ulong> x)
        => (Vector256.ConvertToDouble(x) + Vector256.Create(0.5)) * Vector256.Create(1.0 / 4294967296.0);

    /// <summary>
    /// <see cref="Normal.InvCdf{TMath}"/> of four uniforms: the central rational function (85% of draws) in vectors, term
    /// for term; a lane in a tail is computed by the scalar function and put in its place.
    /// </summary>
    public static unsafe Vector256<double> InvCdf<TMath>(Vector256<double> u) where TMath : struct, IMathPolicy
    {
        Vector256<double> q = u - Vector256.Create(0.5);
        Vector256<double> r = Vector256.Create(0.180625) - q * q;
        Vector256<double> num = ((((((r * Vector256.Create(2509.0809287301226727) + Vector256.Create(33430.575583588128105)) * r
            + Vector256.Create(67265.770927008700853)) * r + Vector256.Create(45921.953931549871457)) * r
            + Vector256.Create(13731.693765509461125)) * r + Vector256.Create(1971.5909503065514427)) * r
            + Vector256.Create(133.14166789178437745)) * r + Vector256.Create(3.387132872796366608);
        Vector256<double> den = ((((((r * Vector256.Create(5226.495278852545925) + Vector256.Create(28729.085735721942674)) * r
            + Vector256.Create(39307.89580009271061)) * r + Vector256.Create(21213.794301586595867)) * r
            + Vector256.Create(5394.1960214247511077)) * r + Vector256.Create(687.1870074920579083)) * r
            + Vector256.Create(42.313330701600911252)) * r + Vector256.Create(1.0);
        Vector256<double> z = q * num / den;
        uint tails = (~Vector256.LessThanOrEqual(Vector256.Abs(q), Vector256.Create(0.425))).ExtractMostSignificantBits();
        if (tails == 0) return z;
        // Through memory: inserting into a vector register lane by lane stalls on every insert.
        double* lanes = stackalloc double[4];
        z.Store(lanes);
        for (int l = 0; tails != 0; l++, tails >>= 1)
            if ((tails & 1) != 0) lanes[l] = Normal.InvCdf<TMath>(u[l]);
        return Vector256.Load(lanes);
    }

    /// <summary>
    /// <see cref="Binomial.FromMode"/> on the lanes of <paramref name="lanes"/>: each lane searches down or up from its mode
    /// with the scalar recurrences, term for term, in one loop that runs until every lane has stopped (a stopped lane keeps
    /// its values); the other lanes' results are unspecified.
    /// </summary>
    public static Vector256<double> FromMode(Vector256<double> lanes, Vector256<double> n, Vector256<double> odds, Vector256<double> mode,
        Vector256<double> pmfMode, Vector256<double> cdfMode, Vector256<double> u)
    {
        Vector256<double> one = Vector256.Create(1.0), zero = Vector256<double>.Zero, ratio = odds;
        Vector256<double> k = mode, p = pmfMode, c = cdfMode;
        Vector256<double> below = Vector256.LessThanOrEqual(u, c);
        // while (k > 0 && u <= c - p) down; while (u > c && k < n) up, stopping once p < 1e-300 above the mode.
        Vector256<double> down = lanes & below & Vector256.GreaterThan(k, zero) & Vector256.LessThanOrEqual(u, c - p);
        Vector256<double> up = lanes & ~below & Vector256.LessThan(k, n);
        while ((down | up).ExtractMostSignificantBits() != 0)
        {
            Vector256<double> cDown = c - p, pDown = p * (k / ((n - k + one) * ratio)), kDown = k - one;
            Vector256<double> pUp = p * ((n - k) / (k + one) * ratio), kUp = k + one;
            Vector256<double> cUp = c + pUp;
            c = Vector256.ConditionalSelect(down, cDown, Vector256.ConditionalSelect(up, cUp, c));
            p = Vector256.ConditionalSelect(down, pDown, Vector256.ConditionalSelect(up, pUp, p));
            k = Vector256.ConditionalSelect(down, kDown, Vector256.ConditionalSelect(up, kUp, k));
            down &= Vector256.GreaterThan(k, zero) & Vector256.LessThanOrEqual(u, c - p);
            up &= ~(Vector256.LessThan(p, Vector256.Create(1e-300)) & Vector256.GreaterThan(k, mode))
                & Vector256.GreaterThan(u, c) & Vector256.LessThan(k, n);
        }
        return k;
    }
}
