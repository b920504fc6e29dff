using System.ComponentModel;
using System.Globalization;
using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Output;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Statistics;
using ComputeEconomics.Uncertainty;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ComputeEconomics.Cli.Commands;

/// <summary>`ce run [FILE]`: one Monte Carlo run; prints the answer, then the statistics; --out writes the files; --report adds report.html.</summary>
public sealed class RunCommand : Command<RunCommand.Settings>
{
    public class Settings : SimulationSettings
    {
        [CommandArgument(0, "[FILE]"), Description("Scenario file or built-in name; the built-in default when omitted")]
        public string? File { get; init; }







        [CommandOption("--out <DIR>"), Description("Write summary.json, metrics.csv, bands.csv, histograms.csv, survival.csv, scenario.yaml here (atomically; paths.parquet too with --per-path)")]
        public string? Out { get; init; }

        [CommandOption("--per-path"), Description("With --out: also write paths.parquet, every path's metrics (a row per path: the global path index, then each metric as named in summary.json; absent = null), streamed in row groups of 65,536 paths (host memory: one row group); with --statistics device every path's metrics are then copied to the host as well, the transfer device statistics otherwise save; refused before the run when the file (up to 8 bytes a value before compression) may not fit on the disk of --out")]
        public bool PerPath { get; init; }

        [CommandOption("--report"), Description("Also write report.html and charts/ (PNG, SVG) into the --out folder")]
        public bool Report { get; init; }

        [CommandOption("--histogram <METRIC>"), Description("With --report: also draw this metric's histogram (repeatable; NPV is always drawn)")]
        public string[] Histogram { get; init; } = Array.Empty<string>();

        [CommandOption("--target-stderr <METRIC=VALUE>"), Description("Run batches (4096, 8192, ... paths) until the standard error of METRIC's mean is at most VALUE (absolute) or VALUE% of |mean|, e.g. npv.mean=0.5%")]
        public string? TargetStdError { get; init; }

        [CommandOption("--max-paths <N>"), Description("With --target-stderr: the most paths to run (default: the scenario's paths, or --paths; at most 1,000,000,000; every path is kept, so a cap whose last stage cannot fit in host memory is refused before the run)")]
        public long? MaxPaths { get; init; }


        [CommandOption("--statistics <MODE>"), Description("exact (every path kept and sorted; memory grows with the paths) | sketch (streamed: exact moments, quantiles within a stated rank error) | device (as sketch, reduced on an ILGPU backend's device: per chunk of 2^20 paths its moments and a sorted sample of 16,384 values a metric are copied to the host, not every path, unless --per-path asks for them) | auto (exact when the run needs every path; else on cuda/opencl device above 1,048,576 paths, elsewhere sketch above 5,000,000 paths)"), DefaultValue("auto")]
        public string Statistics { get; init; } = "auto";

        [CommandOption("--json"), Description("Print summary.json to stdout instead of tables")]
        public bool Json { get; init; }

        public override ValidationResult Validate()
        {
            if (base.Validate() is { Successful: false } failed) return failed;
            if (MaxPaths is < 1) return ValidationResult.Error($"--max-paths ({MaxPaths}) must be >= 1");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var overrides = settings.Overrides();
        CheckOptions(settings);
        var loaded = ScenarioLoader.LoadWithUncertainty(settings.File, overrides);
        var scenario = loaded.Scenario;
        var job = ScenarioCompiler.Compile(scenario);
        var target = settings.TargetStdError is { } t ? TargetStdError.Parse(t, job.MetricNames) : null;
        var unknown = settings.Histogram.Where(h => !job.MetricNames.Contains(h) || job.EventMetrics.Contains(h)).ToList();
        if (unknown.Count > 0)
            throw new InputException(unknown.Select(h => new ValidationError("--histogram", h,
                $"must be a metric of the {scenario.Model} model that is not a 0/1 flag ({string.Join(", ", job.MetricNames.Except(job.EventMetrics))})")).ToList());
        using var backend = BackendFactory.Create(settings.Backend, settings.Threads, out string note);
        if (!settings.Quiet && !settings.Json) Cli.Err.MarkupLine($"[grey]backend: {Markup.Escape(note)}; math: {Markup.Escape(backend.MathPath)}[/]");

        string statistics = StatisticsChoice.Choose(settings.Statistics, scenario.Paths,
            StatisticsChoice.NeedsEveryPath(job, loaded.Uncertainty.Any, target != null), backend.Name,
            StatisticsChoice.DeviceChunkFits(job));
        bool streams = statistics != "exact";
        long? maxPaths = target != null ? settings.MaxPaths ?? scenario.Paths : null;   // an adaptive run may grow to it
        if (settings.PerPath) PathsParquet.CheckSpace(settings.Out!, maxPaths ?? scenario.Paths, job.MetricNames.Count);
        // --per-path: paths.parquet is written into a staging folder while the run goes, installed with the other files;
        // on any error or interruption both are disposed, which removes it (nothing under a final name changes).
        using var staged = settings.PerPath ? AtomicFiles.Open(settings.Out!) : null;
        using var perPath = staged == null ? null : OpenPerPath(staged, loaded, job, backend);
        var options = new RunOptions
        {
            Sink = streams ? new StreamingStatistics(job, Distributions.MonthMetrics) { OnDevice = statistics == "device" } : null,
            Paths = scenario.Paths,
            BatchSize = settings.Batch,
            BandPaths = scenario.BandPaths,
            Cancellation = Cli.Linked(cancellationToken),
            Warning = w => Cli.Err.MarkupLine($"[yellow]warning: {Markup.Escape(w)}[/]"),
            PerPathJobs = loaded.Uncertainty.Any ? new UncertainJobSource(loaded) : null,
            PerPath = perPath,
        };
        bool chatty = !settings.Quiet && !settings.Json;
        if (chatty && loaded.Uncertainty.Any)
            Cli.Err.MarkupLine($"[grey]{loaded.Uncertainty.Fields.Count} uncertain input(s), drawn per path; each path's scenario is compiled on the host[/]");
        if (maxPaths is long cap) AdaptiveRunner.CheckMaxPaths(job, backend, options, cap);
        var estimate = MemoryEstimate.For(job, backend, maxPaths is long m ? options with { Paths = m } : options);
        estimate.ThrowIfTooLarge();
        if (chatty) Cli.Err.MarkupLine($"[grey]{Markup.Escape($"{estimate}; statistics: {(statistics == "device" ? "sketch, reduced on the device" : statistics)}")}[/]");
        string? reportPath = null;
        RunResult result;
        StoppingInfo? stopping = null;
        if (target != null)
        {
            (result, stopping) = AdaptiveRunner.Run(job, backend, options, target, maxPaths!.Value,
                stageDone: chatty ? line => Cli.Err.MarkupLine($"[grey]{Markup.Escape(line)}[/]") : null);
            if (!settings.Quiet)
                Cli.Err.MarkupLine(Markup.Escape(stopping.StoppedBy == "target"
                    ? $"stopped by the target: {target} reached with {stopping.Paths:N0} paths (stderr {stopping.StdError:G4} <= {stopping.Threshold:G4})"
                    : $"stopped by --max-paths: {stopping.Paths:N0} paths, stderr {stopping.StdError:G4} still above the target {stopping.Threshold:G4} ({target})"));
        }
        else result = ProgressRunner.Run(job, backend, options, show: chatty);
        perPath?.Finish();
        var summary = RunSummary.From(result, loaded.Uncertainty.Fields, stopping, options.Cancellation);

        if (settings.Out is { } dir) reportPath = WriteOutputs(dir, settings, loaded, result, summary, options.Cancellation, staged);
        if (settings.Json) Console.Write(Writers.SummaryJson(summary));
        else if (!settings.Quiet)
        {
            ConsoleReport.Print(summary);
            if (summary.StatisticsMethod == "sketch")
                Cli.Out.MarkupLine(Markup.Escape(StatisticsChoice.Describe(summary.Paths, summary.QuantileRankError, statistics == "device")));
            PrintUncertainty(summary);
        }
        if (settings.Out != null && !settings.Quiet && !settings.Json) Cli.Err.MarkupLine($"[grey]wrote {Markup.Escape(settings.Out)}[/]");
        if (reportPath != null && !settings.Quiet && !settings.Json) Cli.Err.MarkupLine($"[grey]report: {Markup.Escape(reportPath)}[/]");
        return Cli.Ok;
    }

    /// <summary>The options that need another (--out, --report, --target-stderr), and --out itself, before any work.</summary>
    private static void CheckOptions(Settings settings)
    {
        if (settings.Out != null) OutputFolder.Check("--out", settings.Out);
        if (settings.Report && settings.Out == null)
            throw new InputException("--report", "(without --out)", "needs --out DIR: the report is written beside the run's files");
        if (settings.PerPath && settings.Out == null)
            throw new InputException("--per-path", "(without --out)", $"needs --out DIR: {PathsParquet.FileName} is written beside the run's files");
        if (settings.Histogram.Length > 0 && !settings.Report)
            throw new InputException("--histogram", string.Join(",", settings.Histogram), "needs --report");
        if (settings.MaxPaths != null && settings.TargetStdError == null)
            throw new InputException("--max-paths", settings.MaxPaths.Value.ToString(CultureInfo.InvariantCulture), "needs --target-stderr");
    }

    /// <summary>The run's files into <paramref name="dir"/> (atomically, replacing an earlier run's), and the report with --report; returns the report's path.</summary>
    private static string? WriteOutputs(string dir, Settings settings, LoadedScenario loaded, RunResult result, RunSummary summary,
        CancellationToken cancellation, AtomicFiles.StagedOutput? staged)
    {
        var files = new Dictionary<string, string>
        {
            ["summary.json"] = Writers.SummaryJson(summary),
            ["metrics.csv"] = Writers.MetricsCsv(summary.Metrics, summary.Model),
            ["bands.csv"] = Writers.BandsCsv(summary),
            ["scenario.yaml"] = ScenarioLoader.ToYaml(loaded),
            ["run.json"] = RunDirectory.RunJson(settings.File ?? ScenarioLoader.DefaultName, settings.Set),
        };
        PhaseLog.Enter("writing");
        foreach (var (name, text) in Distributions.Files(result, cancellation)) files[name] = text;
        if (summary.Inputs.Count > 0) files["inputs.csv"] = Writers.InputsCsv(summary);
        if (SourceText(settings.File) is { } source) files["scenario.source.yaml"] = source;
        cancellation.ThrowIfCancellationRequested();   // the last moment before anything is written
        if (staged != null) Writers.WriteAll(staged, files);   // with paths.parquet, already in the staging folder
        else Writers.WriteAll(dir, files);
        if (!settings.Quiet && Writers.OutOfRangeBands(summary) is { Count: > 0 } huge)
            Cli.Err.MarkupLine($"[yellow]warning: {Markup.Escape($"bands.csv: percentiles beyond float32's range (about 3.4e38) are written empty: {string.Join(", ", huge)}")}[/]");
        if (settings.Report)
        {
            cancellation.ThrowIfCancellationRequested();
            PhaseLog.Enter("report");   // the run's files are complete and published; an interruption now only skips the report
            Cli.InterruptHint = $"interrupted: the run's files in {dir} are complete; the report was not written (make it with: ce report {dir})";
            var page = HtmlReport.ForRun(RunDirectory.Load(dir), settings.Histogram, cancellation);
            return HtmlReport.Write(dir, page);
        }
        return null;
    }

    /// <summary>The writer of paths.parquet in <paramref name="staged"/>, its metadata naming the run (scenario.yaml's SHA-256 among them).</summary>
    private static PathsParquet OpenPerPath(AtomicFiles.StagedOutput staged, LoadedScenario loaded, IModelJob job, IBackend backend)
    {
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            new System.Text.UTF8Encoding(false).GetBytes(ScenarioLoader.ToYaml(loaded))));
        var metadata = PathsParquet.Metadata(job, firstPath: 0, backend.Name, backend.MathPath, hash);
        return new PathsParquet(staged.Create(PathsParquet.FileName), job.MetricNames, metadata, PathsParquet.FileName);
    }

    /// <summary>The sampled inputs' P5/P50/P95 and the variance reduction factors, after the metrics.</summary>
    private static void PrintUncertainty(RunSummary s)
    {
        var inv = CultureInfo.InvariantCulture;
        if (s.Inputs.Count > 0)
        {
            var table = new Table().Border(TableBorder.Simple).BorderColor(Color.Grey).Title("uncertain inputs (sampled)");
            foreach (var h in new[] { "input", "distribution", "P5", "P50", "P95", $"rank corr. with {s.Inputs[0].Against}" }) table.AddColumn(h);
            foreach (var i in s.Inputs.OrderByDescending(i => double.IsNaN(i.RankCorrelation) ? -1 : Math.Abs(i.RankCorrelation)))
                table.AddRow(Markup.Escape(i.Field), Markup.Escape(i.Distribution), i.P5.ToString("G5", inv), i.P50.ToString("G5", inv),
                    i.P95.ToString("G5", inv), double.IsNaN(i.RankCorrelation) ? "-" : i.RankCorrelation.ToString("+0.00;-0.00", inv));
            Cli.Out.Write(table);
        }
        if (s.VarianceReduction.Count > 0)
        {
            var shown = s.VarianceReduction.Where(kv => double.IsFinite(kv.Value)).Take(8)
                .Select(kv => $"{kv.Key} {kv.Value.ToString("0.00", inv)}x");
            Cli.Out.MarkupLine(Markup.Escape($"variance reduction vs plain Monte Carlo at {s.Paths:N0} paths ({s.Sampling}): {string.Join(", ", shown)}"));
        }
    }

    /// <summary>The scenario file as the user wrote it (comments cite the sources), for the report's inputs table.</summary>
    private static string? SourceText(string? file)
    {
        if (file == null) return ScenarioLoader.EmbeddedText(ScenarioLoader.DefaultName);
        try { return ScenarioLoader.ReadText(file).Text; }
        catch (InputException) { return null; }
    }
}
