using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ComputeEconomics.Cli.Commands;

/// <summary>The options every simulating verb (run, sweep, sensitivity) shares, and the overrides they imply.</summary>
public abstract class SimulationSettings : CommandSettings
{
    [CommandOption("--paths <N>"), Description("Monte Carlo paths (per point for sweeps; overrides the scenario)")]
    public long? Paths { get; init; }

    [CommandOption("--seed <S>"), Description("Random seed, 0..4294967295 (overrides the scenario; the same at every sweep point)")]
    public long? Seed { get; init; }

    [CommandOption("--set <PATH=VALUE>"), Description("Override a scenario field, e.g. --set fleet.financing.debt_share=0.5 (repeatable)")]
    public string[] Set { get; init; } = Array.Empty<string>();

    [CommandOption("--backend <B>"), Description("auto | cpu | ilgpu-cpu | cuda | opencl"), DefaultValue("auto")]
    public string Backend { get; init; } = "auto";

    [CommandOption("--threads <N>"), Description("cpu backend threads (0 = all cores)"), DefaultValue(0)]
    public int Threads { get; init; }

    [CommandOption("--batch <N>"), Description("Paths per batch (default: sized to the device); results do not depend on it")]
    public int? Batch { get; init; }

    [CommandOption("--quiet"), Description("Print nothing but errors")]
    public bool Quiet { get; init; }

    /// <summary>The --set overrides followed by --paths and --seed as overrides.</summary>
    public List<string> Overrides()
    {
        var overrides = Set.ToList();
        if (Paths is { } p) overrides.Add($"paths={p.ToString(CultureInfo.InvariantCulture)}");
        if (Seed is { } s) overrides.Add($"seed={s.ToString(CultureInfo.InvariantCulture)}");
        return overrides;
    }

    /// <summary>
    /// What to print when a checkpointed verb is interrupted: where the checkpoint is and the command that finishes
    /// the run (the options that change results: --paths, --seed, --set, --backend, and <paramref name="extra"/>).
    /// </summary>
    public string ResumeHint(string verb, string file, string outDir, string extra)
    {
        var args = new List<string> { "ce", verb, Quote(file), "--out", Quote(outDir) };
        if (extra.Length > 0) args.Add(extra.Trim());
        if (Paths is { } p) args.Add($"--paths {p.ToString(CultureInfo.InvariantCulture)}");
        if (Seed is { } s) args.Add($"--seed {s.ToString(CultureInfo.InvariantCulture)}");
        foreach (var set in Set) args.Add($"--set {Quote(set)}");
        if (Backend != "auto") args.Add($"--backend {Quote(Backend)}");
        args.Add("--resume");
        return $"interrupted: every completed point is checkpointed in {System.IO.Path.Combine(outDir, ".checkpoint.csv")}; finish with: {string.Join(' ', args)}";
    }

    /// <summary>A shell word: as is when it is plain, else in single quotes.</summary>
    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? word : "'" + word.Replace("'", "'\''") + "'";

    public override ValidationResult Validate()
    {
        if (Paths is < 1) return ValidationResult.Error($"--paths ({Paths}) must be >= 1");
        if (Batch is < 1) return ValidationResult.Error($"--batch ({Batch}) must be >= 1");
        if (Threads < 0) return ValidationResult.Error($"--threads ({Threads}) must be >= 0");
        return ValidationResult.Success();
    }
}
