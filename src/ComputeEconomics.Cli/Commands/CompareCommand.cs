using System.ComponentModel;
using ComputeEconomics.Backends;
using ComputeEconomics.Compare;
using ComputeEconomics.Models;
using ComputeEconomics.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ComputeEconomics.Cli.Commands;

/// <summary>
/// `ce compare A B [C ...] [--variant "NAME: k=v, k=v"]...`: the scenarios on common random numbers, every shared metric's
/// paired difference from the baseline A with its standard error; --out writes compare.csv, compare.parquet, summary.json
/// and compare.html.
/// </summary>
public sealed class CompareCommand : Command<CompareCommand.Settings>
{
    public class Settings : SimulationSettings
    {
        [CommandArgument(0, "<SCENARIOS>"), Description("Scenario files or built-in names; the first is the baseline")]
        public string[] Scenarios { get; init; } = Array.Empty<string>();

        [CommandOption("--variant <SPEC>"), Description("\"NAME: path=value, path=value\": the baseline with these overrides, compared as one more scenario (repeatable)")]
        public string[] Variant { get; init; } = Array.Empty<string>();

        [CommandOption("--chart <METRIC>"), Description("The metric drawn as histograms and as the first difference chart (default: npv, final_cash, final_gap or mean_price)")]
        public string? Chart { get; init; }

        [CommandOption("--out <DIR>"), Description("Write compare.csv, compare.parquet, summary.json, compare.html and charts/ here (atomically)")]
        public string? Out { get; init; }

        [CommandOption("--all"), Description("Print every metric, not only those whose 95 % interval leaves out 0")]
        public bool All { get; init; }

        [CommandOption("--json"), Description("Print summary.json to stdout instead of tables")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // The destination is checked before any simulation: a comparison that cannot be written is not run.
        if (settings.Out != null) OutputFolder.Check("--out", settings.Out);
        var entries = CompareSpec.Entries(settings.Scenarios, settings.Variant, settings.Overrides());
        var scenarios = CompareRunner.Load(entries);
        string headline = CompareRunner.Headline(scenarios, settings.Chart);
        bool chatty = !settings.Quiet && !settings.Json;
        using var backend = BackendFactory.Create(settings.Backend, settings.Threads, out string note);
        if (chatty) Cli.Err.MarkupLine($"[grey]backend: {Markup.Escape(note)}; math: {Markup.Escape(backend.MathPath)}[/]");
        var token = Cli.Linked(cancellationToken);
        var result = CompareRunner.Run(scenarios, headline,
            s => ProgressRunner.Run(s.Job, backend, CompareRunner.Options(s, settings.Batch, token), show: chatty), token);
        token.ThrowIfCancellationRequested();   // SIGINT/SIGTERM after the runs: nothing printed, nothing written
        if (settings.Out is { } dir) CompareOutput.Write(dir, result, token);
        if (settings.Json) Console.Write(CompareOutput.Json(result));
        else if (!settings.Quiet) Print(result, settings.All);
        if (settings.Out != null && chatty)
            Cli.Err.MarkupLine($"[grey]wrote {Markup.Escape(settings.Out)} (compare.csv, compare.parquet, summary.json, compare.html)[/]");
        return Cli.Ok;
    }

    /// <summary>
    /// What the metrics left out have in common, in words: equal on every path, no standard error (fewer than 2 paths
    /// with both values: "differ by less than 1.96 s.e." was printed for a 1-path comparison), or inside 1.96 s.e.
    /// </summary>
    internal static string Hidden(IReadOnlyList<PairedDifference> hidden)
    {
        int equal = hidden.Count(r => r.Diff == 0 && r.DiffStdError == 0);
        int noError = hidden.Count(r => !double.IsFinite(r.DiffStdError));
        int within = hidden.Count - equal - noError;
        if (equal == 0 && noError == 0) return $"{within} other metric(s) differ by less than 1.96 s.e. (--all prints them)";
        var parts = new List<string>();
        if (within > 0) parts.Add($"{within} differ by less than 1.96 s.e.");
        if (equal > 0) parts.Add($"{equal} are equal on every path");
        if (noError > 0) parts.Add($"{noError} have no standard error (fewer than 2 paths with both values)");
        return $"{hidden.Count} other metric(s) not shown: {string.Join("; ", parts)} (--all prints them)";
    }

    /// <summary>One table per compared scenario: the headline metric and events always, other metrics when significant (or --all).</summary>
    private static void Print(CompareResult result, bool all)
    {
        Cli.Out.MarkupLine(Markup.Escape($"{result.Model}: {result.Paths:N0} paths, seed {result.Seed}, common random numbers; baseline {result.Baseline}"));
        foreach (var run in result.Runs.Skip(1))
        {
            var rows = result.Rows.Where(r => r.Scenario == run.Label).ToList();
            var shown = rows.Where(r => all || r.Metric == result.Headline || r.Statistic == "probability" || CompareFormat.Significant(r)).ToList();
            var table = new Table().Border(TableBorder.Simple).BorderColor(Color.Grey)
                .Title(Markup.Escape($"{run.Label} - {result.Baseline}"));
            foreach (var h in new[] { "metric", "unit", result.Baseline, run.Label, "difference", "paired s.e.", "95% interval", "unpaired s.e.", "VR" })
                table.AddColumn(new TableColumn(Markup.Escape(h)).RightAligned());
            foreach (var r in shown)
            {
                string name = r.Statistic == "probability" ? $"P({r.Metric})" : r.Metric;
                table.AddRow(Markup.Escape(name), Markup.Escape(r.Unit), Markup.Escape(CompareFormat.Value(r.MeanBase, r.Unit)),
                    Markup.Escape(CompareFormat.Value(r.Mean, r.Unit)), Markup.Escape(CompareFormat.Value(r.Diff, r.Unit)),
                    Markup.Escape(CompareFormat.Value(r.DiffStdError, r.Unit)), Markup.Escape(CompareFormat.Interval(r)),
                    Markup.Escape(CompareFormat.Value(r.UnpairedStdError, r.Unit)), Markup.Escape(CompareFormat.Factor(r.VarianceReduction)));
            }
            Cli.Out.Write(table);
            if (shown.Count < rows.Count)
                Cli.Out.MarkupLine(Markup.Escape(Hidden(rows.Except(shown).ToList())));
        }
        Cli.Out.MarkupLine(Markup.Escape("difference = scenario - baseline, path by path; VR = (unpaired s.e. / paired s.e.)^2, the variance cut by common random numbers"));
    }
}
