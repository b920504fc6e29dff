using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Models.Sector;

/// <summary>Model kind sector (SPEC 7): the hyperscalers' AI capex against AI revenue.</summary>
public sealed class SectorKind : IModelKind
{
    /// <summary>
    /// The sector kernel's metrics, beside its indices (<see cref="SectorMetrics"/>), then one block per
    /// <see cref="SectorYearField"/> of years 1..T/12.
    /// </summary>
    public static readonly MetricTable Table = new(SectorMetrics.Count, new MetricDef[]
    {
        new("total_capex", SectorMetrics.TotalCapex, "USD", Better.None),
        new("total_ai_revenue", SectorMetrics.TotalAiRevenue, "USD", Better.Higher),
        new("cumulative_overstatement", SectorMetrics.CumulativeOverstatement, "USD", Better.Lower),
        new("final_gap", SectorMetrics.FinalGap, "USD", Better.Lower),
        new("gap_close_year", SectorMetrics.GapCloseYear, "year", Better.Lower),
        new("peak_capex_share_gdp", SectorMetrics.PeakCapexShareGdp, "fraction", Better.None),
        new("peak_gdp_contribution", SectorMetrics.PeakGdpContribution, "fraction", Better.None),
    }, new MetricFamily[]
    {
        new("capex_y{k}", SectorYearField.Capex, "USD", Better.None),
        new("ai_revenue_y{k}", SectorYearField.AiRevenue, "USD", Better.Higher),
        new("required_revenue_y{k}", SectorYearField.RequiredRevenue, "USD", Better.None),
        new("revenue_gap_y{k}", SectorYearField.RevenueGap, "USD", Better.Lower),
        new("book_depreciation_y{k}", SectorYearField.BookDepreciation, "USD", Better.None),
        new("economic_depreciation_y{k}", SectorYearField.EconomicDepreciation, "USD", Better.None),
        new("overstatement_y{k}", SectorYearField.Overstatement, "USD", Better.Lower),
        new("capex_share_gdp_y{k}", SectorYearField.CapexShareGdp, "fraction", Better.None),
        new("gdp_contribution_y{k}", SectorYearField.GdpContribution, "fraction", Better.None),
        new("gap_closed_by_year_{k}", SectorYearField.GapClosedBy, "flag", Better.Higher, "1 when AI revenue covers the required revenue by year k"),
    });

    public string Name => "sector";

    /// <summary>The sector model counts money in USD billions (docs/model.md, section 7).</summary>
    public string MoneyUnit => "USD bn";
    /// <summary>The sector's bands are yearly flows in USD billions (docs/model.md, section 7).</summary>
    public IReadOnlyDictionary<string, string> BandUnits { get; } = new[] { "capex", "ai_revenue", "required_revenue", "revenue_gap", "overstatement" }
        .ToDictionary(n => n, _ => "USD bn/year");
    public string Description => "the hyperscalers' AI capex against AI revenue, the \"$600B question\"";
    public int Order => 2;
    public MetricTable Metrics => Table;
    public string Headline => Table.Fixed[0].Name;
    public IReadOnlyList<string> MetricNames(Scenario s) => Table.Names(SectorCompiler.Years(s));
    public IReadOnlyList<NegativeEvent> DerivedEvents => Array.Empty<NegativeEvent>();
    public IEnumerable<ValidationError> Validate(Scenario s, bool fieldsValid) => SectorCompiler.Validate(s);
    public IModelJob Compile(Scenario s) => SectorCompiler.Compile(s);
    public IReadOnlyList<(string Label, string Text)> AnswerLines(IRunStatistics s) => SectorCompiler.AnswerLines(s);
}
