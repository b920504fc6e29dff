using System.Runtime.CompilerServices;
using ComputeEconomics.Kernels.Finance;

namespace ComputeEconomics.Kernels.Models;

/// <summary>
/// The fleet model's stages after the operating pass (docs/model.md 4, "Order of operations within month t",
/// steps 6-9): debt and tax (EBITDA, levered and unlevered tax, FCF, NPV, payback), the month close (book earnings,
/// overstatement, equity cash and default, totals and snapshots), the bands; and the path's metrics after the last month.
/// </summary>
public partial struct FleetModel
{
    /// <summary>EBITDA, levered and unlevered tax with loss carry-forward, FCF (+ terminal value at T-1), NPV term, payback.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void DebtAndTax<TD>(TD data, ref FleetScratch<TD> s, ref FleetMonth month, ref FleetPath path)
        where TD : struct, IVec<double>
    {
        int t = month.T;
        WindDown(ref month, ref path);
        double ebitda = month.Revenue - month.Power - month.FixedCost - month.Maintenance;
        month.Ebitda = ebitda;
        month.Tax = Tax(P.TaxRate, ebitda - month.TaxDep - month.Interest, ref path.LossCarryLevered);
        double taxUnlev = Tax(P.TaxRate, ebitda - month.TaxDep, ref path.LossCarryUnlevered);
        double fcf = ebitda - month.Capex + month.Proceeds - taxUnlev;
        if (t == P.Months - 1 && P.TerminalValue != Switch.Off) fcf += path.FleetMarketValue;
        s.SetCashFlow(t, fcf);
        month.Discount = data[P.DiscountOffset + t];
        path.Npv += fcf * month.Discount;
        path.CumFcf += fcf;
        if (path.CumFcf < 0) path.WasNegative = true;
        else if (path.WasNegative && path.Payback < 0) path.Payback = t;
    }

    /// <summary>Wind-down (docs/model.md 4): staff, paid from month 0, stop when the fleet has been empty for more than
    /// WindDownMonths months after having held units (colocation stops with the units it is paid for).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void WindDown(ref FleetMonth month, ref FleetPath path)
    {
        if (month.FleetUnits > 0) path.LastActiveMonth = month.T;
        else if (path.LastActiveMonth >= 0 && month.T - path.LastActiveMonth > P.WindDownMonths)
            month.FixedCost -= P.StaffUsdMonth;
    }

    /// <summary>Book earnings and the earnings overstatement, equity cash and the default test, totals, the year-3 and
    /// year-6 snapshots.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void CloseMonth(ref FleetMonth month, ref FleetPath path)
    {
        int t = month.T;
        double gainOnDisposal = month.Proceeds - month.DisposedBook;
        double bookEarnings = month.Ebitda - month.BookDep - month.Impairment - month.Interest - month.Tax + gainOnDisposal;
        if (t < 12) path.BookEarningsY1 += bookEarnings;
        // At a disposal the book side catches up to market (its loss on disposal at market value), so a
        // cohort's overstatement reverses when it is sold, as the accounting loss reveals it.
        double overstated = month.EconDep - (month.BookDep + month.Impairment + month.DisposedBook - month.DisposedMarket);
        path.TotalImpairment += month.Impairment;
        path.Overstatement += overstated;
        if (t < 36) path.OverstatementY3 = path.Overstatement;
        if (path.Overstatement > path.OverstatementPeak) { path.OverstatementPeak = path.Overstatement; path.OverstatementPeakMonth = t; }
        path.OverstatementPv += overstated * month.Discount;

        if (path.Defaulted == 0) EquityCash(in month, ref path);

        path.TotalCapex += month.Capex; path.TotalRevenue += month.Revenue; path.TotalEbitda += month.Ebitda; path.SumUtil += month.Util;
        month.Cost = month.BookDep + month.Power + month.FixedCost + month.Maintenance + month.Interest;
        path.TotalCost += month.Cost; path.ServedHours += month.ServedHours; path.Tokens += month.Tokens;
        if (t == 35) { path.BookY3 = path.FleetBook; path.MarketValueY3 = path.FleetMarketValue; }
        if (t == 71) { path.BookY6 = path.FleetBook; path.MarketValueY6 = path.FleetMarketValue; }
    }

    /// <summary>The reported and the economic view of month t added to its fiscal year, written at the year's last month
    /// (docs/model.md 8, "Per fiscal year"): operating income - economic earnings is the month's overstatement.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void FiscalYear<TD>(in PathSlot slot, TD metrics, in FleetMonth month, ref FleetPath path)
        where TD : struct, IVec<double>
    {
        path.YearDep += month.BookDep;
        path.YearImpairment += month.Impairment;
        path.YearOperating += month.Ebitda - month.BookDep - month.Impairment + month.Proceeds - month.DisposedBook;
        path.YearEconomic += month.Ebitda - month.EconDep + month.Proceeds - month.DisposedMarket;
        int y = month.T / 12;
        if (month.T % 12 != 11 || y >= P.FiscalYears) return;
        int mb = slot.MetricBase + FleetMetrics.Count * slot.MetricStride;
        metrics[mb + (FleetYearField.DepreciationExpense * P.FiscalYears + y) * slot.MetricStride] = path.YearDep;
        metrics[mb + (FleetYearField.Impairment * P.FiscalYears + y) * slot.MetricStride] = path.YearImpairment;
        metrics[mb + (FleetYearField.OperatingIncome * P.FiscalYears + y) * slot.MetricStride] = path.YearOperating;
        metrics[mb + (FleetYearField.EconomicEarnings * P.FiscalYears + y) * slot.MetricStride] = path.YearEconomic;
        metrics[mb + (FleetYearField.EarningsEffect * P.FiscalYears + y) * slot.MetricStride] = path.YearOperating - path.YearEconomic;
        metrics[mb + (FleetYearField.Backlog * P.FiscalYears + y) * slot.MetricStride] = month.Backlog;
        path.YearDep = 0; path.YearImpairment = 0; path.YearOperating = 0; path.YearEconomic = 0;
    }

    /// <summary>Equity cash while not defaulted (docs/model.md 4): the month's flows, minimum cash, default on negative cash or
    /// a covenant breach (debt above ltv_max x market value), equity value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void EquityCash(in FleetMonth month, ref FleetPath path)
    {
        path.Cash += month.Ebitda - month.Capex + month.Proceeds - month.Tax - month.Interest - month.Principal
            + month.NewLoans + month.EquityIn;
        if (P.Fin.On != Switch.Off) return;   // FinancingClose: covenants, revolver and raises come before the default test
        path.MinCash = Math.Min(path.MinCash, path.Cash);
        bool ltvBreach = P.LtvMax > 0 && path.FleetDebt > 0 && path.FleetDebt > P.LtvMax * path.FleetMarketValue;
        if (path.Cash < 0 || ltvBreach) { path.Defaulted = 1; path.DefaultMonth = month.T; }
        path.EquityValue = path.Defaulted != 0 ? 0.0 : path.Cash + path.FleetMarketValue - path.FleetDebt;
    }

    /// <summary>Month t's bands (<see cref="FleetSeries"/>; the backlog only with contracts); the cash band is NaN after the default month.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void WriteBands<TF>(long bandBase, TF bands, in FleetMonth month, in FleetPath path)
        where TF : struct, IVec<float>
    {
        int t = month.T;
        bool backlog = P.BacklogBand != Switch.Off;
        long bb = bandBase + (long)t * (backlog ? FleetSeries.Count + 1 : FleetSeries.Count);
        if (backlog) bands[bb + FleetSeries.Backlog] = (float)month.Backlog;
        bands[bb + FleetSeries.Cash] = path.Defaulted != 0 && path.DefaultMonth < t ? float.NaN : (float)path.Cash;
        bands[bb + FleetSeries.BookValue] = (float)path.FleetBook;
        bands[bb + FleetSeries.MarketValue] = (float)path.FleetMarketValue;
        bands[bb + FleetSeries.Revenue] = (float)month.Revenue;
        bands[bb + FleetSeries.Ebitda] = (float)month.Ebitda;
        bands[bb + FleetSeries.UnitCost] = month.ServedHours > 0 ? (float)(month.Cost / month.ServedHours) : float.NaN;
    }

    /// <summary>The path's metrics (docs/model.md 8, <see cref="FleetMetrics"/>), the IRR from the cash flows in scratch.</summary>
    private readonly void WriteMetrics<TD>(in PathSlot slot, TD metrics, ref FleetScratch<TD> s, in FleetPath path)
        where TD : struct, IVec<double>
    {
        double irr = Irr.Annual(s.Buffer, s.CashFlowBase, s.Stride, P.Months, out int irrStatus);
        WriteMetrics(slot, metrics, in path, irr, irrStatus);
    }

    /// <summary>The path's metrics with its IRR and IRR status given.</summary>
    private readonly void WriteMetrics<TD>(in PathSlot slot, TD metrics, in FleetPath path, double irr, int irrStatus)
        where TD : struct, IVec<double>
    {
        int mb = slot.MetricBase, ms = slot.MetricStride;
        double fleetBook = path.FleetBook, fleetMv = path.FleetMarketValue;
        metrics[mb + FleetMetrics.Npv * ms] = path.Npv;
        bool gains = irrStatus == IrrStatus.NeverNegative || irrStatus == IrrStatus.PositiveAtEveryRate;
        metrics[mb + FleetMetrics.Irr * ms] = irr;
        metrics[mb + FleetMetrics.IrrStatus * ms] = irrStatus;
        metrics[mb + FleetMetrics.IrrAboveHurdle * ms] = gains || (irrStatus == IrrStatus.Exists && irr >= P.HurdleAnnual) ? 1.0 : 0.0;
        metrics[mb + FleetMetrics.IrrLosesAtEveryRate * ms] =
            irrStatus == IrrStatus.NeverPositive || irrStatus == IrrStatus.NegativeAtEveryRate ? 1.0 : 0.0;
        metrics[mb + FleetMetrics.IrrGainsAtEveryRate * ms] = gains ? 1.0 : 0.0;
        metrics[mb + FleetMetrics.OverstatementPeak * ms] = path.OverstatementPeak;
        metrics[mb + FleetMetrics.OverstatementPeakMonth * ms] = path.OverstatementPeakMonth;
        metrics[mb + FleetMetrics.OverstatementPv * ms] = path.OverstatementPv;
        metrics[mb + FleetMetrics.PaybackMonth * ms] = path.Payback >= 0 ? path.Payback : double.NaN;
        metrics[mb + FleetMetrics.MinCash * ms] = path.MinCash;
        metrics[mb + FleetMetrics.Default * ms] = path.Defaulted;
        metrics[mb + FleetMetrics.DefaultMonth * ms] = path.DefaultMonth >= 0 ? path.DefaultMonth : double.NaN;
        metrics[mb + FleetMetrics.EquityValue * ms] = path.EquityValue;
        metrics[mb + FleetMetrics.FinalBookValue * ms] = fleetBook;
        metrics[mb + FleetMetrics.FinalMarketValue * ms] = fleetMv;
        metrics[mb + FleetMetrics.ImpairmentGap * ms] = fleetBook - fleetMv;
        metrics[mb + FleetMetrics.EarningsOverstatement * ms] = path.Overstatement;
        metrics[mb + FleetMetrics.MeanUtilisation * ms] = path.SumUtil / P.Months;
        metrics[mb + FleetMetrics.CostPerGpuHour * ms] = path.ServedHours > 0 ? path.TotalCost / path.ServedHours : double.NaN;
        metrics[mb + FleetMetrics.CostPerMtok * ms] = path.Tokens > 0 ? path.TotalCost / (path.Tokens / 1e6) : double.NaN;
        metrics[mb + FleetMetrics.TotalCapex * ms] = path.TotalCapex;
        metrics[mb + FleetMetrics.BookValueY3 * ms] = P.Months > 35 ? path.BookY3 : double.NaN;
        metrics[mb + FleetMetrics.MarketValueY3 * ms] = P.Months > 35 ? path.MarketValueY3 : double.NaN;
        metrics[mb + FleetMetrics.BookValueY6 * ms] = P.Months > 71 ? path.BookY6 : double.NaN;
        metrics[mb + FleetMetrics.MarketValueY6 * ms] = P.Months > 71 ? path.MarketValueY6 : double.NaN;
        metrics[mb + FleetMetrics.TotalRevenue * ms] = path.TotalRevenue;
        metrics[mb + FleetMetrics.TotalEbitda * ms] = path.TotalEbitda;
        metrics[mb + FleetMetrics.BookEarningsY1 * ms] = path.BookEarningsY1;
        metrics[mb + FleetMetrics.OverstatementY3 * ms] = P.Months > 35 ? path.OverstatementY3 : double.NaN;
        metrics[mb + FleetMetrics.FinalDebt * ms] = path.FleetDebt;
        metrics[mb + FleetMetrics.ImpairmentCharges * ms] = path.TotalImpairment;
        metrics[mb + FleetMetrics.IdleShare * ms] = path.UnitMonths > 0 ? path.IdleUnitMonths / path.UnitMonths : 0.0;
    }
}
