using System.Globalization;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Inference;

/// <summary>
/// What an accelerator-hour costs in <c>ce inference</c>: capex amortised straight-line over a life plus power.
/// Defaults: 5-year life (inside the 4-6 year accounting lives of docs/sources.md §5), PUE 1.3 (new or large
/// facilities, Uptime 14th survey, docs/sources.md §3), 0.0806 $/kWh (US average industrial price 2023, EIA via
/// Statista, docs/sources.md §3). No cost of capital, colocation, staff or margin: a floor, at 100% busy.
/// </summary>
/// <param name="LifeYears">Years over which the unit capex is spread, > 0.</param>
/// <param name="Pue">Power usage effectiveness, >= 1.</param>
/// <param name="UsdPerKwh">Electricity price, >= 0.</param>
public sealed record CostAssumptions(double LifeYears, double Pue, double UsdPerKwh)
{
    /// <summary>5 years, PUE 1.3, 0.0806 $/kWh.</summary>
    public static CostAssumptions Default { get; } = new(5, 1.3, 0.0806);

    /// <summary>Every broken rule, fields named as the CLI options.</summary>
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        if (!(LifeYears > 0) || !double.IsFinite(LifeYears))
            errors.Add(new ValidationError("--life-years", LifeYears.ToString(CultureInfo.InvariantCulture), "must be a finite number > 0"));
        if (!(Pue >= 1) || !double.IsFinite(Pue))
            errors.Add(new ValidationError("--pue", Pue.ToString(CultureInfo.InvariantCulture), "must be a finite number >= 1"));
        if (!(UsdPerKwh >= 0) || !double.IsFinite(UsdPerKwh))
            errors.Add(new ValidationError("--usd-per-kwh", UsdPerKwh.ToString(CultureInfo.InvariantCulture), "must be a finite number >= 0"));
        return errors;
    }
}

/// <summary>Hourly cost of a catalog generation and the cost of a million output tokens.</summary>
public static class ServingCost
{
    /// <summary>Hours in a year of 365.25 days.</summary>
    public const double HoursPerYear = 8766;

    /// <summary>
    /// unit capex / (life x 8,766 h) + power kW x PUE x $/kWh, with the catalog's unit capex (the accelerator's share of
    /// the server) and power (with its server share), docs/catalog.md.
    /// </summary>
    public static double UsdPerGpuHour(CatalogEntry entry, CostAssumptions assumptions) =>
        entry.UnitCapex / (assumptions.LifeYears * HoursPerYear) + entry.PowerKw * assumptions.Pue * assumptions.UsdPerKwh;

    /// <summary>$ per million output tokens: hourly cost / (tokens/s x 3,600) x 10^6.</summary>
    public static double UsdPerMtok(double usdPerGpuHour, double tokensPerSPerGpu) =>
        usdPerGpuHour / (tokensPerSPerGpu * 3600.0) * 1e6;
}
