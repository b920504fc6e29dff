namespace ComputeEconomics.Scenarios;

/// <summary>
/// A sweep over a scenario's fields (<c>ce sweep</c>, <c>ce sensitivity</c>): axes combined as a full grid, or a
/// space-filling design (Latin hypercube, scrambled Sobol) of <see cref="Points"/> points over the axes' ranges.
/// Every point runs the same seed and path indices (common random numbers). See docs/sweeps.md.
/// </summary>
public sealed record SweepSpec
{
    [Doc("grid: every combination of the axes' values (the last axis varies fastest); latin_hypercube or sobol: `points` points over the axes' ranges"),
     OneOf("grid", "latin_hypercube", "sobol")]
    public string Design { get; init; } = "grid";

    [Doc("Number of points of a latin_hypercube or sobol design (a grid's count is the product of its axes' lengths)"), Range(1, 1_000_000)]
    public int? Points { get; init; }

    [Doc("Seed of the design's randomisation (Latin hypercube permutations, Sobol scrambling); default: the scenario's seed"), Range(0, 4294967295)]
    public long? DesignSeed { get; init; }

    [Doc("The swept fields, one axis each")]
    public List<SweepAxisSpec>? Axes { get; init; }
}

/// <summary>One axis of a sweep: a scalar field of the scenario and the values it takes.</summary>
public sealed record SweepAxisSpec
{
    [Required, Doc("Field path of a scalar, as for --set: e.g. fleet.depreciation.book.useful_life_months, catalog[0].unit_capex")]
    public string Field { get; init; } = "";

    [Doc("Column name in the results: lower case letters, digits and _ (default: the field's last key)")]
    public string? Name { get; init; }

    [Doc("Explicit values (grid; a design picks among them uniformly)")]
    public List<string>? Values { get; init; }

    [Doc("Lower end of a range (with `to`)")]
    public double? From { get; init; }

    [Doc("Upper end of a range (with `from`)")]
    public double? To { get; init; }

    [Doc("Grid values from `from` to `to` inclusive (a design ignores it)"), Range(1, 1_000_000)]
    public int? Steps { get; init; }

    [Doc("Spacing of a range: linear, or log (geometric; from and to must be > 0)"), OneOf("linear", "log")]
    public string Scale { get; init; } = "linear";
}
