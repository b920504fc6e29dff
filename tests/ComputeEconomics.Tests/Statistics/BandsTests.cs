using ComputeEconomics.Statistics;

namespace ComputeEconomics.Tests.Statistics;

public class BandsTests
{
    private static int Index(int path, int month, int months, int series, int s) => (path * months + month) * series + s;

    /// <summary>
    /// 101 paths, 4 months, 3 series. Series 1 at month m on the path of rank r (0..100, paths in a
    /// shuffled order) is (r + 1)(m + 1), so month m holds (m + 1)·{1..101} and type 7 gives
    /// (m + 1)(1 + 100p): P5 6, P25 26, P50 51, P75 76, P95 96 times (m + 1).
    /// Month 2: only ranks 0..50 alive (others NaN) -> 3·(1 + 50p): 10.5, 40.5, 78, 115.5, 145.5.
    /// Month 3: every path NaN -> NaN row. Series 0 and 2 hold decoys (-1e6, +1e6).
    /// </summary>
    private static float[] Build(out int paths, out int months, out int series)
    {
        paths = 101;
        months = 4;
        series = 3;
        int[] rank = Enumerable.Range(0, paths).ToArray();
        new Random(5).Shuffle(rank);

        var data = new float[paths * months * series];
        for (int p = 0; p < paths; p++)
        {
            int r = rank[p];
            for (int m = 0; m < months; m++)
            {
                data[Index(p, m, months, series, 0)] = -1e6f;
                data[Index(p, m, months, series, 2)] = 1e6f;
                float v = (r + 1) * (m + 1);
                if (m == 2 && r > 50)
                {
                    v = float.NaN;
                }

                if (m == 3)
                {
                    v = float.NaN;
                }

                data[Index(p, m, months, series, 1)] = v;
            }
        }

        return data;
    }

    [Fact]
    public void ConstructedArray_KnownBands()
    {
        float[] data = Build(out int paths, out int months, out int series);
        BandRow[] rows = Bands.Compute(data, paths, months, series, seriesIndex: 1);
        AssertKnownBands(rows);
    }

    /// <summary>
    /// Above the radix sort's threshold, every series through <see cref="Bands.ComputeAll"/> (one gather scratch, one
    /// pair of radix keys a worker, months in parallel): 20,001 paths, series s at month m on the path of rank r is
    /// (s + 1)(m + 1)(r + 1), month 2 alive only for ranks 0..10,000, so type 7 gives the closed form
    /// (s + 1)(m + 1)(1 + 20,000 p) (month 2: (s + 1) 3 (1 + 10,000 p)), every value exact in float.
    /// </summary>
    [Fact]
    public void LargeBandsOfEverySeriesThroughOneScratchMatchTheClosedForm()
    {
        const int paths = 20_001, months = 5, series = 3;
        int[] rank = Enumerable.Range(0, paths).ToArray();
        new Random(8).Shuffle(rank);
        var data = new float[paths * months * series];
        for (int p = 0; p < paths; p++)
            for (int m = 0; m < months; m++)
                for (int s = 0; s < series; s++)
                    data[Index(p, m, months, series, s)] = m == 2 && rank[p] > 10_000 ? float.NaN : (s + 1) * (m + 1) * (rank[p] + 1);
        var all = Bands.ComputeAll(data, paths, months, series);
        Assert.True(paths >= Quantiles.RadixThreshold);
        for (int s = 0; s < series; s++)
            for (int m = 0; m < months; m++)
            {
                double top = m == 2 ? 10_000 : 20_000, scale = (s + 1) * (m + 1);
                var row = all[s][m];
                Assert.Equal(m, row.Month);
                Assert.Equal(new[] { 0.05, 0.25, 0.5, 0.75, 0.95 }.Select(q => scale * (1 + top * q)), new[] { row.P5, row.P25, row.P50, row.P75, row.P95 });
            }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(101)]
    [InlineData(250)]
    public void SmallScratchBlocks_GiveSameBands(int maxScratch)
    {
        // maxScratch / paths months per block: 1, 1 and 2 months per block.
        float[] data = Build(out int paths, out int months, out int series);
        BandRow[] rows = Bands.Compute(data, paths, months, series, 1, maxScratch);
        AssertKnownBands(rows);
    }

    private static void AssertKnownBands(BandRow[] rows)
    {
        Assert.Equal(4, rows.Length);
        for (int m = 0; m < 2; m++)
        {
            double k = m + 1;
            Assert.Equal(new BandRow(m, 6 * k, 26 * k, 51 * k, 76 * k, 96 * k), rows[m]);
        }

        Assert.Equal(new BandRow(2, 10.5, 40.5, 78, 115.5, 145.5), rows[2]);

        Assert.Equal(3, rows[3].Month);
        Assert.True(double.IsNaN(rows[3].P5));
        Assert.True(double.IsNaN(rows[3].P25));
        Assert.True(double.IsNaN(rows[3].P50));
        Assert.True(double.IsNaN(rows[3].P75));
        Assert.True(double.IsNaN(rows[3].P95));
    }

    [Fact]
    public void ManyPaths_ParallelPathMatchesClosedForm()
    {
        // 20_000 paths x 12 months x 1 series (large enough for the parallel branch):
        // value at (path p, month m) = m + (p * 7919 mod 20000); 7919 is prime and coprime to 20000,
        // so each month holds m + {0..19999} and Q(p) = m + 19999p.
        const int paths = 20_000;
        const int months = 12;
        var data = new float[paths * months];
        for (int p = 0; p < paths; p++)
        {
            for (int m = 0; m < months; m++)
            {
                data[p * months + m] = m + (int)((long)p * 7919 % paths);
            }
        }

        BandRow[] rows = Bands.Compute(data, paths, months, 1, 0);
        for (int m = 0; m < months; m++)
        {
            Assert.Equal(m, rows[m].Month);
            Assert.Equal(m + 19999 * 0.05, rows[m].P5, 9);
            Assert.Equal(m + 19999 * 0.25, rows[m].P25, 9);
            Assert.Equal(m + 19999 * 0.50, rows[m].P50, 9);
            Assert.Equal(m + 19999 * 0.75, rows[m].P75, 9);
            Assert.Equal(m + 19999 * 0.95, rows[m].P95, 9);
        }
    }

    [Fact]
    public void Probabilities_AreTheBandLevels()
    {
        Assert.Equal(new[] { 0.05, 0.25, 0.5, 0.75, 0.95 }, Bands.Probabilities.ToArray());
    }

    [Fact]
    public void EmptyDimensions()
    {
        Assert.Empty(Bands.Compute([], 10, 0, 2, 0));
        BandRow[] noPaths = Bands.Compute([], 0, 3, 2, 1);
        Assert.Equal(3, noPaths.Length);
        Assert.All(noPaths, r => Assert.True(double.IsNaN(r.P50)));
        Assert.Equal(new[] { 0, 1, 2 }, noPaths.Select(r => r.Month).ToArray());
    }

    [Fact]
    public void InvalidArguments_Throw()
    {
        var data = new float[2 * 3 * 4];
        Assert.Throws<ArgumentNullException>(() => Bands.Compute(null!, 2, 3, 4, 0));
        Assert.Throws<ArgumentException>(() => Bands.Compute(data, 2, 3, 5, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bands.Compute(data, 2, 3, 4, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bands.Compute(data, 2, 3, 4, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bands.Compute(data, -2, 3, 4, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bands.Compute(data, 2, 3, 0, 0));
    }
}
