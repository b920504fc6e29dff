using System.Globalization;

namespace ComputeEconomics;

/// <summary>Number formats shared by every layer: CSV cells and compact money.</summary>
public static class Format
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>An invariant round-trip number for CSV; empty for NaN (absent).</summary>
    public static string Csv(double x) => CsvText.Number(x);

    /// <summary>Compact money: 1.23B, 45.6M; a value that rounds to zero is "0.00", never "-0.00".</summary>
    public static string Money(double x)
    {
        if (double.IsNaN(x)) return "-";
        double a = Math.Abs(x);
        return a >= 1e9 ? (x / 1e9).ToString("0.00", Inv) + "B"
             : a >= 1e6 ? (x / 1e6).ToString("0.0", Inv) + "M"
             : a >= 1e3 ? (x / 1e3).ToString("0.0", Inv) + "k"
             : Fixed(x, "0.00");
    }

    /// <summary>
    /// A fraction as a percentage with one decimal, "15.4 %" (<see cref="PercentNumber"/>): the one rounding every answer
    /// line, report and table uses (0.1825, 365 of 2,000 paths, is "18.3 %" everywhere); "-" for NaN.
    /// </summary>
    public static string Percent(double fraction) => double.IsFinite(fraction) ? PercentNumber(fraction) + " %" : "-";

    /// <summary>
    /// 100 x <paramref name="fraction"/> with <paramref name="decimals"/> decimals, rounded half away from zero in decimal
    /// arithmetic on the fraction's 15 significant digits, so a share of paths k/n rounds as the exact ratio does (the
    /// double product 100 x 0.1825 may land either side of 18.25); never "-0.0"; "-" for NaN or an infinity.
    /// </summary>
    public static string PercentNumber(double fraction, int decimals = 1)
    {
        if (!double.IsFinite(fraction)) return "-";
        string format = "F" + decimals.ToString(Inv);
        if (Math.Abs(fraction) >= 1e20) return Fixed(100 * fraction, format);
        return Fixed(Math.Round((decimal)fraction * 100m, decimals, MidpointRounding.AwayFromZero), format);
    }

    /// <summary><paramref name="x"/> in the fixed-point <paramref name="format"/>, without the sign of a value that
    /// rounds to zero ("-0.00" and "-0" are not numbers a reader can use).</summary>
    public static string Fixed(double x, string format) => Unsigned(x.ToString(format, Inv));

    private static string Fixed(decimal x, string format) => Unsigned(x.ToString(format, Inv));

    private static string Unsigned(string s) => s.Length > 1 && s[0] == '-' && s.AsSpan(1).IndexOfAnyExcept("0.,") < 0 ? s[1..] : s;
}
