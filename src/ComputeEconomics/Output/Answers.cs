using System.Globalization;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Running;
using ComputeEconomics.Models.Lab;
using ComputeEconomics.Models.Sector;

namespace ComputeEconomics.Output;

/// <summary>The answer a scenario exists for, as a few labelled lines (console, report): printed before the tables.</summary>
public static class Answers
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Label and text of each key figure of <paramref name="s"/>.</summary>
    public static IReadOnlyList<(string Label, string Text)> For(RunSummary s) => s.Model switch
    {
        "fleet" => Fleet(s),
        "lab" => LabCompiler.AnswerLines(s),
        "sector" => SectorCompiler.AnswerLines(s),
        _ => Array.Empty<(string, string)>(),
    };

    private static List<(string, string)> Fleet(RunSummary s)
    {
        var lines = new List<(string, string)>();
        var def = s.Probabilities["default"];
        var npv = s.Metric("npv");
        lines.Add(("P(default)", $"{def.P.ToString("P1", Inv)} (+/- {def.StdError.ToString("P1", Inv)})"));
        lines.Add(("P(NPV < 0)", s.Probabilities["npv_negative"].P.ToString("P1", Inv)));
        lines.Add(("NPV, USD", $"mean {Money(npv.Mean)}  P5 {Money(npv.P5)}  P50 {Money(npv.P50)}  P95 {Money(npv.P95)}  CVaR5 {Money(npv.Cvar5)}"));
        foreach (var (label, book, market) in new[] { ("year 3", "book_value_y3", "market_value_y3"), ("year 6", "book_value_y6", "market_value_y6") })
        {
            var b = s.Metric(book);
            var m = s.Metric(market);
            if (b.Count == 0) continue;
            lines.Add(($"Book vs market, {label}", $"book {Money(b.Mean)}  market {Money(m.Mean)} (P5 {Money(m.P5)}, P95 {Money(m.P95)})  gap {Money(b.Mean - m.Mean)}"));
        }
        var over = s.Metric("earnings_overstatement");
        lines.Add(("Earnings overstatement", $"mean {Money(over.Mean)} cumulative to the horizon (economic minus book depreciation)"));
        var irr = s.Metric("irr");
        if (irr.Count > 0) lines.Add(("Project IRR", $"P50 {irr.P50.ToString("P1", Inv)} (absent on {irr.Absent:N0} paths: no sign change)"));
        return lines;
    }

    /// <summary>Compact money: 1.23B, 45.6M.</summary>
    public static string Money(double x)
    {
        if (double.IsNaN(x)) return "-";
        double a = Math.Abs(x);
        return a >= 1e9 ? (x / 1e9).ToString("0.00", Inv) + "B"
             : a >= 1e6 ? (x / 1e6).ToString("0.0", Inv) + "M"
             : a >= 1e3 ? (x / 1e3).ToString("0.0", Inv) + "k"
             : x.ToString("0.00", Inv);
    }
}
