using System.Globalization;
using ComputeEconomics.Tests.Calibration;
using ComputeEconomics.Tests.TestSupport;
using Microsoft.VisualBasic.FileIO;

namespace ComputeEconomics.Tests.Readers;

/// <summary>
/// `ce calibrate price`'s backtest.csv read back by an independent RFC 4180 reader (.NET's TextFieldParser, not the
/// engine's CsvText): a source with a comma, a quote and a line break stays one field (RFC 4180 section 2, rules 6-7),
/// every record has the header's field count (rule 4), and each observation's value reads back as the number in the data.
/// </summary>
public sealed class CalibrationCsvReaderTests
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    // One source with a comma, a quote and a line break; one with only a line break (quoted for it alone, rule 6).
    private static readonly string[] Sources = { "vendor page, \"list\" price\nsecond line", "line one\nline two" };

    private static List<string[]> Read(string file)
    {
        using var parser = new TextFieldParser(file) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false };
        parser.SetDelimiters(",");
        var rows = new List<string[]>();
        while (!parser.EndOfData) rows.Add(parser.ReadFields()!);
        return rows;
    }

    private static string Quote(string s) => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [Fact]
    public void BacktestCsvQuotesLineBreaksAndKeepsEveryDigitOfTheData()
    {
        string dir = Directory.CreateTempSubdirectory("ce-readers-cal-").FullName;
        try
        {
            var data = Read(DataFiles.Path("gpu_rents.csv"));
            string[] header = data[0];
            int date = Array.IndexOf(header, "date"), gen = Array.IndexOf(header, "generation"), value = Array.IndexOf(header, "value"), source = Array.IndexOf(header, "source");
            var written = new Dictionary<double, int>();
            int n = 0;
            foreach (var row in data.Skip(1).Where(r => r[gen] == "H100" && string.CompareOrdinal(r[date], "2024-07") >= 0 && string.CompareOrdinal(r[date], "2025-07") < 0))
            {
                // Nine significant digits: more than a 6-digit format keeps.
                double v = Math.Round(double.Parse(row[value], Inv) + 0.000123457, 9);
                row[value] = v.ToString("R", Inv);
                row[source] = Sources[n++ % 2];
                written[v] = written.GetValueOrDefault(v) + 1;
            }
            Assert.NotEmpty(written);
            string file = Path.Combine(dir, "rents.csv");
            File.WriteAllText(file, string.Join("\n", data.Select(r => string.Join(",", r.Select(Quote)))) + "\n");

            string outDir = Path.Combine(dir, "out");
            var r = CeProcess.Run(new[] { "calibrate", "price", "--data", file, "--generation", "H100", "--until", "2024-06",
                                          "--horizon-months", "12", "--out", outDir }, timeoutSeconds: 300);
            Assert.True(r.ExitCode == 0, r.ToString());

            var back = Read(Path.Combine(outDir, "backtest.csv"));
            int fields = back[0].Length, bValue = Array.IndexOf(back[0], "value"), bSource = Array.IndexOf(back[0], "source");
            Assert.True(bValue >= 0 && bSource >= 0, string.Join(",", back[0]));
            Assert.All(back, row => Assert.Equal(fields, row.Length));
            var ours = back.Skip(1).Where(row => Sources.Contains(row[bSource])).ToList();
            Assert.All(Sources, s => Assert.Contains(ours, row => row[bSource] == s));
            foreach (var row in ours)
                Assert.True(written.ContainsKey(double.Parse(row[bValue], Inv)), $"value {row[bValue]} is not one the data held ({string.Join(", ", written.Keys)})");
            // forecast.csv: finite numbers, none written as a token a number parser rejects.
            foreach (var row in Read(Path.Combine(outDir, "forecast.csv")).Skip(1))
                Assert.All(row.Skip(1), cell => Assert.True(double.TryParse(cell, NumberStyles.Float, Inv, out double x) && double.IsFinite(x), cell));
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
