using ComputeEconomics.Kernels.Random;

namespace ComputeEconomics.Kernels.Models;

/// <summary>
/// Model kind <c>sector</c>: the four hyperscalers' AI capex against AI revenue (SPEC 7), in years on one path.
/// The market drivers run monthly (the regime chain sets each year's bust share); year y is computed after its
/// twelfth month. Equations: docs/model.md section 7. Scratch per path: Years doubles (the capex of each year).
/// Draws: Block(seed, path, y, 0, Sector) for each simulated (not reported) year y (X: capex normal, Y: revenue normal).
/// </summary>
public struct SectorModel : IPathModel
{
    public SectorParams P;

    /// <inheritdoc />
    public void ShiftDataOffsets(int shift) { P.CapexOffset += shift; P.RevenueOffset += shift; P.Market.ShiftDataOffsets(shift); }

    public readonly long ScratchPerPath => P.Years;

    public readonly int MetricCount => SectorMetrics.Count + SectorYearField.Count * P.Years;

    /// <inheritdoc />
    public readonly void Simulate<TMath, TD, TF>(in PathSlot slot, TD data, TD scratch, TD metrics, TF bands)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
        where TF : struct, IVec<float>
    {
        TMath m = default;
        int sb = slot.ScratchBase, ss = slot.ScratchStride, mb = slot.MetricBase;
        MarketState mk = Market.Initial<TMath>(P.Market);
        double capex = 0, revenue = 0, prevCapex = 0, prevGdp = 0;
        double totalCapex = 0, totalRevenue = 0, cumOver = 0, gap = 0;
        double peakShare = double.NaN, peakContribution = double.NaN;
        int closeYear = -1;

        for (int y = 0; y < P.Years; y++)
        {
            double bustMonths = 0;
            for (int t = 12 * y; t < 12 * y + 12; t++)
            {
                if (t > 0) Market.Step<TMath, TD>(P.Market, data, slot.Path, ref mk);
                bustMonths += mk.Regime;
            }
            double bust = bustMonths / 12.0;

            double zc = 0, zr = 0;
            if ((y >= P.CapexCount && P.CapexVol > 0) || (y >= P.RevenueCount && P.RevenueVol > 0))
            {
                UInt4 b = Philox4x32.Block(P.Market.Seed, slot.Path, (uint)y, 0u, Streams.Sector);
                double e1 = Normal.InvCdf<TMath>(Philox4x32.ToUniform(b.X));
                double e2 = Normal.InvCdf<TMath>(Philox4x32.ToUniform(b.Y));
                zc = e1;
                zr = P.ShockCorrelation * e1 + P.ShockComplement * e2;
            }
            capex = y < P.CapexCount
                ? data[P.CapexOffset + y]
                : capex * m.Exp((1 - bust) * P.CapexDrift0 + bust * P.CapexDrift1 + P.CapexVol * zc);
            revenue = y < P.RevenueCount
                ? data[P.RevenueOffset + y]
                : revenue * m.Exp((1 - bust) * P.RevenueDrift0 + bust * P.RevenueDrift1 + P.RevenueVol * zr);
            scratch[sb + y * ss] = capex;

            // Straight-line depreciation of each year's capex from the year it is spent, over each life.
            double bookDep = 0, econDep = 0;
            for (int j = 0; j <= y && j < P.BookLifeYears; j++) bookDep += scratch[sb + (y - j) * ss];
            for (int j = 0; j <= y && j < P.EconomicLifeYears; j++) econDep += scratch[sb + (y - j) * ss];
            bookDep = P.ShortLivedShare * bookDep / P.BookLifeYears;
            econDep = P.ShortLivedShare * econDep / P.EconomicLifeYears;
            double over = econDep - bookDep;
            cumOver += over;

            // Sequoia: revenue needed = capex x TCO multiple / (1 - target gross margin).
            double required = capex * P.TcoMultiple / (1.0 - P.TargetMargin);
            gap = required - revenue;
            if (gap <= 0 && closeYear < 0) closeYear = y + 1;

            double gdp = P.Gdp0 * m.Exp(P.LnGdpGrowth * y);
            double share = capex / gdp;
            double contribution = y > 0 ? P.DomesticShare * (capex - prevCapex) / prevGdp : double.NaN;
            peakShare = y == 0 ? share : Math.Max(peakShare, share);
            if (y == 1) peakContribution = contribution;
            else if (y > 1) peakContribution = Math.Max(peakContribution, contribution);
            totalCapex += capex; totalRevenue += revenue;
            prevCapex = capex; prevGdp = gdp;

            Put(metrics, mb, slot.MetricStride, SectorYearField.Capex, y, capex);
            Put(metrics, mb, slot.MetricStride, SectorYearField.AiRevenue, y, revenue);
            Put(metrics, mb, slot.MetricStride, SectorYearField.RequiredRevenue, y, required);
            Put(metrics, mb, slot.MetricStride, SectorYearField.RevenueGap, y, gap);
            Put(metrics, mb, slot.MetricStride, SectorYearField.BookDepreciation, y, bookDep);
            Put(metrics, mb, slot.MetricStride, SectorYearField.EconomicDepreciation, y, econDep);
            Put(metrics, mb, slot.MetricStride, SectorYearField.Overstatement, y, over);
            Put(metrics, mb, slot.MetricStride, SectorYearField.CapexShareGdp, y, share);
            Put(metrics, mb, slot.MetricStride, SectorYearField.GdpContribution, y, contribution);

            if (slot.BandBase >= 0)
            {
                for (int t = 12 * y; t < 12 * y + 12; t++)
                {
                    long bb = slot.BandBase + (long)t * SectorSeries.Count;
                    bands[bb + SectorSeries.Capex] = (float)capex;
                    bands[bb + SectorSeries.AiRevenue] = (float)revenue;
                    bands[bb + SectorSeries.RequiredRevenue] = (float)required;
                    bands[bb + SectorSeries.RevenueGap] = (float)gap;
                    bands[bb + SectorSeries.Overstatement] = (float)over;
                }
            }
        }
        for (int y = 0; y < P.Years; y++)
            Put(metrics, mb, slot.MetricStride, SectorYearField.GapClosedBy, y, closeYear > 0 && closeYear <= y + 1 ? 1.0 : 0.0);

        metrics[mb + (SectorMetrics.TotalCapex) * slot.MetricStride] = totalCapex;
        metrics[mb + (SectorMetrics.TotalAiRevenue) * slot.MetricStride] = totalRevenue;
        metrics[mb + (SectorMetrics.CumulativeOverstatement) * slot.MetricStride] = cumOver;
        metrics[mb + (SectorMetrics.FinalGap) * slot.MetricStride] = gap;
        metrics[mb + (SectorMetrics.GapCloseYear) * slot.MetricStride] = closeYear > 0 ? closeYear : double.NaN;
        metrics[mb + (SectorMetrics.PeakCapexShareGdp) * slot.MetricStride] = peakShare;
        metrics[mb + (SectorMetrics.PeakGdpContribution) * slot.MetricStride] = peakContribution;
    }

    private readonly void Put<TD>(TD metrics, int mb, int ms, int field, int year, double value) where TD : struct, IVec<double>
        => metrics[mb + (SectorMetrics.Count + field * P.Years + year) * ms] = value;
}
