using ComputeEconomics.Models;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Output;

/// <summary>
/// Numbers with their units, from <see cref="MetricInfo"/>: USD as money (k, M, B), fractions and flags as percent,
/// months, counts and ratios as such. One place, so the reports and the console never label a month "USD".
/// </summary>
public static class MetricFormat
{

    /// <summary>
    /// The unit of <paramref name="metric"/> in a run of <paramref name="model"/>: <see cref="MetricInfo"/>'s, with money in
    /// the kind's <see cref="IModelKind.MoneyUnit"/> (the sector model counts USD billions, docs/model.md section 7).
    /// </summary>
    public static string UnitOf(string metric, string model) => MetricInfo.UnitIn(metric, model);

    /// <summary>The money unit of a run of <paramref name="model"/> ("USD" for an unknown kind).</summary>
    public static string MoneyUnit(string model) => (KindRules.Find(model) as IModelKind)?.MoneyUnit ?? "USD";

    /// <summary>The unit of a sweep column: M_STAT takes M's unit (counts for M_count, M_absent); E_probability is a fraction.</summary>
    public static string ColumnUnit(string column, IEnumerable<string> metrics, string model = "")
    {
        if (column.EndsWith("_probability", StringComparison.Ordinal) || column.EndsWith("_probability_stderr", StringComparison.Ordinal))
            return "fraction";
        foreach (var m in metrics.OrderByDescending(m => m.Length))
            if (column.StartsWith(m + "_", StringComparison.Ordinal))
                return column[(m.Length + 1)..] is "count" or "absent" ? "count" : UnitOf(m, model);
        return "";
    }

    /// <summary>The unit as words for a label or a table heading ("months", "%", "USD per GPU-hour"); empty when none.</summary>
    public static string Words(string unit) => unit switch
    {
        "fraction" or "flag" => "%",
        "fraction/yr" => "% per year",
        "month" => "months",
        "year" => "year of the horizon",
        "USD bn" => "USD billions",
        "USD/GPU-hour" => "USD per GPU-hour",
        "USD/Mtok" => "USD per million tokens",
        "USD/kWh" => "USD per kWh",
        "ratio" => "x",
        "price" => "price unit of the scenario",
        _ => unit,
    };

    /// <summary>The unit for a table's unit column, short: "%" for fractions and flags, "%/yr", "months", "USD/GPU-hour"; "USD" for "USD bn" (<see cref="Cell"/> writes 150.00B).</summary>
    public static string Short(string unit) => unit switch
    {
        "USD bn" => "USD",
        "fraction" or "flag" => "%",
        "fraction/yr" => "%/yr",
        "month" => "months",
        "ratio" => "x",
        _ => unit,
    };

    /// <summary>A value with its unit: "USD 12.3M", "23.4 %", "41.2 months", "1.85 USD per GPU-hour".</summary>
    public static string Format(double x, string unit)
    {
        if (double.IsNaN(x)) return "-";
        return unit switch
        {
            "USD" => "USD " + Answers.Money(x),
            "USD bn" => "USD " + Answers.Money(x * 1e9),
            "fraction" or "flag" => ComputeEconomics.Format.Percent(x),
            "fraction/yr" => ComputeEconomics.Format.PercentNumber(x) + " % per year",
            "count" => Number(x),
            "ratio" => Number(x) + "x",
            "" => Number(x),
            _ => Number(x) + " " + Words(unit),
        };
    }

    /// <summary>A value in a table whose heading carries the unit: money as 12.3M, fractions as percent, else 3-4 significant figures.</summary>
    public static string Cell(double x, string unit)
    {
        if (double.IsNaN(x)) return "-";
        return unit switch
        {
            "USD" => Answers.Money(x),
            "USD bn" => Answers.Money(x * 1e9),
            "fraction" or "flag" or "fraction/yr" => ComputeEconomics.Format.PercentNumber(x),
            _ => Number(x),
        };
    }

    /// <summary>The axis scale of a quantity in <paramref name="unit"/>: money scaled by magnitude, fractions as percent.</summary>
    public static AxisScale Scale(string quantity, string unit, IEnumerable<double> values) => unit switch
    {
        "USD" => AxisScale.Money(quantity, values),
        "USD bn" => Billions(AxisScale.Money(quantity, values.Select(v => v * 1e9))),
        "fraction" or "flag" => AxisScale.Percent(quantity),
        "fraction/yr" => new AxisScale($"{quantity}, % per year", 0.01),
        _ => AxisScale.Plain(quantity, Words(unit)),
    };

    /// <summary>A money scale chosen for USD, applied to data in USD billions.</summary>
    private static AxisScale Billions(AxisScale usd) => usd with { Divisor = usd.Divisor / 1e9 };

    private static string Number(double x)
    {
        double a = Math.Abs(x);
        return ComputeEconomics.Format.Fixed(x, a >= 1e4 ? "N0" : a >= 100 ? "0.0" : a >= 1 ? "0.00" : a == 0 ? "0" : "0.000");
    }
}
