using System.Globalization;
using CsvHelper;

namespace ComputeEconomics.Tests.TestSupport;

/// <summary>
/// The public reference values in tests/TestData (each row names its source; TestData/README.md lists the
/// publications). Tests take their expected values from these files, never from the engine's output.
/// </summary>
internal static class ReferenceData
{
    /// <summary>One row of a reference file: cells by column name.</summary>
    public sealed class Row
    {
        private readonly Dictionary<string, string> _cells;
        public Row(Dictionary<string, string> cells) => _cells = cells;

        public string Text(string column) => _cells.TryGetValue(column, out var v)
            ? v : throw new KeyNotFoundException($"reference data has no column '{column}'");
        public bool Has(string column) => Text(column).Length > 0;
        public double Number(string column) => double.Parse(Text(column), NumberStyles.Float, CultureInfo.InvariantCulture);
        public int Integer(string column) => int.Parse(Text(column), CultureInfo.InvariantCulture);
        public uint Hex(string column) => uint.Parse(Text(column), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        public bool Flag(string column) => bool.Parse(Text(column));
        /// <summary>A list of numbers written space-separated in one cell.</summary>
        public double[] Numbers(string column) => Text(column).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(x => double.Parse(x, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
        /// <summary>Half a unit in the last printed decimal: the tolerance the source's rounding allows.</summary>
        public double HalfUlpOfPrint => 0.5 * Math.Pow(10, -Integer("decimals"));
        public override string ToString() => string.Join(", ", _cells.Where(c => c.Key != "source").Select(c => $"{c.Key}={c.Value}"));
    }

    public static IReadOnlyList<Row> Load(string file)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "TestData", file);
        using var csv = CsvReader.Create(File.OpenRead(path), new CsvReaderOptions(), false);
        csv.ReadHeader();
        var header = csv.Headers.ToArray();
        var rows = new List<Row>();
        while (csv.Read())
            rows.Add(new Row(header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => csv.GetString(x.i))));
        return rows;
    }

    /// <summary>Rows of <paramref name="file"/> whose column <paramref name="column"/> is <paramref name="value"/>.</summary>
    public static IReadOnlyList<Row> Where(string file, string column, string value) =>
        Load(file).Where(r => r.Text(column) == value).ToList();

    /// <summary>Row indices for a [MemberData] theory over the rows of <paramref name="file"/> matching a column.</summary>
    public static TheoryData<int> Indices(string file, string column, string value)
    {
        var data = new TheoryData<int>();
        var all = Load(file);
        for (int i = 0; i < all.Count; i++)
            if (all[i].Text(column) == value) data.Add(i);
        return data;
    }
}
