using ComputeEconomics.Calibration;
using ComputeEconomics.Kernels;
using ComputeEconomics.Kernels.Random;

namespace ComputeEconomics.Tests.Calibration;

public class PriceForecastTests
{
    [Fact]
    public void RandomWalkBandsWithoutParameterUncertaintyAreTheLognormalQuantiles()
    {
        // Given the filtered state z_T ~ N(a, P) of the last month, the random walk gives
        // z_{T+h} ~ N(a + h d, P + h q^2): the level's p-quantile is exp(a + h d + z_p sqrt(P + h q^2)).
        var data = PriceData.FromPoints(Months.Index(2024, 1), 12, 2, new[] { "on_demand" }, new List<PricePoint>
        {
            new(0, 0, 0, 1.30, 1), new(0, 1, 0, 0.90, 1), new(3, 0, 0, 1.22, 1), new(7, 1, 0, 0.80, 1), new(11, 0, 0, 1.10, 1),
        });
        var process = new PriceProcess(ProcessKind.RandomWalk);
        double d = -0.02, q = 0.05;
        var theta = new[] { d, Math.Log(q), 1.3, Math.Log(0.05 - process.MinTau), Math.Log(0.2) };
        var fit = new CandidateFit
        {
            Process = process, Theta = theta, LogLik = 0, Cov = new double[5, 5], HessianPositiveDefinite = true,
            Observations = data.Points.Count, Estimates = Array.Empty<ParameterEstimate>(),
        };
        var (_, last) = KimFilter.Run(data, process.Decode(theta));
        double a = last.Mean[0][0], p = last.Cov[0][0];
        var result = PriceForecast.Run(data, fit, 24, Array.Empty<Observation>(), seed: 3, draws: 200, pathsPerDraw: 50);
        Assert.Equal(10_000, result.Paths);
        Assert.Equal(Months.Index(2025, 1), result.Months[0].Month);
        var z = new[] { (0.05, -1.644854), (0.25, -0.674490), (0.5, 0.0), (0.75, 0.674490), (0.95, 1.644854) };
        foreach (int h in new[] { 1, 12, 24 })
        {
            var band = result.Months[h - 1];
            double sd = Math.Sqrt(p + h * q * q);
            var mc = new[] { band.P5, band.P25, band.P50, band.P75, band.P95 };
            for (int i = 0; i < z.Length; i++)
            {
                var (prob, zp) = z[i];
                // Standard error of a sample quantile: sqrt(p(1-p)/n) / phi(z_p), in units of sd; allow 4 of them.
                double phi = Math.Exp(-zp * zp / 2) / Math.Sqrt(2 * Math.PI);
                double tol = 4 * Math.Sqrt(prob * (1 - prob) / 10_000) / phi * sd;
                Assert.True(Math.Abs(Math.Log(mc[i]) - (a + h * d + zp * sd)) < tol,
                    $"h {h} p {prob}: {Math.Log(mc[i])} vs {a + h * d + zp * sd} (tol {tol})");
            }
        }
    }

    [Fact]
    public void OnePathFollowsTheDocumentedPhiloxLayout()
    {
        // docs/calibration.md and docs/model.md ("Random numbers"): path i = draw x paths per draw + k, stream 11; its start
        // is month 0's block (Y: the state's normal), step t is month t + 1's block (Y: the shock); normals by AS241 of
        // (x + 0.5) / 2^32. With one draw, one path, a zero covariance and one regime, the band of each month is that one
        // path's level, re-derived here from Philox4x32.Block directly.
        var data = PriceData.FromPoints(Months.Index(2024, 1), 12, 2, new[] { "on_demand" }, new List<PricePoint>
        {
            new(0, 0, 0, 1.30, 1), new(0, 1, 0, 0.90, 1), new(3, 0, 0, 1.22, 1), new(7, 1, 0, 0.80, 1), new(11, 0, 0, 1.10, 1),
        });
        var process = new PriceProcess(ProcessKind.RandomWalk);
        var theta = new[] { -0.02, Math.Log(0.05), 1.3, Math.Log(0.05 - process.MinTau), Math.Log(0.2) };
        var fit = new CandidateFit
        {
            Process = process, Theta = theta, LogLik = 0, Cov = new double[5, 5], HessianPositiveDefinite = true,
            Observations = data.Points.Count, Estimates = Array.Empty<ParameterEstimate>(),
        };
        var p = process.Decode(theta);
        var (_, last) = KimFilter.Run(data, p);
        const uint seed = 12345;
        var result = PriceForecast.Run(data, fit, 3, Array.Empty<Observation>(), seed, draws: 1, pathsPerDraw: 1);
        static double Z(uint word) => Normal.InvCdf<DoubleMath>((word + 0.5) / 4294967296.0);
        double z = last.Mean[0][0] + Math.Sqrt(last.Cov[0][0]) * Z(Philox4x32.Block(seed, 0, 0u, 0u, 11u).Y);
        for (int t = 0; t < 3; t++)
        {
            z = p.Intercept[0] + p.Phi * z + p.Q * Z(Philox4x32.Block(seed, 0, (uint)t + 1, 0u, 11u).Y);
            double level = Math.Exp(p.LogLevel(z));
            var band = result.Months[t];
            foreach (double q in new[] { band.P5, band.P25, band.P50, band.P75, band.P95 })
                Assert.Equal(level, q, 12);
        }
    }
}
