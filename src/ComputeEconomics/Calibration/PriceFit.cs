using MathNet.Numerics.Differentiation;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace ComputeEconomics.Calibration;

/// <summary>A parameter on its natural scale with a 95% interval (delta method on the transformed scale).</summary>
/// <param name="Name">Name, e.g. drift.</param>
/// <param name="Value">Maximum-likelihood estimate.</param>
/// <param name="Se">Standard error on the natural scale (delta method); NaN when the Hessian gives none.</param>
/// <param name="Low">Lower end of the 95% interval.</param>
/// <param name="High">Upper end.</param>
/// <param name="Meaning">What it is, with its unit.</param>
/// <param name="Scale">linear, log or logit: the scale of the interval (and of the distribution in calibration.yaml).</param>
/// <param name="SeScaled">Standard error on that scale.</param>
public sealed record ParameterEstimate(string Name, double Value, double Se, double Low, double High, string Meaning, string Scale, double SeScaled);

/// <summary>The maximum-likelihood fit of one candidate process.</summary>
public sealed class CandidateFit
{
    public required PriceProcess Process { get; init; }
    public required double[] Theta { get; init; }
    public required double LogLik { get; init; }
    /// <summary>Covariance of <see cref="Theta"/> (inverse observed information), positive semi-definite part.</summary>
    public required double[,] Cov { get; init; }
    /// <summary>Whether the observed information (negative Hessian) was positive definite at the optimum.</summary>
    public required bool HessianPositiveDefinite { get; init; }
    public required int Observations { get; init; }
    public required IReadOnlyList<ParameterEstimate> Estimates { get; init; }
    public int ParameterCount => Theta.Length;
    public double Aic => 2 * ParameterCount - 2 * LogLik;
    public double Bic => ParameterCount * Math.Log(Observations) - 2 * LogLik;
    public Decoded Decoded => Process.Decode(Theta);
}

/// <summary>Maximum-likelihood fit of the candidate processes (Nelder-Mead, then BFGS; MathNet.Numerics).</summary>
public static class PriceFit
{
    /// <summary>
    /// Fit one candidate to <paramref name="data"/>: the best of the optimisations started from
    /// <see cref="StartingValues"/> and from <paramref name="extraStarts"/>.
    /// </summary>
    public static CandidateFit Fit(PriceData data, PriceProcess process, IEnumerable<double[]>? extraStarts = null,
        CancellationToken cancellation = default)
    {
        double Objective(double[] th)
        {
            cancellation.ThrowIfCancellationRequested();   // every evaluation: the optimisers have no token of their own
            double ll = KimFilter.LogLikelihood(data, process.Decode(th));
            return double.IsFinite(ll) ? -ll : 1e12;
        }
        var best = StartingValues(data, process).Concat(extraStarts ?? Enumerable.Empty<double[]>())
                                                .Select(start => Optimise(Objective, start))
                                                .OrderBy(Objective).First();
        var hessian = new NumericalHessian().Evaluate(Objective, best);
        var (cov, pd, nullDirections) = InvertInformation(hessian);
        return new CandidateFit
        {
            Process = process, Theta = best, LogLik = -Objective(best), Cov = cov, HessianPositiveDefinite = pd,
            Observations = data.Points.Count,
            Estimates = NaturalParameters.For(process, data.Contracts, best, cov, nullDirections),
        };
    }

    /// <summary>
    /// Fit every candidate, ordered as <see cref="PriceProcess.All"/>. The random walk is fitted first and each other
    /// process also starts from the random-walk estimate mapped into its parameters (a slow reversion, a low floor, a
    /// small bust gap), so a process that nests or nearly nests the random walk does not end below it for want of a start.
    /// </summary>
    public static IReadOnlyList<CandidateFit> FitAll(PriceData data, CancellationToken cancellation = default)
    {
        var rw = Fit(data, new PriceProcess(ProcessKind.RandomWalk), cancellation: cancellation);
        return PriceProcess.All.Select(p => p.Kind == ProcessKind.RandomWalk ? rw : Fit(data, p, new[] { FromRandomWalk(data, p, rw.Theta) }, cancellation)).ToList();
    }

    /// <summary>The random walk's estimate <paramref name="rw"/> (d, ln q, x1, ln tau, ln omega, offsets) as a start for <paramref name="process"/>.</summary>
    public static double[] FromRandomWalk(PriceData data, PriceProcess process, double[] rw)
    {
        double d = rw[0], lnq = rw[1];
        var tail = rw.Skip(2).ToArray();
        double lastLevel = tail[0] + d * (data.MonthCount - 1);
        double[] head = process.Kind switch
        {
            ProcessKind.MeanReversion => new[] { lastLevel, Math.Log(0.1), lnq },
            ProcessKind.FloorDecay => new[] { d, lnq, Math.Log(0.05 / 0.95) },
            ProcessKind.RegimeSwitching => new[] { d + 0.002, Math.Log(0.02), Math.Log(0.02 / 0.98), Math.Log(0.2 / 0.8), lnq },
            _ => new[] { d, lnq },
        };
        return head.Concat(tail).ToArray();
    }

    /// <summary>Minimise <paramref name="f"/> from <paramref name="start"/>: two Nelder-Mead rounds, then a BFGS polish.</summary>
    public static double[] Optimise(Func<double[], double> f, double[] start)
    {
        var objective = ObjectiveFunction.Value(v => f(v.ToArray()));
        var x = Vector<double>.Build.DenseOfArray(start);
        for (int round = 0; round < 3; round++)
        {
            try
            {
                var step = Vector<double>.Build.Dense(start.Length, round == 0 ? 0.3 : 0.05);
                x = new NelderMeadSimplex(1e-10, 6000).FindMinimum(objective, x, step).MinimizingPoint;
            }
            catch (MaximumIterationsException)
            {
                // keep the best point so far; the next round restarts the simplex there
            }
        }
        var gradient = new NumericalJacobian();
        var withGradient = ObjectiveFunction.Gradient(
            v => f(v.ToArray()), v => Vector<double>.Build.DenseOfArray(gradient.Evaluate(f, v.ToArray())));
        try
        {
            var polished = new BfgsMinimizer(1e-6, 1e-10, 1e-12, 500).FindMinimum(withGradient, x).MinimizingPoint;
            if (f(polished.ToArray()) <= f(x.ToArray())) x = polished;
        }
        catch (Exception ex) when (ex is MaximumIterationsException or OptimizationException or ArgumentException)
        {
            // a failed line search leaves the Nelder-Mead point, which is already a minimum to about 1e-10
        }
        return x.ToArray();
    }

    /// <summary>
    /// Inverse of the observed information; eigenvalues &lt;= 1e-10 of the largest are dropped (pseudo-inverse) and their
    /// eigenvectors returned: directions the data do not identify (a parameter at a boundary or a flat likelihood).
    /// </summary>
    public static (double[,] Cov, bool PositiveDefinite, double[][] NullDirections) InvertInformation(double[,] hessian)
    {
        var h = Matrix<double>.Build.DenseOfArray(hessian);
        h = (h + h.Transpose()) / 2;
        var evd = h.Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Map(c => c.Real);
        double scale = values.AbsoluteMaximum();
        bool pd = values.Minimum() > 1e-10 * scale;
        var inv = Vector<double>.Build.Dense(values.Count, i => values[i] > 1e-10 * scale ? 1 / values[i] : 0);
        var cov = evd.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalVector(inv) * evd.EigenVectors.Transpose();
        var nulls = Enumerable.Range(0, values.Count).Where(i => !(values[i] > 1e-10 * scale))
                              .Select(i => evd.EigenVectors.Column(i).ToArray()).ToArray();
        return (cov.ToArray(), pd, nulls);
    }

    /// <summary>
    /// Two starts from the data: the least-squares trend with a monthly sd of 0.03, and no trend with a monthly sd of
    /// 0.1 (slow reversion for the mean-reverting process); first-month log level, a vendor spread of 0.3.
    /// </summary>
    public static IEnumerable<double[]> StartingValues(PriceData data, PriceProcess process)
    {
        yield return Start(data, process, trend: true);
        yield return Start(data, process, trend: false);
    }

    private static double[] Start(PriceData data, PriceProcess process, bool trend)
    {
        var pts = data.Points;
        double mt = pts.Average(p => (double)p.Month), my = pts.Average(p => p.LogValue);
        double sxy = pts.Sum(p => (p.Month - mt) * (p.LogValue - my)), sxx = pts.Sum(p => (p.Month - mt) * (p.Month - mt));
        double slope = trend && sxx > 0 ? sxy / sxx : 0, x1 = my - slope * mt, lnq = Math.Log(trend ? 0.03 : 0.1);
        double[] head = process.Kind switch
        {
            ProcessKind.RandomWalk => new[] { slope, lnq },
            ProcessKind.MeanReversion => new[] { my + slope * (data.MonthCount - mt), trend ? 0.0 : Math.Log(0.2), lnq },
            ProcessKind.FloorDecay => new[] { 2 * slope - (trend ? 0 : 0.01), lnq, -1.0 },
            _ => new[] { slope + 0.005, Math.Log(0.03), Math.Log(0.05 / 0.95), Math.Log(0.2 / 0.8), lnq },
        };
        var offsets = data.Contracts.Skip(1).Select(_ => -0.3);
        return head.Concat(new[] { x1, Math.Log(0.1 - process.MinTau), Math.Log(0.3) }).Concat(offsets).ToArray();
    }
}
