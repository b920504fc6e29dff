using ComputeEconomics.Kernels.Random;

namespace ComputeEconomics.Kernels.Models;

/// <summary>
/// Model kind <c>lab</c>: a GenAI model maker or an application start-up (SPEC 6), month by month on one path.
/// Equations as implemented: docs/model.md section 6; each month is the sequence of stages named after its
/// subsections (LabStages.cs): users, revenue and costs, funding rounds and insolvency, month close, bands; the
/// metrics after the last month. No scratch. Draws: Block(seed, path, t, 0, Lab) each month t &gt;= 1 (X: the
/// growth-rate normal; Y: the funding uniform, also at t = 0) and, when the inference cost comes from a fleet run,
/// Block(seed, path, 0, 1, Lab).X once per path (slot 1 is used by nothing else).
/// </summary>
public partial struct LabModel : IPathModel
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
        LabPath path = StartPath<TMath, TD>(slot.Path, data);
        for (int t = 0; t < P.Months; t++)
        {
            if (t > 0) Market.Step<TMath, TD>(P.Market, data, slot.Path, ref path.Market);
            if (path.InsolventMonth >= 0)
            {
                if (slot.BandBase >= 0) WriteStoppedBands(slot.BandBase, bands, t);
                continue;
            }
            UInt4 draws = Philox4x32.Block(P.Market.Seed, slot.Path, (uint)t, 0u, Streams.Lab);
            Users<TMath>(ref path, t, draws.X);
            LabMonth month = RevenueAndCosts<TMath>(in path, t);
            path.Cash -= month.Burn;
            if (month.Burn <= 0 && path.BreakEven < 0) path.BreakEven = t;
            Funding(ref path, in month, draws.Y);
            CloseMonth(ref path, in month, t);
            if (slot.BandBase >= 0) WriteBands(slot.BandBase, bands, in path, in month, t);
        }
        WriteMetrics(slot, metrics, in path);
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

/// <summary>One lab path's state across months: market, users, cash, cap table and the metrics' accumulators.</summary>
internal struct LabPath
{
    public MarketState Market;
    /// <summary>Own-fleet inference cost per Mtok at month 0 (fixed, or this path's draw from a fleet run).</summary>
    public double OwnCost;
    public double Users, Cash, MinCash, Founders, Early;
    public double Raised, Rounds, FailedRaises;
    public double SumRevenue, SumCogs, SumBurn, SumInference, SumTokens;
    public double FirstRevenue, LastRevenue, CostMonth0;
    public int InsolventMonth, BreakEven;
}

/// <summary>The flows of one month of the lab (docs/model.md 6, "Revenue and costs of month t").</summary>
internal struct LabMonth
{
    public int Regime;
    public double Tokens, UnitCost, Revenue, Inference, Cogs, Costs, Burn;
}
