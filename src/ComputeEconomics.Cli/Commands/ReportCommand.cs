using System.ComponentModel;
using ComputeEconomics.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ComputeEconomics.Cli.Commands;

/// <summary>`ce report DIR`: the HTML report (report.html, charts/*.png, charts/*.svg) of a folder written by `ce run --out DIR`.</summary>
public sealed class ReportCommand : Command<ReportCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DIR>"), Description("A folder written by `ce run --out DIR`")]
        public string Dir { get; init; } = "";

        [CommandOption("--histogram <METRIC>"), Description("Also draw this metric's histogram (repeatable; NPV is always drawn)")]
        public string[] Histogram { get; init; } = Array.Empty<string>();

        [CommandOption("--out <DIR>"), Description("Write the report here instead of into DIR")]
        public string? Out { get; init; }

        [CommandOption("--quiet"), Description("Print nothing but errors")]
        public bool Quiet { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Out != null) OutputFolder.Check("--out", settings.Out);
        var cancellation = Cli.Linked(cancellationToken);   // SIGINT/SIGTERM: between reading, drawing and writing
        var run = RunDirectory.Load(settings.Dir);
        cancellation.ThrowIfCancellationRequested();
        PhaseLog.Enter("report");
        var page = HtmlReport.ForRun(run, settings.Histogram, cancellation);
        cancellation.ThrowIfCancellationRequested();
        string path = HtmlReport.Write(settings.Out ?? settings.Dir, page);
        if (!settings.Quiet) Cli.Out.MarkupLine($"wrote [bold]{Markup.Escape(path)}[/] ({page.Charts.Count()} charts; PNG and SVG under charts/)");
        return Cli.Ok;
    }
}
