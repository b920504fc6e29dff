using ComputeEconomics.Kernels;
using ComputeEconomics.Kernels.Random;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Statistics;
using InverseNormal = ComputeEconomics.Kernels.Random.Normal;

namespace ComputeEconomics.Calibration;

/// <summary>Quantiles of the market level (USD per GPU-hour) in one month.</summary>
public sealed record LevelBand(int Month, double P5, double P25, double P50, double P75, double P95);

/// <summary>
/// A later observation scored against the forecast: the level band of its month (shifted by its contract's offset when
/// that contract was fitted) and, when its contract was fitted, the band of an observation (level + vendor effect + noise).
/// </summary>
public sealed record BacktestPoint(Observation Observation, int Horizon, LevelBand Level, LevelBand? Predictive, bool ContractFitted, bool VendorFitted)
{
    /// <summary>Inside the predictive 50% band (null when not scored).</summary>
    public bool? In50 => Predictive is { } b ? Observation.Value >= b.P25 && Observation.Value <= b.P75 : null;

    /// <summary>Inside the predictive 90% band.</summary>
    public bool? In90 => Predictive is { } b ? Observation.Value >= b.P5 && Observation.Value <= b.P95 : null;

    /// <summary>Inside the level's 50% band (the market level, no vendor dispersion).</summary>
    public bool LevelIn50 => Observation.Value >= Level.P25 && Observation.Value <= Level.P75;

    /// <summary>Inside the level's 90% band.</summary>
    public bool LevelIn90 => Observation.Value >= Level.P5 && Observation.Value <= Level.P95;
}

/// <summary>The forecast after the fit's last month and the backtest of the later observations.</summary>
/// <param name="Months">Month 1..H after the last fitted month.</param>
/// <param name="History">The filtered level of every fitted month (state uncertainty only, at the estimates).</param>
/// <param name="Backtest">The later observations, scored.</param>
/// <param name="Draws">Parameter draws used (from N(estimate, inverse information)).</param>
/// <param name="Paths">Simulated paths in all.</param>
public sealed record ForecastResult(IReadOnlyList<LevelBand> Months, IReadOnlyList<LevelBand> History, IReadOnlyList<BacktestPoint> Backtest, int Draws, int Paths)
{
    /// <summary>Share of scored later observations inside their 50% / 90% predictive bands; NaN when none was scored.</summary>
    public (int Scored, double Cover50, double Cover90) Coverage()
    {
        var s = Backtest.Where(b => b.Predictive != null).ToList();
        return (s.Count, s.Count == 0 ? double.NaN : s.Count(b => b.In50 == true) / (double)s.Count,
                s.Count == 0 ? double.NaN : s.Count(b => b.In90 == true) / (double)s.Count);
    }

    /// <summary>Share of every later observation inside the level's 50% / 90% bands.</summary>
    public (int Count, double Cover50, double Cover90) LevelCoverage() =>
        (Backtest.Count, Backtest.Count == 0 ? double.NaN : Backtest.Count(b => b.LevelIn50) / (double)Backtest.Count,
         Backtest.Count == 0 ? double.NaN : Backtest.Count(b => b.LevelIn90) / (double)Backtest.Count);
}

/// <summary>
/// Monte Carlo forecast with parameter uncertainty: each draw of the parameters from N(estimate, inverse observed
/// information) is filtered through the data; each of its paths starts from the filtered state (regime, level) of the
/// last fitted month and steps the process forward month by month. Random numbers: Philox4x32-10 keyed by the seed and
/// the draw or path index (<see cref="Streams.CalibrationDraws"/>, <see cref="Streams.CalibrationPaths"/>), uniforms
/// (x + 0.5) / 2^32 and normals by the inverse CDF (AS241), so a draw's or a path's numbers do not depend on the others
/// (a draw whose likelihood is not finite is skipped without moving the next one's).
/// </summary>
public static class PriceForecast
{
    /// <summary>Forecast <paramref name="horizon"/> months (more when a later observation lies further) and score <paramref name="later"/>.</summary>
    public static ForecastResult Run(PriceData data, CandidateFit fit, int horizon, IReadOnlyList<Observation> later,
                                     uint seed, int draws = 1000, int pathsPerDraw = 10, CancellationToken cancellation = default)
    {
        int lastMonth = data.StartMonth + data.MonthCount - 1;
        int h = Math.Max(horizon, later.Count == 0 ? 0 : later.Max(o => o.MonthIndex) - lastMonth);
        var sqrtCov = SquareRoot(fit.Cov);
        var levels = Enumerable.Range(0, h).Select(_ => new List<double>()).ToArray();
        var obsDraws = later.Select(_ => new List<double>()).ToArray();
        int used = 0;
        for (int r = 0; r < draws; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            var theta = Perturb(fit.Theta, sqrtCov, seed, r);
            var p = fit.Process.Decode(theta);
            var (ll, last) = KimFilter.Run(data, p);
            if (!double.IsFinite(ll)) continue;
            used++;
            for (int k = 0; k < pathsPerDraw; k++)
                SimulatePath(data, p, last, later, lastMonth, new PathDraws(seed, (long)r * pathsPerDraw + k), levels, obsDraws);
        }
        if (used == 0) throw new InvalidOperationException("every parameter draw gave a non-finite likelihood");
        var months = levels.Select((v, i) => Band(lastMonth + 1 + i, v)).ToList();
        var backtest = later.Select((o, i) => Score(data, o, lastMonth, months, obsDraws[i], fit.Decoded)).ToList();
        return new ForecastResult(months, History(data, fit.Decoded), backtest, used, used * pathsPerDraw);
    }

    private static void SimulatePath(PriceData data, Decoded p, FilterState last, IReadOnlyList<Observation> later,
                                     int lastMonth, PathDraws rng, List<double>[] levels, List<double>[] obsDraws)
    {
        var start = rng.Block(0, 0);
        int regime = Pick(last.Prob, Philox4x32.ToUniform(start.X));
        double z = last.Mean[regime][0] + Math.Sqrt(Math.Max(0, last.Cov[regime][0])) * PathDraws.Gaussian(start.Y);
        var logLevel = new double[levels.Length];
        for (int t = 0; t < levels.Length; t++)
        {
            var step = rng.Block((uint)t + 1, 0);
            if (p.Intercept.Length > 1 && Philox4x32.ToUniform(step.X) < p.Transition(regime, 1 - regime)) regime = 1 - regime;
            z = p.Intercept[regime] + p.Phi * z + p.Q * PathDraws.Gaussian(step.Y);
            logLevel[t] = p.LogLevel(z);
            levels[t].Add(Math.Exp(logLevel[t]));
        }
        for (int i = 0; i < later.Count; i++)
        {
            var o = later[i];
            int vendor = IndexOf(data.Vendors, PriceData.VendorKey(o)), contract = IndexOf(data.Contracts, o.Contract);
            var w = rng.Block(0, 1 + (uint)i);
            double b = vendor >= 0
                ? last.Mean[regime][1 + vendor] + Math.Sqrt(Math.Max(0, last.Cov[regime][(1 + vendor) * last.Dim + 1 + vendor])) * PathDraws.Gaussian(w.X)
                : p.Omega * PathDraws.Gaussian(w.X);
            double offset = contract >= 0 ? p.Offsets[contract] : 0;
            obsDraws[i].Add(Math.Exp(logLevel[o.MonthIndex - lastMonth - 1] + b + offset + p.Tau * PathDraws.Gaussian(w.Y)));
        }
    }

    private static BacktestPoint Score(PriceData data, Observation o, int lastMonth, List<LevelBand> months, List<double> draws, Decoded p)
    {
        int contract = IndexOf(data.Contracts, o.Contract);
        bool vendorFitted = IndexOf(data.Vendors, PriceData.VendorKey(o)) >= 0;
        var level = months[o.MonthIndex - lastMonth - 1];
        if (contract > 0)
        {
            double f = Math.Exp(p.Offsets[contract]);
            level = new LevelBand(level.Month, level.P5 * f, level.P25 * f, level.P50 * f, level.P75 * f, level.P95 * f);
        }
        var predictive = contract >= 0 ? Band(o.MonthIndex, draws) : null;
        return new BacktestPoint(o, o.MonthIndex - lastMonth, level, predictive, contract >= 0, vendorFitted);
    }

    /// <summary>The filtered level of each fitted month at the estimates: exp of LogLevel(mean +- z sd).</summary>
    public static IReadOnlyList<LevelBand> History(PriceData data, Decoded p)
    {
        var bands = new List<LevelBand>();
        KimFilter.LogLikelihood(data, p, (t, s) =>
        {
            double m = s.MeanOf(0), sd = Math.Sqrt(Math.Max(0, s.VarOf(0)));
            double L(double z) => Math.Exp(p.LogLevel(m + z * sd));
            bands.Add(new LevelBand(data.StartMonth + t, L(-1.644854), L(-0.674490), L(0), L(0.674490), L(1.644854)));
        });
        return bands;
    }

    private static LevelBand Band(int month, List<double> values)
    {
        var v = values.ToArray();
        Array.Sort(v);
        double Q(double tau) => SortedArrayStatistics.Quantile(v, tau);
        return new LevelBand(month, Q(0.05), Q(0.25), Q(0.5), Q(0.75), Q(0.95));
    }

    private static Matrix<double> SquareRoot(double[,] cov)
    {
        var c = Matrix<double>.Build.DenseOfArray(cov);
        var evd = ((c + c.Transpose()) / 2).Evd(Symmetricity.Symmetric);
        var root = evd.EigenValues.Map(e => Math.Sqrt(Math.Max(0, e.Real)));
        return evd.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalVector(root);
    }

    /// <summary>Parameter draw <paramref name="draw"/>: theta + root z, z's element j from word j % 4 of block j / 4.</summary>
    private static double[] Perturb(double[] theta, Matrix<double> root, uint seed, int draw)
    {
        var z = Vector<double>.Build.Dense(theta.Length);
        for (int j = 0; j < theta.Length; j += 4)
        {
            var b = Philox4x32.Block(seed, draw, 0u, (uint)(j / 4), Streams.CalibrationDraws);
            uint[] words = { b.X, b.Y, b.Z, b.W };
            for (int w = 0; w < 4 && j + w < theta.Length; w++) z[j + w] = PathDraws.Gaussian(words[w]);
        }
        var d = root * z;
        return theta.Select((t, i) => t + d[i]).ToArray();
    }

    private static int Pick(double[] prob, double u)
    {
        double acc = 0;
        for (int j = 0; j < prob.Length; j++) { acc += prob[j]; if (u < acc) return j; }
        return prob.Length - 1;
    }

    /// <summary>The Philox blocks of one forecast path (key: the path index and the seed).</summary>
    private readonly record struct PathDraws(uint Seed, long Path)
    {
        public UInt4 Block(uint month, uint slot) => Philox4x32.Block(Seed, Path, month, slot, Streams.CalibrationPaths);

        public static double Gaussian(uint word) => InverseNormal.InvCdf<DoubleMath>(Philox4x32.ToUniform(word));
    }

    private static int IndexOf(IReadOnlyList<string> list, string key)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == key) return i;
        return -1;
    }
}
