using System.ComponentModel;
using System.Globalization;
using ComputeEconomics.Backends;
using ComputeEconomics.Output;
using ComputeEconomics.Sweeps;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ComputeEconomics.Cli.Commands;

/// <summary>
/// `ce sweep FILE`: every point of the scenario's sweep (or of one shard) with common random numbers; one row per
/// point to points.csv / points.parquet with a manifest; checkpointed, resumable; --optimize ranks the points.
/// </summary>
public sealed class SweepCommand : Command<SweepCommand.Settings>
{
    public sealed class Settings : SimulationSettings
    {
        [CommandArgument(0, "<FILE>"), Description("Scenario with a sweep: section, or a sweep file (scenario: + sweep:)")]
        public string File { get; init; } = "";







        [CommandOption("--out <DIR>"), Description("Write points.csv, points.parquet, manifest.json, sweep.yaml here (atomically); checkpoints go here too")]
        public string? Out { get; init; }

        [CommandOption("--shard <K/N>"), Description("Run only the points with index = K mod N (a job-array task); combine with ce merge")]
        public string? Shard { get; init; }

        [CommandOption("--resume"), Description("Finish an interrupted sweep from the checkpoint in --out")]
        public bool Resume { get; init; }

        [CommandOption("--report"), Description("Also write report.html (the metric over the axes) into --out")]
        public bool Report { get; init; }

        [CommandOption("--optimize <METRIC>"), Description("Rank the points by METRIC.STAT (npv.mean, npv.cvar5) or EVENT_probability (default_probability)")]
        public string? Optimize { get; init; }

        [CommandOption("--goal <G>"), Description("auto | max | min (auto: min for probabilities and costs, else max)"), DefaultValue("auto")]
        public string Goal { get; init; } = "auto";

        [CommandOption("--runners-up <N>"), Description("Runners-up compared with the best point"), DefaultValue(5)]
        public int RunnersUp { get; init; } = 5;


        public override ValidationResult Validate()
        {
            if (base.Validate() is { Successful: false } failed) return failed;
            if (RunnersUp is < 0 or > 1000) return ValidationResult.Error($"--runners-up ({RunnersUp}) must be in [0, 1000]");
            return ValidationResult.Success();
        }
    }

    /// <summary>The options a resumed sweep must repeat to finish the same command (shard, optimization, report, batch).</summary>
    private static string ResumeExtra(Settings settings)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var extra = new List<string>();
        if (settings.Shard is { } sa) extra.Add($"--shard {sa}");
        if (settings.Optimize is { } o)
        {
            extra.Add($"--optimize {o}");
            if (settings.Goal != "auto") extra.Add($"--goal {settings.Goal}");
            if (settings.RunnersUp != 5) extra.Add($"--runners-up {settings.RunnersUp.ToString(inv)}");
        }
        if (settings.Report) extra.Add("--report");
        if (settings.Batch is { } b) extra.Add($"--batch {b.ToString(inv)}");
        return string.Join(' ', extra);
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var overrides = settings.Overrides();
        if (settings.Out != null) OutputFolder.Check("--out", settings.Out);
        var plan = SweepPlan.Load(settings.File, overrides);
        var shard = settings.Shard is { } sh ? Sweeps.Shard.Parse(sh) : Sweeps.Shard.All;
        if (settings.Resume && settings.Out == null) throw new InputException("--resume", "(no --out)", "needs --out DIR: the checkpoint lives there");
        if (settings.Report && settings.Out == null) throw new InputException("--report", "(no --out)", "needs --out DIR: the report is written there");
        if (settings.Optimize != null && shard.Count > 1)
            throw new InputException("--optimize", settings.Optimize, "ranks the whole sweep: give it to ce merge, not to a shard");
        var table = SweepRunner.TableFor(plan);
        var objective = settings.Optimize is { } o ? Objective.Parse(o, settings.Goal, table) : null;

        using var backend = BackendFactory.Create(settings.Backend, settings.Threads, out string note);
        bool show = !settings.Quiet;
        if (show)
        {
            int mine = Enumerable.Range(0, plan.PointCount).Count(shard.Contains);
            Cli.Err.MarkupLine($"[grey]backend: {Markup.Escape(note)}; math: {Markup.Escape(backend.MathPath)}[/]");
            Cli.Err.MarkupLine($"[grey]{Markup.Escape(plan.Base.Name)}: {plan.Design}, {mine:N0} of {plan.PointCount:N0} points (shard {shard}), {plan.Base.Paths:N0} paths each, seed {plan.Base.Seed}[/]");
            if (settings.Out == null) Cli.Err.MarkupLine("[grey]no --out: results are printed, not written or checkpointed[/]");
        }
        if (settings.Out is { } checkpointDir)
        {
            Cli.InterruptHint = settings.ResumeHint("sweep", settings.File, checkpointDir, ResumeExtra(settings));
        }
        var options = new SweepRunOptions
        {
            BatchSize = settings.Batch,
            Shard = shard,
            CheckpointPath = settings.Out is { } dir ? Path.Combine(dir, SweepOutput.CheckpointFile) : null,
            Resume = settings.Resume,
            Cancellation = Cli.Linked(cancellationToken),
        };
        PhaseLog.Enter("simulation");
        var outcome = SweepProgressBar.Run(plan.Base.Name, options, o2 => SweepRunner.Run(plan, backend, o2), show);
        if (show && outcome.PointsResumed > 0) Cli.Err.MarkupLine($"[grey]resumed: {outcome.PointsResumed:N0} points from the checkpoint, {outcome.PointsRun:N0} run now[/]");

        OptimizationResult? best = null;
        if (objective != null)
        {
            PhaseLog.Enter("optimize");
            best = SweepOptimizer.Optimize(plan, table, outcome.Rows, objective, backend, settings.RunnersUp, settings.Batch, options.Cancellation);
        }

        if (settings.Out is { } outDir)
        {
            var files = SweepOutput.Files(plan, table, outcome.Rows, shard.Count > 1 ? shard : null, outcome.Backend, outcome.Device,
                outcome.MathPath, SweepOutput.Timings(outcome), best == null ? null : SweepOptimizer.Csv(best, table));
            // The report's charts are drawn before anything is published: an interruption while drawing keeps the
            // checkpoint, so the resume hint (which repeats --report) stays true and finishes from it.
            if (settings.Report && shard.Count == 1) PhaseLog.Enter("report");
            var page = settings.Report && shard.Count == 1
                ? ComputeEconomics.Output.Report.SweepReportPage.Build(plan, table, outcome.Rows, objective?.Column,
                    outcome.Backend, outcome.ElapsedSeconds, best, options.Cancellation,
                    new ComputeEconomics.Output.Report.SweepRunFacts(SweepReport.SourceText(settings.File), overrides, outcome.Device, outcome.MathPath))
                : null;
            options.Cancellation.ThrowIfCancellationRequested();
            SweepOutput.WriteAll(outDir, files);
            if (page != null)
            {
                string path = ComputeEconomics.Output.HtmlReport.Write(outDir, page);
                if (!settings.Quiet) Cli.Err.MarkupLine($"[grey]report: {Markup.Escape(path)}[/]");
            }
        }
        if (!settings.Quiet)
        {
            SweepReport.Points(table, outcome.Rows, objective?.Column);
            if (best != null) SweepReport.Optimization(best, table);
            Cli.Err.MarkupLine($"[grey]{outcome.PointsRun:N0} points in {outcome.ElapsedSeconds:0.0} s ({outcome.PathsSimulated / Math.Max(1e-9, outcome.ElapsedSeconds):N0} paths/s){(settings.Out != null ? $"; wrote {Markup.Escape(settings.Out)}" : "")}[/]");
        }
        return Cli.Ok;
    }
}

/// <summary>A sweep's progress on stderr: a bar with points done, paths/s and the ETA; periodic lines when not interactive.</summary>
public static class SweepProgressBar
{
    public static SweepOutcome Run(string name, SweepRunOptions options, Func<SweepRunOptions, SweepOutcome> run, bool show)
    {
        SweepProgress last = default;
        var gate = new object();
        var task = Task.Run(() => run(options with { Progress = pr => { lock (gate) last = pr; } }));
        // Waiting on the handle, not task.Wait: a failure comes out of GetResult as itself, not as an AggregateException.
        if (!show || Finished(task, 1000)) return task.GetAwaiter().GetResult();
        if (!Cli.Err.Profile.Capabilities.Interactive)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!Finished(task, 10_000))
            {
                SweepProgress p; lock (gate) p = last;
                Cli.Err.WriteLine(Line(name, p, clock.Elapsed));
            }
            return task.GetAwaiter().GetResult();
        }
        Cli.Err.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask(name, maxValue: 1);
                while (!task.IsCompleted)
                {
                    SweepProgress p; lock (gate) p = last;
                    if (p.PathsTotal > 0) { bar.MaxValue = p.PathsTotal; bar.Value = p.PathsDone; }
                    bar.Description = $"{Markup.Escape(name)}: {p.PointsDone:N0}/{p.PointsTotal:N0} points, {p.PathsPerSecond:N0} paths/s";
                    Thread.Sleep(200);
                }
                bar.Value = bar.MaxValue;
            });
        return task.GetAwaiter().GetResult();
    }

    private static bool Finished(Task task, int milliseconds) => ((IAsyncResult)task).AsyncWaitHandle.WaitOne(milliseconds);

    private static string Line(string name, SweepProgress p, TimeSpan elapsed)
    {
        double rate = p.PathsPerSecond;
        string eta = rate > 0 && p.PathsTotal > p.PathsDone ? TimeSpan.FromSeconds((p.PathsTotal - p.PathsDone) / rate).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "-";
        return $"{name}: {p.PointsDone:N0}/{p.PointsTotal:N0} points, {rate:N0} paths/s, elapsed {elapsed:hh\\:mm\\:ss}, ETA {eta}";
    }
}

/// <summary>Console tables of sweep results.</summary>
public static class SweepReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Up to 30 rows: the axes, then the objective (or the first metric's mean) and the first event's probability.</summary>
    public static void Points(SweepTable table, IReadOnlyList<SweepRow> rows, string? objective)
    {
        var shown = new List<string>();
        if (objective != null) shown.Add(objective);
        foreach (var c in new[] { $"{table.Metrics[0]}_mean", $"{table.Metrics[0]}_cvar5" }.Concat(table.Events.Take(1).Select(e => $"{e}_probability")))
            if (!shown.Contains(c) && table.IndexOf(c) >= 0) shown.Add(c);
        var t = new Table().Border(TableBorder.Simple).AddColumn("point");
        foreach (var a in table.Axes) t.AddColumn(a.Name);
        foreach (var c in shown) t.AddColumn(new TableColumn(c).RightAligned());
        foreach (var r in rows.Take(30))
        {
            var cells = new List<string> { r.Point.ToString(Inv) };
            cells.AddRange(r.Axis.Select(Markup.Escape));
            cells.AddRange(shown.Select(c => N(r.Values[table.IndexOf(c)])));
            t.AddRow(cells.ToArray());
        }
        AnsiConsole.Write(t);
        if (rows.Count > 30) AnsiConsole.WriteLine($"... {rows.Count - 30:N0} more points in points.csv");
    }

    /// <summary>The best point and the paired comparisons.</summary>
    public static void Optimization(OptimizationResult r, SweepTable table)
    {
        var best = r.Ranking[0];
        string axes = string.Join(", ", table.Axes.Select((a, j) => $"{a.Name} = {best.Row.Axis[j]}"));
        AnsiConsole.MarkupLine($"\n[bold]best point ({(r.Objective.Maximize ? "max" : "min")} {Markup.Escape(r.Objective.Column)}):[/] point {best.Row.Point}: {Markup.Escape(axes)}: {N(best.Value)}");
        var t = new Table().Border(TableBorder.Simple).AddColumns("rank", "point");
        foreach (var a in table.Axes) t.AddColumn(a.Name);
        t.AddColumns("value", "best - this", "se (paired)", "se (independent)", "z");
        foreach (var c in r.Ranking.Skip(1))
        {
            var cells = new List<string> { c.Rank.ToString(Inv), c.Row.Point.ToString(Inv) };
            cells.AddRange(c.Row.Axis.Select(Markup.Escape));
            cells.AddRange(new[] { N(c.Value), N(c.Difference), N(c.PairedStdError), N(c.UnpairedStdError), double.IsFinite(c.Z) ? c.Z.ToString("G3", Inv) : "-" });
            t.AddRow(cells.ToArray());
        }
        if (r.Ranking.Count > 1) AnsiConsole.Write(t);
    }

    private static string N(double x)
    {
        if (double.IsNaN(x)) return "-";
        double a = Math.Abs(x);
        return a >= 1e4 ? Answers.Money(x) : a >= 1 ? x.ToString("0.000", Inv) : x.ToString("0.0000", Inv);
    }

    /// <summary>The scenario file as written (its comments cite the sources), for the report's inputs table; null when unreadable.</summary>
    internal static string? SourceText(string file)
    {
        try { return ComputeEconomics.Scenarios.ScenarioLoader.ReadText(file).Text; }
        catch (InputException) { return null; }
    }
}
