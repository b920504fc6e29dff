using System.Runtime.CompilerServices;
using ComputeEconomics.Kernels.Random;
using ILGPU;

namespace ComputeEconomics.Kernels.Models;

/// <summary>
/// What one active cohort adds to the month's and the path's totals in the operating pass, each add kept apart: a total
/// that one cohort adds to twice (economic depreciation: a failure's cost, then the value change; revenue: a default's
/// recovery, then the month's rent) keeps both, so the leader lane can add them in the classic kernel's order with the
/// classic kernel's operations. A cohort that does not add to a total leaves +0.0 there, and adding +0.0 leaves every
/// running total as it is (a sum that starts at +0.0 or at a cost is never -0.0).
/// </summary>
internal struct CohortTotals
{
    public int Active;
    public double Capex, EconDepFailure, NewLoans, DisposedBook;
    public double RevenueLost, Recovery, RevenueRecovery;
    public double Backlog, ServedHours, Tokens, IdleUnitMonths, UnitMonths, FleetUnits;
    public double Revenue, Power, FixedCost, Maintenance;
    public double BookDep, TaxDep, Impairment, Interest, Principal;
    public double EconDep, FleetBook, FleetMarketValue, FleetDebt;
}

/// <summary>
/// The fleet model on a group of lanes of one warp (the lane kernel, <see cref="PathKernels.FleetLanesGrouped{TMath}"/>;
/// docs/performance.md, "The lane kernel"). Lane l of the path's <c>lanes</c> lanes runs the operating pass of cohort slots
/// l, l + lanes, l + 2 lanes, ...; everything else of the path (market step, purchases, retirement, contract, financing,
/// debt and tax, the month close, the IRR and the metrics) runs on the leader lane 0, exactly as
/// <see cref="Simulate{TMath, TD, TF}"/> runs it. Each round, every lane's <see cref="CohortTotals"/> is shuffled to the
/// leader, which adds them in slot order: the classic kernel's sums, bit for bit. Cohort state in scratch is written by
/// the leader (purchases, retirement) or by the slot's lane (the operating pass), with a warp barrier between the two.
/// Shuffles and barriers sit in control flow that depends only on the parameters and the month, so every path of a warp
/// must have the same parameters: one variant per launch (the host refuses packed variants and the asset classes).
/// </summary>
public partial struct FleetModel
{
    /// <summary>The path on <paramref name="lanes"/> lanes (a power of two dividing the warp size); this thread is lane
    /// <paramref name="lane"/>. <paramref name="writes"/>: false for the padding paths past the batch, which run in step
    /// with the others (shuffles need every lane of the warp) but write no metric or band.</summary>
    public readonly void SimulateLanes<TMath, TD, TF>(in PathSlot slot, int lane, int lanes, bool writes, TD data, TD scratch, TD metrics, TF bands)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
        where TF : struct, IVec<float>
    {
        var s = new FleetScratch<TD>(scratch, slot.ScratchBase, slot.ScratchStride, P.CohortSlots, P.Months);
        FleetPath path = default;
        if (lane == 0)
        {
            DrawLaunchMonths<TMath, TD, SelectedInverse<TMath>>(slot.Path, data, ref s);
            for (int c = 0; c < P.CohortSlots; c++) s.Cohort(c).Free();
            path = StartPath<TMath>();
            if (P.Fin.On != Switch.Off) StartFinancing(data, ref s, ref path);
        }
        Warp.Barrier();   // the launch months and the free slots, written by the leader, seen by every lane
        for (int t = 0; t < P.Months; t++)
        {
            FleetMonth month = default;
            if (lane == 0) month = LanesMonthHead<TMath, TD>(slot.Path, data, ref s, ref path, t);
            Warp.Barrier();   // the leader's purchases and retirements seen by the lanes
            LanesOperatingPass<TMath, TD>(slot.Path, t, lane, lanes, data, ref s, ref month, ref path);
            Warp.Barrier();   // the lanes' cohorts written back, seen by the leader
            if (lane == 0) LanesMonthTail<TMath, TD, TF>(slot, writes, data, metrics, bands, ref s, ref month, ref path);
        }
        if (lane == 0 && writes)
        {
            WriteMetrics(slot, metrics, ref s, in path);
            WriteContractMetrics(slot, metrics, in path);
            if (P.Fin.On != Switch.Off) WriteFinancingMetrics(slot, metrics, ref s, in path);
        }
    }

    /// <summary>The leader's month up to the operating pass: <see cref="Simulate{TMath, TD, TF}"/>'s stages, with the
    /// market's normals from the branch-free inverse (the same bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly FleetMonth LanesMonthHead<TMath, TD>(long pathIndex, TD data, ref FleetScratch<TD> s, ref FleetPath path, int t)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        if (t > 0) Market.Step<TMath, TD, SelectedInverse<TMath>>(P.Market, data, pathIndex, ref path.Market);
        FleetMonth month = OpenMonth(path.Market, t);
        month.NextRetirement = path.NextRetirement;
        Purchases<TMath, TD>(data, ref s, ref month, ref path);
        RetirementAndReplacement<TMath, TD>(data, ref s, ref month);
        path.NextRetirement = month.NextRetirement;
        ContractMonth(pathIndex, data, ref month, ref path);
        path.FleetBook = 0; path.FleetMarketValue = 0; path.FleetDebt = 0;
        return month;
    }

    /// <summary>The leader's month after the operating pass (the asset classes are refused on the host).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void LanesMonthTail<TMath, TD, TF>(in PathSlot slot, bool writes, TD data, TD metrics, TF bands,
        ref FleetScratch<TD> s, ref FleetMonth month, ref FleetPath path)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
        where TF : struct, IVec<float>
    {
        if (P.Fin.On != Switch.Off) FinancingService<TMath, TD>(slot.Path, data, ref s, ref month, ref path);
        DebtAndTax(data, ref s, ref month, ref path);
        bool wasSolvent = path.Defaulted == 0;
        CloseMonth(ref month, ref path);
        if (P.Fin.On != Switch.Off && wasSolvent) FinancingClose(slot.Path, data, ref s, in month, ref path);
        if (P.FiscalYears > 0 && writes) FiscalYear(slot, metrics, in month, ref path);
        if (slot.BandBase >= 0) WriteBands(slot.BandBase, bands, in month, in path);
    }

    /// <summary>
    /// The operating pass on the lanes: the leader's market and contract broadcast to the path's lanes; each round, lane l
    /// runs slot round x lanes + l and the leader adds the lanes' totals in slot order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void LanesOperatingPass<TMath, TD>(long pathIndex, int t, int lane, int lanes, TD data, ref FleetScratch<TD> s,
        ref FleetMonth month, ref FleetPath path)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        MarketState market = default;
        market.Price = Warp.Shuffle(path.Market.Price, 0, lanes);
        market.Util = Warp.Shuffle(path.Market.Util, 0, lanes);
        market.Elec = Warp.Shuffle(path.Market.Elec, 0, lanes);
        market.Regime = Warp.Shuffle(path.Market.Regime, 0, lanes);
        ContractState contract = default;
        contract.Price = Warp.Shuffle(path.Contract.Price, 0, lanes);
        contract.End = Warp.Shuffle(path.Contract.End, 0, lanes);
        contract.Defaulted = Warp.Shuffle(path.Contract.Defaulted, 0, lanes);
        contract.DefaultNow = Warp.Shuffle(path.Contract.DefaultNow, 0, lanes);
        FleetMonth open = OpenMonth(market, t);
        open.FixedCost = 0;   // the lane's totals start at 0: what it holds after its cohort is that cohort's part
        GenerationValue v = default;
        v.Gen = -1;
        int rounds = (P.CohortSlots + lanes - 1) / lanes;
        for (int r = 0; r < rounds; r++)
        {
            CohortTotals mine = LaneCohort<TMath, TD>(pathIndex, data, ref s, r * lanes + lane, in open, in contract, ref v);
            // Bit j: lane j holds a live cohort on some path of the warp. A warp-wide OR (a butterfly of ShuffleXor), the
            // same on every lane, so a gather it skips is skipped by the whole warp; the leader adds nothing for an empty
            // slot anyway, so skipping it changes no result.
            int live = mine.Active << lane;
            for (int offset = 1; offset < Warp.WarpSize; offset <<= 1) live |= Warp.ShuffleXor(live, offset);
            for (int j = 0; j < lanes; j++)
            {
                if (((live >> j) & 1) == 0) continue;
                CohortTotals d = Warp.Shuffle(mine, j, lanes);
                if (lane == 0) AddCohort(in d, ref month, ref path);
            }
        }
    }

    /// <summary>One cohort slot's operating pass on its lane (the stages of <see cref="OperatingPass{TMath, TD}"/>, in its
    /// order), on a month and a path whose totals start at 0; returns what the cohort adds to each total.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly CohortTotals LaneCohort<TMath, TD>(long pathIndex, TD data, ref FleetScratch<TD> s, int c, in FleetMonth open,
        in ContractState contract, ref GenerationValue v)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        CohortTotals d = default;
        if (c >= P.CohortSlots) return d;
        Cohort<TD> cohort = s.Cohort(c);
        if (!cohort.Active) return d;
        FleetMonth month = open;
        FleetPath path = default;
        path.Contract = contract;
        CohortMonth k = LoadCohort<TMath, TD>(data, ref s, ref cohort, in month, c, ref v);
        Failures<TMath, TD>(pathIndex, data, ref s, ref cohort, ref k, ref month);
        d.EconDepFailure = month.EconDep;
        month.EconDep = 0;
        // Operation's first step, taken here so that its add to revenue stays apart from the rent's.
        if (path.Contract.DefaultNow != 0) DefaultObligation(k.Units, k.Perf, ref month, ref path);
        d.RevenueRecovery = month.Revenue;
        month.Revenue = 0;
        path.Contract.DefaultNow = 0;
        Operation(data, ref cohort, ref k, ref month, ref path);
        Depreciation(data, ref cohort, ref k, ref month);
        if (P.ImpairmentTest != Switch.Off && (month.T + 1) % 12 == 0) Impairment<TMath, TD>(data, ref k, ref month);
        DebtService(ref cohort, ref k, ref month);
        Value(ref cohort, ref k, ref month, ref path);
        d.Active = 1;
        d.Capex = month.Capex; d.NewLoans = month.NewLoans; d.DisposedBook = month.DisposedBook;
        d.RevenueLost = path.Contract.RevenueLost; d.Recovery = path.Contract.Recovery;
        d.Backlog = month.Backlog; d.ServedHours = month.ServedHours; d.Tokens = month.Tokens;
        d.IdleUnitMonths = path.IdleUnitMonths; d.UnitMonths = path.UnitMonths; d.FleetUnits = month.FleetUnits;
        d.Revenue = month.Revenue; d.Power = month.Power; d.FixedCost = month.FixedCost; d.Maintenance = month.Maintenance;
        d.BookDep = month.BookDep; d.TaxDep = month.TaxDep; d.Impairment = month.Impairment;
        d.Interest = month.Interest; d.Principal = month.Principal;
        d.EconDep = month.EconDep; d.FleetBook = path.FleetBook; d.FleetMarketValue = path.FleetMarketValue; d.FleetDebt = path.FleetDebt;
        return d;
    }

    /// <summary>The leader adds one cohort's parts to the running totals, each as the classic pass adds it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddCohort(in CohortTotals d, ref FleetMonth month, ref FleetPath path)
    {
        if (d.Active == 0) return;
        month.Capex += d.Capex; month.EconDep += d.EconDepFailure; month.NewLoans += d.NewLoans; month.DisposedBook += d.DisposedBook;
        path.Contract.RevenueLost += d.RevenueLost; path.Contract.Recovery += d.Recovery; month.Revenue += d.RevenueRecovery;
        month.Backlog += d.Backlog; month.ServedHours += d.ServedHours; month.Tokens += d.Tokens;
        path.IdleUnitMonths += d.IdleUnitMonths; path.UnitMonths += d.UnitMonths; month.FleetUnits += d.FleetUnits;
        month.Revenue += d.Revenue; month.Power += d.Power; month.FixedCost += d.FixedCost; month.Maintenance += d.Maintenance;
        month.BookDep += d.BookDep; month.TaxDep += d.TaxDep; month.Impairment += d.Impairment;
        month.Interest += d.Interest; month.Principal += d.Principal;
        month.EconDep += d.EconDep; path.FleetBook += d.FleetBook; path.FleetMarketValue += d.FleetMarketValue; path.FleetDebt += d.FleetDebt;
    }
}
