using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Models.Market;

/// <summary>Model kind market: the drivers alone (regime, price, utilisation, electricity), SPEC 1.</summary>
public sealed class MarketKind : IModelKind
{
    /// <summary>The market kernel's metrics, beside its indices (<see cref="MarketMetrics"/>).</summary>
    public static readonly MetricTable Table = new(MarketMetrics.Count, new MetricDef[]
    {
        new("final_price", MarketMetrics.FinalPrice, "price", Better.None, "market price in the last month (market.price.unit)"),
        new("mean_price", MarketMetrics.MeanPrice, "price", Better.None, "mean market price over the horizon"),
        new("mean_utilisation", MarketMetrics.MeanUtilisation, "fraction", Better.Higher, "mean utilisation over the horizon"),
        new("final_utilisation", MarketMetrics.FinalUtilisation, "fraction", Better.None),
        new("mean_electricity", MarketMetrics.MeanElectricity, "USD/kWh", Better.None),
        new("final_electricity", MarketMetrics.FinalElectricity, "USD/kWh", Better.None),
        new("bust_share", MarketMetrics.BustShare, "fraction", Better.Lower, "share of months in the bust regime"),
    });

    public string Name => "market";
    public string Description => "the drivers alone";
    /// <summary>The drivers' bands: the price in market.price.unit, the regime as a 0/1 flag (1 = bust).</summary>
    public IReadOnlyDictionary<string, string> BandUnits { get; } = new Dictionary<string, string> { ["price"] = "price", ["regime"] = "flag" };
    public int Order => 4;
    public MetricTable Metrics => Table;
    public string Headline => Table.Fixed[0].Name;
    public IReadOnlyList<string> MetricNames(Scenario s) => Table.Names();
    public IReadOnlyList<NegativeEvent> DerivedEvents => Array.Empty<NegativeEvent>();
    public IEnumerable<ValidationError> Validate(Scenario s, bool fieldsValid) => Array.Empty<ValidationError>();
    public IReadOnlyList<(string Label, string Text)> AnswerLines(IRunStatistics s) => Array.Empty<(string, string)>();

    public IModelJob Compile(Scenario s)
    {
        var data = new List<double>();
        var model = new MarketModel { Market = ScenarioCompiler.Market(s, 1.0, data), Months = s.HorizonMonths };
        return new ModelJob<MarketModel>(s, model, data.ToArray(), 0, Table.Names(), new[] { "price", "utilisation", "electricity", "regime" });
    }
}
