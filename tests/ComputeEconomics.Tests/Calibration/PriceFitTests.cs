using ComputeEconomics.Calibration;
using MathNet.Numerics.Distributions;

namespace ComputeEconomics.Tests.Calibration;

public class PriceFitTests
{
    /// <summary>
    /// Synthetic data from the random-walk model with known parameters (seed 20261129): 72 months, 12 vendors with
    /// N(0, 0.3^2) effects, 2-4 quotes a month, a fifth of them on a 1-year term at exp(-0.25) of on-demand.
    /// </summary>
    private static PriceData Synthetic(double d, double q, double tau, double omega, double offset)
    {
        var rng = new Random(20261129);
        var vendor = Enumerable.Range(0, 12).Select(_ => omega * Normal.Sample(rng, 0, 1)).ToArray();
        var points = new List<PricePoint>();
        double x = Math.Log(4.0);
        for (int t = 0; t < 72; t++)
        {
            if (t > 0) x += d + q * Normal.Sample(rng, 0, 1);
            int quotes = 2 + rng.Next(3);
            foreach (int v in Enumerable.Range(0, 12).OrderBy(_ => rng.Next()).Take(quotes))
            {
                int c = rng.NextDouble() < 0.2 ? 1 : 0;
                points.Add(new PricePoint(t, v, c, x + vendor[v] + (c == 1 ? offset : 0) + tau * Normal.Sample(rng, 0, 1), 1));
            }
        }
        return PriceData.FromPoints(Months.Index(2020, 1), 72, 12, new[] { "on_demand", "term_1y" }, points);
    }

    [Fact]
    public void TheRandomWalkFitRecoversKnownParametersWithinThreeStandardErrors()
    {
        double d = -0.015, q = 0.03, tau = 0.05, omega = 0.3, offset = -0.25;
        var fit = PriceFit.Fit(Synthetic(d, q, tau, omega, offset), new PriceProcess(ProcessKind.RandomWalk));
        Assert.True(fit.HessianPositiveDefinite);
        var e = fit.Estimates.ToDictionary(x => x.Name);
        void Near(string name, double truth)
        {
            var p = e[name];
            Assert.True(Math.Abs(p.Value - truth) < 3 * p.Se, $"{name}: estimate {p.Value}, truth {truth}, se {p.Se}");
            Assert.True(p.Low < truth && truth < p.High || Math.Abs(p.Value - truth) < 3 * p.Se);
        }
        Near("log_drift", 12 * d);
        Near("volatility", q * Math.Sqrt(12));
        Near("obs_noise_sd", tau);
        Near("vendor_sd", omega);
        Near("contract_ratio_term_1y", Math.Exp(offset));
        // 12 vendor effects estimate omega with a relative standard error near 1/sqrt(2 x 12) = 0.2: the interval says so.
        Assert.InRange(e["vendor_sd"].Se / e["vendor_sd"].Value, 0.1, 0.4);
    }

    [Fact]
    public void AicPrefersTheRandomWalkOverTheFloorWhenTheDataHaveNoFloor()
    {
        var data = Synthetic(-0.015, 0.03, 0.05, 0.3, -0.25);
        var rw = PriceFit.Fit(data, new PriceProcess(ProcessKind.RandomWalk));
        var floor = PriceFit.Fit(data, new PriceProcess(ProcessKind.FloorDecay));
        // The floor model nests the random walk (F -> 0), so its likelihood is at least as high up to optimiser
        // tolerance, and one extra parameter costs 2 in AIC: it can win only by a likelihood gain above 1.
        Assert.True(floor.LogLik > rw.LogLik - 0.05, $"floor {floor.LogLik} rw {rw.LogLik}");
        Assert.True(floor.LogLik - rw.LogLik < 3, $"floor {floor.LogLik} rw {rw.LogLik}");
    }

    [Fact]
    public void TheRandomWalkMleOfExactObservationsIsTheClosedForm()
    {
        // One vendor, one quote a month, tiny observation noise: the filter sees the walk itself, and the MLE of a
        // Gaussian random walk is d = (x_T - x_1)/(T - 1), q^2 = mean of (dx - d)^2.
        var rng = new Random(7);
        var xs = new double[60];
        xs[0] = 1.0;
        for (int t = 1; t < xs.Length; t++) xs[t] = xs[t - 1] - 0.02 + 0.04 * Normal.Sample(rng, 0, 1);
        var pts = xs.Select((x, t) => new PricePoint(t, 0, 0, x, 1)).ToList();
        var data = PriceData.FromPoints(Months.Index(2020, 1), xs.Length, 1, new[] { "on_demand" }, pts);
        double dHat = (xs[^1] - xs[0]) / (xs.Length - 1);
        double q2 = Enumerable.Range(1, xs.Length - 1).Average(t => Math.Pow(xs[t] - xs[t - 1] - dHat, 2));
        var process = new PriceProcess(ProcessKind.RandomWalk, minTau: 0);
        // Fix tau = 1e-5 and omega = 1e-5 (vendor effect ~ 0) and maximise over (d, ln q, x1) only.
        double Objective(double[] th) => -KimFilter.LogLikelihood(data, process.Decode(new[] { th[0], th[1], th[2], Math.Log(1e-5), Math.Log(1e-5) }));
        var best = PriceFit.Optimise(Objective, new[] { 0.0, Math.Log(0.1), 0.9 });
        Assert.Equal(dHat, best[0], 4);
        Assert.Equal(Math.Sqrt(q2), Math.Exp(best[1]), 4);
    }
}
