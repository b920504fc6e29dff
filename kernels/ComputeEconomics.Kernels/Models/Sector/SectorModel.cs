using System.Runtime.CompilerServices;
using ComputeEconomics.Kernels.Random;

namespace ComputeEconomics.Kernels.Models;

/// <summary>
/// Model kind <c>sector</c>: the four hyperscalers' AI capex against AI revenue (SPEC 7), in years on one path.
/// The market drivers run monthly (the regime chain sets each year's bust share); year y is computed after its
/// twelfth month. Equations: docs/model.md section 7; each year is the sequence of stages: bust share, capex and
/// revenue, depreciation, the Sequoia gap, GDP, the year's metrics and bands. Scratch per path: Years doubles (the
/// capex of each year). Draws: Block(seed, path, y, 0, Sector) for each simulated (not reported) year y
/// (X: capex normal, Y: revenue normal).
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
        SectorPath path = default;
        path.Market = Market.Initial<TMath>(P.Market);
        path.PeakShare = double.NaN;
        path.PeakContribution = double.NaN;
        path.CloseYear = -1;
        for (int y = 0; y < P.Years; y++)
        {
            double bust = BustShare<TMath, TD>(slot.Path, data, ref path.Market, y);
            CapexAndRevenue<TMath, TD>(slot.Path, data, ref path, y, bust);
            scratch[slot.ScratchBase + y * slot.ScratchStride] = path.Capex;
            SectorYear year = Depreciation(scratch, slot.ScratchBase, slot.ScratchStride, ref path, y);
            Gap(ref path, ref year, y);
            Gdp<TMath>(ref path, ref year, y);
            WriteYear(slot, metrics, in path, in year, y);
            if (slot.BandBase >= 0) WriteBands(slot.BandBase, bands, in path, in year, y);
        }
        WriteMetrics(slot, metrics, in path);
    }

    /// <summary>The year's twelve market months (from month 1 on); b = the share of them in the bust regime.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly double BustShare<TMath, TD>(long pathIndex, TD data, ref MarketState mk, int y)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        double bustMonths = 0;
        for (int t = 12 * y; t < 12 * y + 12; t++)
        {
            if (t > 0) Market.Step<TMath, TD>(P.Market, data, pathIndex, ref mk);
            bustMonths += mk.Regime;
        }
        return bustMonths / 12.0;
    }

    /// <summary>C_y and R_y: reported, or grown at the regime-weighted drift with correlated normal shocks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void CapexAndRevenue<TMath, TD>(long pathIndex, TD data, ref SectorPath path, int y, double bust)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        TMath m = default;
        double zc = 0, zr = 0;
        if ((y >= P.CapexCount && P.CapexVol > 0) || (y >= P.RevenueCount && P.RevenueVol > 0))
        {
            UInt4 b = Philox4x32.Block(P.Market.Seed, pathIndex, (uint)y, 0u, Streams.Sector);
            double e1 = Normal.InvCdf<TMath>(Philox4x32.ToUniform(b.X));
            double e2 = Normal.InvCdf<TMath>(Philox4x32.ToUniform(b.Y));
            zc = e1;
            zr = P.ShockCorrelation * e1 + P.ShockComplement * e2;
        }
        path.Capex = y < P.CapexCount
            ? data[P.CapexOffset + y]
            : path.Capex * m.Exp((1 - bust) * P.CapexDrift0 + bust * P.CapexDrift1 + P.CapexVol * zc);
        path.Revenue = y < P.RevenueCount
            ? data[P.RevenueOffset + y]
            : path.Revenue * m.Exp((1 - bust) * P.RevenueDrift0 + bust * P.RevenueDrift1 + P.RevenueVol * zr);
    }

    /// <summary>Straight-line depreciation of each year's capex (in scratch) from the year it is spent, over the book
    /// and the economic life; the overstatement and its running sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly SectorYear Depreciation<TD>(TD scratch, int sb, int ss, ref SectorPath path, int y)
        where TD : struct, IVec<double>
    {
        SectorYear year = default;
        double bookDep = 0, econDep = 0;
        for (int j = 0; j <= y && j < P.BookLifeYears; j++) bookDep += scratch[sb + (y - j) * ss];
        for (int j = 0; j <= y && j < P.EconomicLifeYears; j++) econDep += scratch[sb + (y - j) * ss];
        year.BookDep = P.ShortLivedShare * bookDep / P.BookLifeYears;
        year.EconDep = P.ShortLivedShare * econDep / P.EconomicLifeYears;
        year.Overstatement = year.EconDep - year.BookDep;
        path.CumOverstatement += year.Overstatement;
        return year;
    }

    /// <summary>Sequoia: revenue needed = capex x TCO multiple / (1 - target gross margin); the gap and the year it closes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Gap(ref SectorPath path, ref SectorYear year, int y)
    {
        year.Required = path.Capex * P.TcoMultiple / (1.0 - P.TargetMargin);
        path.Gap = year.Required - path.Revenue;
        if (path.Gap <= 0 && path.CloseYear < 0) path.CloseYear = y + 1;
    }

    /// <summary>Capex as a share of GDP and the GDP contribution of the change in capex; their peaks; the totals.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Gdp<TMath>(ref SectorPath path, ref SectorYear year, int y) where TMath : struct, IMathPolicy
    {
        TMath m = default;
        double capex = path.Capex;
        double gdp = P.Gdp0 * m.Exp(P.LnGdpGrowth * y);
        year.Share = capex / gdp;
        year.Contribution = y > 0 ? P.DomesticShare * (capex - path.PrevCapex) / path.PrevGdp : double.NaN;
        path.PeakShare = y == 0 ? year.Share : Math.Max(path.PeakShare, year.Share);
        if (y == 1) path.PeakContribution = year.Contribution;
        else if (y > 1) path.PeakContribution = Math.Max(path.PeakContribution, year.Contribution);
        path.TotalCapex += capex; path.TotalRevenue += path.Revenue;
        path.PrevCapex = capex; path.PrevGdp = gdp;
    }

    /// <summary>Year y's metrics (<see cref="SectorYearField"/>).</summary>
    private readonly void WriteYear<TD>(in PathSlot slot, TD metrics, in SectorPath path, in SectorYear year, int y)
        where TD : struct, IVec<double>
    {
        int mb = slot.MetricBase, ms = slot.MetricStride;
        Put(metrics, mb, ms, SectorYearField.Capex, y, path.Capex);
        Put(metrics, mb, ms, SectorYearField.AiRevenue, y, path.Revenue);
        Put(metrics, mb, ms, SectorYearField.RequiredRevenue, y, year.Required);
        Put(metrics, mb, ms, SectorYearField.RevenueGap, y, path.Gap);
        Put(metrics, mb, ms, SectorYearField.BookDepreciation, y, year.BookDep);
        Put(metrics, mb, ms, SectorYearField.EconomicDepreciation, y, year.EconDep);
        Put(metrics, mb, ms, SectorYearField.Overstatement, y, year.Overstatement);
        Put(metrics, mb, ms, SectorYearField.CapexShareGdp, y, year.Share);
        Put(metrics, mb, ms, SectorYearField.GdpContribution, y, year.Contribution);
    }

    /// <summary>Year y's value in each of its twelve months (<see cref="SectorSeries"/>).</summary>
    private static void WriteBands<TF>(long bandBase, TF bands, in SectorPath path, in SectorYear year, int y)
        where TF : struct, IVec<float>
    {
        for (int t = 12 * y; t < 12 * y + 12; t++)
        {
            long bb = bandBase + (long)t * SectorSeries.Count;
            bands[bb + SectorSeries.Capex] = (float)path.Capex;
            bands[bb + SectorSeries.AiRevenue] = (float)path.Revenue;
            bands[bb + SectorSeries.RequiredRevenue] = (float)year.Required;
            bands[bb + SectorSeries.RevenueGap] = (float)path.Gap;
            bands[bb + SectorSeries.Overstatement] = (float)year.Overstatement;
        }
    }

    /// <summary>The gap-closed events of every year and the path's metrics (<see cref="SectorMetrics"/>).</summary>
    private readonly void WriteMetrics<TD>(in PathSlot slot, TD metrics, in SectorPath path) where TD : struct, IVec<double>
    {
        int mb = slot.MetricBase, ms = slot.MetricStride;
        for (int y = 0; y < P.Years; y++)
            Put(metrics, mb, ms, SectorYearField.GapClosedBy, y, path.CloseYear > 0 && path.CloseYear <= y + 1 ? 1.0 : 0.0);
        metrics[mb + SectorMetrics.TotalCapex * ms] = path.TotalCapex;
        metrics[mb + SectorMetrics.TotalAiRevenue * ms] = path.TotalRevenue;
        metrics[mb + SectorMetrics.CumulativeOverstatement * ms] = path.CumOverstatement;
        metrics[mb + SectorMetrics.FinalGap * ms] = path.Gap;
        metrics[mb + SectorMetrics.GapCloseYear * ms] = path.CloseYear > 0 ? path.CloseYear : double.NaN;
        metrics[mb + SectorMetrics.PeakCapexShareGdp * ms] = path.PeakShare;
        metrics[mb + SectorMetrics.PeakGdpContribution * ms] = path.PeakContribution;
    }

    private readonly void Put<TD>(TD metrics, int mb, int ms, int field, int year, double value) where TD : struct, IVec<double>
        => metrics[mb + (SectorMetrics.Count + field * P.Years + year) * ms] = value;
}

/// <summary>One sector path's state across years.</summary>
internal struct SectorPath
{
    public MarketState Market;
    /// <summary>This year's capex C_y and AI revenue R_y (the previous year's until the year is computed).</summary>
    public double Capex, Revenue;
    public double PrevCapex, PrevGdp;
    public double TotalCapex, TotalRevenue, CumOverstatement, Gap;
    public double PeakShare, PeakContribution;
    public int CloseYear;
}

/// <summary>The values of one year reported beside the path's capex, revenue and gap.</summary>
internal struct SectorYear
{
    public double BookDep, EconDep, Overstatement, Required, Share, Contribution;
}
