namespace ComputeEconomics.Calibration;

/// <summary>One dated public observation of a tidy data file (data/README.md).</summary>
/// <param name="File">The file it was read from.</param>
/// <param name="Row">Its row in the file (the header is row 1).</param>
/// <param name="Date">Observation date; a month-only date is the first of the month.</param>
/// <param name="Series">What is measured, e.g. gpu_rent.</param>
/// <param name="Generation">Accelerator generation (A100, H100, ...), or empty.</param>
/// <param name="Product">The product as the source names it.</param>
/// <param name="Vendor">Who quotes it.</param>
/// <param name="Contract">on_demand, spot, term_1y, term_3y, index, or empty.</param>
/// <param name="Value">A positive finite number in <paramref name="Unit"/>.</param>
/// <param name="Unit">Unit of the value.</param>
/// <param name="Source">The original source (vendor page, archive snapshot, article).</param>
/// <param name="Licence">Attribution and licence of the row.</param>
/// <param name="Note">Free text.</param>
public sealed record Observation(
    string File, int Row, DateOnly Date, string Series, string Generation, string Product, string Vendor,
    string Contract, double Value, string Unit, string Source, string Licence, string Note)
{
    /// <summary>Months since year 0 (year x 12 + month - 1): the time index of the monthly models.</summary>
    public int MonthIndex => Date.Year * 12 + Date.Month - 1;
}

/// <summary>Month arithmetic on "months since year 0" indices.</summary>
public static class Months
{
    /// <summary>The index of a YYYY-MM month.</summary>
    public static int Index(int year, int month) => year * 12 + month - 1;

    /// <summary>YYYY-MM of an index.</summary>
    public static string Format(int index) => $"{index / 12:D4}-{index % 12 + 1:D2}";

    /// <summary>The first day of the month of an index.</summary>
    public static DateOnly FirstDay(int index) => new(index / 12, index % 12 + 1, 1);

    /// <summary>Parse YYYY-MM (the month index), or null when the text is not a valid month.</summary>
    public static int? Parse(string text)
    {
        var t = text.Trim();
        if (t.Length != 7 || t[4] != '-') return null;
        if (!int.TryParse(t.AsSpan(0, 4), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int y)) return null;
        if (!int.TryParse(t.AsSpan(5, 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int m)) return null;
        if (y < 1900 || y > 2200 || m < 1 || m > 12) return null;
        return Index(y, m);
    }
}
