namespace ComputeEconomics.Models;

/// <summary>Which way a metric is good: decides which tail CVaR5 reads and what an optimiser's "best" means.</summary>
public enum Better
{
    /// <summary>No preference (a price, a month, a share): CVaR5 is the lower tail.</summary>
    None,
    /// <summary>More is better (NPV, cash): the unfavourable tail is the lower one.</summary>
    Higher,
    /// <summary>Less is better (costs, losses, months to break even): the unfavourable tail is the upper one.</summary>
    Lower,
}

/// <summary>A metric's unit and direction. Units: USD, USD/GPU-hour, USD/Mtok, month, year, fraction, ratio, count, flag, price.</summary>
public sealed record MetricInfo(string Name, string Unit, Better Better, string Description = "")
{
    /// <summary>
    /// The unit and direction of a metric by its name, from the model kinds' metric tables (a name shared by two kinds has
    /// one meaning: a test holds it); unknown names get unit "".
    /// </summary>
    public static MetricInfo For(string name)
    {
        foreach (var kind in ModelKinds.All)
            if (kind.Metrics.Find(name) is { } info) return info;
        return new MetricInfo(name, "", Better.None);
    }

    /// <summary>
    /// The unit of metric <paramref name="name"/> in a run of model kind <paramref name="model"/>: the metric table's, with
    /// money in the kind's <see cref="IModelKind.MoneyUnit"/> (the sector and economy kinds count USD billions).
    /// </summary>
    public static string UnitIn(string name, string model)
    {
        string unit = For(name).Unit;
        return unit == "USD" && Scenarios.KindRules.Find(model) is IModelKind kind ? kind.MoneyUnit : unit;
    }

    /// <summary>True when the unfavourable tail of metric <paramref name="name"/> is the upper one (less is better): CVaR5 reads it.</summary>
    public static bool UpperTail(string name) => For(name).Better == Better.Lower;
}
