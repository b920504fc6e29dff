using System.Globalization;
using ComputeEconomics.Output;
using ComputeEconomics.Statistics;
using Spectre.Console;

namespace ComputeEconomics.Cli;

/// <summary>The run summary as console tables: the answer first, then every metric.</summary>
public static class ConsoleReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Print(RunSummary s)
    {
        var console = AnsiConsole.Console;
        console.MarkupLine($"[bold]{Markup.Escape(s.Scenario)}[/] ({s.Model}) - {s.Paths:N0} paths, seed {s.Seed}, {Markup.Escape(s.Backend)}, {s.ElapsedSeconds:0.00} s");
        if (s.Question.Length > 0) console.MarkupLine($"[italic]{Markup.Escape(s.Question)}[/]");
        if (s.Model == "fleet") PrintFleetAnswer(console, s);
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("metric", "mean", "stderr", "P5", "P50", "P95", "CVaR5", "absent");
        foreach (var m in s.Metrics)
            table.AddRow(m.Name, N(m.Mean), N(m.StdError), N(m.P5), N(m.P50), N(m.P95), N(m.Cvar5), m.Absent.ToString(Inv));
        foreach (var c in table.Columns.Skip(1)) c.RightAligned();
        console.Write(table);
    }

    private static void PrintFleetAnswer(IAnsiConsole console, RunSummary s)
    {
        var def = s.Probabilities["default"];
        var npv = s.Metric("npv");
        console.WriteLine();
        console.MarkupLine($"  P(default)                {def.P:P1} (+/- {def.StdError:P1})");
        console.MarkupLine($"  P(NPV < 0)                {s.Probabilities["npv_negative"].P:P1}");
        console.MarkupLine($"  NPV, USD                  mean {Money(npv.Mean)}  P5 {Money(npv.P5)}  P50 {Money(npv.P50)}  P95 {Money(npv.P95)}  CVaR5 {Money(npv.Cvar5)}");
        Line(console, s, "year 3", "book_value_y3", "market_value_y3");
        Line(console, s, "year 6", "book_value_y6", "market_value_y6");
        var over = s.Metric("earnings_overstatement");
        console.MarkupLine($"  Earnings overstatement    mean {Money(over.Mean)} cumulative to the horizon (economic minus book depreciation)");
        var irr = s.Metric("irr");
        if (irr.Count > 0) console.MarkupLine($"  Project IRR               P50 {irr.P50:P1}  (absent on {irr.Absent:N0} paths: no sign change)");
        console.WriteLine();
    }

    private static void Line(IAnsiConsole console, RunSummary s, string label, string book, string market)
    {
        var b = s.Metric(book);
        var m = s.Metric(market);
        if (b.Count == 0) return;
        console.MarkupLine($"  Book vs market, {label,-8}  book {Money(b.Mean)}  market {Money(m.Mean)} (P5 {Money(m.P5)}, P95 {Money(m.P95)})  gap {Money(b.Mean - m.Mean)}");
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

    private static string N(double x)
    {
        if (double.IsNaN(x)) return "-";
        double a = Math.Abs(x);
        return a >= 1e4 ? Money(x) : a >= 1 ? x.ToString("0.000", Inv) : x.ToString("0.0000", Inv);
    }
}
