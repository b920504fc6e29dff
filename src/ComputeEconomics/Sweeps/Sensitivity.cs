using System.Globalization;
using System.Text;
using ComputeEconomics.Kernels.Random;
using ComputeEconomics.Statistics;

namespace ComputeEconomics.Sweeps;

/// <summary>Sobol indices of one input with bootstrap standard errors and percentile confidence intervals.</summary>
/// <param name="Input">Axis index.</param>
/// <param name="S1">First-order index (Jansen 1999).</param>
/// <param name="S1StdError">Bootstrap standard error of S1.</param>
/// <param name="S1Low">2.5 % bootstrap percentile of S1.</param>
/// <param name="S1High">97.5 % bootstrap percentile of S1.</param>
/// <param name="ST">Total index (Jansen 1999).</param>
/// <param name="STStdError">Bootstrap standard error of ST.</param>
/// <param name="STLow">2.5 % bootstrap percentile of ST.</param>
/// <param name="STHigh">97.5 % bootstrap percentile of ST.</param>
public sealed record SobolIndex(int Input, double S1, double S1StdError, double S1Low, double S1High,
    double ST, double STStdError, double STLow, double STHigh);

/// <summary>One bar of a tornado chart: the objective with one input at its low and at its high end, the others at the base.</summary>
public sealed record TornadoBar(SweepAxis Axis, string Low, string High, double AtLow, double AtHigh, double AtBase)
{
    /// <summary>|at high - at low|.</summary>
    public double Swing => Math.Abs(AtHigh - AtLow);
}

/// <summary>
/// Variance-based sensitivity (Saltelli et al., "Variance based sensitivity analysis of model output. Design and
/// estimator for the total sensitivity index", Computer Physics Communications 181, 2010): matrices A and B of N
/// rows from one scrambled Sobol sequence of 2d dimensions, and A_B^i (A with column i taken from B), N(d + 2)
/// evaluations in all. Estimators of Jansen (1999), Saltelli 2010 table 2 (d) and (f):
/// V_i = V - (1/2N) Σ (f(B) - f(A_B^i))², V_Ti = (1/2N) Σ (f(A) - f(A_B^i))², V the variance of f over A and B
/// together. Confidence intervals: bootstrap over the N rows (percentile, 95 %).
/// </summary>
public static class SobolAnalysis
{
    private const uint BootstrapStream = 0x534F424Cu; // "SOBL"

    /// <summary>A (N x d) and B (N x d) in [0, 1): columns 0..d-1 and d..2d-1 of a scrambled Sobol sequence.</summary>
    public static (double[][] A, double[][] B) SaltelliMatrices(int n, int d, uint seed)
    {
        if (2 * d > Designs.SobolMaxDimensions)
            throw new InputException("sweep.axes", d.ToString(CultureInfo.InvariantCulture), $"must be at most {Designs.SobolMaxDimensions / 2} for Sobol indices");
        var u = Designs.Sobol(n, 2 * d, seed);
        return (u.Select(r => r[..d]).ToArray(), u.Select(r => r[d..]).ToArray());
    }

    /// <summary>A with column <paramref name="i"/> from B.</summary>
    public static double[][] Mix(double[][] a, double[][] b, int i) =>
        a.Select((row, k) => { var r = (double[])row.Clone(); r[i] = b[k][i]; return r; }).ToArray();

    /// <summary>Jansen first-order and total indices from f(A), f(B) and f(A_B^i) (fAB[i][k]), with bootstrap intervals.</summary>
    /// <remarks>The cancellation is checked before each bootstrap replicate (SIGINT/SIGTERM stop within one replicate).</remarks>
    public static SobolIndex[] Jansen(double[] fA, double[] fB, double[][] fAB, int bootstrap, uint seed,
        CancellationToken cancellation = default)
    {
        int n = fA.Length, d = fAB.Length;
        var idx = Enumerable.Range(0, n).ToArray();
        var point = Estimate(fA, fB, fAB, idx);
        var s1 = new double[d][];
        var st = new double[d][];
        for (int i = 0; i < d; i++) { s1[i] = new double[bootstrap]; st[i] = new double[bootstrap]; }
        var sample = new int[n];
        for (int rep = 0; rep < bootstrap; rep++)
        {
            cancellation.ThrowIfCancellationRequested();
            for (int k = 0; k < n; k++)
                sample[k] = (int)((ulong)Philox4x32.Block(seed, k, (uint)rep, 0, BootstrapStream).X * (ulong)n >> 32);
            var e = Estimate(fA, fB, fAB, sample);
            for (int i = 0; i < d; i++) { s1[i][rep] = e[i].S1; st[i][rep] = e[i].ST; }
        }
        var result = new SobolIndex[d];
        for (int i = 0; i < d; i++)
        {
            var q1 = bootstrap > 1 ? Quantiles.Compute(s1[i], [0.025, 0.975]) : [double.NaN, double.NaN];
            var qt = bootstrap > 1 ? Quantiles.Compute(st[i], [0.025, 0.975]) : [double.NaN, double.NaN];
            result[i] = new SobolIndex(i, point[i].S1, Moments.Of(s1[i]).StdDev, q1[0], q1[1],
                point[i].ST, Moments.Of(st[i]).StdDev, qt[0], qt[1]);
        }
        return result;
    }

    private static (double S1, double ST)[] Estimate(double[] fA, double[] fB, double[][] fAB, int[] rows)
    {
        int n = rows.Length;
        var all = new double[2 * n];
        for (int k = 0; k < n; k++) { all[k] = fA[rows[k]]; all[n + k] = fB[rows[k]]; }
        var m = Moments.Of(all);
        double v = m.SumSquaredDeviations / (2 * n);
        var r = new (double, double)[fAB.Length];
        for (int i = 0; i < fAB.Length; i++)
        {
            double sb = 0, sa = 0;
            for (int k = 0; k < n; k++)
            {
                int j = rows[k];
                double db = fB[j] - fAB[i][j];
                double da = fA[j] - fAB[i][j];
                sb += db * db;
                sa += da * da;
            }
            r[i] = ((v - sb / (2 * n)) / v, sa / (2 * n) / v);
        }
        return r;
    }

    /// <summary>Indices of a function of d inputs in [0, 1) (tests, and any cheap model): N(d + 2) calls of <paramref name="f"/>.</summary>
    public static SobolIndex[] Analyze(Func<double[], double> f, int n, int d, int bootstrap, uint seed)
    {
        var (a, b) = SaltelliMatrices(n, d, seed);
        var fAB = new double[d][];
        for (int i = 0; i < d; i++) fAB[i] = Mix(a, b, i).Select(f).ToArray();
        return Jansen(a.Select(f).ToArray(), b.Select(f).ToArray(), fAB, bootstrap, seed);
    }

    /// <summary>sobol.csv content (CsvHelper).</summary>
    public static string Csv(IReadOnlyList<SweepAxis> axes, IReadOnlyList<SobolIndex> indices, string objective, int n) =>
        CsvText.Write(new[] { "axis", "field", "objective", "base_samples", "s1", "s1_stderr", "s1_low95", "s1_high95", "st", "st_stderr", "st_low95", "st_high95" },
            indices.Select(x => new[] { axes[x.Input].Name, axes[x.Input].Field, objective, n.ToString(CultureInfo.InvariantCulture) }
                .Concat(new[] { x.S1, x.S1StdError, x.S1Low, x.S1High, x.ST, x.STStdError, x.STLow, x.STHigh }.Select(Format.Csv))));

    /// <summary>tornado.csv content (CsvHelper), bars by decreasing swing.</summary>
    public static string TornadoCsv(IEnumerable<TornadoBar> bars, string objective) =>
        CsvText.Write(new[] { "axis", "field", "objective", "low", "high", "at_low", "at_high", "at_base", "swing" },
            bars.Select(b => new[] { b.Axis.Name, b.Axis.Field, objective, b.Low, b.High }
                .Concat(new[] { b.AtLow, b.AtHigh, b.AtBase, b.Swing }.Select(Format.Csv))));
}

/// <summary>The points of <c>ce sensitivity</c>: the base, each axis at its low and high end, then Saltelli's A, B and A_B^i.</summary>
public sealed class SensitivityDesign
{
    public SensitivityDesign(SweepPlan plan, int baseSamples)
    {
        int d = plan.Axes.Count;
        N = baseSamples;
        var points = new List<string?[]> { new string?[d] };
        for (int j = 0; j < d; j++)
        {
            var (low, high) = plan.Axes[j].Ends;
            var lo = new string?[d]; lo[j] = low; points.Add(lo);
            var hi = new string?[d]; hi[j] = high; points.Add(hi);
        }
        var (a, b) = SobolAnalysis.SaltelliMatrices(N, d, (uint)(plan.Base.Sweep?.DesignSeed ?? plan.Base.Seed));
        string?[] Values(double[] u) => plan.Axes.Select((ax, j) => (string?)ax.FromUnit(u[j])).ToArray();
        points.AddRange(a.Select(Values));
        points.AddRange(b.Select(Values));
        for (int i = 0; i < d; i++) points.AddRange(SobolAnalysis.Mix(a, b, i).Select(Values));
        Plan = plan.WithPoints("sensitivity (one-at-a-time, then Saltelli A, B, A_B^i)", points);
    }

    /// <summary>Saltelli base samples N.</summary>
    public int N { get; }
    /// <summary>The plan of all 1 + 2d + N(d + 2) points.</summary>
    public SweepPlan Plan { get; }

    /// <summary>Tornado bars and Sobol indices of the objective column from the rows of <see cref="Plan"/>.</summary>
    public (List<TornadoBar> Tornado, SobolIndex[] Sobol) Analyze(IReadOnlyList<SweepRow> rows, SweepTable table, string column, int bootstrap,
        CancellationToken cancellation = default)
    {
        int c = table.IndexOf(column);
        var f = rows.OrderBy(r => r.Point).Select(r => r.Values[c]).ToArray();
        int d = Plan.Axes.Count;
        var bars = new List<TornadoBar>();
        for (int j = 0; j < d; j++)
        {
            var (low, high) = Plan.Axes[j].Ends;
            bars.Add(new TornadoBar(Plan.Axes[j], low, high, f[1 + 2 * j], f[2 + 2 * j], f[0]));
        }
        int o = 1 + 2 * d;
        var fA = f[o..(o + N)];
        var fB = f[(o + N)..(o + 2 * N)];
        var fAB = Enumerable.Range(0, d).Select(i => f[(o + (2 + i) * N)..(o + (3 + i) * N)]).ToArray();
        return (bars.OrderByDescending(b => b.Swing).ThenBy(b => b.Axis.Index).ToList(),
            SobolAnalysis.Jansen(fA, fB, fAB, bootstrap, (uint)Plan.Base.Seed, cancellation));
    }
}
