namespace ComputeEconomics.Scenarios;

/// <summary>
/// Model kind sector (SPEC 7): the four hyperscalers' capex against the AI revenue it must earn, in years
/// (horizon_months a multiple of 12; year 1 starts at `start`). Money in USD billions. The market section's
/// regime chain sets each year's bust share. Equations: docs/model.md section 7.
/// </summary>
public sealed record SectorSpec
{
    [Doc("Capex of the first years as reported or guided, USD billions per year (year 1 first); later years grow stochastically")]
    public List<double> CapexReported { get; init; } = new() { 151, 246 };
    [Doc("Capex growth per year after the reported years, normal regime (expected growth; log drift ln(1+g) - sigma^2/2)"), Range(-0.99, 10)]
    public double CapexGrowth { get; init; } = 0.2;
    [Doc("Capex growth per year, bust regime"), Range(-0.99, 10)]
    public double CapexGrowthBust { get; init; } = -0.3;
    [Doc("sigma of ln capex per sqrt(year)"), Range(0, 5)]
    public double CapexVolatility { get; init; } = 0.15;
    [Doc("AI revenue of the first years (what the capex must earn), USD billions per year (year 1 first); later years grow stochastically")]
    public List<double> AiRevenueReported { get; init; } = new() { 70 };
    [Doc("AI revenue growth per year after the reported years, normal regime"), Range(-0.99, 10)]
    public double AiRevenueGrowth { get; init; } = 0.5;
    [Doc("AI revenue growth per year, bust regime"), Range(-0.99, 10)]
    public double AiRevenueGrowthBust { get; init; } = 0.0;
    [Doc("sigma of ln AI revenue per sqrt(year)"), Range(0, 5)]
    public double AiRevenueVolatility { get; init; } = 0.3;
    [Doc("Correlation of the yearly capex and AI revenue shocks"), Range(-1, 1)]
    public double ShockCorrelation { get; init; } = 0.5;
    [Doc("Total cost of ownership / capex (Sequoia: 2, the GPUs are half of a data centre's cost)"), Range(0, 100, MinExclusive = true)]
    public double TcoMultiple { get; init; } = 2.0;
    [Doc("Gross margin the end sellers of AI must earn (Sequoia: 0.5)"), Range(0, 1, MaxExclusive = true)]
    public double TargetMargin { get; init; } = 0.5;
    [Doc("Accounting (book) life of the short-lived assets, years, straight line"), Range(1, 50)]
    public int BookLifeYears { get; init; } = 6;
    [Doc("Economic life of the same assets, years, straight line"), Range(1, 50)]
    public int EconomicLifeYears { get; init; } = 3;
    [Doc("Share of capex in short-lived assets (servers, GPUs, network) to which both lives apply"), Range(0, 1)]
    public double ShortLivedShare { get; init; } = 1.0;
    [Doc("Nominal GDP of year 1, USD billions"), Range(0, 1e7, MinExclusive = true)]
    public double GdpUsdB { get; init; } = 29_000;
    [Doc("Nominal GDP growth per year"), Range(-0.5, 1)]
    public double GdpGrowth { get; init; } = 0.045;
    [Doc("Share of a change in capex that is domestic value added (the rest is imported equipment)"), Range(0, 1)]
    public double DomesticShare { get; init; } = 1.0;
}
