using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Models.Lab;

/// <summary>Model kind lab (SPEC 6): a GenAI model maker or an application start-up.</summary>
public sealed class LabKind : IModelKind
{
    /// <summary>The lab kernel's metrics, beside its indices (<see cref="LabMetrics"/>); insolvent_by_year_k follow.</summary>
    public static readonly MetricTable Table = new(LabMetrics.Count, new MetricDef[]
    {
        new("insolvent", LabMetrics.Insolvent, "flag", Better.Lower, "1 when the lab ran out of cash"),
        new("insolvency_month", LabMetrics.InsolvencyMonth, "month", Better.Higher),
        new("gross_margin", LabMetrics.GrossMargin, "fraction", Better.Higher),
        new("burn_multiple", LabMetrics.BurnMultiple, "ratio", Better.Lower),
        new("capital_raised", LabMetrics.CapitalRaised, "USD", Better.None),
        new("rounds", LabMetrics.Rounds, "count", Better.None),
        new("failed_raises", LabMetrics.FailedRaises, "count", Better.Lower),
        new("months_to_break_even", LabMetrics.MonthsToBreakEven, "month", Better.Lower),
        new("founders_ownership", LabMetrics.FoundersOwnership, "fraction", Better.Higher),
        new("early_investors_ownership", LabMetrics.EarlyInvestorsOwnership, "fraction", Better.Higher),
        new("final_cash", LabMetrics.FinalCash, "USD", Better.Higher),
        new("min_cash", LabMetrics.MinCash, "USD", Better.Higher),
        new("final_arr", LabMetrics.FinalArr, "USD", Better.Higher),
        new("total_revenue", LabMetrics.TotalRevenue, "USD", Better.Higher),
        new("final_paying_users", LabMetrics.FinalPayingUsers, "count", Better.Higher),
        new("inference_cost_per_mtok", LabMetrics.InferenceCostPerMtok, "USD/Mtok", Better.Lower),
        new("inference_cost_month0", LabMetrics.InferenceCostMonth0, "USD/Mtok", Better.Lower),
    }, new[] { new MetricFamily("insolvent_by_year_{k}", 0, "flag", Better.Lower, "1 when insolvent by the end of year k") });

    public string Name => "lab";
    public string Description => "a GenAI lab or API start-up: users, tokens, compute bills, funding rounds, insolvency";
    public int Order => 1;
    public MetricTable Metrics => Table;
    public string Headline => "final_cash";
    public IReadOnlyList<string> MetricNames(Scenario s) => Table.Names(LabCompiler.Years(s));
    public IReadOnlyList<NegativeEvent> DerivedEvents => Array.Empty<NegativeEvent>();
    public IEnumerable<ValidationError> Validate(Scenario s, bool fieldsValid) => LabCompiler.Validate(s);
    public IModelJob Compile(Scenario s) => LabCompiler.Compile(s);
    public IReadOnlyList<(string Label, string Text)> AnswerLines(IRunStatistics s) => LabCompiler.AnswerLines(s);
}
