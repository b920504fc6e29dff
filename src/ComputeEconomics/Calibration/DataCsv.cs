using CsvHelper;

namespace ComputeEconomics.Calibration;

/// <summary>
/// The tidy data files of data/ read by CsvHelper: a header naming every required column (in any order), then rows
/// of the header's field count; every bad row or value reported at once as an <see cref="InputException"/> naming the
/// file, the row (header = row 1), the column, the value and the rule.
/// </summary>
public static class DataCsv
{
    /// <summary>A row parser: (file, row, value of a column by name, the error list) to a record, or null when the row is bad.</summary>
    public delegate T? RowParser<T>(string file, int row, Func<string, string> get, List<ValidationError> errors) where T : class;

    /// <summary>The largest data file read: 64 MiB (data/gpu_rents.csv is about 0.2 MiB).</summary>
    public const int MaxFileBytes = 64 << 20;

    /// <summary>
    /// Every row of <paramref name="path"/> parsed by <paramref name="parse"/>. The file is read like a scenario file
    /// (<see cref="InputFiles"/>): at most <see cref="MaxFileBytes"/> from any stream (/dev/zero is refused at the limit,
    /// not read until memory runs out), strict UTF-8 after an optional byte-order mark; a missing file, a folder, an
    /// unreadable or too large file is an <see cref="InputException"/> naming "--data", the path and the rule.
    /// </summary>
    public static IReadOnlyList<T> Load<T>(string path, IReadOnlyList<string> columns, RowParser<T> parse) where T : class
    {
        if (Directory.Exists(path)) throw new InputException("--data", path, "is a folder: give a CSV file such as data/gpu_rents.csv");
        if (!File.Exists(path)) throw new InputException("--data", path, "file not found");
        string text;
        try
        {
            text = InputFiles.ReadText(path, MaxFileBytes);
        }
        catch (InputException ex)
        {
            throw new InputException(ex.Errors.Select(e => new ValidationError("--data", $"{path} {e.Value}", e.Rule)).ToList());
        }
        using var reader = new StringReader(text);
        return Parse(reader, path, columns, parse);
    }

    /// <summary>Every row of the CSV text read from <paramref name="reader"/>; <paramref name="file"/> names it in errors.</summary>
    public static IReadOnlyList<T> Parse<T>(TextReader reader, string file, IReadOnlyList<string> columns, RowParser<T> parse) where T : class
    {
        var options = new CsvReaderOptions
        {
            Separator = ',', TrackLineNumbers = true, TrimWhitespace = true,
            MalformedData = CsvMalformedDataHandling.Throw, FieldCountMismatch = CsvFieldCountHandling.Allow,
        };
        using var csv = CsvReader.Create(reader, options, leaveOpen: true);
        var errors = new List<ValidationError>();
        var result = new List<T>();
        try
        {
            csv.ReadHeader();
            var header = csv.Headers;
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < header.Count; i++)
            {
                // A repeated column used to be read from its last copy without a word.
                if (!index.TryAdd(header[i].Trim(), i) && columns.Contains(header[i].Trim()))
                    errors.Add(new ValidationError($"{file}: row 1 (header)", header[i].Trim(), $"is a column name given twice (columns {index[header[i].Trim()] + 1} and {i + 1})"));
            }
            foreach (var c in columns)
                if (!index.ContainsKey(c))
                    errors.Add(new ValidationError($"{file}: row 1 (header)", header.Count == 0 ? "(empty)" : string.Join(",", header), $"has no column '{c}'"));
            if (errors.Count > 0) throw new InputException(errors);
            while (csv.Read())
            {
                int row = (int)csv.LineNumber;
                if (csv.FieldCount != header.Count)
                {
                    errors.Add(new ValidationError($"{file}: row {row}", $"{csv.FieldCount} fields", $"must have {header.Count} fields like the header"));
                    continue;
                }
                if (parse(file, row, c => csv.GetString(index[c]).Trim(), errors) is { } item) result.Add(item);
            }
        }
        catch (CsvFormatException ex)
        {
            errors.Add(new ValidationError(file, "(malformed CSV)", ex.Message));
        }
        if (errors.Count > 0) throw new InputException(errors);
        return result;
    }
}
