using System.Globalization;

namespace ComputeEconomics.Calibration;

/// <summary>One figure of data/company_filings.csv: what a company filed, where (filing, page or note, date) and who
/// the project read it from.</summary>
public sealed record CompanyFiling(string File, int Row, DateOnly Date, string Company, string Figure, double Value, string Unit,
    string Filing, string PageOrNote, DateOnly FiledDate, string Source, string Licence, string Note)
{
    /// <summary>True when the figure was read in the filing itself (its SEC rendering), false when a secondary source quotes it.</summary>
    public bool ReadInFiling => Note.StartsWith("read in the filing", StringComparison.Ordinal);
}

/// <summary>
/// Reads data/company_filings.csv (data/README.md): every bad value is reported at once as an <see cref="InputException"/>
/// naming the file, the row (header = row 1), the column, the value and the rule. Every row must cite its filing, page or
/// note, filing date and source address, and say in its note whether the figure was read in the filing or quoted by a
/// secondary source.
/// </summary>
public static class FilingLoader
{
    /// <summary>The columns the file must have, in any order.</summary>
    public static readonly string[] Columns =
        { "date", "company", "figure", "value", "unit", "filing", "page_or_note", "filed_date", "source", "licence", "note" };

    /// <summary>Every figure of <paramref name="path"/>, or an <see cref="InputException"/> listing every bad value.</summary>
    public static IReadOnlyList<CompanyFiling> Load(string path) => DataCsv.Load<CompanyFiling>(path, Columns, ParseRow);

    /// <summary>Parse CSV text read from <paramref name="reader"/>; <paramref name="file"/> names it in errors.</summary>
    public static IReadOnlyList<CompanyFiling> Parse(TextReader reader, string file) => DataCsv.Parse<CompanyFiling>(reader, file, Columns, ParseRow);

    private static CompanyFiling? ParseRow(string file, int row, Func<string, string> get, List<ValidationError> errors)
    {
        int before = errors.Count;
        void Bad(string column, string value, string rule) =>
            errors.Add(new ValidationError($"{file}: row {row}, column {column}", value.Length == 0 ? "(empty)" : value, rule));

        var date = ObservationLoader.ParseDate(get("date"));
        if (date is null) Bad("date", get("date"), "must be a date YYYY-MM-DD or a month YYYY-MM");
        var filed = ObservationLoader.ParseDate(get("filed_date"));
        if (filed is null) Bad("filed_date", get("filed_date"), "must be a date YYYY-MM-DD or a month YYYY-MM");
        string figure = get("figure");
        if (figure.Length == 0 || !figure.All(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            Bad("figure", figure, "must be a non-empty name of lower-case letters, digits and _");
        string valueText = get("value");
        bool ok = double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out double value);
        if (!ok || !double.IsFinite(value) || value <= 0) Bad("value", valueText, "must be a positive finite number");
        foreach (var required in new[] { "company", "unit", "filing", "page_or_note", "licence" })
            if (get(required).Length == 0) Bad(required, "", "is required on every row: no figure without its filing, page or note and licence");
        string source = get("source");
        if (!source.StartsWith("https://", StringComparison.Ordinal) && !source.StartsWith("http://", StringComparison.Ordinal))
            Bad("source", source, "must be the address (http or https) the figure was read at");
        string note = get("note");
        if (!note.StartsWith("read in the filing", StringComparison.Ordinal) && !note.StartsWith("secondary: ", StringComparison.Ordinal))
            Bad("note", note, "must start with 'read in the filing' or 'secondary: ' and name the outlet that quotes the filing");
        if (date is not null && filed is not null && filed.Value < date.Value.AddYears(-1))
            Bad("filed_date", get("filed_date"), $"must not be more than a year before the figure's date {get("date")} (guidance is filed before its period, a fact after it)");
        if (errors.Count > before) return null;
        return new CompanyFiling(file, row, date!.Value, get("company"), figure, value, get("unit"), get("filing"), get("page_or_note"),
            filed!.Value, source, get("licence"), note);
    }

    /// <summary>The value of the one row of <paramref name="company"/>, <paramref name="figure"/> dated <paramref name="date"/>
    /// (YYYY-MM-DD or YYYY-MM), or an exception naming what is missing.</summary>
    public static CompanyFiling Find(IEnumerable<CompanyFiling> rows, string company, string figure, string date)
    {
        var d = ObservationLoader.ParseDate(date) ?? throw new ArgumentException($"bad date {date}", nameof(date));
        var hits = rows.Where(r => r.Company == company && r.Figure == figure && r.Date == d).ToList();
        if (hits.Count != 1) throw new InvalidOperationException($"{hits.Count} rows of {company} {figure} dated {date} in data/company_filings.csv; expected one");
        return hits[0];
    }
}
