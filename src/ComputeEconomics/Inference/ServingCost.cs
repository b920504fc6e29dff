using System.Globalization;

namespace ComputeEconomics.Inference;

/// <summary>
/// What an accelerator-hour costs in <c>ce inference</c>: capex amortised straight-line over a life plus power.
/// Defaults: 5-year life (inside the 4-6 year accounting lives of docs/sources.md §5), PUE 1.3 (new or large
/// facilities, Uptime 14th survey, docs/sources.md §3), 0.0806 $/kWh (US average industrial price 2023, EIA via
/// Statista, docs/sources.md §3), no margin. No cost of capital, colocation or staff: a floor, at 100% busy.
/// </summary>
/// <param name="LifeYears">Years over which the unit capex is spread (the booked life), 0.01..100.</param>
/// <param name="Pue">Power usage effectiveness, 1..10.</param>
/// <param name="UsdPerKwh">Electricity price, 0..1000.</param>
/// <param name="Margin">Gross margin on the price, 0 &lt;= m &lt; 1: price = cost / (1 - m). Default 0 (cost).</param>
public sealed record CostAssumptions(double LifeYears, double Pue, double UsdPerKwh, double Margin = 0)
{
    /// <summary>5 years, PUE 1.3, 0.0806 $/kWh, no margin.</summary>
    public static CostAssumptions Default { get; } = new(5, 1.3, 0.0806);

    /// <summary>Shortest life accepted, years: 0.01 (3.65 days); a shorter one overflows the hourly capex of a large unit.</summary>
    public const double MinLifeYears = 0.01;

    /// <summary>Longest life accepted, years.</summary>
    public const double MaxLifeYears = 100;

    /// <summary>Largest PUE accepted (the worst facilities measured are below 3).</summary>
    public const double MaxPue = 10;

    /// <summary>Largest electricity price accepted, $/kWh (retail peaks are about 1 $/kWh).</summary>
    public const double MaxUsdPerKwh = 1000;

    /// <summary>
    /// Every broken rule, fields named as the CLI options. The upper bounds (and the life's lower one) keep every
    /// cost finite: a price of 1e308 $/kWh used to overflow to Infinity and fail writing the JSON.
    /// </summary>
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        if (!(LifeYears >= MinLifeYears && LifeYears <= MaxLifeYears))
            errors.Add(new ValidationError("--life-years", LifeYears.ToString(CultureInfo.InvariantCulture), $"must be a number from {MinLifeYears.ToString(CultureInfo.InvariantCulture)} to {MaxLifeYears.ToString(CultureInfo.InvariantCulture)} (years)"));
        if (!(Pue >= 1 && Pue <= MaxPue))
            errors.Add(new ValidationError("--pue", Pue.ToString(CultureInfo.InvariantCulture), $"must be a number from 1 to {MaxPue.ToString(CultureInfo.InvariantCulture)}"));
        if (!(UsdPerKwh >= 0 && UsdPerKwh <= MaxUsdPerKwh))
            errors.Add(new ValidationError("--usd-per-kwh", UsdPerKwh.ToString(CultureInfo.InvariantCulture), $"must be a number from 0 to {MaxUsdPerKwh.ToString(CultureInfo.InvariantCulture)} ($/kWh)"));
        if (!(Margin >= 0 && Margin < 1))
            errors.Add(new ValidationError("--margin", Margin.ToString(CultureInfo.InvariantCulture), "must be a number >= 0 and < 1 (a share of the price)"));
        return errors;
    }
}

/// <summary>The cost of a million output tokens split into its parts, USD.</summary>
/// <param name="Year">Calendar year (the price is that of 1 July).</param>
/// <param name="PriceUsd">The unit's price in the year, USD.</param>
/// <param name="Hardware">Amortised capex per Mtok: price in the year / (life x 8,766 h) / tokens per hour x 10^6.</param>
/// <param name="Energy">Power x PUE x electricity price per Mtok.</param>
/// <param name="Margin">(hardware + energy) x m / (1 - m).</param>
public sealed record MtokCost(int Year, double PriceUsd, double Hardware, double Energy, double Margin)
{
    /// <summary>Hardware + energy + margin.</summary>
    public double Total => Hardware + Energy + Margin;
}

/// <summary>Hourly cost of an accelerator and the cost of a million output tokens.</summary>
public static class ServingCost
{
    /// <summary>Hours in a year of 365.25 days.</summary>
    public const double HoursPerYear = 8766;

    /// <summary>
    /// unit capex / (life x 8,766 h) + power kW x PUE x $/kWh, with the catalog's unit capex (the accelerator's share of
    /// the server, USD) and power (kW, with its server share), docs/catalog.md. No margin.
    /// </summary>
    public static double UsdPerGpuHour(double unitCapex, double powerKw, CostAssumptions assumptions) =>
        unitCapex / (assumptions.LifeYears * HoursPerYear) + powerKw * assumptions.Pue * assumptions.UsdPerKwh;

    /// <summary>$ per million output tokens: hourly cost / (tokens/s x 3,600) x 10^6.</summary>
    public static double UsdPerMtok(double usdPerGpuHour, double tokensPerSPerGpu) =>
        usdPerGpuHour / (tokensPerSPerGpu * 3600.0) * 1e6;

    /// <summary>
    /// The price of a unit quoted at <paramref name="quotedUnitCapex"/> in month <paramref name="quoteYear"/> (a
    /// fractional year: 2024-08 is 2024 + 7/12) on 1 July of <paramref name="year"/>, carried along the street-price
    /// decline d a year: K (1 - d)^(year + 0.5 - quote), the catalog's own rule (docs/catalog.md, unit capex).
    /// </summary>
    public static double PriceInYear(double quotedUnitCapex, double quoteYear, double decline, int year) =>
        quotedUnitCapex * Math.Pow(1.0 - decline, year + 0.5 - quoteYear);

    /// <summary>
    /// A million tokens bought in <paramref name="year"/> from an accelerator that serves <paramref name="tokensPerSPerGpu"/>:
    /// hardware (the year's price over the booked life), energy and margin per <see cref="CostAssumptions"/>.
    /// </summary>
    public static MtokCost InYear(int year, double priceInYear, double powerKw, double tokensPerSPerGpu, CostAssumptions a)
    {
        double mtokPerHour = tokensPerSPerGpu * 3600.0 / 1e6;
        double hardware = priceInYear / (a.LifeYears * HoursPerYear) / mtokPerHour;
        double energy = powerKw * a.Pue * a.UsdPerKwh / mtokPerHour;
        return new MtokCost(year, priceInYear, hardware, energy, (hardware + energy) * a.Margin / (1.0 - a.Margin));
    }
}
