using ComputeEconomics.Statistics;
using ComputeEconomics.Sweeps;

namespace ComputeEconomics.Tests.Sweeps;

public sealed class DesignsTests
{
    [Fact]
    public void UnscrambledSobolMatchesJoeKuoReferencePoints()
    {
        // scipy.stats.qmc.Sobol(d=2, scramble=False).random(8) (scipy tests, test_qmc.py TestSobol), which uses the
        // same Joe-Kuo direction numbers and Gray-code order.
        double[,] expected = { { 0, 0 }, { 0.5, 0.5 }, { 0.75, 0.25 }, { 0.25, 0.75 }, { 0.375, 0.375 }, { 0.875, 0.875 }, { 0.625, 0.125 }, { 0.125, 0.625 } };
        var p = Designs.Sobol(8, 2, null);
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 2; j++)
                Assert.Equal(expected[i, j], p[i][j]);
    }

    [Fact]
    public void ScrambledSobolKeepsOnePointPerStratumInEveryDimension()
    {
        // An Owen scramble preserves the (0, m, d)-net property in each dimension: 2^m points, one per interval of width 2^-m.
        const int n = 256;
        var p = Designs.Sobol(n, Designs.SobolMaxDimensions, 12345);
        for (int j = 0; j < Designs.SobolMaxDimensions; j++)
        {
            var cells = p.Select(r => (int)(r[j] * n)).OrderBy(c => c).ToArray();
            Assert.Equal(Enumerable.Range(0, n), cells);
        }
        Assert.NotEqual(Designs.Sobol(n, 2, 1)[1][0], Designs.Sobol(n, 2, 2)[1][0]);
    }

    [Fact]
    public void LatinHypercubeHasOnePointPerStratumAndDependsOnlyOnTheSeed()
    {
        const int n = 50;
        var p = Designs.LatinHypercube(n, 4, 7);
        for (int j = 0; j < 4; j++)
            Assert.Equal(Enumerable.Range(0, n), p.Select(r => (int)(r[j] * n)).OrderBy(c => c));
        Assert.Equal(p.SelectMany(r => r), Designs.LatinHypercube(n, 4, 7).SelectMany(r => r));
        Assert.NotEqual(p.SelectMany(r => r), Designs.LatinHypercube(n, 4, 8).SelectMany(r => r));
    }
}
