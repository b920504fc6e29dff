namespace ComputeEconomics.Scenarios;

/// <summary>
/// Model kind lab (SPEC 6): a GenAI model maker or an application start-up. Money in USD, tokens in millions
/// (Mtok). The market section's price index is the API price of a million tokens (market.price.unit must be mtok)
/// and its regime chain opens and closes the funding window. Equations: docs/model.md section 6.
/// </summary>
public sealed record LabSpec
{
    [Doc("Cash at month 0, USD"), Range(0, 1e13)]
    public double InitialCash { get; init; } = 10_000_000;
    [Doc("Paying users: logistic growth to a ceiling, less churn")]
    public LabUsersSpec Users { get; init; } = new();
    [Doc("Subscription revenue per paying user per month, USD (flat)"), Range(0, 1e6)]
    public double ArpuUsdMonth { get; init; } = 20;
    [Doc("Tokens consumed by the subscribers")]
    public LabTokensSpec Tokens { get; init; } = new();
    [Doc("API / B2B tokens sold at the market price index")]
    public LabApiSpec Api { get; init; } = new();
    [Doc("Share of all revenue paid to a partner (cost of revenue), e.g. a cloud's revenue share"), Range(0, 1)]
    public double RevenueShare { get; init; }
    [Doc("api_index: tokens are bought from a model maker at the market price index (USD/Mtok); own_fleet: served on the lab's own fleet at inference_cost_per_mtok or a fleet run's cost_per_mtok"), OneOf("api_index", "own_fleet")]
    public string Inference { get; init; } = "api_index";
    [Doc("own_fleet: cost of serving a million tokens at month 0, USD"), Range(0, 1e6)]
    public double? InferenceCostPerMtok { get; init; }
    [Doc("own_fleet: a summary.json written by `ce run --out` of a fleet scenario (price unit mtok); its cost_per_mtok quantiles P1..P99 are sampled once per path. Relative paths are resolved from the working directory")]
    public string? InferenceCostFrom { get; init; }
    [Doc("own_fleet: fall of the cost per Mtok per year"), Range(0, 1, MaxExclusive = true)]
    public double InferenceCostDecline { get; init; }
    [Doc("Training compute spend")]
    public LabSpendSpec Training { get; init; } = new() { UsdMonth = 0, Growth = 0 };
    [Doc("Staff and other operating costs (sales, G&A), cash only")]
    public LabSpendSpec Staff { get; init; } = new() { UsdMonth = 300_000, Growth = 0.2 };
    [Doc("Funding rounds: tried when the runway is short; success and valuation depend on the regime")]
    public LabFundingSpec Funding { get; init; } = new();
    [Doc("Ownership at month 0 (the rest belongs to staff and others); diluted by every round")]
    public LabOwnershipSpec Ownership { get; init; } = new();
}

/// <summary>Paying users: a logistic to a ceiling at a stochastic rate, less churn; free users in proportion.</summary>
public sealed record LabUsersSpec
{
    [Doc("Paying users at month 0"), Range(0, 1e10)]
    public double PayingInitial { get; init; } = 10_000;
    [Doc("Ceiling K of paying users (the logistic's carrying capacity)"), Range(0, 1e10, MinExclusive = true)]
    public double Ceiling { get; init; } = 1_000_000;
    [Doc("Gross acquisition rate r of the logistic, per year (monthly r/12)"), Range(0, 100)]
    public double GrowthRate { get; init; } = 1.2;
    [Doc("sd of that rate, per sqrt(year) (monthly shock sigma/sqrt(12))"), Range(0, 100)]
    public double GrowthVolatility { get; init; } = 0.5;
    [Doc("Monthly churn of paying users, normal regime"), Range(0, 1, MaxExclusive = true)]
    public double ChurnMonthly { get; init; } = 0.03;
    [Doc("Monthly churn of paying users, bust regime"), Range(0, 1, MaxExclusive = true)]
    public double ChurnMonthlyBust { get; init; } = 0.06;
    [Doc("Free users per paying user"), Range(0, 1e6)]
    public double FreePerPaying { get; init; }
}

/// <summary>Tokens consumed by the subscribers.</summary>
public sealed record LabTokensSpec
{
    [Doc("Millions of tokens a paying user consumes per month at month 0"), Range(0, 1e6)]
    public double MtokPerPayingUserMonth { get; init; } = 2;
    [Doc("A free user's tokens as a share of a paying user's"), Range(0, 10)]
    public double FreeUserShare { get; init; } = 0.1;
    [Doc("Growth of tokens per user per year (g_tok)"), Range(-0.99, 100)]
    public double Growth { get; init; } = 1.0;
}

/// <summary>API / B2B tokens sold at the market price index.</summary>
public sealed record LabApiSpec
{
    [Doc("Millions of tokens sold through the API per month at month 0"), Range(0, 1e12)]
    public double MtokMonth { get; init; }
    [Doc("Growth of the API volume per year"), Range(-0.99, 100)]
    public double Growth { get; init; }
}

/// <summary>A monthly spend growing at a yearly rate.</summary>
public sealed record LabSpendSpec
{
    [Doc("USD per month at month 0"), Range(0, 1e12)]
    public double UsdMonth { get; init; }
    [Doc("Growth per year"), Range(-0.99, 100)]
    public double Growth { get; init; }
}

/// <summary>Funding rounds: tried when the runway is short; success and valuation depend on the regime.</summary>
public sealed record LabFundingSpec
{
    [Doc("A raise is tried in every month with a positive burn and cash below this many months of it"), Range(0, 600)]
    public double RunwayMonths { get; init; } = 9;
    [Doc("Size of a round in months of the current burn"), Range(0, 600, MinExclusive = true)]
    public double RoundMonths { get; init; } = 24;
    [Doc("Probability that a month's attempt succeeds, normal regime"), Range(0, 1)]
    public double SuccessProbability { get; init; } = 0.3;
    [Doc("The same in a bust (0: a bust closes the window)"), Range(0, 1)]
    public double SuccessProbabilityBust { get; init; }
    [Doc("Pre-money valuation / annualised revenue (12 x the month's revenue), normal regime"), Range(0, 1e4)]
    public double RevenueMultiple { get; init; } = 15;
    [Doc("The same in a bust"), Range(0, 1e4)]
    public double RevenueMultipleBust { get; init; } = 5;
    [Doc("Share of each round paid in fees (placement agent, legal): cash receives amount x (1 - fee_share); dilution is on the whole amount"), Range(0, 1)]
    public double FeeShare { get; init; }
}

/// <summary>Ownership at month 0 (the rest belongs to staff and others); diluted by every round.</summary>
public sealed record LabOwnershipSpec
{
    [Doc("Founders' share at month 0"), Range(0, 1)]
    public double Founders { get; init; } = 0.6;
    [Doc("Early investors' share at month 0"), Range(0, 1)]
    public double EarlyInvestors { get; init; } = 0.25;
}
