using System.Runtime.CompilerServices;
using ComputeEconomics.Kernels.Random;

namespace ComputeEconomics.Kernels.Models;

/// <summary>The lab model's stages, each named after its subsection of docs/model.md section 6.</summary>
public partial struct LabModel
{
    /// <summary>The path before month 0; the own-fleet cost drawn from a fleet run's distribution in
    /// <see cref="InferenceMode.OwnFleetFromRun"/> ("Cost from a fleet run").</summary>
    private readonly LabPath StartPath<TMath, TD>(long pathIndex, TD data)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        LabPath path = default;
        path.OwnCost = P.OwnCostPerMtok;
        if (P.InferenceMode == InferenceMode.OwnFleetFromRun)
        {
            UInt4 cb = Philox4x32.Block(P.Market.Seed, pathIndex, 0u, 1u, Streams.Lab);
            path.OwnCost = EmpiricalQuantile<TD>(data, P.CostTableOffset, P.CostTableCount, Philox4x32.ToUniform(cb.X));
        }
        path.Market = Market.Initial<TMath>(P.Market);
        path.Users = P.PayingUsers0;
        path.Cash = P.InitialCash;
        path.MinCash = P.InitialCash;
        path.Founders = P.Founders0;
        path.Early = P.EarlyInvestors0;
        path.InsolventMonth = -1;
        path.BreakEven = -1;
        return path;
    }

    /// <summary>Users: the exact logistic over one month at the net rate g = acquisition - churn (ceiling K, rate
    /// stochastic through the word <paramref name="growthWord"/>), from month 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Users<TMath>(ref LabPath path, int t, uint growthWord) where TMath : struct, IMathPolicy
    {
        TMath m = default;
        double churn = path.Market.Regime == MarketRegime.Normal ? P.Churn0 : P.Churn1;
        if (t > 0 && path.Users > 0)
        {
            double g = P.GrowthMonthly - churn;
            if (P.GrowthVolMonthly > 0) g += P.GrowthVolMonthly * Normal.InvCdf<TMath>(Philox4x32.ToUniform(growthWord));
            path.Users = P.Ceiling / (1.0 + (P.Ceiling / path.Users - 1.0) * m.Exp(-g));
        }
    }

    /// <summary>Revenue and costs of month t: tokens, the inference cost per Mtok (the API index or the own fleet's),
    /// revenue, inference, COGS, costs and burn.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly LabMonth RevenueAndCosts<TMath>(in LabPath path, int t) where TMath : struct, IMathPolicy
    {
        TMath m = default;
        LabMonth month = default;
        month.Regime = path.Market.Regime;
        double price = path.Market.Price;   // USD per million tokens
        double users = path.Users;
        double mtokPerUser = P.MtokPerUser0 * m.Exp(P.LnTokenGrowthMonthly * t);
        double apiMtok = P.ApiMtok0 * m.Exp(P.LnApiGrowthMonthly * t);
        month.Tokens = users * mtokPerUser * (1.0 + P.FreeRatio * P.FreeTokenShare) + apiMtok;
        month.UnitCost = P.InferenceMode == InferenceMode.ApiPrice ? price : path.OwnCost * m.Exp(P.LnCostDeclineMonthly * t);
        month.Revenue = users * P.Arpu + apiMtok * price;
        month.Inference = month.Tokens * month.UnitCost;
        month.Cogs = month.Inference + P.RevenueShare * month.Revenue;
        month.Costs = month.Cogs + P.Training0 * m.Exp(P.LnTrainingGrowthMonthly * t) + P.Staff0 * m.Exp(P.LnStaffGrowthMonthly * t);
        month.Burn = month.Costs - month.Revenue;
        return month;
    }

    /// <summary>Funding rounds: with runway below R months of the current burn, try to raise (a bust lowers the odds;
    /// success 0 closes the window); a round dilutes founders and early investors by pre / (pre + amount).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Funding(ref LabPath path, in LabMonth month, uint fundingWord)
    {
        double burn = month.Burn;
        if (!(burn > 0 && path.Cash < P.RunwayMonths * burn)) return;
        bool normal = month.Regime == MarketRegime.Normal;
        double pSuccess = normal ? P.Success0 : P.Success1;
        if (Philox4x32.ToUniform(fundingWord) < pSuccess)
        {
            double amount = P.RoundMonths * burn;
            double preMoney = (normal ? P.Multiple0 : P.Multiple1) * 12.0 * month.Revenue;
            double keep = preMoney / (preMoney + amount);
            path.Founders *= keep;
            path.Early *= keep;
            path.Cash += amount;
            path.Raised += amount;
            path.Rounds += 1;
        }
        else path.FailedRaises += 1;
    }

    /// <summary>The month's totals, minimum cash, and insolvency: cash below 0 after the raise attempt stops the path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CloseMonth(ref LabPath path, in LabMonth month, int t)
    {
        if (t == 0) { path.FirstRevenue = month.Revenue; path.CostMonth0 = month.UnitCost; }
        path.LastRevenue = month.Revenue;
        path.SumRevenue += month.Revenue; path.SumCogs += month.Cogs; path.SumBurn += month.Burn;
        path.SumInference += month.Inference; path.SumTokens += month.Tokens;
        path.MinCash = Math.Min(path.MinCash, path.Cash);
        if (path.Cash < 0) path.InsolventMonth = t;
    }

    /// <summary>Month t's bands (<see cref="LabSeries"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteBands<TF>(long bandBase, TF bands, in LabPath path, in LabMonth month, int t)
        where TF : struct, IVec<float>
    {
        long bb = bandBase + (long)t * LabSeries.Count;
        bands[bb + LabSeries.Cash] = (float)path.Cash;
        bands[bb + LabSeries.Revenue] = (float)month.Revenue;
        bands[bb + LabSeries.Costs] = (float)month.Costs;
        bands[bb + LabSeries.PayingUsers] = (float)path.Users;
        bands[bb + LabSeries.InferenceCostPerMtok] = (float)month.UnitCost;
    }

    /// <summary>Bands after insolvency: NaN.</summary>
    private static void WriteStoppedBands<TF>(long bandBase, TF bands, int t) where TF : struct, IVec<float>
    {
        long nb = bandBase + (long)t * LabSeries.Count;
        for (int k = 0; k < LabSeries.Count; k++) bands[nb + k] = float.NaN;
    }

    /// <summary>The path's metrics (docs/model.md 6, "Metrics (per path) and bands").</summary>
    private readonly void WriteMetrics<TD>(in PathSlot slot, TD metrics, in LabPath path) where TD : struct, IVec<double>
    {
        bool alive = path.InsolventMonth < 0;
        double netNewArr = 12.0 * (path.LastRevenue - path.FirstRevenue);
        int mb = slot.MetricBase, ms = slot.MetricStride;
        metrics[mb + LabMetrics.Insolvent * ms] = alive ? 0.0 : 1.0;
        metrics[mb + LabMetrics.InsolvencyMonth * ms] = alive ? double.NaN : path.InsolventMonth;
        metrics[mb + LabMetrics.GrossMargin * ms] = path.SumRevenue > 0 ? (path.SumRevenue - path.SumCogs) / path.SumRevenue : double.NaN;
        metrics[mb + LabMetrics.BurnMultiple * ms] = netNewArr > 0 ? path.SumBurn / netNewArr : double.NaN;
        metrics[mb + LabMetrics.CapitalRaised * ms] = path.Raised;
        metrics[mb + LabMetrics.Rounds * ms] = path.Rounds;
        metrics[mb + LabMetrics.FailedRaises * ms] = path.FailedRaises;
        metrics[mb + LabMetrics.MonthsToBreakEven * ms] = path.BreakEven >= 0 ? path.BreakEven : double.NaN;
        metrics[mb + LabMetrics.FoundersOwnership * ms] = path.Founders;
        metrics[mb + LabMetrics.EarlyInvestorsOwnership * ms] = path.Early;
        metrics[mb + LabMetrics.FinalCash * ms] = path.Cash;
        metrics[mb + LabMetrics.MinCash * ms] = path.MinCash;
        metrics[mb + LabMetrics.FinalArr * ms] = alive ? 12.0 * path.LastRevenue : 0.0;
        metrics[mb + LabMetrics.TotalRevenue * ms] = path.SumRevenue;
        metrics[mb + LabMetrics.FinalPayingUsers * ms] = alive ? path.Users : 0.0;
        metrics[mb + LabMetrics.InferenceCostPerMtok * ms] = path.SumTokens > 0 ? path.SumInference / path.SumTokens : double.NaN;
        metrics[mb + LabMetrics.InferenceCostMonth0 * ms] = path.CostMonth0;
        for (int k = 1; k <= P.Years; k++)
            metrics[mb + (LabMetrics.Count + k - 1) * ms] = !alive && path.InsolventMonth < 12 * k ? 1.0 : 0.0;
    }
}
