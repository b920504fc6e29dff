using System.Globalization;

namespace ComputeEconomics.Calibration;

/// <summary>
/// Reads a tidy observation file (data/README.md). Every bad value is reported at once as an
/// <see cref="InputException"/> whose errors name the file, the row (header = row 1), the column, the value and the rule.
/// </summary>
public static class ObservationLoader
{
    /// <summary>The columns every file must have, in any order.</summary>
    public static readonly string[] Columns =
        { "date", "series", "generation", "product", "vendor", "contract", "value", "unit", "source", "licence", "note" };

    /// <summary>The allowed contract kinds of rents.</summary>
    public static readonly string[] Contracts = { "on_demand", "spot", "term_1y", "term_3y", "index" };

    /// <summary>Every observation of <paramref name="path"/>, or an <see cref="InputException"/> listing every bad value.</summary>
    public static IReadOnlyList<Observation> Load(string path) => DataCsv.Load<Observation>(path, Columns, ParseRow);

    /// <summary>Parse CSV text read from <paramref name="reader"/>; <paramref name="file"/> names it in errors.</summary>
    public static IReadOnlyList<Observation> Parse(TextReader reader, string file) => DataCsv.Parse<Observation>(reader, file, Columns, ParseRow);

    private static Observation? ParseRow(string file, int row, Func<string, string> get, List<ValidationError> errors)
    {
        int before = errors.Count;
        void Bad(string column, string value, string rule) =>
            errors.Add(new ValidationError($"{file}: row {row}, column {column}", value.Length == 0 ? "(empty)" : value, rule));

        string dateText = get("date");
        var date = ParseDate(dateText);
        if (date is null) Bad("date", dateText, "must be a date YYYY-MM-DD or a month YYYY-MM");
        string series = get("series");
        if (series.Length == 0 || !series.All(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            Bad("series", series, "must be a non-empty name of lower-case letters, digits and _");
        bool rent = series.StartsWith("gpu_rent", StringComparison.Ordinal);
        string contract = get("contract");
        if (contract.Length > 0 && !Contracts.Contains(contract))
            Bad("contract", contract, $"must be one of {string.Join(", ", Contracts)} (or empty outside rents)");
        if (rent && contract.Length == 0) Bad("contract", contract, $"is required for a rent: one of {string.Join(", ", Contracts)}");
        if (rent && get("generation").Length == 0) Bad("generation", "", "is required for a rent");
        if (rent && get("vendor").Length == 0) Bad("vendor", "", "is required for a rent");
        string valueText = get("value");
        bool ok = double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out double value);
        if (!ok || !double.IsFinite(value) || value <= 0) Bad("value", valueText, "must be a positive finite number");
        foreach (var required in new[] { "unit", "source", "licence" })
            if (get(required).Length == 0) Bad(required, "", "is required on every row");
        if (errors.Count > before) return null;
        return new Observation(file, row, date!.Value, series, get("generation"), get("product"), get("vendor"), contract,
            value, get("unit"), get("source"), get("licence"), get("note"));
    }

    /// <summary>YYYY-MM-DD, or YYYY-MM as the first of the month; null when neither.</summary>
    public static DateOnly? ParseDate(string text)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        if (Months.Parse(text) is int m) return Months.FirstDay(m);
        return null;
    }
}
