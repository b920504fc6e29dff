using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ComputeEconomics.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Rendering;

namespace ComputeEconomics.Cli.Commands;

/// <summary>`ce scenarios`: the built-in scenario library, one line each.</summary>
public sealed class ScenariosCommand : Command<ScenariosCommand.Settings>
{
    public sealed class Settings : CommandSettings { }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        foreach (var name in ScenarioLoader.EmbeddedNames())
        {
            var s = ScenarioLoader.Load(name);
            string mark = name == ScenarioLoader.DefaultName ? " (default)" : "";
            Console.WriteLine($"{name,-22} {s.Model,-7} {s.Question}{mark}");
        }
        return Cli.Ok;
    }
}

/// <summary>`ce catalog`: the built-in hardware catalog, as a table, or as JSON or CSV for scripts.</summary>
public sealed class CatalogCommand : Command<CatalogCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--json"), Description("Print the catalog as a JSON array (one object per entry, numbers unformatted)")]
        public bool Json { get; init; }

        [CommandOption("--csv"), Description("Print the catalog as CSV (a header row, then one row per entry, numbers unformatted)")]
        public bool Csv { get; init; }

        public override ValidationResult Validate() =>
            Json && Csv ? ValidationResult.Error("--json and --csv: give one of them") : ValidationResult.Success();
    }

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Machine-readable column names, in table order, with each entry's value.</summary>
    public static readonly (string Name, Func<GenerationSpec, object> Value)[] Fields =
    {
        ("name", e => e.Name), ("launch", e => e.Launch ?? ""), ("unit_capex_usd", e => e.UnitCapex.GetValueOrDefault()),
        ("price_date", e => e.PriceDate ?? e.Launch ?? ""), ("perf_h100_equivalents", e => e.Perf.GetValueOrDefault()),
        ("rent_factor", e => e.RentFactor.GetValueOrDefault(1)), ("tokens_per_second", e => e.TokensPerSecond.GetValueOrDefault()),
        ("power_kw", e => e.PowerKw.GetValueOrDefault()), ("annual_failure_rate", e => e.AnnualFailureRate.GetValueOrDefault()),
        ("interruption_rate", e => e.InterruptionRate.GetValueOrDefault()),
        ("physical_life_months", e => e.PhysicalLifeMonths.GetValueOrDefault()),
        ("capex_decline_per_year", e => e.CapexDecline.GetValueOrDefault()), ("source", e => e.Source ?? ""),
    };

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Json) Console.Out.Write(JsonText(BuiltInCatalog.Entries));
        else if (settings.Csv) Console.Out.Write(CsvText(BuiltInCatalog.Entries));
        else Cli.Out.Write(Render(BuiltInCatalog.Entries, Cli.Out.Profile.Width));
        return Cli.Ok;
    }

    private static readonly string[] Headings =
        { "name", "launch", "capex $", "quoted", "perf", "rent", "tok/s", "kW", "AFR", "intr/yr", "life mo", "decline/yr" };

    private static string[] Cells(GenerationSpec e) => new[]
    {
        e.Name, e.Launch ?? "", e.UnitCapex.GetValueOrDefault().ToString("N0", Inv), e.PriceDate ?? "launch",
        e.Perf.GetValueOrDefault().ToString("0.00", Inv), e.RentFactor.GetValueOrDefault(1).ToString("0.00", Inv),
        e.TokensPerSecond.GetValueOrDefault().ToString("N0", Inv), e.PowerKw.GetValueOrDefault().ToString("0.000", Inv),
        e.AnnualFailureRate.GetValueOrDefault().ToString("P1", Inv), e.InterruptionRate.GetValueOrDefault().ToString("0.000", Inv),
        e.PhysicalLifeMonths.GetValueOrDefault().ToString(Inv),
        e.CapexDecline.GetValueOrDefault().ToString("P0", Inv),
    };

    /// <summary>
    /// The catalog for reading within <paramref name="width"/> columns: a table whose numbers never wrap (only the source
    /// column does) when the number columns and 20 columns of source fit; else one block per entry, wrapped between words.
    /// </summary>
    public static IRenderable Render(IReadOnlyList<GenerationSpec> entries, int width)
    {
        var cells = entries.Select(Cells).ToList();
        int numbers = Enumerable.Range(0, Headings.Length).Sum(i => cells.Select(c => c[i].Length).Append(Headings[i].Length).Max() + 3);
        string caption = "quoted: month of the capex quote; perf: tokens/s over H100's (the $/GPU-hour unit); rent: rent per perf unit against the price index, from quoted rents; "
            + "AFR: permanent annual failure rate; intr/yr: job interruptions per accelerator-year; life: physical life; decline: unit capex decline per year; "
            + BuiltInCatalog.TokenRateProvenance;
        if (numbers + 20 <= width)
        {
            var table = new Table().Border(TableBorder.Simple).Caption(caption);
            foreach (var h in Headings) table.AddColumn(new TableColumn(h).NoWrap());
            table.AddColumn("source");
            for (int k = 0; k < entries.Count; k++)
                table.AddRow(cells[k].Append(entries[k].Source ?? "").Select(x => (IRenderable)new Text(x)).ToArray());
            return table;
        }
        var rows = new List<IRenderable>();
        for (int k = 0; k < entries.Count; k++)
        {
            // Numbers without spaces ("9.1%"), so that wrapping between words never splits one.
            var parts = Headings.Skip(1).Select((h, i) => $"{h} {cells[k][i + 1].Replace(" %", "%")}");
            rows.Add(new Text($"{entries[k].Name}: {string.Join("; ", parts)}; source: {entries[k].Source}\n"));
        }
        rows.Add(new Text(caption));
        return new Rows(rows);
    }

    /// <summary>A JSON array of objects keyed by <see cref="Fields"/>; numbers round-trip.</summary>
    public static string JsonText(IEnumerable<GenerationSpec> entries)
    {
        var list = entries.Select(e => Fields.ToDictionary(f => f.Name, f => f.Value(e))).ToList();
        return JsonSerializer.Serialize(list, new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>RFC 4180 CSV: a header of <see cref="Fields"/>, invariant round-trip numbers, text quoted when it holds a comma, quote or line break.</summary>
    public static string CsvText(IEnumerable<GenerationSpec> entries)
    {
        var sb = new StringBuilder(string.Join(',', Fields.Select(f => f.Name))).Append('\n');
        foreach (var e in entries)
            sb.Append(string.Join(',', Fields.Select(f => Cell(f.Value(e))))).Append('\n');
        return sb.ToString();
    }

    private static string Cell(object v)
    {
        string t = v switch { double d => d.ToString("R", Inv), int i => i.ToString(Inv), _ => v.ToString() ?? "" };
        return t.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 ? "\"" + t.Replace("\"", "\"\"") + "\"" : t;
    }
}
