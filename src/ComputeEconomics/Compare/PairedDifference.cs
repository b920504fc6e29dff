using ComputeEconomics.Models;
using ComputeEconomics.Statistics;
using ComputeEconomics.Uncertainty;

namespace ComputeEconomics.Compare;

/// <summary>
/// One metric of one scenario against the baseline, paired path by path (common random numbers).
/// </summary>
/// <param name="Scenario">The compared scenario's label.</param>
/// <param name="Metric">The metric (or event, for <c>probability</c> rows).</param>
/// <param name="Statistic"><c>mean</c> (a metric's mean) or <c>probability</c> (the share of paths with an event flag of 1).</param>
/// <param name="Unit">The metric's unit (<see cref="Models.MetricInfo"/>); <c>probability</c> for events.</param>
/// <param name="MeanBase">The baseline's mean over the paths where both values are present (all paths unless the metric can be absent, as an IRR).</param>
/// <param name="Mean">The scenario's mean over the same paths.</param>
/// <param name="Diff">Mean of the per-path differences scenario - baseline over the paths where both are present.</param>
/// <param name="DiffStdError">Standard error of <paramref name="Diff"/> from the per-path differences (sqrt(var/n) for plain Monte Carlo).</param>
/// <param name="CiLow">Diff - 1.96 s.e.</param>
/// <param name="CiHigh">Diff + 1.96 s.e.</param>
/// <param name="UnpairedStdError">What the s.e. would be with independent draws: sqrt(se_base² + se²).</param>
/// <param name="VarianceReduction">(unpaired s.e. / paired s.e.)²: how many times fewer paths the pairing needs; NaN when the paired s.e. is 0.</param>
/// <param name="Pairs">Paths where both values are present.</param>
public sealed record PairedDifference(string Scenario, string Metric, string Statistic, string Unit, double MeanBase, double Mean,
    double Diff, double DiffStdError, double CiLow, double CiHigh, double UnpairedStdError, double VarianceReduction, long Pairs)
{
    /// <summary>The two-sided 95 % normal quantile.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// The paired difference of per-path values <paramref name="other"/> - <paramref name="baseline"/> (the same path
    /// indices, so the same random numbers). NaN marks an absent value; a path counts in the difference only when both
    /// are present. Standard errors follow the sampling scheme (<see cref="Estimators.StdError"/>): plain Monte Carlo
    /// sqrt(var/n), antithetic pair averages, randomised-QMC replicate means.
    /// </summary>
    public static PairedDifference Of(string scenario, string metric, string statistic, string unit,
        ReadOnlySpan<double> baseline, ReadOnlySpan<double> other, string sampling = "none", int scramblings = 0)
    {
        if (baseline.Length != other.Length)
            throw new ArgumentException($"the baseline has {baseline.Length} paths and {scenario} {other.Length}: they must match");
        // Paths where either value is absent are left out of everything, so diff = mean - mean_base on the same paths.
        var d = new double[baseline.Length];
        var a = new double[baseline.Length];
        var x = new double[baseline.Length];
        for (int i = 0; i < d.Length; i++)
        {
            bool absent = double.IsNaN(baseline[i]) || double.IsNaN(other[i]);
            a[i] = absent ? double.NaN : baseline[i];
            x[i] = absent ? double.NaN : other[i];
            d[i] = absent ? double.NaN : other[i] - baseline[i];
        }
        var md = Moments.Of(d);
        double diff = md.Mean;
        double se = Estimators.StdError(d, sampling, scramblings);
        double seBase = Estimators.StdError(a, sampling, scramblings);
        double seOther = Estimators.StdError(x, sampling, scramblings);
        double unpaired = Math.Sqrt(seBase * seBase + seOther * seOther);
        double vr = se > 0 ? unpaired * unpaired / (se * se) : double.NaN;
        return new PairedDifference(scenario, metric, statistic, unit, Moments.Of(a).Mean, Moments.Of(x).Mean,
            diff, se, diff - Z95 * se, diff + Z95 * se, unpaired, vr, md.Count);
    }

    /// <summary>Per-path 0/1 flags of NPV &lt; 0 (NaN stays absent), the <c>npv_negative</c> event of a fleet.</summary>
    public static double[] Negative(ReadOnlySpan<double> values)
    {
        var flags = new double[values.Length];
        for (int i = 0; i < flags.Length; i++) flags[i] = double.IsNaN(values[i]) ? double.NaN : values[i] < 0 ? 1.0 : 0.0;
        return flags;
    }
}
