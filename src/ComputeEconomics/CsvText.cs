using System.Globalization;
using CsvHelper;

namespace ComputeEconomics;

/// <summary>
/// Every CSV the program writes or reads goes through CsvHelper (RFC 4180: a field with a comma, a quote or a line
/// break is quoted), with "\n" line ends and the invariant culture. Numbers are written by <see cref="Number"/>:
/// round-trip text, empty for an absent (NaN) or non-finite value, so "Infinity" never appears in a CSV.
/// </summary>
public static class CsvText
{
    private static readonly CsvWriterOptions WriterOptions = new()
    {
        NewLine = "\n",
        ValidateFieldCount = false,
    };

    private static readonly CsvReaderOptions ReaderOptions = new()
    {
        Separator = ',',
        HasHeader = false,
        DetectSeparatorHint = false,
        MalformedData = CsvMalformedDataHandling.Throw,
        TrackLineNumbers = true,
    };

    /// <summary>A CSV of <paramref name="header"/> and <paramref name="rows"/> (each a list of fields), ending in a newline.</summary>
    public static string Write(IEnumerable<string> header, IEnumerable<IEnumerable<string>> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, WriterOptions, leaveOpen: true))
        {
            csv.WriteRecord(header.ToArray());
            foreach (var row in rows) csv.WriteRecord(row.ToArray());
        }
        return text.ToString();
    }

    /// <summary>One CSV line of <paramref name="fields"/>, with its newline.</summary>
    public static string Line(IEnumerable<string> fields) => Write(fields, Array.Empty<IEnumerable<string>>());

    /// <summary>
    /// The records of <paramref name="text"/> (the header first), each with the 1-based line where it starts;
    /// <see cref="FormatException"/> for malformed quoting.
    /// </summary>
    public static List<(string[] Fields, int Line)> Read(string text)
    {
        var records = new List<(string[], int)>();
        try
        {
            using var csv = CsvReader.Create(new StringReader(text), ReaderOptions, leaveOpen: false);
            while (csv.Read()) records.Add((csv.Current.ToArray(), (int)csv.LineNumber));
        }
        catch (CsvFormatException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
        return records;
    }

    /// <summary>Invariant round-trip text of a number; empty when it is NaN (absent) or infinite (out of range).</summary>
    public static string Number(double x) => double.IsFinite(x) ? x.ToString("R", CultureInfo.InvariantCulture) : "";

    /// <summary>
    /// A value stored as float32 (the per-month band series), at float32 precision: the shortest text that reads back
    /// to the same float, without the noise digits of its double widening; empty when absent or beyond float32's range.
    /// </summary>
    public static string Float(double x)
    {
        float f = (float)x;
        if (!float.IsFinite(f)) return "";
        // The float's shortest digits, written as a double (plain digits up to 1e15, like every other number).
        return double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>A cell read back: empty is NaN (absent); otherwise an invariant finite number, or null when it is not one.</summary>
    public static double? Parse(string cell)
    {
        if (cell.Length == 0) return double.NaN;
        return double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v : null;
    }
}
