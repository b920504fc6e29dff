using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Uncertainty;

/// <summary>
/// Per-path jobs for a scenario with uncertain fields: path p's scenario is the base scenario with every uncertain field set to
/// its draw on p (<see cref="InputSampler"/>), checked by the cross-field rules and compiled; the batch's jobs are packed into
/// one launch with one parameter struct per path (<see cref="ModelJob{TModel}.CombinePerPath"/>). Each path keeps its global
/// index, so its market, failure and delay draws are those of a run without uncertain fields.
/// </summary>
/// <remarks>
/// Cost: one scenario copy, validation and compile per path on the host (tens of microseconds for the fleet model; run on all
/// cores). Memory: a batch holds at most <see cref="MaxBatchPaths"/> paths and, before identical tables are shared,
/// at most <see cref="MaxBatchTableDoubles"/> doubles of tables (64 MiB).
/// </remarks>
public sealed class UncertainJobSource : IPathJobSource
{
    /// <summary>Most paths per batch when every path is compiled on the host.</summary>
    public const long MaxBatchPaths = 1 << 14;
    /// <summary>Most table doubles (paths x table length of one path) a batch may compile.</summary>
    public const long MaxBatchTableDoubles = 1 << 23;

    private readonly Scenario _scenario;
    private readonly InputSampler _sampler;
    private readonly ScenarioPatcher[] _patchers;

    public UncertainJobSource(LoadedScenario loaded)
    {
        _scenario = loaded.Scenario;
        _sampler = new InputSampler(loaded.Uncertainty, (uint)loaded.Scenario.Seed);
        _patchers = loaded.Uncertainty.Fields.Select(f => new ScenarioPatcher(f.Path)).ToArray();
        InputNames = loaded.Uncertainty.Fields.Select(f => f.Path).ToArray();
    }

    public IReadOnlyList<string> InputNames { get; }
    public InputSampler Sampler => _sampler;

    public long MaxBatch(IModelJob template)
        => Math.Clamp(MaxBatchTableDoubles / Math.Max(1, template.Data.Length), 1, MaxBatchPaths);

    /// <summary>The scenario of path <paramref name="path"/> and its drawn values.</summary>
    public Scenario ScenarioOf(long path, Span<double> values)
    {
        _sampler.Draw(path, values);
        var s = _scenario;
        for (int f = 0; f < _patchers.Length; f++) s = _patchers[f].Apply(s, values[f]);
        return s;
    }

    public IModelJob ForPaths(IModelJob template, long firstPath, int count, double[][] inputs)
    {
        var jobs = new IModelJob[count];
        var failures = new List<ValidationError>?[count];
        int n = _patchers.Length;
        Parallel.For(0, count, i =>
        {
            long path = firstPath + i;
            var values = new double[n];
            var s = ScenarioOf(path, values);
            for (int f = 0; f < n; f++) inputs[f][path] = values[f];
            var errors = ScenarioValidator.Validate(s);
            if (errors.Count > 0)
            {
                string drawn = string.Join(", ", InputNames.Select((name, f) => $"{name}={values[f]:R}"));
                failures[i] = errors.Select(e => new ValidationError(e.Field, e.Value,
                    $"{e.Rule} (on path {path}, whose uncertain inputs drew {drawn}: narrow the distributions or add min:/max:)")).ToList();
                return;
            }
            jobs[i] = ScenarioCompiler.Compile(s);
        });
        for (int i = 0; i < count; i++)
            if (failures[i] is { } errs) throw new InputException(errs);   // the lowest failing path: the same error whatever the batch
        return template.PackPerPath(jobs, firstPath);
    }
}
