using ComputeEconomics.Kernels.Random;

namespace ComputeEconomics.Statistics;

/// <summary>
/// Space-filling designs on the unit hypercube [0, 1)^d: Latin hypercube and scrambled Sobol. Both are pure
/// functions of (n, d, seed), with their randomness from Philox4x32-10 under a stream tag of their own, so a
/// design never depends on thread count, shard split or run order.
/// </summary>
public static class Designs
{
    /// <summary>Philox stream tag of the design draws ("SWEP"); the kernels use tags 0..4.</summary>
    public const uint DesignStream = 0x53574550u;

    /// <summary>Most dimensions of <see cref="Sobol"/> (the direction numbers embedded below).</summary>
    public static int SobolMaxDimensions => 1 + JoeKuo.Length;

    /// <summary>
    /// Latin hypercube (McKay, Beckman and Conover 1979): in each dimension the n points fall one in each of the n
    /// strata [k/n, (k+1)/n), at a uniform position inside it; the strata are matched across dimensions by
    /// independent random permutations (Fisher-Yates).
    /// </summary>
    /// <returns>points[i][j], i &lt; n, j &lt; d.</returns>
    public static double[][] LatinHypercube(int n, int d, uint seed)
    {
        var points = new double[n][];
        for (int i = 0; i < n; i++) points[i] = new double[d];
        var perm = new int[n];
        for (int j = 0; j < d; j++)
        {
            for (int i = 0; i < n; i++) perm[i] = i;
            for (int i = n - 1; i > 0; i--)
            {
                int k = (int)(Uniform(seed, i, (uint)j, 0) * (i + 1));
                if (k > i) k = i;
                (perm[i], perm[k]) = (perm[k], perm[i]);
            }
            for (int i = 0; i < n; i++)
                points[i][j] = (perm[i] + Uniform(seed, i, (uint)j, 1)) / n;
        }
        return points;
    }

    /// <summary>
    /// Sobol points with Joe and Kuo's direction numbers (new-joe-kuo-6.21201, "Constructing Sobol sequences with
    /// better two-dimensional projections", SIAM J. Sci. Comput. 30, 2008), in Gray-code order as in their
    /// reference generator; point 0 is the origin when unscrambled. <paramref name="scrambleSeed"/> null gives the
    /// plain sequence; otherwise each dimension gets a nested uniform (Owen) scramble by the hash of Burley,
    /// "Practical Hash-based Owen Scrambling", JCGT 9(4), 2020, keyed per dimension from Philox, and the
    /// point's value is the scrambled 32-bit integer plus a half, over 2^32 (so it is never 0 or 1).
    /// </summary>
    /// <returns>points[i][j], i &lt; n, j &lt; d.</returns>
    /// <exception cref="ArgumentOutOfRangeException">d is above <see cref="SobolMaxDimensions"/>.</exception>
    public static double[][] Sobol(int n, int d, uint? scrambleSeed)
    {
        if (d < 1 || d > SobolMaxDimensions)
            throw new ArgumentOutOfRangeException(nameof(d), d, $"must be in [1, {SobolMaxDimensions}]");
        const int bits = 32;
        var points = new double[n][];
        for (int i = 0; i < n; i++) points[i] = new double[d];
        for (int j = 0; j < d; j++)
        {
            var v = Directions(j, bits);
            uint key = scrambleSeed is { } s ? Philox4x32.Block(s, j, 0, 0, DesignStream ^ 1u).X : 0u;
            uint x = 0;
            for (int i = 0; i < n; i++)
            {
                if (i > 0) x ^= v[TrailingOnes((uint)(i - 1))];
                uint y = scrambleSeed.HasValue ? NestedUniformScramble(x, key) : x;
                points[i][j] = scrambleSeed.HasValue ? (y + 0.5) / 4294967296.0 : y / 4294967296.0;
            }
        }
        return points;
    }

    /// <summary>Direction numbers v[k] (k = 0 .. bits-1) of dimension <paramref name="j"/> (0-based), scaled by 2^32.</summary>
    internal static uint[] Directions(int j, int bits)
    {
        var v = new uint[bits];
        if (j == 0)
        {
            for (int k = 0; k < bits; k++) v[k] = 1u << (31 - k);
            return v;
        }
        var (s, a, m) = JoeKuo[j - 1];
        for (int k = 0; k < Math.Min(s, bits); k++) v[k] = (uint)m[k] << (31 - k);
        for (int k = s; k < bits; k++)
        {
            uint val = v[k - s] ^ (v[k - s] >> s);
            for (int t = 1; t <= s - 1; t++)
                if (((a >> (s - 1 - t)) & 1) != 0) val ^= v[k - t];
            v[k] = val;
        }
        return v;
    }

    /// <summary>Index (0-based) of the lowest zero bit of <paramref name="i"/>: the direction number Gray-code order flips.</summary>
    private static int TrailingOnes(uint i)
    {
        int c = 0;
        while ((i & 1) != 0) { i >>= 1; c++; }
        return c;
    }

    private static uint ReverseBits(uint x)
    {
        x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
        x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
        x = ((x >> 4) & 0x0F0F0F0Fu) | ((x & 0x0F0F0F0Fu) << 4);
        x = ((x >> 8) & 0x00FF00FFu) | ((x & 0x00FF00FFu) << 8);
        return (x >> 16) | (x << 16);
    }

    /// <summary>Burley (2020): the Laine-Karras hash applied to the bit-reversed value is an Owen scramble.</summary>
    private static uint NestedUniformScramble(uint x, uint seed)
    {
        x = ReverseBits(x);
        x += seed;
        x ^= x * 0x6c50b47cu;
        x ^= x * 0xb82f1e52u;
        x ^= x * 0xc7afe638u;
        x ^= x * 0x8d22f6e6u;
        return ReverseBits(x);
    }

    /// <summary>A uniform in (0, 1) for (index, dimension, use).</summary>
    private static double Uniform(uint seed, long index, uint dimension, uint use)
        => Philox4x32.ToUniform(Philox4x32.Block(seed, index, dimension, use, DesignStream).X);

    /// <summary>Joe-Kuo new-joe-kuo-6.21201, dimensions 2 .. 28: (s, a, m_1 .. m_s).</summary>
    private static readonly (int S, int A, int[] M)[] JoeKuo =
    {
        (1, 0, new[] { 1 }),
        (2, 1, new[] { 1, 3 }),
        (3, 1, new[] { 1, 3, 1 }),
        (3, 2, new[] { 1, 1, 1 }),
        (4, 1, new[] { 1, 1, 3, 3 }),
        (4, 4, new[] { 1, 3, 5, 13 }),
        (5, 2, new[] { 1, 1, 5, 5, 17 }),
        (5, 4, new[] { 1, 1, 5, 5, 5 }),
        (5, 7, new[] { 1, 1, 7, 11, 19 }),
        (5, 11, new[] { 1, 1, 5, 1, 1 }),
        (5, 13, new[] { 1, 1, 1, 3, 11 }),
        (5, 14, new[] { 1, 3, 5, 5, 31 }),
        (6, 1, new[] { 1, 3, 3, 9, 7, 49 }),
        (6, 13, new[] { 1, 1, 1, 15, 21, 21 }),
        (6, 16, new[] { 1, 3, 1, 13, 27, 49 }),
        (6, 19, new[] { 1, 1, 1, 15, 7, 5 }),
        (6, 22, new[] { 1, 3, 1, 15, 13, 25 }),
        (6, 25, new[] { 1, 1, 5, 5, 19, 61 }),
        (7, 1, new[] { 1, 3, 7, 11, 23, 15, 103 }),
        (7, 4, new[] { 1, 3, 7, 13, 13, 15, 69 }),
        (7, 7, new[] { 1, 1, 3, 13, 7, 35, 63 }),
        (7, 8, new[] { 1, 3, 5, 9, 1, 25, 53 }),
        (7, 14, new[] { 1, 3, 1, 13, 9, 35, 107 }),
        (7, 19, new[] { 1, 3, 1, 5, 27, 61, 31 }),
        (7, 21, new[] { 1, 1, 5, 11, 19, 41, 61 }),
        (7, 28, new[] { 1, 3, 5, 3, 3, 13, 69 }),
        (7, 31, new[] { 1, 1, 7, 13, 1, 19, 1 }),
    };
}
