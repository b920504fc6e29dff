using System.ComponentModel;
using System.Globalization;
using ComputeEconomics.Backends;
using ComputeEconomics.Output;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Statistics;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ComputeEconomics.Cli.Commands;

/// <summary>`ce run [FILE]`: one Monte Carlo run; prints the answer, then the statistics; --out writes the files; --report adds report.html.</summary>
public sealed class RunCommand : Command<RunCommand.Settings>
{
    public class Settings : CommandSettings
    {
        [CommandArgument(0, "[FILE]"), Description("Scenario file or built-in name; the built-in default when omitted")]
        public string? File { get; init; }

        [CommandOption("--paths <N>"), Description("Monte Carlo paths (overrides the scenario)")]
        public long? Paths { get; init; }

        [CommandOption("--seed <S>"), Description("Random seed, 0..4294967295 (overrides the scenario)")]
        public long? Seed { get; init; }

        [CommandOption("--backend <B>"), Description("auto | cpu | ilgpu-cpu | cuda | opencl"), DefaultValue("auto")]
        public string Backend { get; init; } = "auto";

        [CommandOption("--threads <N>"), Description("cpu backend threads (0 = all cores)"), DefaultValue(0)]
        public int Threads { get; init; }

        [CommandOption("--batch <N>"), Description("Paths per batch (default: sized to the device); results do not depend on it")]
        public int? Batch { get; init; }

        [CommandOption("--set <PATH=VALUE>"), Description("Override a scenario field, e.g. --set fleet.financing.debt_share=0.5 (repeatable)")]
        public string[] Set { get; init; } = Array.Empty<string>();

        [CommandOption("--out <DIR>"), Description("Write summary.json, metrics.csv, bands.csv, histograms.csv, survival.csv, scenario.yaml here (atomically)")]
        public string? Out { get; init; }

        [CommandOption("--report"), Description("Also write report.html and charts/ (PNG, SVG) into the --out folder")]
        public bool Report { get; init; }

        [CommandOption("--histogram <METRIC>"), Description("With --report: also draw this metric's histogram (repeatable; NPV is always drawn)")]
        public string[] Histogram { get; init; } = Array.Empty<string>();

        [CommandOption("--quiet"), Description("Print nothing but errors")]
        public bool Quiet { get; init; }

        [CommandOption("--json"), Description("Print summary.json to stdout instead of tables")]
        public bool Json { get; init; }

        public override ValidationResult Validate()
        {
            if (Paths is < 1) return ValidationResult.Error($"--paths ({Paths}) must be >= 1");
            if (Batch is < 1) return ValidationResult.Error($"--batch ({Batch}) must be >= 1");
            if (Threads < 0) return ValidationResult.Error($"--threads ({Threads}) must be >= 0");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var overrides = settings.Set.ToList();
        if (settings.Paths is { } p) overrides.Add($"paths={p.ToString(CultureInfo.InvariantCulture)}");
        if (settings.Seed is { } s) overrides.Add($"seed={s.ToString(CultureInfo.InvariantCulture)}");
        if (settings.Report && settings.Out == null)
            throw new InputException("--report", "(without --out)", "needs --out DIR: the report is written beside the run's files");
        if (settings.Histogram.Length > 0 && !settings.Report)
            throw new InputException("--histogram", string.Join(",", settings.Histogram), "needs --report");
        var scenario = ScenarioLoader.Load(settings.File, overrides);
        var job = ScenarioCompiler.Compile(scenario);
        var unknown = settings.Histogram.Where(h => !job.MetricNames.Contains(h) || job.EventMetrics.Contains(h)).ToList();
        if (unknown.Count > 0)
            throw new InputException(unknown.Select(h => new ValidationError("--histogram", h,
                $"must be a metric of the {scenario.Model} model that is not a 0/1 flag ({string.Join(", ", job.MetricNames.Except(job.EventMetrics))})")).ToList());
        using var backend = BackendFactory.Create(settings.Backend, settings.Threads, out string note);
        if (!settings.Quiet && !settings.Json) Cli.Err.MarkupLine($"[grey]backend: {Markup.Escape(note)}; math: {Markup.Escape(backend.MathPath)}[/]");

        var options = new RunOptions
        {
            Paths = scenario.Paths,
            BatchSize = settings.Batch,
            BandPaths = scenario.BandPaths,
            Cancellation = Cli.Linked(cancellationToken),
            Warning = w => Cli.Err.MarkupLine($"[yellow]warning: {Markup.Escape(w)}[/]"),
        };
        var estimate = MemoryEstimate.For(job, backend, options);
        estimate.ThrowIfTooLarge();
        if (!settings.Quiet && !settings.Json && estimate.HostBytes + estimate.DeviceBytes > MemoryEstimate.AnnounceAboveBytes)
            Cli.Err.MarkupLine($"[grey]{Markup.Escape(estimate.ToString())}[/]");
        string? reportPath = null;
        RunResult result = ProgressRunner.Run(job, backend, options, show: !settings.Quiet && !settings.Json);
        var summary = RunSummary.From(result);

        if (settings.Out is { } dir)
        {
            var files = new Dictionary<string, string>
            {
                ["summary.json"] = Writers.SummaryJson(summary),
                ["metrics.csv"] = Writers.MetricsCsv(summary.Metrics),
                ["bands.csv"] = Writers.BandsCsv(summary),
                ["scenario.yaml"] = ScenarioLoader.ToYaml(scenario),
                ["run.json"] = RunDirectory.RunJson(settings.File ?? ScenarioLoader.DefaultName, settings.Set),
            };
            foreach (var (name, text) in Distributions.Files(result)) files[name] = text;
            if (SourceText(settings.File) is { } source) files["scenario.source.yaml"] = source;
            Writers.WriteAll(dir, files);
            if (settings.Report)
            {
                var page = HtmlReport.ForRun(RunDirectory.Load(dir), settings.Histogram);
                reportPath = HtmlReport.Write(dir, page);
            }
        }
        if (settings.Json) Console.Write(Writers.SummaryJson(summary));
        else if (!settings.Quiet) ConsoleReport.Print(summary);
        if (settings.Out != null && !settings.Quiet && !settings.Json) Cli.Err.MarkupLine($"[grey]wrote {Markup.Escape(settings.Out)}[/]");
        if (reportPath != null && !settings.Quiet && !settings.Json) Cli.Err.MarkupLine($"[grey]report: {Markup.Escape(reportPath)}[/]");
        return Cli.Ok;
    }

    /// <summary>The scenario file as the user wrote it (comments cite the sources), for the report's inputs table.</summary>
    private static string? SourceText(string? file)
    {
        if (file == null) return ScenarioLoader.EmbeddedText(ScenarioLoader.DefaultName);
        if (System.IO.File.Exists(file))
        {
            try { return System.IO.File.ReadAllText(file); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
        }
        return ScenarioLoader.EmbeddedText(file);
    }
}
