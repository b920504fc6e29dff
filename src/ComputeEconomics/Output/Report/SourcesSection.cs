using System.Globalization;
using System.Text.RegularExpressions;
using ComputeEconomics.Models.Fleet;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Output;

/// <summary>
/// Where the report's input figures come from, in the report itself: the hardware catalog entries a fleet run used (each
/// figure with its quote month and source), and the sections of docs/sources.md that the scenario file's notes cite by
/// number ("[2]"), with every row (value, source, date, type), so a reader without the repository can check a citation.
/// </summary>
public static partial class SourcesSection
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The name of the reference list in the repository and in the library's resources.</summary>
    public const string SourcesFile = "docs/sources.md";

    [GeneratedRegex(@"\[(\d{1,2})\]")]
    private static partial Regex Citation();

    [GeneratedRegex(@"^## (\d{1,2})\. (.+)$")]
    private static partial Regex Heading();

    /// <summary>docs/sources.md as built into this engine (null when the build has none).</summary>
    public static string? Text()
    {
        using var s = typeof(SourcesSection).Assembly.GetManifestResourceStream(SourcesFile);
        if (s == null) return null;
        using var reader = new StreamReader(s);
        return reader.ReadToEnd();
    }

    /// <summary>The section numbers cited as "[n]" in <paramref name="notes"/>, ascending.</summary>
    public static List<int> CitedSections(IEnumerable<string> notes) =>
        notes.SelectMany(n => Citation().Matches(n).Select(m => int.Parse(m.Groups[1].Value, Inv))).Distinct().Order().ToList();

    /// <summary>
    /// One table per section of <paramref name="sourcesMarkdown"/> cited in <paramref name="notes"/>: its heading and its
    /// rows as written (parameter, value, unit, source, date, type); a cited number with no such section is listed as missing.
    /// </summary>
    public static List<ReportTable> Cited(IEnumerable<string> notes, string? sourcesMarkdown)
    {
        var cited = CitedSections(notes);
        var tables = new List<ReportTable>();
        if (cited.Count == 0) return tables;
        var sections = sourcesMarkdown == null ? new Dictionary<int, (string, List<string[]>)>() : Sections(sourcesMarkdown);
        foreach (int n in cited)
        {
            if (!sections.TryGetValue(n, out var section))
            {
                tables.Add(new ReportTable($"Source [{n}]", $"The scenario cites [{n}], which {SourcesFile} of this engine does not have.",
                    Array.Empty<string>(), Array.Empty<IReadOnlyList<string>>(), "")
                { Prose = true });
                continue;
            }
            var (title, rows) = section;
            var header = rows[0];
            tables.Add(new ReportTable($"Source [{n}]: {title}",
                $"Section {n} of {SourcesFile} (engine {EngineVersion.Current}), which the notes in the inputs table cite as [{n}]; dates are the sources' publication dates.",
                header.Skip(1).Prepend(header[0]).ToList(), rows.Skip(1).Select(r => (IReadOnlyList<string>)r).ToList(),
                "Type: R reported fact or official figure; R2 reported, read in a secondary outlet; E estimate; D derived (working shown); LOW low-quality source.")
            { Prose = true });
        }
        return tables;
    }

    /// <summary>Each "## n. Title" section of the reference list with the rows of its first table (header first).</summary>
    private static Dictionary<int, (string Title, List<string[]> Rows)> Sections(string markdown)
    {
        var result = new Dictionary<int, (string, List<string[]>)>();
        int current = -1;
        foreach (var raw in markdown.Replace("\r\n", "\n").Split('\n'))
        {
            var h = Heading().Match(raw);
            if (h.Success)
            {
                current = int.Parse(h.Groups[1].Value, Inv);
                result[current] = (h.Groups[2].Value.Trim(), new List<string[]>());
                continue;
            }
            if (raw.StartsWith("## ", StringComparison.Ordinal)) { current = -1; continue; }
            if (current < 0 || !raw.StartsWith('|')) continue;
            var cells = raw.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells.All(c => c.Length > 0 && c.All(ch => ch is '-' or ':'))) continue;   // the |---| line
            var rows = result[current].Item2;
            if (rows.Count == 0 || cells.Length == rows[0].Length) rows.Add(cells);
        }
        return result.Where(kv => kv.Value.Item2.Count > 1).ToDictionary(kv => kv.Key, kv => kv.Value);
    }

    /// <summary>
    /// The catalog generations a fleet run used, each figure as the engine resolved it (built-in entries filled in, the
    /// scenario's own values kept) with its quote month and source; null for another kind or a scenario that does not load.
    /// </summary>
    public static ReportTable? Catalog(string scenarioYaml)
    {
        Scenario s;
        try { s = ScenarioLoader.FromTextWithUncertainty(scenarioYaml, "scenario.yaml").Scenario; }
        catch (InputException) { return null; }
        if (KindRules.Find(s.Model) is not Models.IModelKind { ReportsCatalog: true }) return null;
        List<GenerationSpec> catalog;
        try { catalog = FleetCompiler.ResolveCatalog(s); }
        catch (InputException) { return null; }
        if (catalog.Count == 0) return null;
        var rows = catalog.Select(g =>
        {
            // The quote as the scenario or the built-in catalog gives it; the engine carries it to the launch month along
            // the capex decline (FleetCompiler.LaunchPrice), which is the figure it uses.
            var given = s.Catalog?.FirstOrDefault(c => c.Name == g.Name);
            var built = BuiltInCatalog.Find(g.Name);
            double? quote = given?.UnitCapex ?? built?.UnitCapex;
            string? quoted = given?.UnitCapex != null ? given.PriceDate : given?.PriceDate ?? built?.PriceDate;
            return (IReadOnlyList<string>)new[]
            {
                g.Name, g.Launch ?? "-", N(quote, "N0"), quoted ?? "at launch", N(g.UnitCapex, "N0"), N(g.Perf, "0.00"), N(g.RentFactor, "0.00"),
                N(g.TokensPerSecond, "N0"), N(g.PowerKw, "0.000"), g.AnnualFailureRate is { } afr ? ComputeEconomics.Format.Percent(afr) : "-",
                N(g.PhysicalLifeMonths, "0"), g.CapexDecline is { } d ? ComputeEconomics.Format.Percent(d) : "-", g.Source ?? "(no source given)",
            };
        }).ToList();
        return new ReportTable("Hardware catalog as used",
            "Each generation the fleet could buy, with the figures the run used (a scenario's own catalog values kept, the rest from the built-in catalog, docs/catalog.md).",
            new[] { "generation", "launch", "capex quoted (USD per GPU)", "quote month", "capex at launch (USD per GPU)", "perf (H100 = 1)", "rent factor", "tokens/s",
                "kW per GPU", "annual failure rate", "life (months)", "capex decline per year", "source" },
            rows, "Capex at launch: the quote carried to the launch month along the capex decline, K (1 - d)^((launch - quote)/12), the price the engine " +
            "pays at launch (later purchases continue the decline). perf: tokens/s over H100's; rent factor: rent per perf unit against the price index; " +
            "tokens/s: serving model (docs/inference.md); kW: power per accelerator (docs/catalog.md).")
        { Prose = true };
    }

    private static string N(double? x, string format) => x is { } v ? ComputeEconomics.Format.Fixed(v, format) : "-";
}
