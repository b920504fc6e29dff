using System.Runtime.CompilerServices;
using ComputeEconomics.Kernels.Random;

namespace ComputeEconomics.Kernels.Models;

/// <summary>
/// One path's scratch of the fleet model, typed: <see cref="FleetParams.CohortSlots"/> cohort slots of
/// <see cref="CohortField.Stride"/> fields, then <see cref="FleetParams.Months"/> project cash flows (the IRR's
/// input), then <see cref="FleetParams.GenerationCount"/> launch months. Element j is at Base + j x Stride.
/// </summary>
internal struct FleetScratch<TD> where TD : struct, IVec<double>
{
    public TD Buffer;
    public readonly int Base, Stride, CashFlowStart, LaunchStart;

    public FleetScratch(TD buffer, int scratchBase, int stride, int cohortSlots, int months)
    {
        Buffer = buffer;
        Base = scratchBase;
        Stride = stride;
        CashFlowStart = cohortSlots * CohortField.Stride;
        LaunchStart = CashFlowStart + months;
    }

    /// <summary>The cohort in slot <paramref name="c"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Cohort<TD> Cohort(int c) => new(Buffer, Base + c * CohortField.Stride * Stride, Stride);

    /// <summary>This path's launch month of generation <paramref name="g"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double LaunchMonth(int g) => Buffer[Base + (LaunchStart + g) * Stride];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetLaunchMonth(int g, double month) => Buffer[Base + (LaunchStart + g) * Stride] = month;

    /// <summary>The project cash flow of month <paramref name="t"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetCashFlow(int t, double fcf) => Buffer[Base + (CashFlowStart + t) * Stride] = fcf;

    /// <summary>First element of the cash flows, for <see cref="Finance.Irr.Annual{TD}(TD, int, int, int)"/> with stride <see cref="Stride"/>.</summary>
    public readonly int CashFlowBase => Base + CashFlowStart * Stride;
}

/// <summary>
/// Typed access to one cohort slot in scratch (field f at SlotBase + f x Stride, <see cref="CohortField"/>):
/// the state a cohort carries from month to month (docs/model.md section 3, "Cohorts").
/// </summary>
internal struct Cohort<TD> where TD : struct, IVec<double>
{
    private TD _s;
    private readonly int _b, _ss;

    public Cohort(TD scratch, int slotBase, int stride) { _s = scratch; _b = slotBase; _ss = stride; }

    public bool Active
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _s[_b] != 0.0;
    }

    public int Generation
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (int)_s[_b + CohortField.Gen * _ss];
    }

    public int PurchaseMonth
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (int)_s[_b + CohortField.PurchaseMonth * _ss];
    }

    public double Units
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _s[_b + CohortField.Count * _ss];
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => _s[_b + CohortField.Count * _ss] = value;
    }

    public double Basis
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _s[_b + CohortField.Basis * _ss];
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => _s[_b + CohortField.Basis * _ss] = value;
    }

    public double AccBook
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _s[_b + CohortField.AccBook * _ss];
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => _s[_b + CohortField.AccBook * _ss] = value;
    }

    public double AccTax
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _s[_b + CohortField.AccTax * _ss];
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => _s[_b + CohortField.AccTax * _ss] = value;
    }

    public double Loan
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _s[_b + CohortField.Loan * _ss];
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => _s[_b + CohortField.Loan * _ss] = value;
    }

    public double LoanMonthsLeft
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _s[_b + CohortField.LoanMonthsLeft * _ss];
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => _s[_b + CohortField.LoanMonthsLeft * _ss] = value;
    }

    public double Payment
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _s[_b + CohortField.Payment * _ss];
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => _s[_b + CohortField.Payment * _ss] = value;
    }

    /// <summary>Consecutive months of negative margin (kept under the margin policy only).</summary>
    public double NegStreak
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _s[_b + CohortField.NegStreak * _ss];
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => _s[_b + CohortField.NegStreak * _ss] = value;
    }

    /// <summary>Hours run per unit (units of production).</summary>
    public double HoursRun
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _s[_b + CohortField.HoursRun * _ss];
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => _s[_b + CohortField.HoursRun * _ss] = value;
    }

    /// <summary>Market value at the end of the previous month (set to cost at purchase).</summary>
    public double MarketValue
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _s[_b + CohortField.MarketValue * _ss];
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => _s[_b + CohortField.MarketValue * _ss] = value;
    }

    /// <summary>The binomial cache: the n it was built for (0 = none), the mode m, pmf(m), cdf(m).</summary>
    public double BinomN
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _s[_b + CohortField.BinomN * _ss];
    }

    public double BinomMode
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _s[_b + CohortField.BinomMode * _ss];
    }

    public double BinomPmf
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _s[_b + CohortField.BinomPmf * _ss];
    }

    public double BinomCdf
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _s[_b + CohortField.BinomCdf * _ss];
    }

    /// <summary>Store a fresh binomial cache for <paramref name="n"/> units.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetBinomialCache(double n, double mode, double pmf, double cdf)
    {
        _s[_b + CohortField.BinomN * _ss] = n;
        _s[_b + CohortField.BinomMode * _ss] = mode;
        _s[_b + CohortField.BinomPmf * _ss] = pmf;
        _s[_b + CohortField.BinomCdf * _ss] = cdf;
    }

    /// <summary>Occupy the slot with <paramref name="units"/> of generation <paramref name="gen"/> bought in month
    /// <paramref name="t"/> for <paramref name="cost"/>: no depreciation, loan, streak or hours yet, market value = cost.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Open(int gen, double units, int t, double cost)
    {
        _s[_b] = 1.0;
        _s[_b + CohortField.Gen * _ss] = gen;
        _s[_b + CohortField.Count * _ss] = units;
        _s[_b + CohortField.PurchaseMonth * _ss] = t;
        _s[_b + CohortField.Basis * _ss] = cost;
        _s[_b + CohortField.AccBook * _ss] = 0;
        _s[_b + CohortField.AccTax * _ss] = 0;
        _s[_b + CohortField.Loan * _ss] = 0;
        _s[_b + CohortField.LoanMonthsLeft * _ss] = 0;
        _s[_b + CohortField.Payment * _ss] = 0;
        _s[_b + CohortField.NegStreak * _ss] = 0;
        _s[_b + CohortField.HoursRun * _ss] = 0;
        _s[_b + CohortField.MarketValue * _ss] = cost;
        _s[_b + CohortField.BinomN * _ss] = 0;
    }

    /// <summary>Free the slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free() => _s[_b] = 0.0;
}

/// <summary>
/// A cohort's fields during the operating pass, read once into locals and written back once (on the CPU this keeps
/// them in registers, on a GPU it halves the scratch traffic), with what the stages pass on to each other.
/// </summary>
internal struct CohortMonth
{
    public int Slot, Gen, Row, Age;
    public double Units, Basis, AccBook, AccTax, Loan;
    /// <summary>MV_c(t-1), scaled down by units written off this month.</summary>
    public double MarketValuePrev;
    public double Perf, Kw;
    /// <summary>V_c(t): one unit's market value at this month's market state.</summary>
    public double UnitValue;
    /// <summary>Units busy on average this month (operation; units of production use it).</summary>
    public double Busy;
}

/// <summary>What a unit's market value in month t shares across the cohorts of one generation (<c>ValueOfGeneration</c>).</summary>
internal struct GenerationValue
{
    public int Gen, QOff, OptOff, Life;
    public double Perf, Opcost, Revenue, Mny, Fj;
}

/// <summary>The market seen by month t and the month's totals over cohorts (docs/model.md section 4).</summary>
internal struct FleetMonth
{
    public int T;
    public double Price, Util, Elec;
    /// <summary>The current regime's long-run utilisation and the generation-row fields of its q and call-strip tables (valuation).</summary>
    public double Ubar;
    public int QField, OptionField;
    /// <summary>The Philox block of failures last drawn: one serves four cohort slots (group c / 4).</summary>
    public int FailureGroup;
    public UInt4 FailureBlock;

    public double Capex, EquityIn, NewLoans, Proceeds;
    public double Revenue, Power, FixedCost, Maintenance;
    public double Interest, Principal, BookDep, TaxDep, EconDep, DisposedBook, DisposedMarket;
    /// <summary>Remaining performance obligations at the end of the month: the take-or-pay part of the contracted hours
    /// still to come at the month's contracted units and rent perf.</summary>
    public double Backlog;
    /// <summary>Impairment charges of the month (write-downs to market value at a fiscal year end).</summary>
    public double Impairment;
    public double ServedHours, Tokens;
    public double Ebitda, Tax, Cost;
    /// <summary>Units operated this month, all cohorts (0: the fleet is empty).</summary>
    public double FleetUnits;
    /// <summary>(1 + rho)^-t, from the discount table.</summary>
    public double Discount;
    /// <summary>No cohort can reach its end of life or its replacement age before this month (<see cref="FleetPath.NextRetirement"/>
    /// at the month's start, lowered by each purchase).</summary>
    public int NextRetirement;
}

/// <summary>One path's state across months: the market, the equity account, and the accumulators of the metrics.</summary>
internal struct FleetPath
{
    public MarketState Market;
    public double ExpansionUnits;
    public double Cash, MinCash;
    public int Defaulted, DefaultMonth;
    /// <summary>Loss carry-forward of the levered and the unlevered tax.</summary>
    public double LossCarryLevered, LossCarryUnlevered;
    public double Npv, CumFcf;
    public int Payback;
    public bool WasNegative;
    public double TotalCapex, TotalRevenue, TotalEbitda, SumUtil, TotalCost, ServedHours, Tokens;
    public double IdleUnitMonths, UnitMonths;
    public double Overstatement, OverstatementY3, BookEarningsY1;
    /// <summary>Impairment charges over the horizon.</summary>
    public double TotalImpairment;
    /// <summary>The fiscal year so far: depreciation expense, impairment, operating income, economic earnings.</summary>
    public double YearDep, YearImpairment, YearOperating, YearEconomic;
    /// <summary>Largest cumulative overstatement so far and its month; the overstatement's increments discounted at the WACC.</summary>
    public double OverstatementPeak, OverstatementPv;
    public int OverstatementPeakMonth;
    /// <summary>Last month the fleet held units (-1 before any); staff wind down after it.</summary>
    public int LastActiveMonth;
    /// <summary>A month no earlier than the first in which a cohort held can reach its physical life or the fixed replacement
    /// age: the retirement pass skips the months before it (nothing there to retire). 0 at the start, so month 0's pass
    /// runs after month 0's purchases and the opening book and sets it; later purchases lower it (Buy).</summary>
    public int NextRetirement;
    public double BookY3, MarketValueY3, BookY6, MarketValueY6;
    /// <summary>Fleet totals at the end of the month: book value, market value, debt.</summary>
    public double FleetBook, FleetMarketValue, FleetDebt;
    public double EquityValue;
    public ContractState Contract;
    public AssetClassState Assets;
    /// <summary>The financing stage's state (docs/model.md 4, "Financing"; untouched when it is off).</summary>
    public FinancingPath Fin;
}
