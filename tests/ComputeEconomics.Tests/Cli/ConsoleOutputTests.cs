using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.TestSupport;
using Microsoft.VisualBasic.FileIO;

namespace ComputeEconomics.Tests.Cli;

/// <summary>Piped console output: the width (COLUMNS, else no wrapping), numbers never split; `ce catalog --json/--csv`.</summary>
public class ConsoleOutputTests
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static IsolatedProcess.Result Ce(string? columns, params string[] args)
    {
        var psi = CeProcess.StartInfo(args);
        psi.Environment.Remove("COLUMNS");
        if (columns != null) psi.Environment["COLUMNS"] = columns;
        return CeProcess.Execute(psi, TimeSpan.FromSeconds(60));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("120")]
    [InlineData("100")]
    [InlineData("60")]
    public void PipedCatalogKeepsEveryNumberWholeWithinCOLUMNS(string? columns)
    {
        var r = Ce(columns, "catalog");
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.StdOut.Split('\n');
        if (columns != null)
        {
            int width = int.Parse(columns, Inv);
            Assert.All(lines, l => Assert.True(l.TrimEnd().Length <= width, $"{l.TrimEnd().Length} > {width}: {l}"));
        }
        foreach (var e in BuiltInCatalog.Entries)
        {
            // Each figure appears whole: not preceded or followed by more of a number.
            foreach (var figure in new[] { e.UnitCapex!.Value.ToString("N0", Inv), e.TokensPerSecond!.Value.ToString("N0", Inv), e.PowerKw!.Value.ToString("0.000", Inv), e.Launch! })
                Assert.Matches($@"(?<![\d,.]){Regex.Escape(figure)}(?![\d,.])", r.StdOut);
        }
        if (columns == null)
        {
            // Without COLUMNS a pipe gets one line per entry, the source included.
            foreach (var e in BuiltInCatalog.Entries)
                Assert.Single(lines, l => l.Contains($" {e.Name} ", StringComparison.Ordinal) && l.Contains(e.Source!, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void CatalogJsonHasEveryEntryWithItsFiguresUnformatted()
    {
        var r = Ce(null, "catalog", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.StdOut);
        var items = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(BuiltInCatalog.Entries.Count, items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            var e = BuiltInCatalog.Entries[i];
            Assert.Equal(e.Name, items[i].GetProperty("name").GetString());
            Assert.Equal(e.Launch, items[i].GetProperty("launch").GetString());
            Assert.Equal(e.UnitCapex!.Value, items[i].GetProperty("unit_capex_usd").GetDouble());
            Assert.Equal(e.AnnualFailureRate!.Value, items[i].GetProperty("annual_failure_rate").GetDouble());
            Assert.Equal(e.PhysicalLifeMonths, items[i].GetProperty("physical_life_months").GetInt32());
            Assert.Equal(e.Source, items[i].GetProperty("source").GetString());
        }
    }

    [Fact]
    public void CatalogCsvParsesBackToTheEntries()
    {
        var r = Ce(null, "catalog", "--csv");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var parser = new TextFieldParser(new StringReader(r.StdOut)) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        var header = parser.ReadFields()!;
        Assert.Equal("name", header[0]);
        var rows = new List<string[]>();
        while (!parser.EndOfData) rows.Add(parser.ReadFields()!);
        Assert.Equal(BuiltInCatalog.Entries.Count, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            var e = BuiltInCatalog.Entries[i];
            var row = header.Zip(rows[i]).ToDictionary(p => p.First, p => p.Second);
            Assert.Equal(e.Name, row["name"]);
            Assert.Equal(e.PowerKw, double.Parse(row["power_kw"], Inv));
            Assert.Equal(e.CapexDecline, double.Parse(row["capex_decline_per_year"], Inv));
            Assert.Equal(e.Source, row["source"]);
        }
    }

    [Fact]
    public void JsonAndCsvTogetherAreBadInput()
    {
        var r = Ce(null, "catalog", "--json", "--csv");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--json and --csv", r.StdErr);
    }

    [Theory]
    [InlineData("120", false, 120)]
    [InlineData("120", true, 120)]
    [InlineData(null, true, ComputeEconomics.Cli.Cli.RedirectedWidth)]
    [InlineData("wide", true, ComputeEconomics.Cli.Cli.RedirectedWidth)]
    [InlineData("5", true, ComputeEconomics.Cli.Cli.RedirectedWidth)]
    [InlineData(null, false, null)]
    public void WidthIsCOLUMNSElseUnwrappedWhenRedirected(string? columns, bool redirected, int? expected) =>
        Assert.Equal(expected, ComputeEconomics.Cli.Cli.Width(columns, redirected));

    [Fact]
    public void RunTablesFitCOLUMNS()
    {
        var r = Ce("110", "run", "--paths", "100", "--backend", "cpu");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.All(r.StdOut.Split('\n'), l => Assert.True(l.TrimEnd().Length <= 110, $"{l.TrimEnd().Length} > 110: {l}"));
        Assert.Contains(r.StdOut.Split('\n'), l => l.TrimStart().StartsWith("npv ", StringComparison.Ordinal) && l.Contains("USD", StringComparison.Ordinal));
    }
}
