using ComputeEconomics.Tests.Inference;
using CsvHelper;

namespace ComputeEconomics.Tests.Headlines;

/// <summary>
/// Every observation under data/ is dated and sourced (data/README.md, "Licence and attribution"): each row of every
/// CSV file has a date, a source a reader can open (an https address, not "Unknown") and a licence or attribution.
/// </summary>
public class DataProvenanceTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        string root = Path.Combine(InferenceData.RepoRoot, "data");
        foreach (var f in Directory.EnumerateFiles(root, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(InferenceData.RepoRoot, f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void EveryRowHasADateASourceAndALicence(string file)
    {
        using var csv = CsvReader.Create(File.OpenRead(Path.Combine(InferenceData.RepoRoot, file)), new CsvReaderOptions(), false);
        csv.ReadHeader();
        var header = csv.Headers.ToArray();
        foreach (var column in new[] { "date", "source", "licence" })
            Assert.True(header.Contains(column), $"{file}: no '{column}' column (has {string.Join(", ", header)})");
        int line = 1, rows = 0;
        while (csv.Read())
        {
            line++; rows++;
            string Cell(string c) => csv.GetString(Array.IndexOf(header, c));
            Assert.False(string.IsNullOrWhiteSpace(Cell("date")), $"{file} line {line}: no date");
            Assert.False(string.IsNullOrWhiteSpace(Cell("licence")), $"{file} line {line}: no licence");
            Assert.True(Cell("source").StartsWith("https://", StringComparison.Ordinal) || Cell("source").StartsWith("http://", StringComparison.Ordinal),
                $"{file} line {line}: source '{Cell("source")}' is not an address a reader can open");
        }
        Assert.True(rows > 0, $"{file} has no rows");
    }

    /// <summary>data/README.md's table of files states each file's row count: every stated count is the file's, and
    /// every CSV file under data/ is listed.</summary>
    [Fact]
    public void TheDataReadmeListsEveryFileWithItsRowCount()
    {
        string root = Path.Combine(InferenceData.RepoRoot, "data");
        var stated = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(Path.Combine(root, "README.md")), @"(?m)^\| `([\w/.-]+\.csv)` \| (\d+) \|")
            .ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        foreach (var f in Directory.EnumerateFiles(root, "*.csv", SearchOption.AllDirectories))
        {
            string name = Path.GetRelativePath(root, f).Replace('\\', '/');
            Assert.True(stated.ContainsKey(name), $"data/README.md does not list {name}");
            using var csv = CsvReader.Create(File.OpenRead(f), new CsvReaderOptions(), false);
            csv.ReadHeader();
            int rows = 0;
            while (csv.Read()) rows++;
            Assert.True(stated[name] == rows, $"data/README.md says {name} has {stated[name]} rows; it has {rows}");
        }
    }
}
