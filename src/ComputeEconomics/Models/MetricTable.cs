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
/// A model kind's metrics, declared once beside the kernel's indices (FleetMetrics.Npv, ...): the output names, units and
/// directions all come from here. The constructor checks that the fixed metrics cover the kernel's indices 0..count-1
/// exactly once, so a metric added to the kernel and not here (or twice) fails at start-up and in the tests.
/// </summary>
public sealed class MetricTable
{
    public MetricTable(int kernelCount, IReadOnlyList<MetricDef> metrics, IReadOnlyList<MetricFamily>? families = null)
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
        return Optional?.Find(name);
    }
}
