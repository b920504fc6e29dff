using System.Globalization;
using ComputeEconomics.Models;
using ComputeEconomics.Output;

namespace ComputeEconomics.Compare;

/// <summary>How the console and the page print a value of a unit: money compact (1.23B), fractions and probabilities in %.</summary>
public static class CompareFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A value (a mean, a difference, a standard error) of <paramref name="unit"/>; "-" when absent.</summary>
    public static string Value(double x, string unit)
    {
        if (double.IsNaN(x)) return "-";
        if (double.IsInfinity(x)) return x > 0 ? "inf" : "-inf";
        return unit switch
        {
            "USD" => Answers.Money(x),
            "USD bn" => Answers.Money(x * 1e9),
            "fraction" or "fraction/yr" or "probability" => (100 * x).ToString(Math.Abs(x) >= 0.001 || x == 0 ? "0.00" : "G3", Inv) + "%",
            _ => x.ToString("G5", Inv),
        };
    }

    /// <summary>The 95 % interval as [low, high].</summary>
    public static string Interval(PairedDifference r) => $"[{Value(r.CiLow, r.Unit)}, {Value(r.CiHigh, r.Unit)}]";

    /// <summary>The variance-reduction factor as 12.3x; "-" when the paired s.e. is 0 or absent.</summary>
    public static string Factor(double vr) =>
        !double.IsFinite(vr) ? "-" : vr.ToString(vr >= 1e4 ? "0.0e+0" : vr >= 100 ? "0" : "0.0", Inv) + "x";

    /// <summary>Relative size below which a difference is floating-point rounding, not a difference (about 4500 ulps).</summary>
    public const double RoundingNoise = 1e-12;

    /// <summary>
    /// Whether the 95 % interval leaves out 0 (the difference is significant at 5 %) and the difference is larger than
    /// rounding (<see cref="RoundingNoise"/> of the larger mean), so a last-digit change on every path is not flagged.
    /// </summary>
    public static bool Significant(PairedDifference r) =>
        (r.CiLow > 0 || r.CiHigh < 0) && Math.Abs(r.Diff) > RoundingNoise * Math.Max(Math.Abs(r.MeanBase), Math.Abs(r.Mean));
}
