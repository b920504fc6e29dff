namespace ComputeEconomics.Scenarios;

/// <summary>
/// One debt tranche of the fleet operator (issue 15 item 2; docs/model.md 4, "Financing: tranches, revolver, equity"):
/// a term loan, a delayed-draw term loan secured by the GPUs it funds, or bullet notes, with its own rate and covenants.
/// </summary>
public sealed record TrancheSpec
{
    [Required, Doc("Name of the tranche (reports; unique in fleet.financing.tranches)"),
     Pattern("^[a-z][a-z0-9_]{0,31}$", "must be 1-32 characters: a lower-case letter, then lower-case letters, digits or _")]
    public string Name { get; init; } = "";
    [Doc("term_loan: funded in full at start_month, amortising over term_months; ddtl: delayed draw, each purchase in the draw window funded at advance_rate up to the commitment, interest only in the window, then amortising over term_months; bullet: notes funded in full at start_month, interest only, repaid or refinanced at start_month + term_months"),
     OneOf("term_loan", "ddtl", "bullet")]
    public string Kind { get; init; } = "term_loan";
    [Doc("Commitment, USD: the amount funded (term_loan, bullet) or the most that can be drawn (ddtl)"), Range(0, 1e13, MinExclusive = true)]
    public double CommitmentUsd { get; init; } = 100_000_000;
    [Doc("Annual interest rate (paid monthly on the balance at the start of the month)"), Range(0, 1)]
    public double Rate { get; init; } = 0.11;
    [Doc("Months of amortisation (term_loan: from the month after funding; ddtl: from the end of the draw window) or, for bullet, months to maturity"), Range(1, 600)]
    public int TermMonths { get; init; } = 60;
    [Doc("Month the tranche opens: funding (term_loan, bullet) or the first month of the draw window (ddtl)"), Range(0, 600)]
    public int StartMonth { get; init; }
    [Doc("ddtl: months of the draw window from start_month"), Range(1, 600)]
    public int DrawMonths { get; init; } = 12;
    [Doc("ddtl: share of each month's capex (purchases, rebuys, replacements) drawn while commitment is left"), Range(0, 1)]
    public double AdvanceRate { get; init; } = 0.7;
    [Doc("annuity: level payments of interest and principal; straight_line: equal principal payments (term_loan, ddtl)"), OneOf("annuity", "straight_line")]
    public string Amortisation { get; init; } = "annuity";
    [Doc("Covenant: loan to value, all debt / market value of the fleet, tested at each quarter end (months 2, 5, 8, ...); 0 = none"), Range(0, 100)]
    public double LtvMax { get; init; }
    [Doc("Covenant: minimum debt service coverage, the quarter's EBITDA / the quarter's debt service (interest, fees and scheduled principal of every tranche and the revolver), tested at each quarter end when the quarter had debt service; 0 = none"), Range(0, 100)]
    public double DscrMin { get; init; }
}

/// <summary>A revolving credit facility (docs/model.md 4, "Financing"): drawn when cash would go negative, repaid from surplus cash.</summary>
public sealed record RevolverSpec
{
    [Doc("Limit, USD (0 = no revolver)"), Range(0, 1e13)]
    public double LimitUsd { get; init; }
    [Doc("Annual interest rate on the drawn balance; default 0.08, an assumption"), Range(0, 1)]
    public double Rate { get; init; } = 0.08;
    [Doc("Annual commitment fee on the undrawn limit; default 0.00375 (37.5 bp), an assumption"), Range(0, 1)]
    public double CommitmentFee { get; init; } = 0.00375;
}

/// <summary>Equity raises with dilution (docs/model.md 4, "Financing"): new shares sold at a price tied to the fleet's value.</summary>
public sealed record EquityRaiseSpec
{
    [Doc("Raise equity when cash (after the revolver) is below this, USD"), Range(0, 1e13)]
    public double MinCashUsd { get; init; }
    [Doc("A raise brings cash up to this, USD (0 = no raises; at least min_cash_usd)"), Range(0, 1e13)]
    public double TargetCashUsd { get; init; }
    [Doc("Discount of the issue price to the equity value per share (cash + fleet market value - debt, before the raise)"), Range(0, 1, MaxExclusive = true)]
    public double Discount { get; init; } = 0.1;
    [Doc("Probability a raise fails in the normal regime"), Range(0, 1)]
    public double FailProbability { get; init; }
    [Doc("Probability a raise fails in the bust regime; default 0.5, an assumption"), Range(0, 1)]
    public double FailProbabilityBust { get; init; } = 0.5;
}

/// <summary>Refinancing of bullet tranches at maturity (docs/model.md 4, "Financing").</summary>
public sealed record RefinancingSpec
{
    [Doc("Spread added to the tranche's rate when it is refinanced in the normal regime, per year"), Range(0, 1)]
    public double Spread { get; init; }
    [Doc("Spread added when refinanced in the bust regime, per year; default 0.03, an assumption"), Range(0, 1)]
    public double SpreadBust { get; init; } = 0.03;
    [Doc("Probability refinancing fails in the normal regime (the balance is then due from cash, revolver or a raise)"), Range(0, 1)]
    public double FailProbability { get; init; }
    [Doc("Probability refinancing fails in the bust regime; default 0.3, an assumption"), Range(0, 1)]
    public double FailProbabilityBust { get; init; } = 0.3;
}
