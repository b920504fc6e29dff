namespace ComputeEconomics.Kernels.Models;

/// <summary>
/// Sector parameters (SPEC 7): the hyperscalers' AI capex against AI revenue, in years (money in USD billions).
/// The reported capex and AI revenue of the first years are in the data buffer at <see cref="CapexOffset"/> and
/// <see cref="RevenueOffset"/>; later years grow stochastically.
/// </summary>
public struct SectorParams
{
    public MarketParams Market;
    /// <summary>Horizon T in months (a multiple of 12).</summary>
    public int Months;
    /// <summary>T/12.</summary>
    public int Years;

    public int CapexOffset, CapexCount;
    public int RevenueOffset, RevenueCount;
    /// <summary>ln(1 + g) - sigma^2/2 of capex, normal and bust regime (per year).</summary>
    public double CapexDrift0, CapexDrift1;
    /// <summary>sigma of ln capex per year.</summary>
    public double CapexVol;
    /// <summary>ln(1 + g) - sigma^2/2 of AI revenue, normal and bust regime (per year).</summary>
    public double RevenueDrift0, RevenueDrift1;
    public double RevenueVol;
    /// <summary>Correlation of the capex and revenue shocks, and sqrt(1 - rho^2).</summary>
    public double ShockCorrelation, ShockComplement;

    /// <summary>Sequoia's total-cost multiple on the capex (2: the GPUs are half of a data centre's cost).</summary>
    public double TcoMultiple;
    /// <summary>Gross margin the buyers of that capacity must earn (0.5 in Sequoia's arithmetic).</summary>
    public double TargetMargin;

    /// <summary>Straight-line lives in years: accounting (book) and economic.</summary>
    public int BookLifeYears, EconomicLifeYears;
    /// <summary>Share of capex in short-lived assets (servers, GPUs, network) to which the two lives apply.</summary>
    public double ShortLivedShare;

    /// <summary>GDP of year 1, USD billions, and ln(1 + nominal growth) per year.</summary>
    public double Gdp0, LnGdpGrowth;
    /// <summary>Share of the capex change that is domestic value added (the rest is imports).</summary>
    public double DomesticShare;
}

/// <summary>
/// Metric indices of the sector model. After the fixed metrics come per-year blocks, field-major:
/// metric (Count + f x Years + k - 1) is field f (<see cref="SectorYearField"/>) of year k = 1..Years.
/// </summary>
public static class SectorMetrics
{
    public const int TotalCapex = 0, TotalAiRevenue = 1, CumulativeOverstatement = 2, FinalGap = 3, GapCloseYear = 4,
        PeakCapexShareGdp = 5, PeakGdpContribution = 6, Count = 7;
}

/// <summary>Per-year fields of the sector model.</summary>
public static class SectorYearField
{
    public const int Capex = 0, AiRevenue = 1, RequiredRevenue = 2, RevenueGap = 3, BookDepreciation = 4,
        EconomicDepreciation = 5, Overstatement = 6, CapexShareGdp = 7, GdpContribution = 8, GapClosedBy = 9, Count = 10;
}

/// <summary>Monthly series of the sector bands (each month carries its year's annual value).</summary>
public static class SectorSeries
{
    public const int Capex = 0, AiRevenue = 1, RequiredRevenue = 2, RevenueGap = 3, Overstatement = 4, Count = 5;
}
