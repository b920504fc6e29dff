using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Running;

/// <summary>Dispatch on the concrete model struct without boxing it into the kernels.</summary>
public interface IModelVisitor<out TResult>
{
    TResult Visit<TModel>(ModelJob<TModel> job) where TModel : struct, IPathModel;
}

/// <summary>A compiled scenario, ready for a backend.</summary>
public interface IModelJob
{
    Scenario Scenario { get; }
    /// <summary>Read-only tables the kernel reads (catalog, depreciation shares, discount factors).</summary>
    double[] Data { get; }
    long ScratchPerPath { get; }
    IReadOnlyList<string> MetricNames { get; }
    IReadOnlyList<string> SeriesNames { get; }
    int Months { get; }
    /// <summary>Metrics that are 0/1 event flags: reported as probabilities with their standard errors.</summary>
    IReadOnlyList<string> EventMetrics { get; }
    TResult Accept<TResult>(IModelVisitor<TResult> visitor);
}

/// <summary>A compiled scenario of model type <typeparamref name="TModel"/>.</summary>
public sealed class ModelJob<TModel> : IModelJob where TModel : struct, IPathModel
{
    public ModelJob(Scenario scenario, TModel model, double[] data, long scratchPerPath,
        IReadOnlyList<string> metricNames, IReadOnlyList<string> seriesNames)
    {
        Scenario = scenario;
        Model = model;
        Data = data.Length == 0 ? new double[1] : data;
        ScratchPerPath = Math.Max(1, scratchPerPath);
        MetricNames = metricNames;
        SeriesNames = seriesNames;
    }

    public Scenario Scenario { get; }
    /// <summary>The model struct with its parameters, passed by value to every path.</summary>
    public TModel Model { get; }
    public double[] Data { get; }
    public long ScratchPerPath { get; }
    public IReadOnlyList<string> MetricNames { get; }
    public IReadOnlyList<string> SeriesNames { get; }
    public int Months => Scenario.HorizonMonths;
    public IReadOnlyList<string> EventMetrics { get; init; } = Array.Empty<string>();
    /// <summary>The resolved catalog, for fleet jobs.</summary>
    public IReadOnlyList<ResolvedGeneration>? Catalog { get; init; }
    public TResult Accept<TResult>(IModelVisitor<TResult> visitor) => visitor.Visit(this);
}

/// <summary>Metric names in kernel order (the output keys of summary.json).</summary>
public static class MetricNames
{
    public static readonly string[] Market =
        { "final_price", "mean_price", "mean_utilisation", "final_utilisation", "mean_electricity", "final_electricity", "bust_share" };

    public static readonly string[] Fleet =
    {
        "npv", "irr", "payback_month", "min_cash", "default", "default_month", "equity_value", "final_book_value",
        "final_market_value", "impairment_gap", "earnings_overstatement", "mean_utilisation", "cost_per_gpu_hour",
        "cost_per_mtok", "total_capex", "book_value_y3", "market_value_y3", "book_value_y6", "market_value_y6",
        "total_revenue", "total_ebitda", "book_earnings_y1", "overstatement_y3", "final_debt", "idle_share",
    };
}
