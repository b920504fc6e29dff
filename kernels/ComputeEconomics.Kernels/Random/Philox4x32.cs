namespace ComputeEconomics.Kernels.Random;

/// <summary>Four 32-bit words: a Philox counter block or output block.</summary>
public struct UInt4
{
    public uint X, Y, Z, W;

    public UInt4(uint x, uint y, uint z, uint w)
    {
        X = x; Y = y; Z = z; W = w;
    }
}

/// <summary>
/// Philox4x32-10 (Salmon, Moraes, Dror and Shaw, "Parallel random numbers: as easy as 1, 2, 3",
/// SC'11; the Random123 library). A counter-based generator: the output is a pure function of a
/// 128-bit counter and a 64-bit key, so any path's numbers can be produced on any thread, in any
/// order, on any backend, and come out identical.
/// </summary>
/// <remarks>
/// Project layout of the inputs (docs/model.md, "Random numbers"):
/// key = (path index low word, seed); counter = (month, draw slot, stream tag, path index high word).
/// </remarks>
public static class Philox4x32
{
    /// <summary>Round multiplier for words 0/1 (Random123 PHILOX_M4x32_0).</summary>
    public const uint M0 = 0xD2511F53u;
    /// <summary>Round multiplier for words 2/3 (Random123 PHILOX_M4x32_1).</summary>
    public const uint M1 = 0xCD9E8D57u;
    /// <summary>Key schedule increment, golden ratio (Random123 PHILOX_W32_0).</summary>
    public const uint W0 = 0x9E3779B9u;
    /// <summary>Key schedule increment, sqrt(3)-1 (Random123 PHILOX_W32_1).</summary>
    public const uint W1 = 0xBB67AE85u;

    /// <summary>Ten rounds of Philox4x32 on <paramref name="counter"/> under key (k0, k1), written out (no loop counter
    /// to keep: the same operations in the same order as a loop of ten rounds).</summary>
    public static UInt4 Generate(UInt4 counter, uint k0, uint k1)
    {
        uint c0 = counter.X, c1 = counter.Y, c2 = counter.Z, c3 = counter.W;
        Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
        Round(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        return new UInt4(c0, c1, c2, c3);
    }

    /// <summary>One Philox4x32 round under the round key (k0, k1).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Round(ref uint c0, ref uint c1, ref uint c2, ref uint c3, uint k0, uint k1)
    {
        ulong p0 = (ulong)M0 * c0;
        ulong p1 = (ulong)M1 * c2;
        uint n0 = (uint)(p1 >> 32) ^ c1 ^ k0;
        uint n2 = (uint)(p0 >> 32) ^ c3 ^ k1;
        c1 = (uint)p1; c3 = (uint)p0;
        c0 = n0; c2 = n2;
    }

    /// <summary>
    /// The project's stream layout: a block of four words for (seed, path, month, slot, stream).
    /// </summary>
    /// <param name="seed">User seed (32 bits).</param>
    /// <param name="path">Global path index (0 .. 2^48-1; the high word goes in the counter).</param>
    /// <param name="month">Month index t, or a draw index for per-path (not per-month) streams.</param>
    /// <param name="slot">Draw slot inside a month: which block of four words.</param>
    /// <param name="stream">Stream tag (see <see cref="Streams"/>): separates independent uses.</param>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static UInt4 Block(uint seed, long path, uint month, uint slot, uint stream)
        => Generate(new UInt4(month, slot, stream, (uint)((ulong)path >> 32)), (uint)path, seed);

    /// <summary>A 32-bit word to a uniform in the open interval (0,1): (x + 0.5) / 2^32.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double ToUniform(uint x) => (x + 0.5) * (1.0 / 4294967296.0);
}

/// <summary>Stream tags of the counter's third word. Adding a stream never changes another's draws.</summary>
public static class Streams
{
    /// <summary>Market drivers: regime uniform and the three correlated shocks, one block per month.</summary>
    public const uint Market = 0;
    /// <summary>Per-path scenario draws such as launch delays (counter month = draw index).</summary>
    public const uint PathSetup = 1;
    /// <summary>Failures: slot = cohort index.</summary>
    public const uint Failures = 2;
    /// <summary>Lab model: user growth, funding rounds.</summary>
    public const uint Lab = 3;
    /// <summary>Sector model shocks.</summary>
    public const uint Sector = 4;
    /// <summary>Randomised QMC: the digital shift of scrambling r, dimension d (path = r, month = d).</summary>
    public const uint QmcShift = 5;
    /// <summary>Economy model: monthly shocks to start-up users (X) and the two labs' direct revenue (Y, Z).</summary>
    public const uint Economy = 6;
    /// <summary>Fleet contract: the counterparty's default (word X) and the renewal (word Y) of month t, slot 0.</summary>
    public const uint Counterparty = 7;
    /// <summary>Serving-model inputs of <c>ce inference --samples</c> (host only): path = sample index, slot = draw block.</summary>
    public const uint ServingInputs = 9;
    /// <summary>Fleet financing (docs/model.md 4, "Financing"): slot k &lt; 4 tranche k's refinancing at maturity, slot 4 an equity raise (counter month = t).</summary>
    public const uint Financing = 8;
    /// <summary><c>ce calibrate price</c>'s forecast (host only): parameter draw r's standard normals, path = r, slot = block.</summary>
    public const uint CalibrationDraws = 10;
    /// <summary><c>ce calibrate price</c>'s forecast paths (host only): path = draw x paths per draw + k; month 0 the start and
    /// the later observations (slot 1 + j), month t + 1 step t.</summary>
    public const uint CalibrationPaths = 11;
    /// <summary>Uncertain scenario parameters: stream = ParameterBase + field id.</summary>
    public const uint ParameterBase = 0x100;
}
