using System.Globalization;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Uncertainty;

namespace ComputeEconomics.Compare;

/// <summary>A loaded and compiled entry of a comparison.</summary>
public sealed record CompareScenario(CompareEntry Entry, LoadedScenario Loaded, IModelJob Job);

/// <summary>One scenario's share of the result: its label, name, and the per-path values of the headline metric (for charts).</summary>
public sealed record CompareRun(string Label, string Source, IReadOnlyList<string> Overrides, string ScenarioName, double[] Headline);

/// <summary>Everything <c>ce compare</c> found: the runs and every paired difference, baseline first.</summary>
public sealed record CompareResult(string Model, long Seed, long Paths, string Sampling, string Headline,
    IReadOnlyList<CompareRun> Runs, IReadOnlyList<PairedDifference> Rows, string Backend, string Device, string MathPath)
{
    public string Baseline => Runs[0].Label;
}

/// <summary>
/// Runs the scenarios of a comparison on common random numbers: every scenario gets the baseline's seed and path count,
/// so path i draws the same random numbers in each (Philox keyed by seed and path index), and the per-path differences
/// of every metric the two share give paired standard errors. Holds the baseline's columns and one other run at a time.
/// </summary>
public static class CompareRunner
{
    /// <summary>The default headline metric of each model kind (histograms, the first difference chart).</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultHeadline = new Dictionary<string, string>
    {
        ["fleet"] = "npv", ["lab"] = "final_cash", ["sector"] = "final_gap", ["economy"] = "total_ai_capex", ["market"] = "mean_price",
    };

    /// <summary>
    /// Load and compile the entries: the others take the baseline's seed and paths (after its overrides). Every error at
    /// once: a different model kind or sampling scheme than the baseline's is an <see cref="InputException"/>.
    /// </summary>
    public static IReadOnlyList<CompareScenario> Load(IReadOnlyList<CompareEntry> entries)
    {
        var inv = CultureInfo.InvariantCulture;
        var first = ScenarioLoader.LoadWithUncertainty(entries[0].Source, entries[0].Overrides);
        var b = first.Scenario;
        var list = new List<CompareScenario> { new(entries[0], first, ScenarioCompiler.Compile(b)) };
        var errors = new List<ValidationError>();
        foreach (var e in entries.Skip(1))
        {
            var overrides = e.Overrides.Concat(new[] { $"seed={b.Seed.ToString(inv)}", $"paths={b.Paths.ToString(inv)}" }).ToList();
            var loaded = ScenarioLoader.LoadWithUncertainty(e.Source, overrides);
            var s = loaded.Scenario;
            if (!string.Equals(s.Model, b.Model, StringComparison.Ordinal))
                errors.Add(new ValidationError(e.Label, $"model: {s.Model}", $"must be the baseline's model kind ({entries[0].Label} is {b.Model}): only one model kind can be compared"));
            else if (s.Sampling != b.Sampling || s.Sampling == "qmc" && s.Scramblings != b.Scramblings)
                errors.Add(new ValidationError(e.Label, $"sampling: {s.Sampling} (scramblings {s.Scramblings})",
                    $"must equal the baseline's ({b.Sampling}, scramblings {b.Scramblings}) so that path i is paired with path i"));
            else list.Add(new CompareScenario(e, loaded, ScenarioCompiler.Compile(s)));
        }
        if (errors.Count > 0) throw new InputException(errors);
        return list;
    }

    /// <summary>The headline metric: <paramref name="requested"/> if given (a metric every scenario has, not a 0/1 flag), else the model's default.</summary>
    public static string Headline(IReadOnlyList<CompareScenario> scenarios, string? requested)
    {
        var common = scenarios[0].Job.MetricNames.Where(m => scenarios.All(s => s.Job.MetricNames.Contains(m)))
            .Except(scenarios[0].Job.EventMetrics).ToList();
        if (requested != null)
        {
            if (!common.Contains(requested))
                throw new InputException("--chart", requested, $"must be a metric every compared scenario has that is not a 0/1 flag ({string.Join(", ", common)})");
            return requested;
        }
        return DefaultHeadline.TryGetValue(scenarios[0].Loaded.Scenario.Model, out var h) && common.Contains(h) ? h : common[0];
    }

    /// <summary>The run options of one scenario (no bands: only the per-path metrics are used).</summary>
    public static RunOptions Options(CompareScenario s, int? batchSize, CancellationToken cancellation) => new()
    {
        Paths = s.Loaded.Scenario.Paths,
        BatchSize = batchSize,
        BandPaths = 0,
        Cancellation = cancellation,
        PerPathJobs = s.Loaded.Uncertainty.Any ? new UncertainJobSource(s.Loaded) : null,
    };

    /// <summary>Run every scenario through <paramref name="run"/> (the baseline first) and pair each with the baseline.</summary>
    /// <remarks>The cancellation is checked after each run and before each paired difference.</remarks>
    public static CompareResult Run(IReadOnlyList<CompareScenario> scenarios, string headline, Func<CompareScenario, RunResult> run,
        CancellationToken cancellation = default)
    {
        var b = scenarios[0];
        var baseRun = run(b);
        var runs = new List<CompareRun> { Describe(b, baseRun, headline) };
        var rows = new List<PairedDifference>();
        foreach (var s in scenarios.Skip(1))
        {
            cancellation.ThrowIfCancellationRequested();
            var r = run(s);
            foreach (var row in Pair(b, baseRun, s, r))
            {
                cancellation.ThrowIfCancellationRequested();
                rows.Add(row);
            }
            runs.Add(Describe(s, r, headline));
        }
        var sc = b.Loaded.Scenario;
        return new CompareResult(sc.Model, sc.Seed, sc.Paths, sc.Sampling, headline, runs, rows, baseRun.Backend, baseRun.Device, baseRun.MathPath);
    }

    private static CompareRun Describe(CompareScenario s, RunResult r, string headline) =>
        new(s.Entry.Label, s.Entry.Source, s.Entry.Overrides, s.Loaded.Scenario.Name, Column(r, headline)!);

    private static double[]? Column(RunResult r, string metric)
    {
        int k = r.Job.MetricNames.ToList().IndexOf(metric);
        return k < 0 ? null : r.Columns[k];
    }

    /// <summary>Every metric both runs have (the baseline's order) as a mean, then every shared event as a probability.</summary>
    public static IEnumerable<PairedDifference> Pair(CompareScenario baseline, RunResult baseRun, CompareScenario other, RunResult otherRun)
    {
        var sc = baseline.Loaded.Scenario;
        var events = baseline.Job.EventMetrics.Where(e => other.Job.EventMetrics.Contains(e)).ToList();
        foreach (var m in baseline.Job.MetricNames)
        {
            if (events.Contains(m) || Column(otherRun, m) is not { } x) continue;
            yield return PairedDifference.Of(other.Entry.Label, m, "mean", MetricInfo.UnitIn(m, sc.Model), Column(baseRun, m)!, x, sc.Sampling, sc.Scramblings);
        }
        foreach (var e in events)
            yield return PairedDifference.Of(other.Entry.Label, e, "probability", "probability", Column(baseRun, e)!, Column(otherRun, e)!, sc.Sampling, sc.Scramblings);
        // Events the kind derives after a run (the fleet's npv_negative: NPV below zero).
        foreach (var d in ModelKinds.For(sc.Model).DerivedEvents)
        {
            if (Column(baseRun, d.Metric) is { } a && Column(otherRun, d.Metric) is { } o)
                yield return PairedDifference.Of(other.Entry.Label, d.Name, "probability", "probability",
                    PairedDifference.Negative(a), PairedDifference.Negative(o), sc.Sampling, sc.Scramblings);
        }
    }
}
