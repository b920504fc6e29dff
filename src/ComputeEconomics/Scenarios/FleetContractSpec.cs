namespace ComputeEconomics.Scenarios;

/// <summary>
/// The contract's counterparty (issue 15 item 1, docs/model.md 3, "Counterparty default"): a monthly default hazard,
/// raised by a factor in a market bust, and the share of the remaining take-or-pay obligation recovered on default.
/// Off by default (annual probability 0, no lab scenario): no draw is made.
/// </summary>
public sealed record CounterpartySpec
{
    [Doc("Annual probability that the counterparty defaults, h_a; the monthly hazard is h = 1 - (1 - h_a)^(1/12) (not used with lab_scenario); 0 = never defaults"), Range(0, 1)]
    public double AnnualDefaultProbability { get; init; }
    [Doc("The monthly hazard is multiplied by this in a market bust (capped at 1): the market's bust regime when the scenario switches regimes (market.regime.normal_to_bust > 0 or initial 1), else a month whose spot rent is below bust_price_share of its month-0 level"), Range(0, 1000)]
    public double BustFactor { get; init; } = 1.0;
    [Doc("Without regime switching, a bust is a month whose spot rent is below this share of the month-0 rent"), Range(0, 1)]
    public double BustPriceShare { get; init; } = 0.5;
    [Doc("Share of the remaining take-or-pay obligation (the backlog at default, including the default month) received on default, as revenue in that month"), Range(0, 1)]
    public double RecoveryShare { get; init; }
    [Doc("Couple the hazard to the lab model: a built-in scenario name or a scenario file of kind lab, run first on the host with the run's seed and path count (at most 20 000); its insolvency hazard by month, P(insolvent in month t | solvent before), replaces annual_default_probability, the bust factor still applying (the counterparty follows the lab's insolvency in distribution, not path by path)")]
    public string? LabScenario { get; init; }
}

/// <summary>Renewal of the contract at the end of each term (issue 15 item 1, docs/model.md 3, "Renewal").</summary>
public sealed record RenewalSpec
{
    [Doc("none: the capacity goes back to spot at the end of the term; spot: the contract renews for another term at the then spot rent, locked for the term; spot_with_discount: at the spot rent x (1 - discount)"),
     OneOf("none", "spot", "spot_with_discount")]
    public string Policy { get; init; } = "none";
    [Doc("spot_with_discount: the renewed price is the spot rent x (1 - discount)"), Range(0, 1)]
    public double Discount { get; init; }
    [Doc("Probability that the contract renews at each term end (drawn per path and term)"), Range(0, 1)]
    public double Probability { get; init; } = 1.0;
}

/// <summary>
/// Asset classes besides the accelerator servers (issue 15 item 3, docs/model.md 5, "Asset classes"): each class's cost
/// is added on top of every purchase's server cost, at its share of the total purchase (cluster) cost, so a purchase of
/// server cost C costs C / (1 - sum of shares) in all; its own straight-line book life and straight-line economic life.
/// Off by default (every share 0).
/// </summary>
public sealed record AssetClassesSpec
{
    [Doc("Network (switches, NICs, optics, cabling); book life 60 months unless set; share ~0.13 of cluster capex per Bernstein (docs/model.md 5)")]
    public AssetClassSpec Network { get; init; } = new();
    [Doc("Power and cooling (electrical plant, UPS, chillers, liquid cooling); book life 180 months unless set")]
    public AssetClassSpec PowerAndCooling { get; init; } = new();
    [Doc("Buildings (the data-centre shell); book life 360 months unless set")]
    public AssetClassSpec Buildings { get; init; } = new();

    /// <summary>Default book lives in months: network, power and cooling, buildings (docs/model.md 5, an assumption but for
    /// the network's, which follows the hyperscalers' 5-6 year network lives).</summary>
    public static readonly int[] DefaultLives = { 60, 180, 360 };
}

/// <summary>One asset class: its share of the purchase cost, its book life (straight line) and its economic life.</summary>
public sealed record AssetClassSpec
{
    [Doc("Share of each purchase's total cost (servers plus every class) in this class; 0 = none"), Range(0, 1, MaxExclusive = true)]
    public double Share { get; init; }
    [Doc("Book method (straight line only)"), OneOf("straight_line")]
    public string Method { get; init; } = "straight_line";
    [Doc("Book useful life in months, straight line to the salvage value from the month after purchase; unset: the class's default (network 60, power_and_cooling 180, buildings 360)"), Range(1, 1200)]
    public int? UsefulLifeMonths { get; init; }
    [Doc("Salvage value as a share of the class's cost"), Range(0, 1, MaxExclusive = true)]
    public double SalvageFraction { get; init; }
    [Doc("Economic life in months: the class's market value falls straight-line from its cost to 0 over it (economic depreciation); unset: the book life"), Range(1, 1200)]
    public int? EconomicLifeMonths { get; init; }
}
