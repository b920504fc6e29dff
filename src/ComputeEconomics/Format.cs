using System.Globalization;

namespace ComputeEconomics;

/// <summary>Number formats shared by every layer: CSV cells and compact money.</summary>
public static class Format
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>An invariant round-trip number for CSV; empty for NaN (absent).</summary>
    public static string Csv(double x) => CsvText.Number(x);

    /// <summary>Compact money: 1.23B, 45.6M.</summary>
    public static string Money(double x)
    {
        if (double.IsNaN(x)) return "-";
        double a = Math.Abs(x);
        return a >= 1e9 ? (x / 1e9).ToString("0.00", Inv) + "B"
             : a >= 1e6 ? (x / 1e6).ToString("0.0", Inv) + "M"
             : a >= 1e3 ? (x / 1e3).ToString("0.0", Inv) + "k"
             : x.ToString("0.00", Inv);
    }
}
