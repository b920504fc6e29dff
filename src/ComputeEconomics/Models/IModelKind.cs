using ComputeEconomics.Scenarios;
using ComputeEconomics.Statistics;

namespace ComputeEconomics.Models;

/// <summary>What a kind's answer lines read of a run's statistics (the run summary implements it).</summary>
public interface IRunStatistics
{
    long Paths { get; }
    IReadOnlyList<MetricSummary> Metrics { get; }
    IReadOnlyDictionary<string, Probability> Probabilities { get; }
    MetricSummary Metric(string name);
}

/// <summary>An event reported as a probability that the kernel does not flag itself: <see cref="Metric"/> below zero.</summary>
/// <param name="Name">Name of the probability (npv_negative).</param>
/// <param name="Metric">The metric it is read from.</param>
public sealed record NegativeEvent(string Name, string Metric);

/// <summary>
/// A model kind: everything that differs between fleet, lab, sector and market lives in one class per kind
/// (Models/&lt;Kind&gt;/), found by <see cref="KindRules"/>; nothing else switches on a kind's name.
/// </summary>
public interface IModelKind : IKindRules
{
    /// <summary>The kernel's metrics: names, indices, units, directions.</summary>
    MetricTable Metrics { get; }
    /// <summary>Every metric name of a run of <paramref name="s"/>, in kernel order.</summary>
    IReadOnlyList<string> MetricNames(Scenario s);
    /// <summary>The metric an uncertain input's rank correlation is taken against (the answer's main number).</summary>
    string Headline { get; }
    /// <summary>Events derived after the run (P(NPV &lt; 0)); the kernel's own 0/1 flags are the job's EventMetrics.</summary>
    IReadOnlyList<NegativeEvent> DerivedEvents { get; }
    /// <summary>Compile a validated scenario to kernel parameters and tables.</summary>
    IModelJob Compile(Scenario s);
    /// <summary>The answer the scenario exists for, as labelled lines (console, report).</summary>
    IReadOnlyList<(string Label, string Text)> AnswerLines(IRunStatistics s);
    /// <summary>The unit the kind's money metrics and series are in: "USD", or "USD bn" for a kind that counts billions.</summary>
    string MoneyUnit => "USD";
    /// <summary>Units of the kind's own band series (summary.json's band_units) where they differ from the fleet's
    /// names, such as money per year in USD billions; a series not listed takes the shared table's unit.</summary>
    IReadOnlyDictionary<string, string> BandUnits => EmptyUnits;
    /// <summary>No kind-specific band units.</summary>
    protected static readonly IReadOnlyDictionary<string, string> EmptyUnits = new Dictionary<string, string>();
    /// <summary>Per-year metric families the run report charts by year (P50 with P5-P95 whiskers), by format
    /// ("ai_capex_y{k}"); empty: none.</summary>
    IReadOnlyList<string> ReportByYear => Array.Empty<string>();
    /// <summary>True when the kind buys from the hardware catalog, so its report lists the catalog entries it used with their sources.</summary>
    bool ReportsCatalog => false;
    /// <summary>Title of the report's by-year section and of its shares chart; the events drawn as shares with 95%
    /// intervals (label, event name), such as who fails first; empty: no chart.</summary>
    (string Section, string SharesTitle, IReadOnlyList<(string Label, string Event)> Events) ReportShares =>
        ("By year", "", Array.Empty<(string, string)>());
}

/// <summary>The model kinds (the <see cref="KindRules"/> registry, as <see cref="IModelKind"/>).</summary>
public static class ModelKinds
{
    /// <summary>Every kind.</summary>
    public static IReadOnlyList<IModelKind> All { get; } = KindRules.All.OfType<IModelKind>().ToList();

    /// <summary>The kind called <paramref name="name"/>; an <see cref="InputException"/> naming <c>model</c> when there is none.</summary>
    public static IModelKind For(string name) =>
        KindRules.Find(name) as IModelKind ?? throw new InputException("model", name, $"must be one of: {string.Join(", ", KindRules.Names)}");
}
