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
    [Doc("Launch delay risk: sd of the availability month"), Range(0, 120)]
    public double? AvailableMonthSd { get; init; }
    [Doc("USD per accelerator incl. its share of server, network, storage, at launch"), Range(0, 1e8, MinExclusive = true)]
    public double? UnitCapex { get; init; }
    [Doc("Perf units per accelerator (H100 = 1)"), Range(0, 1e6, MinExclusive = true)]
    public double? Perf { get; init; }
    [Doc("Output tokens/s of the reference model (Llama 3.3 70B class) per accelerator"), Range(0, 1e9)]
    public double? TokensPerSecond { get; init; }
    [Doc("kW per accelerator at full load incl. server share"), Range(0, 100, MinExclusive = true)]
    public double? PowerKw { get; init; }
    [Doc("Annualised failure rate"), Range(0, 1, MaxExclusive = true)]
    public double? AnnualFailureRate { get; init; }
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
