using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Engine;

/// <summary>
/// The market drivers (SPEC section 1) of model kind `market` against closed forms:
/// ln P_{t+1} = ln P_t + (mu - sigma^2/2)/12 + sigma/sqrt(12) Z1; x = logit U follows
/// x_{t+1} = x_t + kappa (logit theta - x_t)/12 + sigma_U/sqrt(12) Z2; ln E like ln P; a two-state regime chain.
/// Month 0 is the initial state, so the final month of a horizon T is t = T - 1.
/// </summary>
public class MarketDriverTests
{
    private static double Logit(double u) => Math.Log(u / (1 - u));
    private static double Logistic(double x) => 1 / (1 + Math.Exp(-x));

    private static readonly MarketYaml Deterministic = new()
    {
        Horizon = 37, P01 = 0, P10 = 0,
        Price0 = 2.5, PriceDrift = -0.3, PriceVol = 0,
        Util0 = 0.6, UtilMean = 0.8, Kappa = 3.0, UtilVol = 0,
        Elec0 = 0.09, ElecDrift = 0.04, ElecVol = 0,
    };

    /// <summary>The deterministic path of <paramref name="m"/> in regime <paramref name="regime"/> (no shocks, no switching).</summary>
    private static (double[] Price, double[] Util, double[] Elec) ClosedForm(MarketYaml m, int regime)
    {
        double mu = regime == 0 ? m.PriceDrift : m.PriceDriftBust;
        double L = Logit(regime == 0 ? m.UtilMean : m.UtilMeanBust);
        var price = new double[m.Horizon];
        var util = new double[m.Horizon];
        var elec = new double[m.Horizon];
        for (int t = 0; t < m.Horizon; t++)
        {
            price[t] = Math.Exp(Math.Log(m.Price0) + t * mu / 12.0);
            util[t] = Logistic(L + (Logit(m.Util0) - L) * Math.Pow(1 - m.Kappa / 12.0, t));
            elec[t] = Math.Exp(Math.Log(m.Elec0) + t * m.ElecDrift / 12.0);
        }
        return (price, util, elec);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void ZeroVolatilityGivesTheDeterministicPath(int regime)
    {
        // Regime 1 with bust_to_normal = 0 stays in the bust: the bust drift and bust utilisation target apply.
        var m = Deterministic with { InitialRegime = regime };
        const int paths = 50;
        var r = m.Run(paths, bandPaths: paths);
        var (price, util, elec) = ClosedForm(m, regime);
        int last = m.Horizon - 1;
        var expected = new Dictionary<string, double>
        {
            ["final_price"] = price[last],
            ["mean_price"] = price.Average(),
            ["final_utilisation"] = util[last],
            ["mean_utilisation"] = util.Average(),
            ["final_electricity"] = elec[last],
            ["mean_electricity"] = elec.Average(),
            ["bust_share"] = regime,
        };
        foreach (var (name, value) in expected)
        {
            double[] col = MarketYaml.Column(r, name);
            SampleStats.AssertRelative(value, col[0], 1e-12, $"{name} (regime {regime})");
            for (int p = 1; p < paths; p++)
                Assert.True(BitConverter.DoubleToInt64Bits(col[0]) == BitConverter.DoubleToInt64Bits(col[p]),
                    $"{name}: path {p} ({col[p]:R}) differs from path 0 ({col[0]:R}) with zero volatility");
        }

        // The monthly series (float32 in the bands) follow the same path month by month.
        const int series = 4;
        for (int p = 0; p < paths; p++)
            for (int t = 0; t < m.Horizon; t++)
            {
                long b = ((long)p * m.Horizon + t) * series;
                SampleStats.AssertRelative(price[t], r.Bands[b], 1e-6, $"band price, path {p}, month {t}");
                SampleStats.AssertRelative(util[t], r.Bands[b + 1], 1e-6, $"band utilisation, path {p}, month {t}");
                SampleStats.AssertRelative(elec[t], r.Bands[b + 2], 1e-6, $"band electricity, path {p}, month {t}");
                Assert.Equal(regime, r.Bands[b + 3]);
            }
    }

    [Fact]
    public void MeanFinalPriceMatchesTheLognormalMean()
    {
        // No switching, sigma > 0: E[P_t] = P_0 exp(mu t / 12) because the drift carries -sigma^2/2.
        // Electricity likewise: E[E_t] = E_0 exp(mu_E t / 12).
        var m = Deterministic with { Horizon = 25, PriceVol = 0.5, UtilVol = 0.4, ElecVol = 0.3 };
        var r = m.Run(20_000);
        double t = m.Horizon - 1;
        double[] fp = MarketYaml.Column(r, "final_price");
        SampleStats.AssertWithinStdErrors(m.Price0 * Math.Exp(m.PriceDrift * t / 12), SampleStats.Mean(fp), SampleStats.StdError(fp), 4, "mean final_price");
        double[] fe = MarketYaml.Column(r, "final_electricity");
        SampleStats.AssertWithinStdErrors(m.Elec0 * Math.Exp(m.ElecDrift * t / 12), SampleStats.Mean(fe), SampleStats.StdError(fe), 4, "mean final_electricity");
        // Var ln P_t = sigma^2 t / 12: the sample variance of a normal has s.e. sigma^2 sqrt(2/(n-1)).
        double[] lnP = fp.Select(x => Math.Log(x)).ToArray();
        double v = m.PriceVol * m.PriceVol * t / 12;
        SampleStats.AssertWithinStdErrors(v, SampleStats.Variance(lnP), v * Math.Sqrt(2.0 / (lnP.Length - 1)), 4, "variance of ln final_price");
    }

    [Theory]
    [InlineData(0, 0.05, 0.15, 60)]
    [InlineData(1, 0.05, 0.15, 60)]
    [InlineData(0, 0.01, 0.05, 120)]
    public void BustShareMatchesTheTwoStateChain(int initial, double p01, double p10, int horizon)
    {
        // Two-state Markov chain: P(bust at month t) = s + (pi_0 - s)(1 - p01 - p10)^t, s = p01/(p01+p10),
        // pi_0 = the initial regime; the expected bust share over months 0..T-1 is the average of these.
        var m = Deterministic with { Horizon = horizon, InitialRegime = initial, P01 = p01, P10 = p10, PriceVol = 0.2 };
        var r = m.Run(20_000);
        double s = p01 / (p01 + p10), lambda = 1 - p01 - p10, expected = 0;
        for (int t = 0; t < horizon; t++) expected += s + (initial - s) * Math.Pow(lambda, t);
        expected /= horizon;
        double[] share = MarketYaml.Column(r, "bust_share");
        SampleStats.AssertWithinStdErrors(expected, SampleStats.Mean(share), SampleStats.StdError(share), 4,
            $"mean bust_share (initial {initial}, p01 {p01}, p10 {p10}, T {horizon})");
    }

    [Fact]
    public void ShocksHaveTheGivenCorrelation()
    {
        // kappa = 0 and equal drifts in both regimes: ln P_T - ln P_0 and logit U_T - logit U_0 are sums of the
        // monthly shocks Z1 and Z2, whose correlation is the matrix entry (sample correlation s.e. ~ (1 - rho^2)/sqrt n).
        double[][] corr =
        {
            new[] { 1.0, 0.6, -0.3 },
            new[] { 0.6, 1.0, 0.0 },
            new[] { -0.3, 0.0, 1.0 },
        };
        var m = Deterministic with
        {
            Horizon = 13,
            PriceDrift = 0,
            PriceDriftBust = 0,
            PriceVol = 0.4,
            Kappa = 0,
            UtilVol = 0.5,
            ElecDrift = 0,
            ElecVol = 0.2,
            Correlation = corr,
        };
        const int n = 20_000;
        var r = m.Run(n);
        double[] dp = MarketYaml.Column(r, "final_price").Select(p => Math.Log(p) - Math.Log(m.Price0)).ToArray();
        double[] du = MarketYaml.Column(r, "final_utilisation").Select(u => Logit(u) - Logit(m.Util0)).ToArray();
        double[] de = MarketYaml.Column(r, "final_electricity").Select(e => Math.Log(e) - Math.Log(m.Elec0)).ToArray();
        void Check(double[] a, double[] b, double rho, string what) =>
            SampleStats.AssertWithinStdErrors(rho, SampleStats.Correlation(a, b), (1 - rho * rho) / Math.Sqrt(n), 4, what);
        Check(dp, du, 0.6, "corr(price, utilisation)");
        Check(dp, de, -0.3, "corr(price, electricity)");
        Check(du, de, 0.0, "corr(utilisation, electricity)");
    }

    [Fact]
    public void NonPositiveDefiniteCorrelationIsAnInputErrorNamingTheField()
    {
        // Symmetric, unit diagonal, entries in [-1, 1], but determinant 0.19 - 2 * 1.539 < 0.
        var m = Deterministic with
        {
            Correlation = new[] { new[] { 1.0, 0.9, 0.9 }, new[] { 0.9, 1.0, -0.9 }, new[] { 0.9, -0.9, 1.0 } },
        };
        var ex = Assert.Throws<InputException>(() => ScenarioLoader.FromText(m.Text(), "test"));
        var e = Assert.Single(ex.Errors);
        Assert.Equal("market.correlation", e.Field);
        Assert.Contains("positive definite", e.Rule, StringComparison.Ordinal);
        Assert.Contains("market.correlation", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CompilingANonPositiveDefiniteCorrelationIsAnInputError()
    {
        // A scenario built in code (not through the loader) is checked again when compiled.
        var s = ScenarioLoader.FromText(Deterministic.Text(), "test");
        var bad = s with
        {
            Market = s.Market with
            {
                Correlation = new List<List<double>> { new() { 1, 0.9, 0.9 }, new() { 0.9, 1, -0.9 }, new() { 0.9, -0.9, 1 } },
            },
        };
        var ex = Assert.Throws<InputException>(() => ScenarioCompiler.Compile(bad));
        Assert.Equal("market.correlation", Assert.Single(ex.Errors).Field);
    }

    [Fact]
    public void AntitheticPairsMirrorTheShocks()
    {
        // Path 2k+1 uses 1-u for every uniform of path 2k; the normals are exact negatives, so the log-price
        // deviations from the deterministic drift cancel in each pair.
        var m = Deterministic with { Horizon = 30, PriceVol = 0.5, Sampling = "antithetic" };
        var r = m.Run(200);
        double[] fp = MarketYaml.Column(r, "final_price");
        double lnDet = Math.Log(m.Price0) + (m.Horizon - 1) * (m.PriceDrift - 0.5 * m.PriceVol * m.PriceVol) / 12;
        for (int p = 0; p < fp.Length; p += 2)
        {
            double a = Math.Log(fp[p]) - lnDet, b = Math.Log(fp[p + 1]) - lnDet;
            Assert.True(Math.Abs(a) > 1e-6, $"path {p} has no shock");
            Assert.True(Math.Abs(a + b) <= 1e-12, $"paths {p} and {p + 1}: deviations {a:R} and {b:R} do not cancel");
        }
    }

    [Fact]
    public void SameSeedSamePathsDifferentSeedDifferentPaths()
    {
        var m = Deterministic with { PriceVol = 0.3 };
        double[] a = MarketYaml.Column(m.Run(64), "final_price");
        double[] b = MarketYaml.Column(m.Run(64), "final_price");
        double[] c = MarketYaml.Column((m with { Seed = m.Seed + 1 }).Run(64), "final_price");
        Assert.Equal(a, b);
        Assert.True(a.Zip(c).Count(x => x.First == x.Second) == 0, "a different seed must change every path");
    }

    [Fact]
    public void SeriesNamesAndMetricOrderAreThePublishedOnes()
    {
        var job = Deterministic.Compile();
        Assert.Equal(new[] { "price", "utilisation", "electricity", "regime" }, job.SeriesNames);
        Assert.Equal(MetricNames.Market, job.MetricNames);
        using var cpu = new CpuBackend();
        var r = Simulator.Run(job, cpu, new RunOptions { Paths = 3, BandPaths = 2 });
        Assert.Equal(2, r.BandPaths);
        Assert.Equal(2 * Deterministic.Horizon * 4, r.Bands.Length);
    }
}
