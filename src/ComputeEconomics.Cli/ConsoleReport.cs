using System.Globalization;
using ComputeEconomics.Output;
using ComputeEconomics.Running;
using Spectre.Console;

namespace ComputeEconomics.Cli;

/// <summary>
/// The run summary as console tables: the answer first, then every metric in its unit (shares in percent, money in
/// k/M/B), CVaR5 on the unfavourable tail (↑: the highest 5 %, where less is better). Colour where the terminal supports it
/// (negative money red, labels bold); plain aligned text when redirected or NO_COLOR is set (see <see cref="Cli.Out"/>).
/// </summary>
public static class ConsoleReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Print(RunSummary s) => Print(Cli.Out, s);

    public static void Print(IAnsiConsole console, RunSummary s)
    {
        console.MarkupLine($"[bold]{Markup.Escape(s.Scenario)}[/] ({Markup.Escape(s.Model)}) - {s.Paths.ToString("N0", Inv)} paths, seed {s.Seed.ToString(Inv)}, {Markup.Escape(s.Backend)}, {s.ElapsedSeconds.ToString("0.00", Inv)} s");
        if (s.Question.Length > 0) console.MarkupLine($"[italic]{Markup.Escape(s.Question)}[/]");
        PrintAnswer(console, s);
        var table = new Table().Border(TableBorder.Simple).BorderColor(Color.Grey);
        table.AddColumn(new TableColumn("[bold]metric[/]").NoWrap());
        table.AddColumn(new TableColumn("[bold]unit[/]").NoWrap());
        foreach (var h in new[] { "mean", "stderr", "P5", "P50", "P95", "CVaR5", "absent" })
            table.AddColumn(new TableColumn($"[bold]{h}[/]").RightAligned().NoWrap());
        foreach (var m in s.Metrics)
        {
            string unit = MetricFormat.UnitOf(m.Name, s.Model);
            string cvar = C(m.Cvar5, unit) + (m.Cvar5Tail == "upper" ? " \u2191" : "  "); // the figures stay aligned
            table.AddRow(new[] { Markup.Escape(m.Name), Markup.Escape(MetricFormat.Short(unit)), C(m.Mean, unit), C(m.StdError, unit), C(m.P5, unit),
                    C(m.P50, unit), C(m.P95, unit), cvar, m.Absent.ToString("N0", Inv) }
                .Select(x => (Spectre.Console.Rendering.IRenderable)new Markup(x)));
        }
        console.Write(table);
    }

    private static void PrintAnswer(IAnsiConsole console, RunSummary s)
    {
        var lines = Answers.For(s);
        if (lines.Count == 0) return;
        console.WriteLine();
        int width = lines.Max(l => l.Label.Length) + 2;
        foreach (var (label, text) in lines) console.MarkupLine($"  [bold]{Markup.Escape(label.PadRight(width))}[/]{Markup.Escape(text)}");
        console.WriteLine();
    }

    /// <summary>A statistic in its unit (<see cref="MetricFormat.Cell"/>: money in k/M/B, fractions in percent) as markup: negative values red.</summary>
    private static string C(double x, string unit)
    {
        string t = Markup.Escape(MetricFormat.Cell(x, unit));
        return x < 0 ? $"[red]{t}[/]" : t;
    }
}
