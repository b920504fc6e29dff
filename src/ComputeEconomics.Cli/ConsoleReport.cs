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
        PrintAnswer(console, s);
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("metric", "mean", "stderr", "P5", "P50", "P95", "CVaR5", "absent");
        foreach (var m in s.Metrics)
            table.AddRow(m.Name, N(m.Mean), N(m.StdError), N(m.P5), N(m.P50), N(m.P95), N(m.Cvar5), m.Absent.ToString(Inv));
        foreach (var c in table.Columns.Skip(1)) c.RightAligned();
        console.Write(table);
    }

    private static void PrintAnswer(IAnsiConsole console, RunSummary s)
    {
        var lines = Answers.For(s);
        if (lines.Count == 0) return;
        console.WriteLine();
        int width = lines.Max(l => l.Label.Length) + 2;
        foreach (var (label, text) in lines) console.WriteLine($"  {label.PadRight(width)}{text}");
        console.WriteLine();
    }

    private static string Money(double x) => Answers.Money(x);

    private static string N(double x)
    {
        if (double.IsNaN(x)) return "-";
        double a = Math.Abs(x);
        return a >= 1e4 ? Money(x) : a >= 1 ? x.ToString("0.000", Inv) : x.ToString("0.0000", Inv);
    }
}
