using System.ComponentModel;
using System.Globalization;
using System.Text;
using ComputeEconomics.Backends;
using ComputeEconomics.Running;
using ComputeEconomics.Sweeps;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ComputeEconomics.Cli.Commands;

/// <summary>
/// `ce sensitivity FILE --metric M`: one-at-a-time swings (tornado) and Sobol first-order and total indices (Saltelli
/// sampling, Jansen estimators, bootstrap intervals) of one objective over the ranges of the sweep's axes.
/// </summary>
public sealed class SensitivityCommand : Command<SensitivityCommand.Settings>
{
    public sealed class Settings : SimulationSettings
    {
        [CommandArgument(0, "<FILE>"), Description("Scenario with a sweep: section (its axes' ranges or values are the inputs), or a sweep file")]
        public string File { get; init; } = "";

        [CommandOption("--metric <METRIC>"), Description("Objective: METRIC.STAT (npv.mean, npv.cvar5) or EVENT_probability"), DefaultValue("npv.mean")]
        public string Metric { get; init; } = "npv.mean";

        [CommandOption("--samples <N>"), Description("Saltelli base samples N: N(d + 2) model runs for d axes"), DefaultValue(64)]
        public int Samples { get; init; } = 64;

        [CommandOption("--bootstrap <B>"), Description("Bootstrap replicates for the confidence intervals"), DefaultValue(500)]
        public int Bootstrap { get; init; } = 500;






        [CommandOption("--out <DIR>"), Description("Write tornado.csv, sobol.csv and every run's row (points.csv/parquet, manifest.json); checkpointed")]
        public string? Out { get; init; }

        [CommandOption("--report"), Description("Also write report.html (tornado chart, Sobol indices with intervals) into --out")]
        public bool Report { get; init; }

        [CommandOption("--resume"), Description("Finish an interrupted analysis from the checkpoint in --out")]
        public bool Resume { get; init; }


        public override ValidationResult Validate()
        {
            if (Samples is < 2 or > 1_000_000) return ValidationResult.Error($"--samples ({Samples}) must be in [2, 1000000]");
            if (Bootstrap is < 0 or > 100_000) return ValidationResult.Error($"--bootstrap ({Bootstrap}) must be in [0, 100000]");
            return base.Validate();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var overrides = settings.Overrides();
        if (settings.Out != null) ComputeEconomics.Output.OutputFolder.Check("--out", settings.Out);
        var plan = SweepPlan.Load(settings.File, overrides);
        if (settings.Resume && settings.Out == null) throw new InputException("--resume", "(no --out)", "needs --out DIR: the checkpoint lives there");
        var design = new SensitivityDesign(plan, settings.Samples);
        var table = SweepRunner.TableFor(design.Plan);
        var objective = Objective.Parse(settings.Metric, "max", table, "--metric");

        using var backend = BackendFactory.Create(settings.Backend, settings.Threads, out string note);
        if (!settings.Quiet)
        {
            Cli.Err.MarkupLine($"[grey]backend: {Markup.Escape(note)}; math: {Markup.Escape(backend.MathPath)}[/]");
            Cli.Err.MarkupLine($"[grey]{Markup.Escape(plan.Base.Name)}: {plan.Axes.Count} inputs, {design.Plan.PointCount:N0} runs (1 + 2d one-at-a-time, N(d + 2) = {design.N}x{plan.Axes.Count + 2} Saltelli), {plan.Base.Paths:N0} paths each[/]");
        }
        var options = new SweepRunOptions
        {
            CheckpointPath = settings.Out is { } dir ? Path.Combine(dir, SweepOutput.CheckpointFile) : null,
            Resume = settings.Resume,
            BatchSize = settings.Batch,
            Cancellation = Cli.Linked(cancellationToken),
        };
        if (settings.Report && settings.Out == null) throw new InputException("--report", "(no --out)", "needs --out DIR: the report is written there");
        if (settings.Out is { } checkpointDir)
            Cli.InterruptHint = settings.ResumeHint("sensitivity", settings.File, checkpointDir,
                $" --metric {settings.Metric} --samples {settings.Samples.ToString(CultureInfo.InvariantCulture)}");
        var outcome = SweepProgressBar.Run(plan.Base.Name, options, o => SweepRunner.Run(design.Plan, backend, o), !settings.Quiet);
        options.Cancellation.ThrowIfCancellationRequested();   // SIGINT/SIGTERM after the last point: no analysis, no output
        var (tornado, sobol) = design.Analyze(outcome.Rows, table, objective.Column, settings.Bootstrap, options.Cancellation);
        options.Cancellation.ThrowIfCancellationRequested();

        if (settings.Out is { } outDir)
        {
            var files = SweepOutput.Files(design.Plan, table, outcome.Rows, null, outcome.Backend, outcome.Device, outcome.MathPath, SweepOutput.Timings(outcome));
            var utf8 = new UTF8Encoding(false);
            files["tornado.csv"] = utf8.GetBytes(SobolAnalysis.TornadoCsv(tornado, objective.Column));
            files["sobol.csv"] = utf8.GetBytes(SobolAnalysis.Csv(plan.Axes, sobol, objective.Column, design.N));
            SweepOutput.WriteAll(outDir, files);
            if (settings.Report)
            {
                var facts = new ComputeEconomics.Output.Report.SweepRunFacts(SweepReport.SourceText(settings.File), overrides, outcome.Device, outcome.MathPath);
                var page = ReportPage(design, objective.Column, tornado, sobol, settings.Bootstrap, outcome, facts);
                string path = ComputeEconomics.Output.HtmlReport.Write(outDir, page);
                if (!settings.Quiet) Cli.Err.MarkupLine($"[grey]report: {Markup.Escape(path)}[/]");
            }
        }
        if (!settings.Quiet) Print(tornado, sobol, plan, objective.Column, design.N);
        return Cli.Ok;
    }

    /// <summary>The report of <c>ce sensitivity --report</c>: the tornado and Sobol charts, the base scenario's inputs with
    /// their sources, and how the runs were made (the sweep report's manifest).</summary>
    private static ComputeEconomics.Output.ReportPage ReportPage(SensitivityDesign design, string column, List<TornadoBar> tornado,
        SobolIndex[] sobol, int bootstrap, SweepOutcome outcome, ComputeEconomics.Output.Report.SweepRunFacts facts)
    {
        var plan = design.Plan;
        var baseValue = tornado.Count > 0 ? tornado[0].AtBase : double.NaN;
        var scale = ComputeEconomics.Output.AxisScale.Money(column, tornado.SelectMany(b => new[] { b.AtLow, b.AtHigh }).Where(double.IsFinite));
        var tornadoChart = ComputeEconomics.Output.Charts.Tornado("tornado", $"{column}: one input at a time", baseValue,
            tornado.Select(b => new ComputeEconomics.Output.TornadoBar(b.Axis.Name, b.Low, b.High, b.AtLow, b.AtHigh)).ToList(), scale);
        var sobolChart = ComputeEconomics.Output.Charts.Sobol("sobol", $"Sobol indices of {column}",
            sobol.Select(x => new ComputeEconomics.Output.SobolIndex(plan.Axes[x.Input].Name, x.S1, x.S1Low, x.S1High, x.ST, x.STLow, x.STHigh)).ToList(),
            $"95% bootstrap intervals ({bootstrap} replicates), Jansen estimators, N = {design.N}");
        return new ComputeEconomics.Output.ReportPage
        {
            Title = $"{plan.Base.Name}: sensitivity of {column}",
            Question = plan.Base.Question,
            Sections = new[]
            {
                new ComputeEconomics.Output.ReportSection("Which inputs move the answer",
                    "Tornado: each input at its low and high end with the others at the base. Sobol: the share of the output variance due to each input alone (first order) and with its interactions (total).",
                    new[] { tornadoChart, sobolChart }),
            },
            Model = plan.Base.Model,
            Inputs = ComputeEconomics.Output.ScenarioInputs.Rows(ComputeEconomics.Scenarios.ScenarioLoader.ToYaml(plan.Base), facts.SourceYaml, facts.Overrides),
            InputNotes = ComputeEconomics.Output.ScenarioInputs.Header(facts.SourceYaml).Append(
                $"The inputs varied ({string.Join(", ", plan.Axes.Select(a => a.Name))}) take each run's value; the table gives the base scenario's.").ToList(),
            Manifest = ComputeEconomics.Output.Report.SweepReportPage.Manifest(plan, plan.PointCount, outcome.Backend, outcome.ElapsedSeconds, facts),
        };
    }

    private static void Print(List<TornadoBar> tornado, SobolIndex[] sobol, SweepPlan plan, string objective, int n)
    {
        AnsiConsole.MarkupLine($"[bold]one-at-a-time swings of {Markup.Escape(objective)}[/] (base {N(tornado.FirstOrDefault()?.AtBase ?? double.NaN)})");
        var t = new Table().Border(TableBorder.Simple).AddColumns("axis", "low", "high", "at low", "at high", "swing");
        foreach (var b in tornado) t.AddRow(Markup.Escape(b.Axis.Name), Markup.Escape(b.Low), Markup.Escape(b.High), N(b.AtLow), N(b.AtHigh), N(b.Swing));
        AnsiConsole.Write(t);
        AnsiConsole.MarkupLine($"[bold]Sobol indices of {Markup.Escape(objective)}[/] (N = {n}, Jansen estimators, 95 % bootstrap intervals)");
        var u = new Table().Border(TableBorder.Simple).AddColumns("axis", "S1", "S1 95%", "ST", "ST 95%");
        foreach (var x in sobol)
            u.AddRow(Markup.Escape(plan.Axes[x.Input].Name), Index(x.S1), $"[[{Index(x.S1Low)}, {Index(x.S1High)}]]", Index(x.ST), $"[[{Index(x.STLow)}, {Index(x.STHigh)}]]");
        AnsiConsole.Write(u);
        if (sobol.Any(x => !double.IsFinite(x.S1) || !double.IsFinite(x.ST)))
            AnsiConsole.MarkupLine($"-: not defined: {Markup.Escape(objective)} takes one value in every Saltelli run (no variance to share out), or a run has no value");
        else if (sobol.Any(x => !double.IsFinite(x.S1Low)))
            AnsiConsole.MarkupLine("-: no interval (--bootstrap below 2)");
    }

    /// <summary>A Sobol index or bound to 3 decimals; "-" where it is not defined (sobol.csv leaves it empty), never "NaN".</summary>
    private static string Index(double x) => double.IsFinite(x) ? x.ToString("0.000", CultureInfo.InvariantCulture) : "-";

    private static string N(double x) => double.IsNaN(x) ? "-" : Math.Abs(x) >= 1e4 ? ComputeEconomics.Output.Answers.Money(x) : x.ToString("0.0000", CultureInfo.InvariantCulture);
}
