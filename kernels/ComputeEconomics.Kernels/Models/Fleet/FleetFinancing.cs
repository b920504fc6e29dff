using System.Runtime.CompilerServices;
using ComputeEconomics.Kernels.Random;

namespace ComputeEconomics.Kernels.Models;

/// <summary>
/// The fleet's financing stage (issue 15 item 2; docs/model.md 4, "Financing: tranches, revolver, equity raises,
/// refinancing"), compiled on the host. Off (<see cref="On"/> = <see cref="Switch.Off"/>) the model runs exactly as without it.
/// </summary>
public struct FinancingParams
{
    /// <summary><see cref="Switch.On"/> when any tranche, the revolver or equity raises are set.</summary>
    public int On;
    /// <summary>Tranches (0..<see cref="TrancheField.MaxTranches"/>), rows of <see cref="TrancheField.Stride"/> at <see cref="TrancheOffset"/>.</summary>
    public int TrancheCount;
    public int TrancheOffset;
    /// <summary>Revolver limit (USD, 0 = none), monthly rate on the drawn balance and monthly fee on the undrawn limit.</summary>
    public double RevolverLimit, RevolverRateMonthly, RevolverFeeMonthly;
    /// <summary>Equity raises: below EquityMinCash (or cash &lt; 0) raise up to EquityTarget (0 = no raises), at a
    /// discount to the equity value per share; failure probabilities in the normal and bust regimes.</summary>
    public double EquityMinCash, EquityTarget, EquityDiscount, EquityFail0, EquityFail1;
    /// <summary>Refinancing of a bullet at maturity: monthly spread added to its rate and failure probability, normal and bust regimes.</summary>
    public double RefiSpread0Monthly, RefiSpread1Monthly, RefiFail0, RefiFail1;
}

/// <summary>Tranche kinds (fleet.financing.tranches[].kind).</summary>
public static class TrancheKind
{
    public const int TermLoan = 0, Ddtl = 1, Bullet = 2, Count = 3;
}

/// <summary>Field offsets of one tranche row in the data buffer (months as whole numbers).</summary>
public static class TrancheField
{
    public const int Kind = 0, Commitment = 1, RateMonthly = 2, TermMonths = 3, StartMonth = 4, DrawMonths = 5,
        AdvanceRate = 6, StraightLine = 7, LtvMax = 8, DscrMin = 9, Stride = 10;
    /// <summary>Tranches a scenario may list (fixed per-path state).</summary>
    public const int MaxTranches = 4;
}

/// <summary>Field offsets of one tranche's state in scratch, after the launch months (<see cref="FleetScratch{TD}"/>).</summary>
public static class TrancheState
{
    public const int Balance = 0, Drawn = 1, RateMonthly = 2, Payment = 3, MonthsLeft = 4, Maturity = 5, Closed = 6,
        Interest = 7, Stride = 8;
}

/// <summary>Metric indices of the financing block, after the fixed metrics and the fiscal-year blocks (only when financing is on).</summary>
public static class FinancingMetrics
{
    public const int PeakDebt = 0, RevolverPeak = 1, DscrMin = 2, CovenantBreaches = 3, BreachTermLoan = 4, BreachDdtl = 5,
        BreachBullet = 6, EquityRaised = 7, RaisesFailed = 8, OriginalOwnership = 9, Refinancings = 10,
        RefinancingFailures = 11, InterestPaid = 12, Count = 13;
}

/// <summary>Per-tranche metric blocks: field f of tranche k (0-based) is financing metric Count + f x tranches + k.</summary>
public static class TrancheMetricField
{
    public const int Interest = 0, BalanceEnd = 1, Count = 2;
}

/// <summary>One path's financing state across months (fixed scalars; per-tranche state is in scratch).</summary>
internal struct FinancingPath
{
    public double RevolverDrawn, RevolverPeak, PeakDebt, DscrMin;
    /// <summary>The quarter so far: EBITDA and debt service (interest, fees, scheduled principal).</summary>
    public double QuarterEbitda, QuarterDebtService;
    public double Shares, EquityRaised, RaisesFailed, Refinancings, RefinancingFailures, Breaches, InterestPaid;
    /// <summary>Bit k set when a tranche of kind k breached a covenant.</summary>
    public int BreachKinds;
}

public partial struct FleetModel
{
    /// <summary>Scratch doubles of the financing state (0 when off).</summary>
    private readonly long FinancingScratch => P.Fin.On != Switch.Off ? (long)P.Fin.TrancheCount * TrancheState.Stride : 0L;

    /// <summary>Element <paramref name="field"/> of tranche <paramref name="k"/>'s state in scratch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly int TrancheAt<TD>(ref FleetScratch<TD> s, int k, int field) where TD : struct, IVec<double>
        => s.Base + (s.LaunchStart + P.GenerationCount + AssetClassScratch + k * TrancheState.Stride + field) * s.Stride;

    /// <summary>Before month 0: every tranche empty at its own rate, bullets maturing at start + term; one share outstanding.</summary>
    private readonly void StartFinancing<TD>(TD data, ref FleetScratch<TD> s, ref FleetPath path) where TD : struct, IVec<double>
    {
        for (int k = 0; k < P.Fin.TrancheCount; k++)
        {
            int row = P.Fin.TrancheOffset + k * TrancheField.Stride;
            s.Buffer[TrancheAt(ref s, k, TrancheState.Balance)] = 0;
            s.Buffer[TrancheAt(ref s, k, TrancheState.Drawn)] = 0;
            s.Buffer[TrancheAt(ref s, k, TrancheState.RateMonthly)] = data[row + TrancheField.RateMonthly];
            s.Buffer[TrancheAt(ref s, k, TrancheState.Payment)] = 0;
            s.Buffer[TrancheAt(ref s, k, TrancheState.MonthsLeft)] = data[row + TrancheField.TermMonths];
            s.Buffer[TrancheAt(ref s, k, TrancheState.Maturity)] = data[row + TrancheField.StartMonth] + data[row + TrancheField.TermMonths];
            s.Buffer[TrancheAt(ref s, k, TrancheState.Closed)] = 0;
            s.Buffer[TrancheAt(ref s, k, TrancheState.Interest)] = 0;
        }
        path.Fin.Shares = 1.0;
        path.Fin.DscrMin = double.PositiveInfinity;
    }

    /// <summary>
    /// After the operating pass (docs/model.md 4, "Financing"): no holders' injection (purchases are paid from cash);
    /// each tranche's interest and scheduled principal, then its funding or draw, a maturing bullet refinanced or due;
    /// the revolver's interest and commitment fee; the debt total.
    /// </summary>
    private readonly void FinancingService<TMath, TD>(long pathIndex, TD data, ref FleetScratch<TD> s, ref FleetMonth month, ref FleetPath path)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        double trancheDebt = 0;
        if (path.Defaulted == 0)
        {
            month.EquityIn = 0;
            bool bust = path.Market.Regime != MarketRegime.Normal;
            for (int k = 0; k < P.Fin.TrancheCount; k++)
                ServiceTranche<TMath, TD>(pathIndex, data, ref s, k, bust, ref month, ref path);
            double drawn = path.Fin.RevolverDrawn;
            double revolverCost = drawn * P.Fin.RevolverRateMonthly + (P.Fin.RevolverLimit - drawn) * P.Fin.RevolverFeeMonthly;
            month.Interest += revolverCost;
            path.Fin.InterestPaid += revolverCost;
            path.Fin.QuarterDebtService += revolverCost;
        }
        for (int k = 0; k < P.Fin.TrancheCount; k++) trancheDebt += s.Buffer[TrancheAt(ref s, k, TrancheState.Balance)];
        path.FleetDebt += trancheDebt + path.Fin.RevolverDrawn;
    }

    /// <summary>Tranche k in month t: interest on the opening balance, scheduled principal (annuity or straight line) or
    /// a bullet's maturity, then funding (term_loan, bullet at start) or a ddtl draw against the month's capex.</summary>
    private readonly void ServiceTranche<TMath, TD>(long pathIndex, TD data, ref FleetScratch<TD> s, int k, bool bust, ref FleetMonth month, ref FleetPath path)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        int t = month.T;
        int row = P.Fin.TrancheOffset + k * TrancheField.Stride;
        int kind = (int)data[row + TrancheField.Kind];
        int start = (int)data[row + TrancheField.StartMonth];
        int balAt = TrancheAt(ref s, k, TrancheState.Balance);
        double bal = s.Buffer[balAt];
        if (bal > 0)
        {
            double rate = s.Buffer[TrancheAt(ref s, k, TrancheState.RateMonthly)];
            double interest = bal * rate;
            month.Interest += interest;
            path.Fin.InterestPaid += interest;
            path.Fin.QuarterDebtService += interest;
            s.Buffer[TrancheAt(ref s, k, TrancheState.Interest)] += interest;
            if (kind == TrancheKind.Bullet)
            {
                if (t >= (int)s.Buffer[TrancheAt(ref s, k, TrancheState.Maturity)])
                    bal = Refinance(pathIndex, data, ref s, k, row, bal, bust, ref month, ref path);
            }
            else if (t >= start + (kind == TrancheKind.Ddtl ? (int)data[row + TrancheField.DrawMonths] : 1))
                bal -= Amortise<TMath, TD>(data, ref s, k, row, bal, rate, ref month, ref path);
        }
        bool open = s.Buffer[TrancheAt(ref s, k, TrancheState.Closed)] == 0;
        double draw = 0;
        if (open && kind != TrancheKind.Ddtl && t == start) draw = data[row + TrancheField.Commitment];
        else if (open && kind == TrancheKind.Ddtl && t >= start && t < start + (int)data[row + TrancheField.DrawMonths])
            draw = Math.Min(data[row + TrancheField.AdvanceRate] * month.Capex,
                data[row + TrancheField.Commitment] - s.Buffer[TrancheAt(ref s, k, TrancheState.Drawn)]);
        if (draw > 0)
        {
            bal += draw;
            month.NewLoans += draw;
            s.Buffer[TrancheAt(ref s, k, TrancheState.Drawn)] += draw;
        }
        s.Buffer[balAt] = bal;
    }

    /// <summary>Scheduled principal of an amortising tranche: the level payment (annuity) or B_0 / N (straight line) set
    /// on the first amortising month's balance B_0; the whole balance in the last month.</summary>
    private readonly double Amortise<TMath, TD>(TD data, ref FleetScratch<TD> s, int k, int row, double bal, double rate, ref FleetMonth month, ref FleetPath path)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        TMath m = default;
        int leftAt = TrancheAt(ref s, k, TrancheState.MonthsLeft), payAt = TrancheAt(ref s, k, TrancheState.Payment);
        double left = s.Buffer[leftAt];
        double term = data[row + TrancheField.TermMonths];
        bool straight = data[row + TrancheField.StraightLine] != 0;
        if (left == term)   // the first amortising month
            s.Buffer[payAt] = straight || !(rate > 0) ? bal / term : bal * rate / (1.0 - m.Exp(-term * m.Log(1.0 + rate)));
        double payment = s.Buffer[payAt];
        double principal = left <= 1 ? bal : Math.Min(bal, straight || !(rate > 0) ? payment : payment - bal * rate);
        s.Buffer[leftAt] = left - 1;
        month.Principal += principal;
        path.Fin.QuarterDebtService += principal;
        return principal;
    }

    /// <summary>A bullet at maturity: refinancing fails with the regime's probability (stream Financing, slot k), and
    /// the balance is due now; otherwise it rolls for another term at the tranche's rate plus the regime's spread.</summary>
    private readonly double Refinance<TD>(long pathIndex, TD data, ref FleetScratch<TD> s, int k, int row, double bal, bool bust,
        ref FleetMonth month, ref FleetPath path)
        where TD : struct, IVec<double>
    {
        UInt4 b = Philox4x32.Block(P.Market.Seed, pathIndex, (uint)month.T, (uint)k, Streams.Financing);
        if (Philox4x32.ToUniform(b.X) < (bust ? P.Fin.RefiFail1 : P.Fin.RefiFail0))
        {
            path.Fin.RefinancingFailures += 1;
            month.Principal += bal;
            s.Buffer[TrancheAt(ref s, k, TrancheState.Closed)] = 1;
            return 0.0;
        }
        path.Fin.Refinancings += 1;
        s.Buffer[TrancheAt(ref s, k, TrancheState.RateMonthly)] = data[row + TrancheField.RateMonthly] + (bust ? P.Fin.RefiSpread1Monthly : P.Fin.RefiSpread0Monthly);
        s.Buffer[TrancheAt(ref s, k, TrancheState.Maturity)] = month.T + data[row + TrancheField.TermMonths];
        return bal;
    }

    /// <summary>
    /// After the month's cash update (docs/model.md 4, "Financing"): covenants at a quarter end (a breached tranche is
    /// accelerated), the revolver drawn or repaid, an equity raise, then minimum cash, the default test and equity value.
    /// </summary>
    private readonly void FinancingClose<TD>(long pathIndex, TD data, ref FleetScratch<TD> s, in FleetMonth month, ref FleetPath path)
        where TD : struct, IVec<double>
    {
        path.Fin.QuarterEbitda += month.Ebitda;
        if ((month.T + 1) % 3 == 0)
        {
            Covenants(data, ref s, ref path);
            path.Fin.QuarterEbitda = 0;
            path.Fin.QuarterDebtService = 0;
        }
        Revolver(ref path);
        if (P.Fin.EquityTarget > 0 && (path.Cash < P.Fin.EquityMinCash || path.Cash < 0)) RaiseEquity(pathIndex, month.T, ref path);
        path.MinCash = Math.Min(path.MinCash, path.Cash);
        bool ltvBreach = P.LtvMax > 0 && path.FleetDebt > 0 && path.FleetDebt > P.LtvMax * path.FleetMarketValue;
        if (path.Cash < 0 || ltvBreach) { path.Defaulted = 1; path.DefaultMonth = month.T; }
        path.Fin.PeakDebt = Math.Max(path.Fin.PeakDebt, path.FleetDebt);
        path.EquityValue = path.Defaulted != 0 ? 0.0 : path.Cash + path.FleetMarketValue - path.FleetDebt;
    }

    /// <summary>Quarter-end covenant tests: LTV = all debt / fleet market value, DSCR = the quarter's EBITDA / its debt
    /// service; a tranche with a balance whose covenant is breached is accelerated (balance due now, commitment cancelled).</summary>
    private readonly void Covenants<TD>(TD data, ref FleetScratch<TD> s, ref FleetPath path) where TD : struct, IVec<double>
    {
        double ds = path.Fin.QuarterDebtService;
        double dscr = ds > 0 ? path.Fin.QuarterEbitda / ds : double.PositiveInfinity;
        if (ds > 0) path.Fin.DscrMin = Math.Min(path.Fin.DscrMin, dscr);
        double debt = path.FleetDebt, mv = path.FleetMarketValue;
        for (int k = 0; k < P.Fin.TrancheCount; k++)
        {
            int balAt = TrancheAt(ref s, k, TrancheState.Balance);
            double bal = s.Buffer[balAt];
            if (!(bal > 0)) continue;
            int row = P.Fin.TrancheOffset + k * TrancheField.Stride;
            double ltvMax = data[row + TrancheField.LtvMax], dscrMin = data[row + TrancheField.DscrMin];
            bool breach = (ltvMax > 0 && debt > ltvMax * mv) || (dscrMin > 0 && ds > 0 && dscr < dscrMin);
            if (!breach) continue;
            path.Fin.Breaches += 1;
            path.Fin.BreachKinds |= 1 << (int)data[row + TrancheField.Kind];
            path.Cash -= bal;
            path.FleetDebt -= bal;
            s.Buffer[balAt] = 0;
            s.Buffer[TrancheAt(ref s, k, TrancheState.Closed)] = 1;
        }
    }

    /// <summary>The revolver: a negative cash balance draws min(-cash, limit - drawn); a positive one repays min(cash, drawn).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Revolver(ref FleetPath path)
    {
        if (!(P.Fin.RevolverLimit > 0)) return;
        double drawn = path.Fin.RevolverDrawn;
        double change = path.Cash < 0 ? Math.Min(-path.Cash, P.Fin.RevolverLimit - drawn) : -Math.Min(path.Cash, drawn);
        path.Fin.RevolverDrawn = drawn + change;
        path.Cash += change;
        path.FleetDebt += change;
        path.Fin.RevolverPeak = Math.Max(path.Fin.RevolverPeak, path.Fin.RevolverDrawn);
    }

    /// <summary>An equity raise up to the target cash at (1 - discount) x the pre-money equity value per share; it fails
    /// when that value is not positive or with the regime's probability (stream Financing, slot MaxTranches).</summary>
    private readonly void RaiseEquity(long pathIndex, int t, ref FleetPath path)
    {
        double preMoney = path.Cash + path.FleetMarketValue - path.FleetDebt;
        bool fails = !(preMoney > 0);
        if (!fails)
        {
            UInt4 b = Philox4x32.Block(P.Market.Seed, pathIndex, (uint)t, TrancheField.MaxTranches, Streams.Financing);
            fails = Philox4x32.ToUniform(b.X) < (path.Market.Regime != MarketRegime.Normal ? P.Fin.EquityFail1 : P.Fin.EquityFail0);
        }
        if (fails) { path.Fin.RaisesFailed += 1; return; }
        double amount = P.Fin.EquityTarget - path.Cash;
        double price = (1.0 - P.Fin.EquityDiscount) * preMoney / path.Fin.Shares;
        path.Fin.Shares += amount / price;
        path.Fin.EquityRaised += amount;
        path.Cash += amount;
    }

    /// <summary>The financing block of metrics (<see cref="FinancingMetrics"/>, then per tranche <see cref="TrancheMetricField"/>).</summary>
    private readonly void WriteFinancingMetrics<TD>(in PathSlot slot, TD metrics, ref FleetScratch<TD> s, in FleetPath path)
        where TD : struct, IVec<double>
    {
        int ms = slot.MetricStride;
        int mb = slot.MetricBase + (FleetMetrics.Count + FleetYearField.Count * P.FiscalYears) * ms;
        metrics[mb + FinancingMetrics.PeakDebt * ms] = path.Fin.PeakDebt;
        metrics[mb + FinancingMetrics.RevolverPeak * ms] = path.Fin.RevolverPeak;
        metrics[mb + FinancingMetrics.DscrMin * ms] = path.Fin.DscrMin < double.PositiveInfinity ? path.Fin.DscrMin : double.NaN;
        metrics[mb + FinancingMetrics.CovenantBreaches * ms] = path.Fin.Breaches;
        metrics[mb + FinancingMetrics.BreachTermLoan * ms] = (path.Fin.BreachKinds >> TrancheKind.TermLoan) & 1;
        metrics[mb + FinancingMetrics.BreachDdtl * ms] = (path.Fin.BreachKinds >> TrancheKind.Ddtl) & 1;
        metrics[mb + FinancingMetrics.BreachBullet * ms] = (path.Fin.BreachKinds >> TrancheKind.Bullet) & 1;
        metrics[mb + FinancingMetrics.EquityRaised * ms] = path.Fin.EquityRaised;
        metrics[mb + FinancingMetrics.RaisesFailed * ms] = path.Fin.RaisesFailed;
        metrics[mb + FinancingMetrics.OriginalOwnership * ms] = 1.0 / path.Fin.Shares;
        metrics[mb + FinancingMetrics.Refinancings * ms] = path.Fin.Refinancings;
        metrics[mb + FinancingMetrics.RefinancingFailures * ms] = path.Fin.RefinancingFailures;
        metrics[mb + FinancingMetrics.InterestPaid * ms] = path.Fin.InterestPaid;
        int n = P.Fin.TrancheCount;
        for (int k = 0; k < n; k++)
        {
            metrics[mb + (FinancingMetrics.Count + TrancheMetricField.Interest * n + k) * ms] = s.Buffer[TrancheAt(ref s, k, TrancheState.Interest)];
            metrics[mb + (FinancingMetrics.Count + TrancheMetricField.BalanceEnd * n + k) * ms] = s.Buffer[TrancheAt(ref s, k, TrancheState.Balance)];
        }
    }
}
