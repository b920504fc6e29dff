namespace ComputeEconomics.Kernels.Models;

/// <summary>
/// GenAI lab parameters (SPEC 6), compiled on the host (monthly terms; money in USD; tokens in millions).
/// The market's price index is the API price of a million tokens (the compiler keeps the YAML price unscaled).
/// The empirical cost distribution (inference from a fleet run) lives in the data buffer at
/// <see cref="CostTableOffset"/>: <see cref="CostTableCount"/> probabilities, then as many quantiles.
/// </summary>
public struct LabParams
{
    public MarketParams Market;
    /// <summary>Horizon T in months.</summary>
    public int Months;
    /// <summary>ceil(T/12): the insolvent_by_year_k flags, k = 1..Years.</summary>
    public int Years;

    // ---- users
    /// <summary>Paying users at month 0.</summary>
    public double PayingUsers0;
    /// <summary>Ceiling K of the logistic (paying users).</summary>
    public double Ceiling;
    /// <summary>r/12: gross acquisition rate of the logistic per month.</summary>
    public double GrowthMonthly;
    /// <summary>sigma_r/sqrt(12): monthly sd of that rate.</summary>
    public double GrowthVolMonthly;
    /// <summary>Monthly churn in the normal and bust regimes.</summary>
    public double Churn0, Churn1;
    /// <summary>Free users per paying user.</summary>
    public double FreeRatio;

    // ---- revenue and tokens
    /// <summary>USD per paying user per month (flat subscription).</summary>
    public double Arpu;
    /// <summary>Millions of tokens a paying user consumes per month at month 0.</summary>
    public double MtokPerUser0;
    /// <summary>ln(1 + g_tok)/12.</summary>
    public double LnTokenGrowthMonthly;
    /// <summary>A free user's tokens as a share of a paying user's.</summary>
    public double FreeTokenShare;
    /// <summary>API/B2B volume sold at month 0, millions of tokens per month, and ln(1 + growth)/12.</summary>
    public double ApiMtok0, LnApiGrowthMonthly;
    /// <summary>Share of revenue paid to a partner (cost of revenue).</summary>
    public double RevenueShare;

    // ---- inference
    /// <summary><see cref="Models.InferenceMode"/>: 0 bought at the API price index P_t; 1 own fleet at a fixed cost; 2 own fleet,
    /// cost drawn per path from the table.</summary>
    public int InferenceMode;
    /// <summary>Own-fleet cost, USD per million tokens at month 0 (mode 1).</summary>
    public double OwnCostPerMtok;
    /// <summary>ln(1 - own-fleet cost decline per year)/12 (modes 1 and 2).</summary>
    public double LnCostDeclineMonthly;
    public int CostTableOffset, CostTableCount;

    // ---- other costs
    /// <summary>Training spend at month 0 (USD/month) and ln(1 + g_train)/12.</summary>
    public double Training0, LnTrainingGrowthMonthly;
    /// <summary>Staff and other operating costs at month 0 (USD/month) and ln(1 + growth)/12.</summary>
    public double Staff0, LnStaffGrowthMonthly;

    // ---- cash and funding
    public double InitialCash;
    /// <summary>A raise is attempted in a month when the burn is positive and cash &lt; RunwayMonths x burn.</summary>
    public double RunwayMonths;
    /// <summary>Size of a round in months of the current burn.</summary>
    public double RoundMonths;
    /// <summary>Probability that an attempt succeeds, normal and bust regime.</summary>
    public double Success0, Success1;
    /// <summary>Pre-money valuation / annualised revenue (12 x the month's revenue), normal and bust regime.</summary>
    public double Multiple0, Multiple1;
    /// <summary>Ownership at month 0 of the founders and the early investors.</summary>
    public double Founders0, EarlyInvestors0;
}

/// <summary>Metric indices of the lab model; the flags insolvent_by_year_k follow at <see cref="Count"/> + k - 1.</summary>
public static class LabMetrics
{
    public const int Insolvent = 0, InsolvencyMonth = 1, GrossMargin = 2, BurnMultiple = 3, CapitalRaised = 4,
        Rounds = 5, FailedRaises = 6, MonthsToBreakEven = 7, FoundersOwnership = 8, EarlyInvestorsOwnership = 9,
        FinalCash = 10, MinCash = 11, FinalArr = 12, TotalRevenue = 13, FinalPayingUsers = 14, InferenceCostPerMtok = 15,
        InferenceCostMonth0 = 16, Count = 17;
}

/// <summary>Monthly series of the lab model's bands.</summary>
public static class LabSeries
{
    public const int Cash = 0, Revenue = 1, Costs = 2, PayingUsers = 3, InferenceCostPerMtok = 4, Count = 5;
}
