namespace ComputeEconomics.Scenarios;

/// <summary>Model kind fleet (SPEC 2-5): the operator's purchases, failures, replacement, operations, financing and depreciation.</summary>
public sealed record FleetSpec
{
    [Doc("The purchase at month 0")]
    public PurchaseSpec Purchase { get; init; } = new();
    [Doc("Periodic expansion purchases of the newest generation on sale")]
    public ExpansionSpec Expansion { get; init; } = new();
    [Doc("Accelerator failures (binomial per cohort and month)")]
    public FailureSpec Failures { get; init; } = new();
    [Doc("When whole cohorts are retired and rebought")]
    public ReplacementSpec Replacement { get; init; } = new();
    [Doc("Operating costs and contracted capacity")]
    public OperationsSpec Operations { get; init; } = new();
    [Doc("Debt, tax, covenant, cash and the discount rate")]
    public FinancingSpec Financing { get; init; } = new();
    [Doc("Book and tax depreciation")]
    public DepreciationSpec Depreciation { get; init; } = new();
    [Doc("How a unit's market value is computed")]
    public ValuationSpec Valuation { get; init; } = new();
    [Doc("The service level at which the fleet's tokens are counted (serving model, docs/inference.md); default: the catalog's token rates")]
    public ServingSpec Serving { get; init; } = new();
}

public sealed record ValuationSpec
{
    [Doc("true: a unit is worth the strip of monthly calls on its margin over its remaining life (it idles in any month the margin would be negative); false: the value of running every month, floored at 0 (docs/model.md 5)")]
    public bool OptionToIdle { get; init; } = true;
    [Doc("Scrap value of a unit, USD: the floor of its market value (also at the end of its physical life). Default 0, an assumption: no scrap price is in docs/sources.md"), Range(0, 1e7)]
    public double ScrapUsd { get; init; }
}

public sealed record PurchaseSpec
{
    [Doc("Generation bought at month 0")]
    public string Generation { get; init; } = "H100";
    [Doc("Units bought at month 0"), Range(0, 1e7), Whole]
    public double Units { get; init; } = 10_000;
    [Doc("Capital expenditure in USD by month or by fiscal year (a filing's capex line): each entry buys units of its generation (default: the newest on sale on the path) at that month's unit price, round(usd / unit capex); a fiscal_year entry is spread over its four quarters, a quarter of it bought in months 1, 4, 7 and 10 of the year (each quarter's middle month). Empty (default): no scheduled purchase")]
    public List<ScheduledPurchaseSpec>? Schedule { get; init; }
    [Doc("Servers already owned at month 0 (the filing's gross property and equipment), one entry per vintage: no capex and no cash flow at month 0 (sunk), book and tax depreciation accumulated as if bought age_months before month 0, so the first fiscal year's depreciation expense is comparable with the filing. Empty (default): none")]
    public List<OpeningVintageSpec>? OpeningBook { get; init; }
}

/// <summary>One entry of fleet.purchase.schedule: USD spent in a month or a fiscal year.</summary>
public sealed record ScheduledPurchaseSpec
{
    [Doc("Month of the purchase (0 = the start); give month or fiscal_year"), Range(0, 600)]
    public int? Month { get; init; }
    [Doc("Fiscal year k of the purchase (months 12(k-1)..12k-1 from the start, as fiscal_year_metrics), spread over its four quarters; give month or fiscal_year"), Range(1, 50)]
    public int? FiscalYear { get; init; }
    [Doc("Capital expenditure in USD"), Range(0, 1e13), Required]
    public double Usd { get; init; }
    [Doc("Generation bought (default: the newest on sale on the path that month)")]
    public string? Generation { get; init; }
}

/// <summary>One vintage of fleet.purchase.opening_book: gross cost of servers bought age_months before the start.</summary>
public sealed record OpeningVintageSpec
{
    [Doc("Generation of the vintage (prices the units: round(usd / its unit capex in the purchase month))"), Required]
    public string Generation { get; init; } = "";
    [Doc("Gross cost (the book's basis), USD"), Range(0, 1e13), Required]
    public double Usd { get; init; }
    [Doc("Months between the purchase and month 0 (at least 1, below the generation's physical life)"), Range(1, 600), Required]
    public int AgeMonths { get; init; }
}

public sealed record ExpansionSpec
{
    [Doc("Months between expansion purchases (0 = none)"), Range(0, 600)]
    public int EveryMonths { get; init; }
    [Doc("Units of the first expansion"), Range(0, 1e7), Whole]
    public double Units { get; init; }
    [Doc("Growth of each expansion over the previous one"), Range(-1, 10)]
    public double Growth { get; init; }
    [Doc("Last month an expansion may happen (default: the horizon)"), Range(0, 600)]
    public int? UntilMonth { get; init; }
}

public sealed record FailureSpec
{
    [Doc("Simulate failures (false: no unit ever fails)")]
    public bool Enabled { get; init; } = true;
    [Doc("replace: failed units are replaced in kind; retire: they are written off"), OneOf("replace", "retire")]
    public string Policy { get; init; } = "replace";
    [Doc("Months after purchase during which replacements are free"), Range(0, 600)]
    public int WarrantyMonths { get; init; } = 36;
    [Doc("Exact binomial inversion when n*h is at most this; normal approximation above (at most 200, so (1-h)^n stays far from underflow)"), Range(1, 200)]
    public double BinomialExactLimit { get; init; } = 20;
    [Doc("Hours of service lost per job interruption (catalog interruption_rate); default 0.31: Llama 3 405B run, under 10% of 54 days lost over 419 unexpected interruptions"), Range(0, 8766)]
    public double InterruptionHours { get; init; } = 0.31;
}

public sealed record ReplacementSpec
{
    [Doc("never: keep every cohort to the end of its physical life; fixed_age: retire at age_months; margin: retire after margin_months of negative margin"), OneOf("never", "fixed_age", "margin")]
    public string Policy { get; init; } = "never";
    [Doc("fixed_age: retire and rebuy the newest generation at this age"), Range(1, 600)]
    public int AgeMonths { get; init; } = 48;
    [Doc("margin: retire after this many months of negative operating margin"), Range(1, 600)]
    public int MarginMonths { get; init; } = 6;
    [Doc("Share of market value received for retired units"), Range(0, 1)]
    public double ResaleFraction { get; init; } = 0.8;
}

public sealed record OperationsSpec
{
    [Doc("Power usage effectiveness: facility power over IT power"), Range(1, 5)] public double Pue { get; init; } = 1.3;
    [Doc("Share of full power drawn by an idle accelerator"), Range(0, 1)]
    public double IdlePowerShare { get; init; } = 0.3;
    [Doc("Colocation, USD per kW of IT load per month"), Range(0, 1e5)]
    public double ColoUsdPerKwMonth { get; init; } = 130;
    [Doc("Staff and overhead, USD per month"), Range(0, 1e10)] public double StaffUsdMonth { get; init; }
    [Doc("Maintenance per year as a share of cost basis"), Range(0, 1)]
    public double MaintenanceRate { get; init; } = 0.02;
    [Doc("Wind-down: staff are paid until this many months after the last month the fleet held units (colocation stops with the units); default 3, an assumption (a notice period)"), Range(0, 600)]
    public int WindDownMonths { get; init; } = 3;
    [Doc("Capacity sold under a fixed-price contract from month 0")]
    public ContractSpec Contract { get; init; } = new();
}

public sealed record ContractSpec
{
    [Doc("Share of capacity sold under contract"), Range(0, 1)]
    public double Share { get; init; }
    [Doc("Contract price, same unit as market.price.initial"), Range(0, 1e6)]
    public double Price { get; init; }
    [Doc("Contract term in months from start_month (month 0 unless set)"), Range(0, 600)]
    public int TermMonths { get; init; }
    [Doc("First month of the contract (months start_month..start_month + term_months - 1)"), Range(0, 600)]
    public int StartMonth { get; init; }
    [Doc("Take-or-pay share: the share of the contracted hours paid whether used or not; the rest is paid as used (utilisation x availability); 1 = pure take-or-pay"), Range(0, 1)]
    public double TakeOrPayShare { get; init; } = 1.0;
    [Doc("The counterparty: default hazard (raised in a bust, or the lab model's insolvency) and recovery (docs/model.md 3, \"Counterparty default\")")]
    public CounterpartySpec Counterparty { get; init; } = new();
    [Doc("Renewal at the end of each term at the then spot rent (docs/model.md 3, \"Renewal\")")]
    public RenewalSpec Renewal { get; init; } = new();
}

public sealed record FinancingSpec
{
    [Doc("Share of each purchase financed by debt"), Range(0, 1)]
    public double DebtShare { get; init; } = 0.7;
    [Doc("Annual interest rate"), Range(0, 1)]
    public double DebtRate { get; init; } = 0.11;
    [Doc("Loan term in months (annuity repayment)"), Range(1, 600)] public int DebtTermMonths { get; init; } = 60;
    [Doc("Corporate income tax rate"), Range(0, 1)] public double TaxRate { get; init; } = 0.21;
    [Doc("Covenant: default when debt / market value of the fleet exceeds this; 0 = none"), Range(0, 100)]
    public double LtvMax { get; init; }
    [Doc("Equity holders' cash at month 0, USD"), Range(0, 1e13)]
    public double InitialCash { get; init; } = 50_000_000;
    [Doc("Discount rate for NPV and market value, per year"), Range(0, 1, MinExclusive = true)]
    public double Wacc { get; init; } = 0.12;
    [Doc("Add the fleet's market value at the horizon to the last project cash flow")]
    public bool TerminalValue { get; init; } = true;
    [Doc("Debt tranches, at most 4 (docs/model.md 4, \"Financing\"): when given they replace the per-cohort loan (debt_share, debt_rate, debt_term_months)")]
    public List<TrancheSpec>? Tranches { get; init; }
    [Doc("Revolving credit facility")]
    public RevolverSpec Revolver { get; init; } = new();
    [Doc("Equity raises with dilution")]
    public EquityRaiseSpec Equity { get; init; } = new();
    [Doc("Refinancing of bullet tranches at maturity")]
    public RefinancingSpec Refinancing { get; init; } = new();
}

public sealed record DepreciationSpec
{
    [Doc("Book (reported) depreciation")]
    public BookSpec Book { get; init; } = new();
    [Doc("Tax depreciation (runs to a zero salvage)")]
    public BookSpec Tax { get; init; } = new() { Method = "macrs_5y", UsefulLifeMonths = 72, SalvageFraction = 0 };
    [Doc("Impairment test of long-lived assets (ASC 360-10-35-17) at each fiscal year end (months 11, 23, ...), each cohort an asset group: when the undiscounted cash flows it is expected to earn over its remaining physical life fall short of its carrying amount, the book value is written down to fair value = market value (docs/model.md 5)")]
    public bool ImpairmentTest { get; init; }
    [Doc("Report by fiscal year (months 12(k-1)..12k-1, full years of the horizon): depreciation_expense_yk, impairment_yk, operating_income_yk (reported: EBITDA - depreciation - impairment + gain on disposal), economic_earnings_yk (EBITDA - economic depreciation + proceeds - market value disposed), earnings_effect_yk (their difference) and backlog_yk (the contract's remaining take-or-pay revenue)")]
    public bool FiscalYearMetrics { get; init; }
    [Doc("Asset classes besides the accelerator servers (network, power and cooling, buildings), each a share of the purchase cost on top of the servers, with its own straight-line book life and economic life (docs/model.md 5, \"Asset classes\")")]
    public AssetClassesSpec AssetClasses { get; init; } = new();
}

public sealed record BookSpec
{
    [Doc("Depreciation method"), OneOf("straight_line", "declining_balance", "sum_of_years_digits", "units_of_production", "macrs_5y")]
    public string Method { get; init; } = "straight_line";
    [Doc("Useful life in months"), Range(1, 600)] public int UsefulLifeMonths { get; init; } = 72;
    [Doc("Salvage value as a share of cost"), Range(0, 1, MaxExclusive = true)] public double SalvageFraction { get; init; }
    [Doc("Declining-balance factor (2 = double declining)"), Range(0, 10, MinExclusive = true)]
    public double Factor { get; init; } = 2.0;
    [Doc("Declining balance without the switch to straight line")]
    public bool NoSwitch { get; init; }
    [Doc("Change in estimate of the useful life part-way through the horizon (book only; month 0 = none)")]
    public LifeChangeSpec LifeChange { get; init; } = new();
}

public sealed record LifeChangeSpec
{
    [Doc("First month depreciated under the new life (the change date; prospective, nothing restated); 0 = no change"), Range(0, 600)]
    public int Month { get; init; }
    [Doc("The new useful life in months from each cohort's purchase: from the change date the remaining net book value above salvage is charged straight-line over the months left of it (at once when none are left); required when month > 0"), Range(0, 600)]
    public int UsefulLifeMonths { get; init; }
}
