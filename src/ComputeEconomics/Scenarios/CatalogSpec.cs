namespace ComputeEconomics.Scenarios;

/// <summary>
/// One accelerator generation (SPEC 2): the one record for a generation, whether written in a scenario (null fields
/// inherit from the built-in entry of the same name), built in (<see cref="BuiltInCatalog"/>) or resolved for a run
/// (every field set, available_month in months from the scenario start).
/// </summary>
public sealed record GenerationSpec
{
    [Required, Doc("Name (a built-in name inherits the missing fields)")]
    public string Name { get; init; } = "";
    [Doc("Month (from the scenario start) when it can be bought; negative = already on sale"), Range(-600, 600)]
    public double? AvailableMonth { get; init; }
    [Doc("Launch as a calendar month YYYY-MM, placed on the scenario's months by start (available_month, when given, wins)"),
     Pattern("^(199[0-9]|20[0-9]{2}|2100)-(0[1-9]|1[0-2])$", "must be a calendar month YYYY-MM between 1990-01 and 2100-12")]
    public string? Launch { get; init; }
    [Doc("Month YYYY-MM at which unit_capex was quoted: the capex decline carries it to the launch (and on); default: the launch"),
     Pattern("^(199[0-9]|20[0-9]{2}|2100)-(0[1-9]|1[0-2])$", "must be a calendar month YYYY-MM between 1990-01 and 2100-12")]
    public string? PriceDate { get; init; }
    [Doc("Launch delay risk: sd of the availability month"), Range(0, 120)]
    public double? AvailableMonthSd { get; init; }
    [Doc("USD per accelerator incl. its share of server, network, storage, at launch (a built-in price is at its quote date, docs/catalog.md)"), Range(0, 1e8, MinExclusive = true)]
    public double? UnitCapex { get; init; }
    [Doc("Perf units per accelerator (H100 = 1)"), Range(0, 1e6, MinExclusive = true)]
    public double? Perf { get; init; }
    [Doc("Rent per perf unit relative to the price index (price.unit gpu_hour): a unit earns perf x rent_factor x P per busy hour. Default: the built-in entry's (from co-quoted months, docs/catalog.md), else 1"), Range(0, 100, MinExclusive = true)]
    public double? RentFactor { get; init; }
    [Doc("Rent age decay, per year: the generation's rent falls by e^(-decay x years since its launch) on top of the index (valuation follows at the index drift minus the decay). Default 0: not separable from the generation in the co-quoted months (docs/catalog.md)"), Range(-1, 5)]
    public double? RentAgeDecay { get; init; }
    [Doc("Output tokens/s of the reference model (Llama 3.3 70B class) per accelerator"), Range(0, 1e9)]
    public double? TokensPerSecond { get; init; }
    [Doc("kW per accelerator at full load incl. server share"), Range(0, 100, MinExclusive = true)]
    public double? PowerKw { get; init; }
    [Doc("Annualised permanent failure rate: units replaced (or written off) per unit-year"), Range(0, 1, MaxExclusive = true)]
    public double? AnnualFailureRate { get; init; }
    [Doc("Job interruptions per accelerator-year (most cleared without a new part); each costs fleet.failures.interruption_hours of service. Default: the built-in entry's, else 0"), Range(0, 100)]
    public double? InterruptionRate { get; init; }
    [Doc("Physical life in months"), Range(1, 600)]
    public int? PhysicalLifeMonths { get; init; }
    [Doc("Street price fall per year after launch"), Range(0, 1, MaxExclusive = true)]
    public double? CapexDecline { get; init; }
    [Doc("Where the figures come from")]
    public string? Source { get; init; }
}

/// <summary>Generation trend: after the last listed generation, a new one every EveryMonths.</summary>
public sealed record TrendSpec
{
    [Doc("Months between generated generations"), Range(1, 240)] public int EveryMonths { get; init; } = 24;
    [Doc("Perf of each generated generation over the previous one"), Range(0, 100, MinExclusive = true)] public double PerfMultiplier { get; init; } = 2.0;
    [Doc("Unit capex of each generated generation over the previous one"), Range(0, 100, MinExclusive = true)] public double CapexMultiplier { get; init; } = 1.3;
    [Doc("Power of each generated generation over the previous one"), Range(0, 100, MinExclusive = true)] public double PowerMultiplier { get; init; } = 1.3;
}
