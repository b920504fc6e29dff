namespace ComputeEconomics.Kernels.Models;

/// <summary>
/// Fleet operator parameters (SPEC sections 2-5), compiled on the host. Tables (catalog,
/// depreciation shares, discount factors, valuation annuities) live in the read-only data buffer at
/// the offsets given here.
/// </summary>
public struct FleetParams
{
    public MarketParams Market;
    /// <summary>Horizon T in months.</summary>
    public int Months;
    /// <summary>Hours per month (730).</summary>
    public double Hours;

    // ---- catalog
    /// <summary>Offset of the generation table (GenerationCount rows of <see cref="GenField.Stride"/>).</summary>
    public int GenOffset;
    public int GenerationCount;

    // ---- purchases
    /// <summary>Generation bought at month 0.</summary>
    public int InitialGeneration;
    /// <summary>Units bought at month 0.</summary>
    public double InitialUnits;
    /// <summary>Expansion every k months (0 = none), first at month k, last at or before ExpansionUntil.</summary>
    public int ExpansionEvery;
    public int ExpansionUntil;
    /// <summary>Units of the first expansion; each later expansion is (1+growth) times the previous.</summary>
    public double ExpansionUnits;
    public double ExpansionGrowth;
    /// <summary>Maximum number of cohort slots this run may use (validated on the host).</summary>
    public int CohortSlots;
    /// <summary><see cref="Switch.On"/>: a capex schedule in USD (fleet.purchase.schedule) at <see cref="ScheduleOffset"/>:
    /// Months entries of USD spent in month t, then Months entries of the generation bought (-1 = the newest on sale).</summary>
    public int ScheduleOn;
    public int ScheduleOffset;
    /// <summary>Vintages of the opening book (fleet.purchase.opening_book) at <see cref="OpeningOffset"/>,
    /// <see cref="OpeningField.Stride"/> numbers each (0 = none).</summary>
    public int OpeningVintages;
    public int OpeningOffset;

    // ---- failures
    /// <summary><see cref="Switch.On"/> when failures are simulated.</summary>
    public int FailuresOn;
    /// <summary><see cref="FailurePolicy"/>: replaced in kind (1) or retired (0).</summary>
    public int ReplaceFailures;
    public int WarrantyMonths;
    /// <summary>Exact inversion when n*h is at most this; normal approximation above it.</summary>
    public double BinomialExactLimit;

    // ---- replacement policy
    /// <summary><see cref="Models.ReplacementPolicy"/>: 0 never, 1 fixed_age, 2 margin.</summary>
    public int ReplacementPolicy;
    public int ReplacementAge;
    public int MarginMonths;
    /// <summary>Fraction of market value received for retired units.</summary>
    public double ResaleFraction;

    // ---- operations
    public double Pue;
    /// <summary>Share of full power drawn by an idle accelerator.</summary>
    public double IdleShare;
    public double ColoUsdPerKwMonth;
    public double StaffUsdMonth;
    /// <summary>Annual maintenance as a share of cost basis.</summary>
    public double MaintenanceRate;
    /// <summary>MaintenanceRate / 12, computed on the host (the kernel multiplies, never divides, per cohort-month).</summary>
    public double MaintenanceMonthly;
    /// <summary>Contracted share of capacity, its price (USD per perf-unit-hour) and term (months from 0).</summary>
    public double ContractShare, ContractPrice;
    /// <summary>The contract runs in months ContractStart..ContractMonths-1 (ContractMonths = start + term; 0 = no contract).</summary>
    public int ContractMonths, ContractStart;
    /// <summary>Share of the contracted hours paid whether used or not (1 = pure take-or-pay); the rest is paid as used.</summary>
    public double TakeOrPay;

    // ---- financing and tax
    public double DebtShare;
    /// <summary>Monthly debt rate r_d/12.</summary>
    public double DebtRateMonthly;
    public int DebtTermMonths;
    public double TaxRate;
    /// <summary>Covenant: default when debt / market value exceeds this (0 = no covenant).</summary>
    public double LtvMax;
    public double InitialCash;
    /// <summary>Monthly discount rate rho from wacc.</summary>
    public double RhoMonthly;
    /// <summary><see cref="Switch.On"/>: the fleet's market value at the horizon is added to the last month's project cash flow.</summary>
    public int TerminalValue;

    // ---- depreciation
    /// <summary>Method code of <see cref="Finance.DepreciationMath"/>: 0 straight line, 1 declining balance, 2 sum of years
    /// digits, 3 units of production (<see cref="Finance.DepreciationMath.UnitsOfProduction"/>, charged by hours run).</summary>
    public int BookMethod;
    public int BookLifeMonths;
    public double SalvageFraction;
    /// <summary>Offset of the book share table: share[a-1] = charge in month a / remaining base.</summary>
    public int BookShareOffset;
    public int TaxLifeMonths;
    public int TaxShareOffset;
    /// <summary>Change in estimate of the book life (docs/model.md 5, "Change in useful life"): from month
    /// <see cref="LifeChangeMonth"/> (0 = never) the remaining base is charged straight-line over what is left of
    /// <see cref="NewBookLifeMonths"/>, by the straight-line share table at <see cref="NewBookShareOffset"/>
    /// (share[a-1] = 1 / (L' - a + 1)); units of production spread it over the hours left of L' x 730 instead.</summary>
    public int LifeChangeMonth;
    /// <summary><see cref="Switch.On"/>: the ASC 360 impairment test at each fiscal year end (docs/model.md 5, "Impairment").</summary>
    public int ImpairmentTest;
    /// <summary>Full fiscal years with a block of <see cref="FleetYearField"/> metrics after the fixed ones (0 = none).</summary>
    public int FiscalYears;
    public int NewBookLifeMonths;
    public int NewBookShareOffset;

    // ---- tables
    /// <summary>Offset of (1+rho)^-t, t = 0..Months.</summary>
    public int DiscountOffset;
    /// <summary>Offset of annuity factors (1-(1+rho)^-R)/rho, R = 0..MaxLife.</summary>
    public int AnnuityOffset;
    /// <summary>Start of the valuation tables: per distinct rent age decay d, sum_{k=1..R} q_s^k (q_s = e^((mu_s - d)/12)/(1+rho))
    /// for regimes 0 and 1, R = 0..MaxLife, and the call strips; each generation row holds its tables' offsets from here
    /// (<see cref="GenField.Q0"/>..<see cref="GenField.Option1"/>), so packing data shifts them with this one offset.</summary>
    public int ValueTablesOffset;
    /// <summary>Offset of unit capex by age since launch: row g, entry a = unit_capex_g * exp(log_decline_g * a) for
    /// a = 0..CapexAges-1 (the kernel's own formula, evaluated once on the host; ages beyond it use the formula).</summary>
    public int CapexOffset;
    /// <summary>Entries per generation in the capex table.</summary>
    public int CapexAges;
    /// <summary>Offset of the annuity denominators 1 - exp(-n log(1 + r)), n = 0..DebtTermMonths (r the monthly debt rate).</summary>
    public int LoanDenominatorOffset;
    public int MaxLife;

    // ---- market value with the option to idle (docs/model.md 5, "Market value")
    /// <summary><see cref="Switch.On"/>: a unit's value is the strip of monthly calls on its margin, read from the option tables;
    /// off: the value of running every month (the forward margin), floored at 0.</summary>
    public int OptionValue;
    /// <summary>Offset of the moneyness grid m_j = exp(OptionX0 + j OptionDx), j = 0..OptionNodes-1.</summary>
    public int MoneynessOffset;
    public int OptionNodes;
    public double OptionX0, OptionInvDx;
    /// <summary>Floor of a unit's market value: what it fetches as scrap, USD (fleet.valuation.scrap_usd).</summary>
    public double ScrapUsd;

    /// <summary>Hurdle rate of the IRR, per year (the WACC).</summary>
    public double HurdleAnnual;
    /// <summary>Staff are paid until this many months after the month the fleet became empty (docs/model.md 4, "Wind-down").</summary>
    public int WindDownMonths;

    // ---- counterparty, renewal, asset classes (FleetContracts.cs; docs/model.md 3 and 5)
    /// <summary>Contract term in months (the renewed term's length).</summary>
    public int ContractTerm;
    /// <summary><see cref="Switch.On"/> when the fleet has contracts: month t's backlog is written as band series
    /// <see cref="FleetSeries.Backlog"/> (the series count is then <see cref="FleetSeries.Count"/> + 1).</summary>
    public int BacklogBand;
    /// <summary><see cref="Switch.On"/>: the counterparty may default, with hazard data[CounterpartyHazardOffset + t], t &lt; Months.</summary>
    public int CounterpartyOn;
    public int CounterpartyHazardOffset;
    /// <summary><see cref="Switch.On"/>: a bust is the market's bust regime; off: the spot rent below BustPriceShare x its month-0 level.</summary>
    public int CounterpartyBustByRegime;
    public double CounterpartyBustFactor, CounterpartyBustPriceShare;
    /// <summary>Share of the remaining take-or-pay obligation received on default.</summary>
    public double CounterpartyRecovery;
    /// <summary><see cref="Switch.On"/>: the contract renews at each term end with RenewalProbability at spot x RenewalFactor.</summary>
    public int RenewalOn;
    public double RenewalProbability, RenewalFactor;
    /// <summary><see cref="Switch.On"/>: asset classes, AssetClassField.Classes rows of AssetClassField.Stride at AssetClassOffset.</summary>
    public int AssetClassesOn;
    public int AssetClassOffset;
    /// <summary>Index of the first counterparty metric (<see cref="CounterpartyMetrics"/>) and of the first asset class
    /// metric (<see cref="AssetClassMetrics"/>) among the path's metrics; -1 = not written.</summary>
    public int CounterpartyMetricBase, AssetClassMetricBase;
    /// <summary>Index of the opening book's metric (opening_book_cost) among the path's metrics, -1 = not written; its value,
    /// the gross cost of the vintages owned at month 0 (sunk: no purchase flow).</summary>
    public int OpeningMetricBase;
    public double OpeningBookCost;
    /// <summary>Tranches, revolver, equity raises and refinancing (docs/model.md 4, "Financing"; off unless set).</summary>
    public FinancingParams Fin;
}

/// <summary>Field offsets of one generation row in the data buffer.</summary>
public static class GenField
{
    public const int AvailableMean = 0, AvailableSd = 1, UnitCapex = 2, Perf = 3, PowerKw = 4,
        MonthlyHazard = 5, LogSurvive = 6, PhysicalLife = 7, LogCapexDeclineMonthly = 8, TokensPerSecond = 9,
        HazardOdds = 10,   // h / (1 - h), the pmf recurrence's ratio (computed once on the host, not per draw)
        Availability = 11, // share of hours in service after job interruptions: 1 - rate/12 x hours lost / 730
        RentDecayMonthly = 12, // the rent's fall per month of the generation's age since launch (rent_age_decay / 12)
        Q0 = 13, Q1 = 14, Option0 = 15, Option1 = 16,   // its valuation tables, from FleetParams.ValueTablesOffset
        Stride = 17;
}

/// <summary>Field offsets of one vintage of the opening book in the data buffer (computed on the host): generation, units,
/// age in months at month 0, gross cost, accumulated book and tax depreciation at month 0.</summary>
public static class OpeningField
{
    public const int Gen = 0, Units = 1, Age = 2, Basis = 3, AccBook = 4, AccTax = 5, Stride = 6;
}

/// <summary>Field offsets of one cohort slot in scratch.</summary>
public static class CohortField
{
    public const int Active = 0, Gen = 1, Count = 2, PurchaseMonth = 3, Basis = 4, AccBook = 5, AccTax = 6,
        Loan = 7, LoanMonthsLeft = 8, Payment = 9, NegStreak = 10, HoursRun = 11, MarketValue = 12,
        // Binomial cache: the n it was built for (0 = none), the mode m, pmf(m) and cdf(m).
        BinomN = 13, BinomMode = 14, BinomPmf = 15, BinomCdf = 16, Stride = 17;
}

/// <summary>Metric indices of the fleet model.</summary>
public static class FleetMetrics
{
    public const int Npv = 0, Irr = 1, PaybackMonth = 2, MinCash = 3, Default = 4, DefaultMonth = 5,
        EquityValue = 6, FinalBookValue = 7, FinalMarketValue = 8, ImpairmentGap = 9, EarningsOverstatement = 10,
        MeanUtilisation = 11, CostPerGpuHour = 12, CostPerMtok = 13, TotalCapex = 14, BookValueY3 = 15,
        MarketValueY3 = 16, BookValueY6 = 17, MarketValueY6 = 18, TotalRevenue = 19, TotalEbitda = 20,
        BookEarningsY1 = 21, OverstatementY3 = 22, FinalDebt = 23, IdleShare = 24,
        IrrStatus = 25, IrrAboveHurdle = 26, IrrLosesAtEveryRate = 27, IrrGainsAtEveryRate = 28,
        OverstatementPeak = 29, OverstatementPeakMonth = 30, OverstatementPv = 31, ImpairmentCharges = 32, Count = 33;
}

/// <summary>Per-fiscal-year metric blocks of the fleet model (fleet.depreciation.fiscal_year_metrics): field f of year y
/// (0-based) is metric <see cref="FleetMetrics.Count"/> + f x years + y.</summary>
public static class FleetYearField
{
    public const int DepreciationExpense = 0, Impairment = 1, OperatingIncome = 2, EconomicEarnings = 3, EarningsEffect = 4, Backlog = 5, Count = 6;
}

/// <summary>Monthly series of the fleet model's bands.</summary>
public static class FleetSeries
{
    public const int Cash = 0, BookValue = 1, MarketValue = 2, Revenue = 3, Ebitda = 4, UnitCost = 5, Count = 6;
    /// <summary>The backlog at the month's end (remaining take-or-pay revenue): a seventh series, only with contracts
    /// (<see cref="FleetParams.BacklogBand"/>).</summary>
    public const int Backlog = 6;
}
