using System.Text.RegularExpressions;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Models;

/// <summary>One metric a kernel writes: its name, the kernel's index, unit, favourable direction and meaning.</summary>
public sealed record MetricDef(string Name, int Index, string Unit, Better Better, string Description = "");

/// <summary>
/// A block of per-year metrics after the fixed ones: year k (1-based) of block <see cref="Block"/> is metric
/// fixed count + Block x years + k - 1, named by <see cref="Format"/> with {k} replaced by k.
/// </summary>
public sealed record MetricFamily(string Format, int Block, string Unit, Better Better, string Description = "")
{
    private readonly Regex _match = new("^" + Regex.Escape(Format).Replace(@"\{k}", "([0-9]+)") + "$", RegexOptions.CultureInvariant);

    /// <summary>The name of year <paramref name="k"/>.</summary>
    public string Name(int k) => Format.Replace("{k}", k.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>True when <paramref name="name"/> is a year of this family.</summary>
    public bool Matches(string name) => _match.IsMatch(name);
}

/// <summary>
/// A group of metrics written only when a feature is on (the fleet's counterparty, its asset classes): after the fixed
/// metrics and the per-year blocks, each group switched on in declaration order, metric i of a group at the group's start
/// + <see cref="MetricDef.Index"/>. A scenario that leaves the feature off has none of them, so its outputs do not change.
/// </summary>
public sealed record MetricGroup(string Key, IReadOnlyList<MetricDef> Metrics);

/// <summary>
/// A model kind's metrics, declared once beside the kernel's indices (FleetMetrics.Npv, ...): the output names, units and
/// directions all come from here. The constructor checks that the fixed metrics cover the kernel's indices 0..count-1
/// exactly once, so a metric added to the kernel and not here (or twice) fails at start-up and in the tests.
/// </summary>
public sealed class MetricTable
{
    public MetricTable(int kernelCount, IReadOnlyList<MetricDef> metrics, IReadOnlyList<MetricFamily>? families = null,
        IReadOnlyList<MetricGroup>? groups = null)
    {
        var byIndex = metrics.OrderBy(m => m.Index).ToList();
        for (int i = 0; i < byIndex.Count; i++)
            if (byIndex[i].Index != i)
                throw new InvalidOperationException($"metric table: index {i} is {(byIndex[i].Index < i ? "declared twice" : "missing")} ({byIndex[i].Name})");
        if (byIndex.Count != kernelCount)
            throw new InvalidOperationException($"metric table: {byIndex.Count} metrics declared, the kernel writes {kernelCount}");
        if (metrics.Select(m => m.Name).Distinct().Count() != metrics.Count)
            throw new InvalidOperationException("metric table: a name is declared twice");
        Fixed = byIndex;
        Families = (families ?? Array.Empty<MetricFamily>()).OrderBy(f => f.Block).ToList();
        Groups = groups ?? Array.Empty<MetricGroup>();
        foreach (var g in Groups)
            if (!g.Metrics.Select(m => m.Index).SequenceEqual(Enumerable.Range(0, g.Metrics.Count)))
                throw new InvalidOperationException($"metric table: group {g.Key}'s indices are not 0..{g.Metrics.Count - 1} in order");
    }

    /// <summary>The optional groups in kernel order.</summary>
    public IReadOnlyList<MetricGroup> Groups { get; }

    /// <summary>Every metric name for a run of <paramref name="years"/> years with the groups <paramref name="on"/> switched on
    /// (the per-year blocks after the fixed metrics, then <paramref name="between"/>, such as another table's block the
    /// kernel writes there, then each group on, in declaration order).</summary>
    public string[] Names(int years, IReadOnlyCollection<string> on, IEnumerable<string> between)
    {
        var names = Names(years).Concat(between).ToList();
        foreach (var g in Groups)
            if (on.Contains(g.Key)) names.AddRange(g.Metrics.Select(m => m.Name));
        return names.ToArray();
    }

    /// <summary>The fixed metrics in kernel order.</summary>
    public IReadOnlyList<MetricDef> Fixed { get; }
    /// <summary>The per-year blocks in kernel order.</summary>
    public IReadOnlyList<MetricFamily> Families { get; }
    /// <summary>A block written after these only when a feature is switched on (the fleet's financing); <see cref="Find"/>
    /// looks there too.</summary>
    public MetricTable? Optional { get; init; }

    /// <summary>Every metric name in kernel order for a run of <paramref name="years"/> years (per-year blocks after the fixed ones).</summary>
    public string[] Names(int years = 0)
    {
        var names = Fixed.Select(m => m.Name).ToList();
        foreach (var f in Families)
            for (int k = 1; k <= years; k++) names.Add(f.Name(k));
        return names.ToArray();
    }

    /// <summary>Unit, direction and description of <paramref name="name"/>, or null when this table has no such metric.</summary>
    public MetricInfo? Find(string name)
    {
        foreach (var m in Fixed)
            if (m.Name == name) return new MetricInfo(name, m.Unit, m.Better, m.Description);
        foreach (var f in Families)
            if (f.Matches(name)) return new MetricInfo(name, f.Unit, f.Better, f.Description);
        foreach (var m in Groups.SelectMany(g => g.Metrics))
            if (m.Name == name) return new MetricInfo(name, m.Unit, m.Better, m.Description);
        return Optional?.Find(name);
    }
}
