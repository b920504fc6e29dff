using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ComputeEconomics.Kernels.Models;

/// <summary>One lane's cohort in the lockstep pass after its scalar part (load, unit value, failures): the cohort's
/// locals and the table cells the vector part reads.</summary>
internal struct LaneCohort
{
    public CohortMonth K;
    /// <summary>What the failures added to the month's economic depreciation (+0.0 when nothing).</summary>
    public double EconAdd;
    /// <summary>The book and tax depreciation shares of the cohort's age (1 past the life; unused at age 0).</summary>
    public double ShareBook, ShareTax;
    public double Availability, TokensPerSecond;
    /// <summary>The generation's part of the unit value (<see cref="GenerationValue"/>) the vector unit value reads.</summary>
    public double Revenue, Opcost, Mny, Fj;
    public int QOff, OptOff, Life;
}

/// <summary>The operating pass's sums over the cohort slots, one lane a path.</summary>
internal struct LockstepSums
{
    public Vector256<double> Revenue, Power, FixedCost, Maintenance, ServedHours, Tokens, FleetUnits;
    public Vector256<double> BookDep, TaxDep, Interest, Principal, EconDep;
    public Vector256<double> IdleUnitMonths, UnitMonths, FleetBook, FleetMarketValue, FleetDebt;
}

public partial struct FleetModel
{
    /// <summary>
    /// The operating pass (<see cref="OperatingPass{TMath, TD}"/>) on four paths at once: per slot, each lane's load,
    /// unit value and failures by the scalar code, then operation, depreciation, debt service and value for the four
    /// lanes in vectors, the empty slots' lanes masked out.
    /// </summary>
    private readonly unsafe void LockstepOperatingPass<TMath>(ReadOnlySpan<PathSlot> slots, PtrVec<double> data, double* scratch,
        ref Lanes<FleetScratch<PtrVec<double>>> s, ref Lanes<FleetMonth> month, ref Lanes<FleetPath> path)
        where TMath : struct, IMathPolicy
    {
        const int L = LockstepLanes;
        LockstepSums sum = OpenSums(ref month, ref path);
        Lanes<GenerationValue> v = default;
        Lanes<LaneCohort> lane = default;
        for (int l = 0; l < L; l++) v[l].Gen = -1;
        for (int c = 0; c < P.CohortSlots; c++)
        {
            double* cb = scratch + c * CohortField.Stride * L;
            Vector256<double> active = ~Vector256.Equals(Vector256.Load(cb + CohortField.Active * L), Vector256<double>.Zero);
            uint bits = active.ExtractMostSignificantBits();
            if (bits == 0) continue;
            for (int l = 0; l < L; l++)
            {
                if ((bits >> l & 1) == 0) { lane[l] = default; continue; }
                lane[l] = LockstepCohort<TMath>(slots[l].Path, data, ref s[l], ref month[l], c, ref v[l]);
            }
            LockstepCohortVectors(data.Pointer, cb, active, ref lane, ref month, ref sum);
        }
        CloseSums(in sum, ref month, ref path);
    }

    /// <summary>One lane's scalar part of slot c: the cohort's load (<see cref="CohortFields{TMath, TD}"/>) with the
    /// generation's part of its unit value, its failures (which do not read the unit value), and the table cells the vector
    /// part reads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly LaneCohort LockstepCohort<TMath>(long pathIndex, PtrVec<double> data, ref FleetScratch<PtrVec<double>> s,
        ref FleetMonth month, int c, ref GenerationValue v)
        where TMath : struct, IMathPolicy
    {
        LaneCohort x = default;
        Cohort<PtrVec<double>> cohort = s.Cohort(c);
        CohortMonth k = CohortFields<TMath, PtrVec<double>>(data, ref s, ref cohort, in month, c, ref v);
        x.Revenue = v.Revenue; x.Opcost = v.Opcost; x.Mny = v.Mny; x.Fj = v.Fj;
        x.QOff = v.QOff; x.OptOff = v.OptOff; x.Life = v.Life;
        double econ = month.EconDep;
        month.EconDep = 0.0;
        Failures<TMath, PtrVec<double>>(pathIndex, data, ref s, ref cohort, ref k, ref month);
        x.EconAdd = month.EconDep;
        month.EconDep = econ;
        x.K = k;
        bool changed = P.LifeChangeMonth > 0 && month.T >= P.LifeChangeMonth;
        int life = changed ? P.NewBookLifeMonths : P.BookLifeMonths;
        int age = k.Age;
        x.ShareBook = age >= 1 && age <= life ? data[(changed ? P.NewBookShareOffset : P.BookShareOffset) + age - 1] : 1.0;
        x.ShareTax = age >= 1 && age <= P.TaxLifeMonths ? data[P.TaxShareOffset + age - 1] : 1.0;
        x.Availability = data[k.Row + GenField.Availability];
        x.TokensPerSecond = data[k.Row + GenField.TokensPerSecond];
        return x;
    }

    /// <summary>
    /// Operation (no contract: nothing contracted), depreciation, debt service and value of slot <paramref name="cb"/>'s
    /// four lanes, each expression <see cref="Operation{TD}"/>'s, <see cref="Depreciation{TD}"/>'s,
    /// <see cref="DebtService{TD}"/>'s and <see cref="Value{TD}"/>'s term for term; the cohort fields written back on the
    /// active lanes only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly unsafe void LockstepCohortVectors(double* data, double* cb, Vector256<double> active, ref Lanes<LaneCohort> lane,
        ref Lanes<FleetMonth> month, ref LockstepSums sum)
    {
        const int L = LockstepLanes;
        Vector256<double> zero = Vector256<double>.Zero, one = Vector256.Create(1.0);
        Vector256<double> n = V(lane[0].K.Units, lane[1].K.Units, lane[2].K.Units, lane[3].K.Units);
        Vector256<double> perf = V(lane[0].K.Perf, lane[1].K.Perf, lane[2].K.Perf, lane[3].K.Perf);
        Vector256<double> kw = V(lane[0].K.Kw, lane[1].K.Kw, lane[2].K.Kw, lane[3].K.Kw);
        Vector256<double> basis = V(lane[0].K.Basis, lane[1].K.Basis, lane[2].K.Basis, lane[3].K.Basis);
        Vector256<double> avail = V(lane[0].Availability, lane[1].Availability, lane[2].Availability, lane[3].Availability);
        Vector256<double> price = V(month[0].Price, month[1].Price, month[2].Price, month[3].Price);
        Vector256<double> util = V(month[0].Util, month[1].Util, month[2].Util, month[3].Util);
        Vector256<double> elec = V(month[0].Elec, month[1].Elec, month[2].Elec, month[3].Elec);

        // Operation: contracted = 0 (no contract), spot = n - 0.
        Vector256<double> contracted = zero, spot = n - contracted;
        Vector256<double> run = Vector256.ConditionalSelect(
            Vector256.GreaterThanOrEqual(perf * price, Vector256.Create(1 - P.IdleShare) * kw * Vector256.Create(P.Pue) * elec), one, zero);
        Vector256<double> hours = Vector256.Create(P.Hours);
        Vector256<double> cRevenue = spot * run * util * avail * hours * perf * price
            + contracted * hours * perf * Vector256.Create(P.ContractPrice)
              * (Vector256.Create(P.TakeOrPay) + Vector256.Create(1 - P.TakeOrPay) * util * avail);
        Vector256<double> busy = (spot * run + contracted) * util * avail;
        Vector256<double> cPower = kw * Vector256.Create(P.Pue) * hours * elec
            * (n * Vector256.Create(P.IdleShare) + Vector256.Create(1 - P.IdleShare) * busy);
        Vector256<double> cFixed = n * kw * Vector256.Create(P.ColoUsdPerKwMonth);
        Vector256<double> cMaint = Vector256.Create(P.MaintenanceMonthly) * basis;
        Vector256<double> tps = V(lane[0].TokensPerSecond, lane[1].TokensPerSecond, lane[2].TokensPerSecond, lane[3].TokensPerSecond);
        sum.ServedHours += Masked(active, busy * hours);
        sum.Tokens += Masked(active, busy * hours * tps * Vector256.Create(3600.0));
        sum.IdleUnitMonths += Masked(active, spot * (one - run));
        sum.UnitMonths += Masked(active, n);
        sum.FleetUnits += Masked(active, n);
        sum.Revenue += Masked(active, cRevenue);
        sum.Power += Masked(active, cPower);
        sum.FixedCost += Masked(active, cFixed);
        sum.Maintenance += Masked(active, cMaint);

        LockstepDepreciation(active, ref lane, basis, ref sum, out Vector256<double> accBook, out Vector256<double> accTax);
        Vector256<double> loan = LockstepDebtService(cb, active, ref lane, ref sum);

        // Value: MV = n V, economic depreciation (after what the failures added), the fields written back, the fleet totals.
        Vector256<double> unitValue = LockstepUnitValue(data, active, ref lane);
        Vector256<double> mvPrev = V(lane[0].K.MarketValuePrev, lane[1].K.MarketValuePrev, lane[2].K.MarketValuePrev, lane[3].K.MarketValuePrev);
        Vector256<double> econAdd = V(lane[0].EconAdd, lane[1].EconAdd, lane[2].EconAdd, lane[3].EconAdd);
        Vector256<double> mvNow = n * unitValue;
        sum.EconDep += Masked(active, econAdd);
        sum.EconDep += Masked(active, mvPrev - mvNow);
        Store(cb + CohortField.Basis * L, active, basis);
        Store(cb + CohortField.AccBook * L, active, accBook);
        Store(cb + CohortField.AccTax * L, active, accTax);
        Store(cb + CohortField.Loan * L, active, loan);
        Store(cb + CohortField.MarketValue * L, active, mvNow);
        sum.FleetBook += Masked(active, basis - accBook);
        sum.FleetMarketValue += Masked(active, mvNow);
        sum.FleetDebt += Masked(active, loan);
    }

    /// <summary>
    /// The unit market value V_c(t) of the four lanes (<see cref="UnitValue{TD}"/>, term for term): the forward margin,
    /// or with the option on the call strip's chord below the first node or its interpolation between two nodes. The
    /// table cells are read with masked gathers, so the lanes' (mostly missed) loads overlap and an inactive lane or a
    /// case a lane does not take reads nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly unsafe Vector256<double> LockstepUnitValue(double* data, Vector256<double> active, ref Lanes<LaneCohort> lane)
    {
        Vector256<double> zero = Vector256<double>.Zero, scrap = Vector256.Create(P.ScrapUsd);
        Vector128<int> life = Vector128.Create(lane[0].Life, lane[1].Life, lane[2].Life, lane[3].Life);
        Vector128<int> age = Vector128.Create(lane[0].K.Age, lane[1].K.Age, lane[2].K.Age, lane[3].K.Age);
        Vector128<int> remaining = Vector128.Min(Vector128.Max(life - age, Vector128<int>.Zero), Vector128.Create(P.MaxLife));
        Vector256<double> revenue = V(lane[0].Revenue, lane[1].Revenue, lane[2].Revenue, lane[3].Revenue);
        Vector256<double> opcost = V(lane[0].Opcost, lane[1].Opcost, lane[2].Opcost, lane[3].Opcost);
        Vector128<int> qOff = Vector128.Create(lane[0].QOff, lane[1].QOff, lane[2].QOff, lane[3].QOff);
        Vector256<double> forward = revenue * Avx2.GatherMaskVector256(zero, data, qOff + remaining, active, 8)
            - opcost * Avx2.GatherMaskVector256(zero, data + P.AnnuityOffset, remaining, active, 8);
        Vector256<double> plain = Vector256.Max(scrap, forward);
        if (P.OptionValue == Switch.Off) return plain;
        Vector256<double> option = active & Vector256.GreaterThan(opcost, zero)
            & ~Vector256.Equals(Avx.ConvertToVector256Double(remaining), zero);
        if (option.ExtractMostSignificantBits() == 0) return plain;
        Vector256<double> mny = V(lane[0].Mny, lane[1].Mny, lane[2].Mny, lane[3].Mny);
        Vector256<double> fj = V(lane[0].Fj, lane[1].Fj, lane[2].Fj, lane[3].Fj);
        // The call-strip table is node-major: G(x_j, R) at OptOff + j (MaxLife + 1) + R.
        Vector128<int> cell = Vector128.Create(lane[0].OptOff, lane[1].OptOff, lane[2].OptOff, lane[3].OptOff) + remaining;
        Vector256<double> below = Vector256.LessThan(fj, zero);
        Vector256<double> chord = Vector256.Max(scrap, opcost * Avx2.GatherMaskVector256(zero, data, cell, option & below, 8) * mny
            / Vector256.Create(data[P.MoneynessOffset]));
        Vector256<double> between = option & ~below;
        if (between.ExtractMostSignificantBits() == 0) return Vector256.ConditionalSelect(option, chord, plain);
        Vector256<double> lastNode = Vector256.Create((double)(P.OptionNodes - 1)), lastChord = Vector256.Create((double)(P.OptionNodes - 2));
        Vector256<double> floor = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(fj, lastNode), forward / opcost, zero);
        // j = fj >= nodes - 2 ? nodes - 2 : (int)fj, truncated as the scalar cast (fj is never NaN: -1 when m is not positive).
        Vector128<int> j = Avx.ConvertToVector128Int32WithTruncation(
            Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(fj, lastChord), lastChord, fj));
        int nodeStride = P.MaxLife + 1;
        double* moneyness = data + P.MoneynessOffset;
        Vector256<double> m0 = Avx2.GatherMaskVector256(zero, moneyness, j, between, 8);
        Vector256<double> m1 = Avx2.GatherMaskVector256(zero, moneyness + 1, j, between, 8);
        Vector128<int> at = cell + j * Vector128.Create(nodeStride);
        Vector256<double> g0 = Avx2.GatherMaskVector256(zero, data, at, between, 8);
        Vector256<double> g1 = Avx2.GatherMaskVector256(zero, data + nodeStride, at, between, 8);
        Vector256<double> inside = Vector256.Max(scrap, opcost * Vector256.Max(floor, g0 + (mny - m0) / (m1 - m0) * (g1 - g0)));
        return Vector256.ConditionalSelect(option, Vector256.ConditionalSelect(below, chord, inside), plain);
    }

    /// <summary>Book and tax depreciation of the four lanes (<see cref="Depreciation{TD}"/>, share tables).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void LockstepDepreciation(Vector256<double> active, ref Lanes<LaneCohort> lane, Vector256<double> basis,
        ref LockstepSums sum, out Vector256<double> accBook, out Vector256<double> accTax)
    {
        Vector256<double> zero = Vector256<double>.Zero;
        Vector256<double> age = V(lane[0].K.Age, lane[1].K.Age, lane[2].K.Age, lane[3].K.Age);
        Vector256<double> aged = Vector256.GreaterThanOrEqual(age, Vector256.Create(1.0));
        accBook = V(lane[0].K.AccBook, lane[1].K.AccBook, lane[2].K.AccBook, lane[3].K.AccBook);
        accTax = V(lane[0].K.AccTax, lane[1].K.AccTax, lane[2].K.AccTax, lane[3].K.AccTax);
        Vector256<double> shareBook = V(lane[0].ShareBook, lane[1].ShareBook, lane[2].ShareBook, lane[3].ShareBook);
        Vector256<double> shareTax = V(lane[0].ShareTax, lane[1].ShareTax, lane[2].ShareTax, lane[3].ShareTax);
        Vector256<double> salvage = Vector256.Create(P.SalvageFraction) * basis;
        Vector256<double> charge = Vector256.ConditionalSelect(aged, (basis - salvage - accBook) * shareBook, zero);
        charge = Vector256.Max(zero, charge);
        accBook += charge;
        sum.BookDep += Masked(active, charge);
        Vector256<double> taxCharge = Vector256.ConditionalSelect(aged, Vector256.Max(zero, (basis - accTax) * shareTax), zero);
        accTax += taxCharge;
        sum.TaxDep += Masked(active, taxCharge);
    }

    /// <summary>Debt service of the four lanes (<see cref="DebtService{TD}"/>): the lanes with a loan pay the annuity's
    /// interest and principal (the whole balance in the last month); the months left written back. Returns the loans.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly unsafe Vector256<double> LockstepDebtService(double* cb, Vector256<double> active, ref Lanes<LaneCohort> lane,
        ref LockstepSums sum)
    {
        const int L = LockstepLanes;
        Vector256<double> loan = V(lane[0].K.Loan, lane[1].K.Loan, lane[2].K.Loan, lane[3].K.Loan);
        Vector256<double> paying = active & Vector256.GreaterThan(loan, Vector256<double>.Zero);
        if (paying.ExtractMostSignificantBits() == 0) return loan;
        Vector256<double> it = loan * Vector256.Create(P.DebtRateMonthly);
        Vector256<double> left = Vector256.Load(cb + CohortField.LoanMonthsLeft * L);
        Vector256<double> payment = Vector256.Load(cb + CohortField.Payment * L);
        Vector256<double> pr = Vector256.ConditionalSelect(Vector256.LessThanOrEqual(left, Vector256.Create(1.0)), loan,
            Vector256.Min(loan, payment - it));
        sum.Interest += Masked(paying, it);
        sum.Principal += Masked(paying, pr);
        Store(cb + CohortField.LoanMonthsLeft * L, paying, left - Vector256.Create(1.0));
        return Vector256.ConditionalSelect(paying, loan - pr, loan);
    }

    /// <summary>The four lanes' sums as the operating pass opens: the month's from the stages before it, the path's
    /// unit-month counters, the fleet totals at 0.</summary>
    private static LockstepSums OpenSums(ref Lanes<FleetMonth> m, ref Lanes<FleetPath> p)
    {
        LockstepSums x = default;
        x.Revenue = V(m[0].Revenue, m[1].Revenue, m[2].Revenue, m[3].Revenue);
        x.Power = V(m[0].Power, m[1].Power, m[2].Power, m[3].Power);
        x.FixedCost = V(m[0].FixedCost, m[1].FixedCost, m[2].FixedCost, m[3].FixedCost);
        x.Maintenance = V(m[0].Maintenance, m[1].Maintenance, m[2].Maintenance, m[3].Maintenance);
        x.ServedHours = V(m[0].ServedHours, m[1].ServedHours, m[2].ServedHours, m[3].ServedHours);
        x.Tokens = V(m[0].Tokens, m[1].Tokens, m[2].Tokens, m[3].Tokens);
        x.FleetUnits = V(m[0].FleetUnits, m[1].FleetUnits, m[2].FleetUnits, m[3].FleetUnits);
        x.BookDep = V(m[0].BookDep, m[1].BookDep, m[2].BookDep, m[3].BookDep);
        x.TaxDep = V(m[0].TaxDep, m[1].TaxDep, m[2].TaxDep, m[3].TaxDep);
        x.Interest = V(m[0].Interest, m[1].Interest, m[2].Interest, m[3].Interest);
        x.Principal = V(m[0].Principal, m[1].Principal, m[2].Principal, m[3].Principal);
        x.EconDep = V(m[0].EconDep, m[1].EconDep, m[2].EconDep, m[3].EconDep);
        x.IdleUnitMonths = V(p[0].IdleUnitMonths, p[1].IdleUnitMonths, p[2].IdleUnitMonths, p[3].IdleUnitMonths);
        x.UnitMonths = V(p[0].UnitMonths, p[1].UnitMonths, p[2].UnitMonths, p[3].UnitMonths);
        return x;
    }

    /// <summary>The sums back into each lane's month and path.</summary>
    private static void CloseSums(in LockstepSums x, ref Lanes<FleetMonth> month, ref Lanes<FleetPath> path)
    {
        for (int l = 0; l < LockstepLanes; l++)
        {
            ref FleetMonth m = ref month[l];
            ref FleetPath p = ref path[l];
            m.Revenue = x.Revenue[l]; m.Power = x.Power[l]; m.FixedCost = x.FixedCost[l]; m.Maintenance = x.Maintenance[l];
            m.ServedHours = x.ServedHours[l]; m.Tokens = x.Tokens[l]; m.FleetUnits = x.FleetUnits[l];
            m.BookDep = x.BookDep[l]; m.TaxDep = x.TaxDep[l]; m.Interest = x.Interest[l]; m.Principal = x.Principal[l];
            m.EconDep = x.EconDep[l];
            p.IdleUnitMonths = x.IdleUnitMonths[l]; p.UnitMonths = x.UnitMonths[l];
            p.FleetBook = x.FleetBook[l]; p.FleetMarketValue = x.FleetMarketValue[l]; p.FleetDebt = x.FleetDebt[l];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> V(double a, double b, double c, double d) => Vector256.Create(a, b, c, d);

    /// <summary>x on the lanes of <paramref name="mask"/>, +0.0 elsewhere (adding +0.0 leaves a sum that is not -0.0 unchanged).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Masked(Vector256<double> mask, Vector256<double> x) => x & mask;

    /// <summary>Store x on the lanes of <paramref name="mask"/>, keep the other lanes' values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(double* at, Vector256<double> mask, Vector256<double> x)
        => Vector256.ConditionalSelect(mask, x, Vector256.Load(at)).Store(at);
}
