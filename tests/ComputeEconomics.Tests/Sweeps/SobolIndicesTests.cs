using ComputeEconomics.Sweeps;

namespace ComputeEconomics.Tests.Sweeps;

public sealed class SobolIndicesTests
{
    /// <summary>
    /// Ishigami function, a = 7, b = 0.1, inputs uniform on [-pi, pi] (Ishigami and Homma 1990; Saltelli et al.,
    /// Global Sensitivity Analysis: The Primer, 2008, p. 179). Closed forms: V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2,
    /// V1 = (1 + bπ⁴/5)²/2, V2 = a²/8, V3 = 0, V13 = b²π⁸(1/18 - 1/50); S1 = 0.3139, S2 = 0.4424, S3 = 0, ST3 = 0.2437.
    /// </summary>
    [Fact]
    public void IshigamiIndicesMatchTheirClosedForms()
    {
        const double a = 7, b = 0.1;
        double pi = Math.PI, pi4 = Math.Pow(pi, 4), pi8 = Math.Pow(pi, 8);
        double v = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
        double v1 = 0.5 * Math.Pow(1 + b * pi4 / 5, 2), v2 = a * a / 8, v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
        double[] s1 = { v1 / v, v2 / v, 0 };
        double[] st = { (v1 + v13) / v, v2 / v, v13 / v };
        Assert.Equal(0.3139, s1[0], 4);
        Assert.Equal(0.4424, s1[1], 4);
        Assert.Equal(0.2437, st[2], 4);

        double F(double[] u)
        {
            double x1 = -pi + 2 * pi * u[0], x2 = -pi + 2 * pi * u[1], x3 = -pi + 2 * pi * u[2];
            return Math.Sin(x1) + a * Math.Sin(x2) * Math.Sin(x2) + b * Math.Pow(x3, 4) * Math.Sin(x1);
        }
        var idx = SobolAnalysis.Analyze(F, 1 << 12, 3, 100, 2024);
        for (int i = 0; i < 3; i++)
        {
            var x = idx[i];
            string what = $"x{i + 1}: S1 {x.S1:R} (se {x.S1StdError:R}, exact {s1[i]:R}), ST {x.ST:R} (se {x.STStdError:R}, exact {st[i]:R})";
            Assert.True(x.S1StdError is > 0 and < 0.03, what);
            Assert.True(x.STStdError is > 0 and < 0.03, what);
            Assert.True(Math.Abs(x.S1 - s1[i]) <= 4 * x.S1StdError, what);
            Assert.True(Math.Abs(x.ST - st[i]) <= 4 * x.STStdError, what);
            Assert.True(x.S1Low <= x.S1 && x.S1 <= x.S1High && x.STLow <= x.ST && x.ST <= x.STHigh, what);
        }
    }
}
