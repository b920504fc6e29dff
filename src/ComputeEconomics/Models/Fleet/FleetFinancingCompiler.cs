using System.Globalization;
using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Models.Fleet;

/// <summary>
/// The fleet's financing stage (issue 15 item 2; docs/model.md 4, "Financing"): whether it is on, its kernel parameters and
/// tranche rows, its metric names and events, and its cross-field rules.
/// </summary>
public static class FleetFinancingCompiler
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The financing block's metrics (<see cref="FinancingMetrics"/>), then per tranche (<see cref="TrancheMetricField"/>).</summary>
    public static readonly MetricTable Table = new(FinancingMetrics.Count, new MetricDef[]
    {
        new("peak_debt", FinancingMetrics.PeakDebt, "USD", Better.Lower, "largest month-end debt (tranches, revolver, per-cohort loans)"),
        new("revolver_peak", FinancingMetrics.RevolverPeak, "USD", Better.Lower, "largest month-end revolver draw"),
        new("dscr_min", FinancingMetrics.DscrMin, "ratio", Better.Higher, "lowest quarterly debt service coverage (quarter's EBITDA / its debt service); NaN with no quarter of debt service"),
        new("covenant_breaches", FinancingMetrics.CovenantBreaches, "count", Better.Lower, "tranches accelerated after a covenant breach (LTV or DSCR at a quarter end)"),
        new("breach_term_loan", FinancingMetrics.BreachTermLoan, "flag", Better.Lower, "1 when a term_loan tranche breached a covenant"),
        new("breach_ddtl", FinancingMetrics.BreachDdtl, "flag", Better.Lower, "1 when a ddtl tranche breached a covenant"),
        new("breach_bullet", FinancingMetrics.BreachBullet, "flag", Better.Lower, "1 when a bullet tranche breached a covenant"),
        new("equity_raised", FinancingMetrics.EquityRaised, "USD", Better.None, "new equity sold over the horizon"),
        new("raises_failed", FinancingMetrics.RaisesFailed, "count", Better.Lower, "equity raises attempted that failed (bust, or no equity value)"),
        new("original_ownership", FinancingMetrics.OriginalOwnership, "fraction", Better.Higher, "the original holders' share of the company at the end (1 = no dilution)"),
        new("refinancings", FinancingMetrics.Refinancings, "count", Better.None, "bullet maturities refinanced"),
        new("refinancing_failures", FinancingMetrics.RefinancingFailures, "count", Better.Lower, "bullet maturities whose refinancing failed (the balance fell due)"),
        new("interest_paid", FinancingMetrics.InterestPaid, "USD", Better.Lower, "interest and fees of the tranches and the revolver over the horizon"),
    }, new MetricFamily[]
    {
        new("interest_tranche{k}", TrancheMetricField.Interest, "USD", Better.Lower, "interest paid on tranche k (fleet.financing.tranches, 1-based)"),
        new("balance_end_tranche{k}", TrancheMetricField.BalanceEnd, "USD", Better.Lower, "balance of tranche k at the end of the horizon"),
    });

    /// <summary>The kernel's financing flags reported as probabilities.</summary>
    public static readonly string[] Events = { "breach_term_loan", "breach_ddtl", "breach_bullet" };

    /// <summary>True when any tranche, the revolver or equity raises are set (otherwise the model is bit-identical to the one without financing).</summary>
    public static bool IsOn(Scenario s)
    {
        var f = s.Fleet.Financing;
        return f.Tranches is { Count: > 0 } || f.Revolver.LimitUsd > 0 || f.Equity.TargetCashUsd > 0;
    }

    /// <summary>Tranches of the scenario (0 when none).</summary>
    public static int TrancheCount(Scenario s) => s.Fleet.Financing.Tranches?.Count ?? 0;

    /// <summary>The financing block's metric names, none when off.</summary>
    public static IEnumerable<string> MetricNames(Scenario s) => IsOn(s) ? Table.Names(TrancheCount(s)) : Array.Empty<string>();

    /// <summary>The kernel parameters, with the tranche rows appended to <paramref name="data"/> (nothing appended when off).</summary>
    public static FinancingParams Compile(Scenario s, List<double> data)
    {
        if (!IsOn(s)) return default;
        var f = s.Fleet.Financing;
        int offset = data.Count;
        foreach (var t in f.Tranches ?? new List<TrancheSpec>())
        {
            var row = new double[TrancheField.Stride];
            row[TrancheField.Kind] = t.Kind switch { "ddtl" => TrancheKind.Ddtl, "bullet" => TrancheKind.Bullet, _ => TrancheKind.TermLoan };
            row[TrancheField.Commitment] = t.CommitmentUsd;
            row[TrancheField.RateMonthly] = t.Rate / 12.0;
            row[TrancheField.TermMonths] = t.TermMonths;
            row[TrancheField.StartMonth] = t.StartMonth;
            row[TrancheField.DrawMonths] = t.DrawMonths;
            row[TrancheField.AdvanceRate] = t.AdvanceRate;
            row[TrancheField.StraightLine] = t.Amortisation == "straight_line" ? 1 : 0;
            row[TrancheField.LtvMax] = t.LtvMax;
            row[TrancheField.DscrMin] = t.DscrMin;
            data.AddRange(row);
        }
        return new FinancingParams
        {
            On = Switch.On,
            TrancheCount = TrancheCount(s),
            TrancheOffset = offset,
            RevolverLimit = f.Revolver.LimitUsd,
            RevolverRateMonthly = f.Revolver.Rate / 12.0,
            RevolverFeeMonthly = f.Revolver.CommitmentFee / 12.0,
            EquityMinCash = f.Equity.MinCashUsd,
            EquityTarget = f.Equity.TargetCashUsd,
            EquityDiscount = f.Equity.Discount,
            EquityFail0 = f.Equity.FailProbability,
            EquityFail1 = f.Equity.FailProbabilityBust,
            RefiSpread0Monthly = f.Refinancing.Spread / 12.0,
            RefiSpread1Monthly = f.Refinancing.SpreadBust / 12.0,
            RefiFail0 = f.Refinancing.FailProbability,
            RefiFail1 = f.Refinancing.FailProbabilityBust,
        };
    }

    /// <summary>Cross-field rules of fleet.financing's tranches and raises (ranges are the fields' own).</summary>
    public static IEnumerable<ValidationError> Validate(Scenario s)
    {
        var f = s.Fleet.Financing;
        var tranches = f.Tranches ?? new List<TrancheSpec>();
        if (tranches.Count > TrancheField.MaxTranches)
            yield return new ValidationError("fleet.financing.tranches", tranches.Count.ToString(Inv),
                $"must hold at most {TrancheField.MaxTranches} tranches (the kernel's fixed per-path state)");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < tranches.Count; i++)
        {
            var t = tranches[i];
            string at = $"fleet.financing.tranches[{i}]";
            if (!names.Add(t.Name)) yield return new ValidationError($"{at}.name", t.Name, "must be unique in fleet.financing.tranches");
            if (t.StartMonth >= s.HorizonMonths)
                yield return new ValidationError($"{at}.start_month", t.StartMonth.ToString(Inv),
                    $"must be before the horizon (horizon_months = {s.HorizonMonths})");
        }
        if (f.Equity.TargetCashUsd > 0 && f.Equity.TargetCashUsd < f.Equity.MinCashUsd)
            yield return new ValidationError("fleet.financing.equity.target_cash_usd", f.Equity.TargetCashUsd.ToString(Inv),
                $"must be at least equity.min_cash_usd ({f.Equity.MinCashUsd.ToString(Inv)})");
        if (f.Equity.TargetCashUsd == 0 && f.Equity.MinCashUsd > 0)
            yield return new ValidationError("fleet.financing.equity.min_cash_usd", f.Equity.MinCashUsd.ToString(Inv),
                "needs equity.target_cash_usd > 0 (0 switches raises off)");
    }
}
