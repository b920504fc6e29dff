using ComputeEconomics.Kernels.Random;

namespace ComputeEconomics.Kernels.Models;

/// <summary>
/// Model kind <c>lab</c>: a GenAI model maker or an application start-up (SPEC 6), month by month on one path.
/// Equations as implemented: docs/model.md section 6. No scratch. Draws: Block(seed, path, t, 0, Lab) each month
/// t &gt;= 1 (X: the growth-rate normal; Y: the funding uniform, also at t = 0) and, when the inference cost comes
/// from a fleet run, Block(seed, path, 0, 1, Lab).X once per path (slot 1 is used by nothing else).
/// </summary>
public struct LabModel : IPathModel
{
    public LabParams P;

    /// <inheritdoc />
    public void ShiftDataOffsets(int shift) { P.CostTableOffset += shift; P.Market.ShiftDataOffsets(shift); }

    /// <summary>Metrics per path: the fixed ones and one insolvent_by_year flag per year.</summary>
    public readonly int MetricCount => LabMetrics.Count + P.Years;

    /// <inheritdoc />
    public readonly void Simulate<TMath, TD, TF>(in PathSlot slot, TD data, TD scratch, TD metrics, TF bands)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
        where TF : struct, IVec<float>
    {
        TMath m = default;
        double ownCost = P.OwnCostPerMtok;
        if (P.InferenceMode == 2)
        {
            UInt4 cb = Philox4x32.Block(P.Market.Seed, slot.Path, 0u, 1u, Streams.Lab);
            ownCost = EmpiricalQuantile<TD>(data, P.CostTableOffset, P.CostTableCount, Philox4x32.ToUniform(cb.X));
        }

        MarketState mk = Market.Initial<TMath>(P.Market);
        double users = P.PayingUsers0;
        double cash = P.InitialCash, minCash = P.InitialCash;
        double founders = P.Founders0, early = P.EarlyInvestors0;
        double raised = 0, rounds = 0, failedRaises = 0;
        double sumRevenue = 0, sumCogs = 0, sumBurn = 0, sumInference = 0, sumTokens = 0;
        double firstRevenue = 0, lastRevenue = 0;
        double costMonth0 = 0;
        int insolventMonth = -1, breakEven = -1;

        for (int t = 0; t < P.Months; t++)
        {
            if (t > 0) Market.Step<TMath, TD>(P.Market, data, slot.Path, ref mk);
            if (insolventMonth >= 0)
            {
                if (slot.BandBase >= 0)
                {
                    long nb = slot.BandBase + (long)t * LabSeries.Count;
                    for (int k = 0; k < LabSeries.Count; k++) bands[nb + k] = float.NaN;
                }
                continue;
            }
            UInt4 b = Philox4x32.Block(P.Market.Seed, slot.Path, (uint)t, 0u, Streams.Lab);
            double churn = mk.Regime == 0 ? P.Churn0 : P.Churn1;
            if (t > 0 && users > 0)
            {
                // Exact logistic over one month at the net rate g = acquisition - churn (ceiling K, rate stochastic).
                double g = P.GrowthMonthly - churn;
                if (P.GrowthVolMonthly > 0) g += P.GrowthVolMonthly * Normal.InvCdf<TMath>(Philox4x32.ToUniform(b.X));
                users = P.Ceiling / (1.0 + (P.Ceiling / users - 1.0) * m.Exp(-g));
            }

            double price = mk.Price;   // USD per million tokens
            double mtokPerUser = P.MtokPerUser0 * m.Exp(P.LnTokenGrowthMonthly * t);
            double apiMtok = P.ApiMtok0 * m.Exp(P.LnApiGrowthMonthly * t);
            double tokens = users * mtokPerUser * (1.0 + P.FreeRatio * P.FreeTokenShare) + apiMtok;
            double unitCost = P.InferenceMode == 0 ? price : ownCost * m.Exp(P.LnCostDeclineMonthly * t);
            double revenue = users * P.Arpu + apiMtok * price;
            double inference = tokens * unitCost;
            double cogs = inference + P.RevenueShare * revenue;
            double costs = cogs + P.Training0 * m.Exp(P.LnTrainingGrowthMonthly * t) + P.Staff0 * m.Exp(P.LnStaffGrowthMonthly * t);
            double burn = costs - revenue;
            cash -= burn;
            if (burn <= 0 && breakEven < 0) breakEven = t;

            // Runway below R months of the current burn: try to raise (a bust lowers the odds; success 0 closes the window).
            if (burn > 0 && cash < P.RunwayMonths * burn)
            {
                double pSuccess = mk.Regime == 0 ? P.Success0 : P.Success1;
                if (Philox4x32.ToUniform(b.Y) < pSuccess)
                {
                    double amount = P.RoundMonths * burn;
                    double preMoney = (mk.Regime == 0 ? P.Multiple0 : P.Multiple1) * 12.0 * revenue;
                    double keep = preMoney / (preMoney + amount);
                    founders *= keep;
                    early *= keep;
                    cash += amount * (1.0 - P.FeeShare);
                    raised += amount;
                    rounds += 1;
                }
                else failedRaises += 1;
            }
            if (t == 0) { firstRevenue = revenue; costMonth0 = unitCost; }
            lastRevenue = revenue;
            sumRevenue += revenue; sumCogs += cogs; sumBurn += burn;
            sumInference += inference; sumTokens += tokens;
            minCash = Math.Min(minCash, cash);
            if (cash < 0) insolventMonth = t;

            if (slot.BandBase >= 0)
            {
                long bb = slot.BandBase + (long)t * LabSeries.Count;
                bands[bb + LabSeries.Cash] = (float)cash;
                bands[bb + LabSeries.Revenue] = (float)revenue;
                bands[bb + LabSeries.Costs] = (float)costs;
                bands[bb + LabSeries.PayingUsers] = (float)users;
                bands[bb + LabSeries.InferenceCostPerMtok] = (float)unitCost;
            }
        }

        bool alive = insolventMonth < 0;
        double netNewArr = 12.0 * (lastRevenue - firstRevenue);
        int mb = slot.MetricBase;
        metrics[mb + (LabMetrics.Insolvent) * slot.MetricStride] = alive ? 0.0 : 1.0;
        metrics[mb + (LabMetrics.InsolvencyMonth) * slot.MetricStride] = alive ? double.NaN : insolventMonth;
        metrics[mb + (LabMetrics.GrossMargin) * slot.MetricStride] = sumRevenue > 0 ? (sumRevenue - sumCogs) / sumRevenue : double.NaN;
        metrics[mb + (LabMetrics.BurnMultiple) * slot.MetricStride] = netNewArr > 0 ? sumBurn / netNewArr : double.NaN;
        metrics[mb + (LabMetrics.CapitalRaised) * slot.MetricStride] = raised;
        metrics[mb + (LabMetrics.Rounds) * slot.MetricStride] = rounds;
        metrics[mb + (LabMetrics.FailedRaises) * slot.MetricStride] = failedRaises;
        metrics[mb + (LabMetrics.MonthsToBreakEven) * slot.MetricStride] = breakEven >= 0 ? breakEven : double.NaN;
        metrics[mb + (LabMetrics.FoundersOwnership) * slot.MetricStride] = founders;
        metrics[mb + (LabMetrics.EarlyInvestorsOwnership) * slot.MetricStride] = early;
        metrics[mb + (LabMetrics.FinalCash) * slot.MetricStride] = cash;
        metrics[mb + (LabMetrics.MinCash) * slot.MetricStride] = minCash;
        metrics[mb + (LabMetrics.FinalArr) * slot.MetricStride] = alive ? 12.0 * lastRevenue : 0.0;
        metrics[mb + (LabMetrics.TotalRevenue) * slot.MetricStride] = sumRevenue;
        metrics[mb + (LabMetrics.FinalPayingUsers) * slot.MetricStride] = alive ? users : 0.0;
        metrics[mb + (LabMetrics.InferenceCostPerMtok) * slot.MetricStride] = sumTokens > 0 ? sumInference / sumTokens : double.NaN;
        metrics[mb + (LabMetrics.InferenceCostMonth0) * slot.MetricStride] = costMonth0;
        for (int k = 1; k <= P.Years; k++)
            metrics[mb + (LabMetrics.Count + k - 1) * slot.MetricStride] = !alive && insolventMonth < 12 * k ? 1.0 : 0.0;
    }

    /// <summary>
    /// The quantile function through the points (u_j, q_j) of the table (u ascending), linear between them and
    /// flat beyond the first and last: the empirical distribution of a fleet run's cost per Mtok (P1..P99).
    /// </summary>
    public static double EmpiricalQuantile<TD>(TD data, int offset, int count, double u) where TD : struct, IVec<double>
    {
        if (u <= data[offset]) return data[offset + count];
        for (int j = 0; j < count - 1; j++)
        {
            double u0 = data[offset + j], u1 = data[offset + j + 1];
            if (u < u1)
            {
                double q0 = data[offset + count + j], q1 = data[offset + count + j + 1];
                return q0 + (u - u0) / (u1 - u0) * (q1 - q0);
            }
        }
        return data[offset + 2 * count - 1];
    }
}
