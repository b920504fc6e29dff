namespace ComputeEconomics.Kernels.Models;

/// <summary>
/// Parameters of model kind <c>economy</c> (docs/model.md section 10), in USD billions and months, converted on the
/// host: every growth rate is a monthly log rate ln(1 + g)/12, every flow given per year is per year.
/// </summary>
public struct EconomyParams
{
    public MarketParams Market;
    /// <summary>Horizon T in months (a multiple of 12), and T/12.</summary>
    public int Months, Years;

    /// <summary>Venture money offered in year 1 (USD B), its monthly log growth (normal, bust regime) and after the cliff.</summary>
    public double Venture0, VentureGrowth0, VentureGrowth1, VentureGrowthCliff;
    /// <summary>First month of the cliff (venture stops growing: VentureGrowthCliff applies); Months when never.</summary>
    public int CliffMonth;
    /// <summary>Debt offered in year 1 (USD B) and its monthly log growth.</summary>
    public double Debt0, DebtGrowth;
    /// <summary>Share of the venture and debt supply lost after each failure, and after a covenant breach.</summary>
    public double FailureHit;
    /// <summary>Share of each year's venture budget reserved for the start-ups (the rest for the labs' rounds).</summary>
    public double StartupVentureShare;

    /// <summary>Start-up users (millions) at month 0, monthly log growth (normal, bust), sigma per sqrt(month).</summary>
    public double Users0, UserGrowth0, UserGrowth1, UserVol;
    /// <summary>Price a user pays (USD per month), tokens a user uses (millions per month).</summary>
    public double PricePerUser, TokensPerUser;
    /// <summary>API price at month 0 (USD per million tokens) and its monthly log change.</summary>
    public double ApiPrice0, ApiPriceGrowth;
    /// <summary>Share of last year's API spend committed for the next (take-or-pay floor); start-up wages / revenue.</summary>
    public double CommitShare, StartupWageShare;
    public double StartupCash0;

    /// <summary>Lab 1's share of the start-ups' API spend (lab 2 has the rest while both live).</summary>
    public double Lab1ApiShare;
    public double Lab1Cash0, Lab2Cash0;
    /// <summary>Direct (subscription, enterprise) revenue per year at month 0; monthly log growth; sigma per sqrt(month).</summary>
    public double Lab1Direct0, Lab2Direct0, DirectGrowth, DirectVol;
    /// <summary>Contracted compute per year at month 0 and its monthly log growth (the contracts' schedule).</summary>
    public double Lab1Compute0, Lab2Compute0, ComputeGrowth;
    /// <summary>Wages and other costs / compute bill; the share of each lab's compute bought from the hyperscaler.</summary>
    public double LabWageShare, Lab1HyperShare, Lab2HyperShare;
    /// <summary>A lab raises a round when its cash is below this many months of net burn; a round covers 12 months.</summary>
    public double RunwayMonths;

    /// <summary>Neocloud: cash, GW installed, debt at month 0; monthly interest rate; amortisation months; loan-to-value.</summary>
    public double NeoCash0, NeoGw0, NeoDebt0, DebtRate, AmortMonths, LoanToValue;
    /// <summary>Minimum debt-service coverage (revenue less energy over interest and amortisation) of the covenant.</summary>
    public double Covenant;
    /// <summary>Rent a neocloud GW earns per year (USD B): its target GW is the labs' annualised payments over this.</summary>
    public double RevenuePerGwYear;

    /// <summary>Hyperscaler: AI capex rate per year at month 0; monthly log growth (normal, bust); cut after a lab defaults on it.</summary>
    public double HyperCapex0, HyperGrowth0, HyperGrowth1, CapexCutOnDefault;
    /// <summary>Hyperscaler cash and GW at month 0; other (non-AI) operating cash per year; tax rate on AI operating profit.</summary>
    public double HyperCash0, HyperGw0, OtherCash, TaxRate;

    /// <summary>Capex per GW (USD B), its chip share (paid to the chip maker), PUE, life of a GW in months.</summary>
    public double CapexPerGw, ChipShare, Pue, LifeMonths;
    /// <summary>GW that can be connected per year (the power wall).</summary>
    public double PowerGwPerYear;

    /// <summary>Chip maker: cash at month 0, gross margin, share of revenue invested in customers, share of that in labs
    /// (split evenly; the rest in the neocloud), share of after-tax gross profit paid to shareholders.</summary>
    public double ChipCash0, ChipMargin, ChipInvestShare, ChipInvestLabShare, ChipPayoutShare;

    /// <summary>Real GDP of the year before year 1 (USD B), real growth without AI investment, domestic share of AI
    /// investment, AI investment in the year before year 1.</summary>
    public double Gdp0, BaseGrowth, DomesticShare, AiCapexPrior;
    /// <summary>Tokens served per GW-month at month 0 (millions), their monthly log growth (efficiency gains) and sigma per sqrt(month).</summary>
    public double TokensPerGw0, EfficiencyGrowth, EfficiencyVol;
    /// <summary>A fall of this share below the peak counts as distress (hyperscaler capex rate, chip maker's yearly revenue).</summary>
    public double DistressDrop;
}

/// <summary>Ledger accounts (cash balances) of the economy model.</summary>
public static class EconomyAccount
{
    public const int Startups = 0, Lab1 = 1, Lab2 = 2, Neocloud = 3, Hyperscaler = 4, ChipMaker = 5, Count = 6;
}

/// <summary>Named outlets through which money leaves the modelled entities.</summary>
public static class EconomyOutlet
{
    public const int Wages = 0, Energy = 1, Taxes = 2, Investors = 3, Imports = 4, Count = 5;
}

/// <summary>External inflows: money entering the modelled entities from outside.</summary>
public static class EconomyInflow
{
    public const int Venture = 0, Debt = 1, EndUsers = 2, OtherCash = 3, Count = 4;
}

/// <summary>Codes of the <c>first_to_fail</c> metric (0: nothing failed).</summary>
public static class EconomyEntity
{
    public const int None = 0, Startups = 1, Lab1 = 2, Lab2 = 3, Neocloud = 4, Hyperscaler = 5, ChipMaker = 6, Count = 7;
}

/// <summary>Fixed metrics of the economy model; per-year blocks follow (<see cref="EconomyYearField"/>).</summary>
public static class EconomyMetrics
{
    public const int Cascade = 0, FirstToFail = 1, StartupsFailMonth = 2, Lab1FailMonth = 3, Lab2FailMonth = 4,
        NeocloudCovenantMonth = 5, NeocloudFailMonth = 6, HyperscalerCutMonth = 7, ChipDeclineMonth = 8,
        RoundTripShare = 9, TotalChipRevenue = 10, TotalAiCapex = 11, CapexBlocked = 12, ChipStakeLost = 13,
        InitialCash = 14, CashStartups = 15, CashLab1 = 16, CashLab2 = 17, CashNeocloud = 18, CashHyperscaler = 19,
        CashChipMaker = 20, OutWages = 21, OutEnergy = 22, OutTaxes = 23, OutInvestors = 24, OutImports = 25,
        InVenture = 26, InDebt = 27, InEndUsers = 28, InOtherCash = 29, FirstStartups = 30, FirstLab1 = 31, FirstLab2 = 32,
        FirstNeocloud = 33, FirstHyperscaler = 34, FirstChipMaker = 35, Count = 36;
}

/// <summary>Per-year fields of the economy model: metric Count + f x Years + k - 1 is field f of year k.</summary>
public static class EconomyYearField
{
    public const int AiCapex = 0, ChipRevenue = 1, LabRevenue = 2, VentureRaised = 3, GdpContribution = 4, GdpGrowth = 5,
        CostPerMtok = 6, HardwarePerMtok = 7, EnergyPerMtok = 8, EfficiencyGainPerMtok = 9, MarginPerMtok = 10,
        SubsidyPerMtok = 11, SubsidyPerUser = 12, Count = 13;
}

/// <summary>Monthly series of the economy bands (flows in USD B per month; GW installed; USD per million tokens).</summary>
public static class EconomySeries
{
    public const int StartupSpend = 0, LabRevenue = 1, ComputeBills = 2, AiCapex = 3, ChipRevenue = 4, Venture = 5,
        Gw = 6, CostPerMtok = 7, ApiPrice = 8, Count = 9;
}
