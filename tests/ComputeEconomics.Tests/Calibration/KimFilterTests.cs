using ComputeEconomics.Calibration;
using MathNet.Numerics.LinearAlgebra;

namespace ComputeEconomics.Tests.Calibration;

/// <summary>
/// The filter's likelihood against the closed form: the observations of a linear Gaussian state-space model are jointly
/// normal, so the exact log-likelihood is a multivariate normal density with the covariance written out below.
/// </summary>
public class KimFilterTests
{
    private static readonly string[] TwoContracts = { "on_demand", "term_1y" };

    /// <summary>Irregular months (0, 1, 4, 4, 5, 9, 9, 10), three vendors, two contracts.</summary>
    private static PriceData Sample() => PriceData.FromPoints(Months.Index(2024, 1), 11, 3, TwoContracts, new List<PricePoint>
    {
        new(0, 0, 0, 1.20, 1), new(0, 1, 0, 1.45, 1), new(1, 2, 1, 0.95, 1), new(4, 0, 0, 1.05, 1),
        new(4, 2, 0, 1.30, 1), new(5, 1, 1, 1.10, 1), new(9, 0, 0, 0.90, 1), new(9, 1, 0, 1.25, 1), new(10, 2, 1, 0.70, 1),
    });

    private static double ExactLogLik(PriceData data, Func<int, double> mean, Func<int, int, double> levelCov, Decoded p)
    {
        var pts = data.Points;
        int n = pts.Count;
        var cov = Matrix<double>.Build.Dense(n, n, (i, j) =>
            levelCov(pts[i].Month, pts[j].Month)
            + (pts[i].Vendor == pts[j].Vendor ? p.Omega * p.Omega : 0)
            + (i == j ? p.Tau * p.Tau : 0));
        var resid = Vector<double>.Build.Dense(n, i => pts[i].LogValue - mean(pts[i].Month) - p.Offsets[pts[i].Contract]);
        var chol = cov.Cholesky();
        double quad = resid.DotProduct(chol.Solve(resid));
        return -0.5 * (n * Math.Log(2 * Math.PI) + chol.DeterminantLn + quad);
    }

    [Fact]
    public void RandomWalkLikelihoodEqualsTheMultivariateNormalDensity()
    {
        var data = Sample();
        var p = new Decoded(new[] { -0.02 }, 1, 0.05, 0, 0, 1.25, 0.07, 0.2, new[] { 0, -0.3 }, 0);
        // x_t = x1 + d t + W_t with Var W_t = q^2 t: Cov(x_s, x_t) = q^2 min(s, t).
        double exact = ExactLogLik(data, t => p.Z1 + p.Intercept[0] * t, (s, t) => p.Q * p.Q * Math.Min(s, t), p);
        Assert.Equal(exact, KimFilter.LogLikelihood(data, p), 10);
    }

    [Fact]
    public void MeanReversionLikelihoodEqualsTheMultivariateNormalDensity()
    {
        var data = Sample();
        double phi = 0.8, m = 0.9;
        var p = new Decoded(new[] { (1 - phi) * m }, phi, 0.05, 0, 0, 1.25, 0.07, 0.2, new[] { 0, -0.3 }, 0);
        // x_t = m + phi^t (x1 - m) + sum_k phi^(t-k) e_k: Cov(x_s, x_t) = q^2 phi^|t-s| (1 - phi^(2 min(s,t))) / (1 - phi^2).
        double exact = ExactLogLik(data, t => m + Math.Pow(phi, t) * (p.Z1 - m),
            (s, t) => p.Q * p.Q * Math.Pow(phi, Math.Abs(t - s)) * (1 - Math.Pow(phi, 2 * Math.Min(s, t))) / (1 - phi * phi), p);
        Assert.Equal(exact, KimFilter.LogLikelihood(data, p), 10);
    }

    [Fact]
    public void RegimeSwitchingWithoutSwitchesIsTheRandomWalkOfItsNormalRegime()
    {
        var data = Sample();
        var rw = new Decoded(new[] { -0.02 }, 1, 0.05, 0, 0, 1.25, 0.07, 0.2, new[] { 0, -0.3 }, 0);
        var rs = rw with { Intercept = new[] { -0.02, -0.09 }, P01 = 0, P10 = 0.3 };
        Assert.Equal(KimFilter.LogLikelihood(data, rw), KimFilter.LogLikelihood(data, rs), 10);
    }

    [Fact]
    public void TheFloorModelAtAFloorOfZeroIsTheRandomWalk()
    {
        var data = Sample();
        var rw = new Decoded(new[] { -0.02 }, 1, 0.05, 0, 0, 1.25, 0.07, 0.2, new[] { 0, -0.3 }, 0);
        // A floor of 1e-12 USD: ln(F + e^z) = z to 1e-12 relative, slope 1.
        var floor = rw with { Floor = 1e-12 };
        Assert.Equal(KimFilter.LogLikelihood(data, rw), KimFilter.LogLikelihood(data, floor), 8);
    }
}
