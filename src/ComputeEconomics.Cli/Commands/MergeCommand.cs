using System.ComponentModel;
using ComputeEconomics.Backends;
using ComputeEconomics.Output;
using ComputeEconomics.Sweeps;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ComputeEconomics.Cli.Commands;

/// <summary>`ce merge DIR... --out OUT`: the shard outputs of one sweep combined; identical to the unsharded run's files.</summary>
public sealed class MergeCommand : Command<MergeCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DIR>"), Description("The --out folders of the shards (every shard 0..N-1 once)")]
        public string[] Directories { get; init; } = Array.Empty<string>();

        [CommandOption("--out <DIR>"), Description("Write the merged points.csv, points.parquet, manifest.json, sweep.yaml here")]
        public string? Out { get; init; }

        [CommandOption("--optimize <METRIC>"), Description("Rank the points by METRIC.STAT or EVENT_probability (re-runs the best points on --backend)")]
        public string? Optimize { get; init; }

        [CommandOption("--goal <G>"), Description("auto | max | min"), DefaultValue("auto")]
        public string Goal { get; init; } = "auto";

        [CommandOption("--runners-up <N>"), Description("Runners-up compared with the best point"), DefaultValue(5)]
        public int RunnersUp { get; init; } = 5;

        [CommandOption("--backend <B>"), Description("Backend of the --optimize re-runs: the shards' backend gives the same numbers"), DefaultValue("auto")]
        public string Backend { get; init; } = "auto";

        [CommandOption("--threads <N>"), Description("cpu backend threads (0 = all cores)"), DefaultValue(0)]
        public int Threads { get; init; }

        [CommandOption("--quiet"), Description("Print nothing but errors")]
        public bool Quiet { get; init; }

        public override ValidationResult Validate()
        {
            if (Out == null) return ValidationResult.Error("--out <DIR> is required");
            if (Threads < 0) return ValidationResult.Error($"--threads ({Threads}) must be >= 0");
            if (RunnersUp is < 0 or > 1000) return ValidationResult.Error($"--runners-up ({RunnersUp}) must be in [0, 1000]");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        string outDir = OutputFolder.Check("--out", settings.Out!);
        foreach (var shard in settings.Directories)
            if (string.Equals(Path.GetFullPath(shard).TrimEnd(Path.DirectorySeparatorChar), outDir, StringComparison.Ordinal))
                throw new InputException("--out", settings.Out!, $"must not be one of the shard folders being merged ({shard}): the merge would replace that shard's files");
        var cancellation = Cli.Linked(cancellationToken);   // SIGINT/SIGTERM: between shards and in the --optimize re-runs
        var merged = SweepMerge.Merge(settings.Directories, cancellation);
        OptimizationResult? best = null;
        if (settings.Optimize is { } o)
        {
            var objective = Objective.Parse(o, settings.Goal, merged.Table);
            using var backend = BackendFactory.Create(settings.Backend, settings.Threads, out string note);
            if (backend.Name != merged.Backend || backend.MathPath != merged.MathPath)
                throw new InputException("--backend", $"{backend.Name} ({backend.MathPath})",
                    $"must be the shards' backend {merged.Backend} ({merged.MathPath}) so the re-runs reproduce their numbers");
            PhaseLog.Enter("optimize");
            best = SweepOptimizer.Optimize(merged.Plan, merged.Table, merged.Rows, objective, backend, settings.RunnersUp, null, cancellation);
        }
        var files = SweepOutput.Files(merged.Plan, merged.Table, merged.Rows, null, merged.Backend, merged.Device, merged.MathPath,
            merged.Timings, best == null ? null : SweepOptimizer.Csv(best, merged.Table));
        SweepOutput.WriteAll(settings.Out!, files);
        if (!settings.Quiet)
        {
            if (best != null) SweepReport.Optimization(best, merged.Table);
            Cli.Err.MarkupLine($"[grey]merged {settings.Directories.Length} shard(s), {merged.Rows.Count:N0} points; wrote {Markup.Escape(settings.Out!)}[/]");
        }
        return Cli.Ok;
    }
}
