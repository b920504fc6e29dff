using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ComputeEconomics.Kernels.Finance;
using ComputeEconomics.Kernels.Random;

namespace ComputeEconomics.Kernels.Models;

/// <summary>One cohort slot of the four lanes in the lockstep pass: the cohort's fields as vectors (after the failures).</summary>
internal struct LockstepSlot
{
    /// <summary>All ones on the lanes whose slot holds a cohort, zero elsewhere.</summary>
    public Vector256<double> Active;
    public Vector256<double> Units, Basis, AccBook, AccTax, Loan, MarketValuePrev;
    /// <summary>What the failures added to the month's economic depreciation (+0.0 when nothing).</summary>
    public Vector256<double> EconAdd;
    public Vector128<int> Age, Gen;
    /// <summary>V_c(t), one unit's market value (<see cref="FleetModel"/>'s UnitValue).</summary>
    public Vector256<double> UnitValue;
}

/// <summary>What the operating pass reads of each lane's month and path, as vectors: the market, the contract.</summary>
internal struct LockstepMonthLanes
{
    public int T;
    public Vector256<double> Price, Util, Elec;
    /// <summary>The contract's price of the current term, all ones where the contract runs this month (started, not ended,
    /// the counterparty not defaulted), and its months after this one (End - t - 1).</summary>
    public Vector256<double> ContractPrice, Contracting, MonthsAfter;
    /// <summary>Non-zero when a lane's counterparty defaults this month.</summary>
    public int DefaultNow;
}

/// <summary>The operating pass's sums over the cohort slots, one lane a path.</summary>
internal struct LockstepSums
{
    public Vector256<double> Revenue, Power, FixedCost, Maintenance, ServedHours, Tokens, FleetUnits, Backlog;
    public Vector256<double> BookDep, TaxDep, Interest, Principal, EconDep;
    public Vector256<double> IdleUnitMonths, UnitMonths, FleetBook, FleetMarketValue, FleetDebt;
}

public partial struct FleetModel
{
    /// <summary>
    /// The operating pass (<see cref="OperatingPass{TMath, TD}"/>) on four paths at once: per slot, the cohort's fields
    /// of the four lanes as vectors, each lane's generation value (<see cref="ValueOfGeneration{TMath, TD}"/>, computed
    /// again only when the lane's generation changes) and failures by the scalar code, then the unit value, operation,
    /// depreciation, debt service and value in vectors, the empty slots' lanes masked out.
    /// </summary>
    private readonly unsafe void LockstepOperatingPass<TMath>(ReadOnlySpan<PathSlot> slots, PtrVec<double> data, double* scratch,
        ref Lanes<FleetScratch<PtrVec<double>>> s, ref Lanes<FleetMonth> month, ref Lanes<FleetPath> path)
        where TMath : struct, IMathPolicy
    {
        const int L = LockstepLanes;
        LockstepSums sum = OpenSums(ref month, ref path);
        Lanes<GenerationValue> v = default;
        for (int l = 0; l < L; l++) v[l].Gen = -1;
        Vector128<int> t = Vector128.Create(month[0].T);
        LockstepMonthLanes ml = MonthLanes(ref month, ref path);
        for (int c = 0; c < P.CohortSlots; c++)
        {
            double* cb = scratch + c * CohortField.Stride * L;
            LockstepSlot x = default;
            x.Active = ~Vector256.Equals(Vector256.Load(cb + CohortField.Active * L), Vector256<double>.Zero);
            uint bits = x.Active.ExtractMostSignificantBits();
            if (bits == 0) continue;
            // (int) of the stored whole numbers, as the scalar accessors' casts (never NaN or out of range).
            x.Gen = Avx.ConvertToVector128Int32WithTruncation(Vector256.Load(cb + CohortField.Gen * L));
            x.Age = t - Avx.ConvertToVector128Int32WithTruncation(Vector256.Load(cb + CohortField.PurchaseMonth * L));
            for (int l = 0; l < L; l++)
            {
                int g = x.Gen[l];
                if ((bits >> l & 1) != 0 && g != v[l].Gen)
                    v[l] = ValueOfGeneration<TMath, PtrVec<double>>(data, g, s[l].LaunchMonth(g), in month[l]);
            }
            x.Units = Vector256.Load(cb + CohortField.Count * L);
            x.Basis = Vector256.Load(cb + CohortField.Basis * L);
            x.AccBook = Vector256.Load(cb + CohortField.AccBook * L);
            x.AccTax = Vector256.Load(cb + CohortField.AccTax * L);
            x.Loan = Vector256.Load(cb + CohortField.Loan * L);
            x.MarketValuePrev = Vector256.Load(cb + CohortField.MarketValue * L);
            if (P.AssetClassesOn != Switch.Off) LockstepAssetClassPurchases<TMath>(data, c, ref x, ref s, ref month, ref path);
            // The unit value reads no field the failures change: its gathers (mostly cache misses) go first and overlap them.
            x.UnitValue = LockstepUnitValue(data.Pointer, in x, ref v);
            if (P.FailuresOn != Switch.Off) LockstepFailures<TMath>(slots, data, c, ref x, ref s, ref month);
            if (ml.DefaultNow != 0) LockstepDefaultObligation(in x, ref v, ref month, ref path, ref sum);
            LockstepCohortVectors<TMath>(data, cb, in x, ref v, in ml, ref month, ref sum);
        }
        CloseSums(in sum, ref month, ref path);
    }

    /// <summary>The asset classes bought with a cohort in its month of purchase (<see cref="AssetClassPurchase{TMath, TD}"/>,
    /// the scalar code) on each active lane whose cohort is of age 0, before its failures as in the scalar pass; the
    /// cohort's loan comes back into its lane.</summary>
    private readonly unsafe void LockstepAssetClassPurchases<TMath>(PtrVec<double> data, int c, ref LockstepSlot x,
        ref Lanes<FleetScratch<PtrVec<double>>> s, ref Lanes<FleetMonth> month, ref Lanes<FleetPath> path)
        where TMath : struct, IMathPolicy
    {
        Vector256<double> bought = x.Active & Avx2.ConvertToVector256Int64(Vector128.Equals(x.Age, Vector128<int>.Zero)).AsDouble();
        uint bits = bought.ExtractMostSignificantBits();
        if (bits == 0) return;
        double* loans = stackalloc double[LockstepLanes];
        x.Loan.Store(loans);
        for (int l = 0; l < LockstepLanes; l++)
        {
            if ((bits >> l & 1) == 0) continue;
            CohortMonth k = default;
            k.Slot = c; k.Gen = x.Gen[l]; k.Age = 0; k.Row = P.GenOffset + k.Gen * GenField.Stride;
            k.Units = x.Units[l]; k.Basis = x.Basis[l]; k.AccBook = x.AccBook[l]; k.AccTax = x.AccTax[l]; k.Loan = loans[l];
            k.MarketValuePrev = x.MarketValuePrev[l];
            Cohort<PtrVec<double>> cohort = s[l].Cohort(c);
            AssetClassPurchase<TMath, PtrVec<double>>(data, ref s[l], ref cohort, ref k, ref month[l], ref path[l]);
            loans[l] = k.Loan;
        }
        x.Loan = Vector256.Load(loans);
    }

    /// <summary>
    /// The failures of slot c (<see cref="Failures{TMath, TD}"/>, the scalar code) on the lanes that draw: age at least 1,
    /// units left, and past the warranty unless failed units retire. A lane's cohort goes in as <see cref="CohortMonth"/>
    /// locals and what the failures change comes back into its lane of <paramref name="x"/>.
    /// </summary>
    private readonly unsafe void LockstepFailures<TMath>(ReadOnlySpan<PathSlot> slots, PtrVec<double> data, int c, ref LockstepSlot x,
        ref Lanes<FleetScratch<PtrVec<double>>> s, ref Lanes<FleetMonth> month)
        where TMath : struct, IMathPolicy
    {
        const int L = LockstepLanes;
        Vector128<int> ageMask = Vector128.GreaterThanOrEqual(x.Age, Vector128<int>.One);
        if (P.ReplaceFailures != FailurePolicy.Retire) ageMask &= Vector128.GreaterThan(x.Age, Vector128.Create(P.WarrantyMonths));
        Vector256<double> draws = x.Active & Vector256.GreaterThan(x.Units, Vector256<double>.Zero)
            & Avx2.ConvertToVector256Int64(ageMask).AsDouble();
        uint bits = draws.ExtractMostSignificantBits();
        if (bits == 0) return;
        LockstepFailureBlocks(slots, c >> 2, bits, ref month);
        Vector256<double> failed = LockstepFailedUnits<TMath>(slots, data, c, in x, bits, ref s, ref month);
        uint replaced = Vector256.GreaterThan(failed, Vector256<double>.Zero).ExtractMostSignificantBits() & bits;
        if (replaced == 0) return;
        if (P.ReplaceFailures != FailurePolicy.Retire)
        {
            // Every drawing lane is past the warranty (the draw mask): each replaces its failed units.
            LockstepReplaceFailed<TMath>(data, c, ref x, failed, replaced, ref s, ref month);
            return;
        }
        // The six fields through memory, lane by lane, then back as vectors once (inserting into a vector register lane by
        // lane stalls on every insert).
        double* f = stackalloc double[7 * L];
        x.Units.Store(f); x.Basis.Store(f + L); x.AccBook.Store(f + 2 * L); x.AccTax.Store(f + 3 * L); x.Loan.Store(f + 4 * L);
        x.MarketValuePrev.Store(f + 5 * L); x.EconAdd.Store(f + 6 * L);
        for (int l = 0; bits != 0; l++, bits >>= 1)
        {
            if ((bits & 1) == 0 || !(failed[l] > 0)) continue;
            CohortMonth k = default;
            k.Slot = c; k.Gen = x.Gen[l]; k.Age = x.Age[l]; k.Row = P.GenOffset + k.Gen * GenField.Stride;
            k.Units = f[l]; k.Basis = f[L + l]; k.AccBook = f[2 * L + l]; k.AccTax = f[3 * L + l]; k.Loan = f[4 * L + l];
            k.MarketValuePrev = f[5 * L + l];
            Cohort<PtrVec<double>> cohort = s[l].Cohort(c);
            ref FleetMonth m = ref month[l];
            double econ = m.EconDep;
            m.EconDep = 0.0;
            ApplyFailed<TMath, PtrVec<double>>(data, ref s[l], ref cohort, ref k, ref m, failed[l]);
            f[6 * L + l] = m.EconDep;
            m.EconDep = econ;
            f[l] = k.Units; f[L + l] = k.Basis; f[2 * L + l] = k.AccBook; f[3 * L + l] = k.AccTax; f[4 * L + l] = k.Loan;
            f[5 * L + l] = k.MarketValuePrev;
        }
        x.Units = Vector256.Load(f); x.Basis = Vector256.Load(f + L); x.AccBook = Vector256.Load(f + 2 * L);
        x.AccTax = Vector256.Load(f + 3 * L); x.Loan = Vector256.Load(f + 4 * L); x.MarketValuePrev = Vector256.Load(f + 5 * L);
        x.EconAdd = Vector256.Load(f + 6 * L);
    }

    /// <summary>
    /// The failed units F ~ Binomial(n, h) of the drawing lanes of slot c (<see cref="FailedUnits{TMath, TD}"/>): each lane's
    /// word and binomial cache by the scalar code, the exact inversion from the mode for the lanes below the exact limit on
    /// four lanes at once (<see cref="Lanes4.FromMode"/>, the same steps), the normal approximation above it per lane.
    /// </summary>
    private readonly unsafe Vector256<double> LockstepFailedUnits<TMath>(ReadOnlySpan<PathSlot> slots, PtrVec<double> data, int c,
        in LockstepSlot x, uint draws, ref Lanes<FleetScratch<PtrVec<double>>> s, ref Lanes<FleetMonth> month)
        where TMath : struct, IMathPolicy
    {
        const int L = LockstepLanes;
        double* b = stackalloc double[6 * L];   // n, odds, mode, pmf, cdf, u of the exact lanes; the other draws in 'failed'
        double* failed = stackalloc double[L];
        new Span<double>(b, 6 * L).Fill(1.0);
        uint exact = 0;
        for (int l = 0; l < L; l++)
        {
            failed[l] = 0.0;
            if ((draws >> l & 1) == 0) continue;
            uint word = FailureWord(slots[l].Path, ref month[l], c);
            double n = x.Units[l];
            int row = P.GenOffset + x.Gen[l] * GenField.Stride;
            double h = data[row + GenField.MonthlyHazard], odds = data[row + GenField.HazardOdds];
            if (n * h <= P.BinomialExactLimit)
            {
                Cohort<PtrVec<double>> cohort = s[l].Cohort(c);
                BinomialCache<TMath, PtrVec<double>>(data, ref cohort, n, row);
                b[l] = n; b[L + l] = odds; b[2 * L + l] = cohort.BinomMode; b[3 * L + l] = cohort.BinomPmf;
                b[4 * L + l] = cohort.BinomCdf; b[5 * L + l] = Philox4x32.ToUniform(word);
                exact |= 1u << l;
            }
            else failed[l] = Binomial.Sample<TMath>(n, h, odds, data[row + GenField.LogSurvive], P.BinomialExactLimit, word);
        }
        Vector256<double> result = Vector256.Load(failed);
        if (exact == 0) return result;
        Vector256<double> lanes = LaneMask(exact);
        Vector256<double> k = Lanes4.FromMode(lanes, Vector256.Load(b), Vector256.Load(b + L), Vector256.Load(b + 2 * L),
            Vector256.Load(b + 3 * L), Vector256.Load(b + 4 * L), Vector256.Load(b + 5 * L));
        return Vector256.ConditionalSelect(lanes, k, result);
    }

    /// <summary>
    /// <see cref="ReplaceFailed{TMath, TD}"/> on the lanes of <paramref name="replaced"/>: the failed units bought again at
    /// the generation's current price (the capex table gathered; a lane off the table by the scalar
    /// <see cref="UnitCapex{TMath, TD}"/>), added to capex, basis and economic depreciation, the debt share added to the
    /// cohort's loan with its annuity recomputed (<see cref="AddLoan{TMath, TD}"/>: the denominator table gathered, a lane
    /// off it by the scalar formula), term for term.
    /// </summary>
    private readonly unsafe void LockstepReplaceFailed<TMath>(PtrVec<double> data, int c, ref LockstepSlot x, Vector256<double> failed,
        uint replaced, ref Lanes<FleetScratch<PtrVec<double>>> s, ref Lanes<FleetMonth> month)
        where TMath : struct, IMathPolicy
    {
        const int L = LockstepLanes;
        Vector256<double> zero = Vector256<double>.Zero, lanes = LaneMask(replaced);
        double* d = data.Pointer;
        double* launch = stackalloc double[L];
        for (int l = 0; l < L; l++) launch[l] = (replaced >> l & 1) != 0 ? s[l].LaunchMonth(x.Gen[l]) : 0.0;
        int t = month[0].T;
        Vector256<double> age = Vector256.Max(zero, Vector256.Create((double)t) - Vector256.Load(launch));
        Vector128<int> a = Avx.ConvertToVector128Int32WithTruncation(age);
        Vector256<double> onTable = lanes & Vector256.Equals(Avx.ConvertToVector256Double(a), age)
            & Avx2.ConvertToVector256Int64(Vector128.LessThan(a, Vector128.Create(P.CapexAges))).AsDouble();
        Vector128<int> cell = Vector128.Create(P.CapexOffset) + x.Gen * Vector128.Create(P.CapexAges) + a;
        Vector256<double> unitCapex = Avx2.GatherMaskVector256(zero, d, cell, onTable, 8);
        uint offTable = replaced & ~onTable.ExtractMostSignificantBits();
        if (offTable != 0)
        {
            double* u = stackalloc double[L];
            unitCapex.Store(u);
            for (int l = 0; l < L; l++)
                if ((offTable >> l & 1) != 0)
                    u[l] = UnitCapex<TMath, PtrVec<double>>(data, P.GenOffset + x.Gen[l] * GenField.Stride, x.Gen[l], launch[l], t);
            unitCapex = Vector256.Load(u);
        }
        Vector256<double> cost = failed * unitCapex;
        Vector256<double> loan = Vector256.Create(P.DebtShare) * cost;
        for (int l = 0; l < L; l++)
        {
            if ((replaced >> l & 1) == 0) continue;
            month[l].Capex += cost[l];
            month[l].NewLoans += loan[l];
        }
        x.EconAdd = Vector256.ConditionalSelect(lanes, zero + cost, x.EconAdd);   // the scalar pass adds cost to a month sum set to 0
        x.Basis = Vector256.ConditionalSelect(lanes, x.Basis + cost, x.Basis);
        Vector256<double> borrow = lanes & Vector256.GreaterThan(loan, zero);
        if (P.DebtTermMonths > 0 && borrow.ExtractMostSignificantBits() != 0)
            x.Loan = LockstepAddLoan<TMath>(d, s[0].Buffer.Pointer + c * CohortField.Stride * L, x.Loan, loan, borrow);
    }

    /// <summary><see cref="AddLoan{TMath, TD}"/> of <paramref name="amount"/> on the lanes of <paramref name="borrow"/> (slot
    /// fields at <paramref name="cb"/>): the balance, the months left (a fresh term if none) and the annuity payment written
    /// back; returns the balances.</summary>
    private readonly unsafe Vector256<double> LockstepAddLoan<TMath>(double* d, double* cb, Vector256<double> loan, Vector256<double> amount,
        Vector256<double> borrow)
        where TMath : struct, IMathPolicy
    {
        const int L = LockstepLanes;
        TMath m = default;
        Vector256<double> bal = loan + amount;
        Vector256<double> left = Vector256.Load(cb + CohortField.LoanMonthsLeft * L);
        left = Vector256.ConditionalSelect(Vector256.LessThan(left, Vector256.Create(1.0)), Vector256.Create((double)P.DebtTermMonths), left);
        double r = P.DebtRateMonthly;
        // The denominator 1 - (1 + r)^-left from the host's table where left is a whole number of months up to the term.
        Vector128<int> n = Avx.ConvertToVector128Int32WithTruncation(left);
        Vector256<double> onTable = borrow & Vector256.Equals(Avx.ConvertToVector256Double(n), left)
            & Avx2.ConvertToVector256Int64(Vector128.LessThanOrEqual(n, Vector128.Create(P.DebtTermMonths))).AsDouble();
        Vector256<double> denominator = Avx2.GatherMaskVector256(Vector256.Create(1.0), d + P.LoanDenominatorOffset, n, onTable, 8);
        uint offTable = (borrow & ~onTable).ExtractMostSignificantBits();
        if (offTable != 0)
        {
            double* x = stackalloc double[L];
            denominator.Store(x);
            for (int l = 0; l < L; l++)
                if ((offTable >> l & 1) != 0) x[l] = 1.0 - m.Exp(-left[l] * m.Log(1.0 + r));
            denominator = Vector256.Load(x);
        }
        Vector256<double> payment = r > 0 ? bal * Vector256.Create(r) / denominator : bal / left;
        Store(cb + CohortField.LoanMonthsLeft * L, borrow, left);
        Store(cb + CohortField.Payment * L, borrow, payment);
        return Vector256.ConditionalSelect(borrow, bal, loan);
    }

    /// <summary>All ones on the lanes whose bit is set in <paramref name="bits"/>.</summary>
    private static Vector256<double> LaneMask(uint bits)
        => ~Vector256.Equals(Vector256.Create(bits & 1UL, bits >> 1 & 1UL, bits >> 2 & 1UL, bits >> 3 & 1UL), Vector256<ulong>.Zero).AsDouble();

    /// <summary>The Philox blocks of failure group <paramref name="group"/> (slots 4 group .. 4 group + 3) of the four lanes at
    /// once (<see cref="Lanes4.Block"/>), cached in each lane's month as <see cref="FailureWord"/> would cache its own: the same
    /// words, one vector computation instead of four scalar ones.</summary>
    private readonly unsafe void LockstepFailureBlocks(ReadOnlySpan<PathSlot> slots, int group, uint draws, ref Lanes<FleetMonth> month)
    {
        bool cached = true;
        for (int l = 0; l < LockstepLanes; l++)
            if ((draws >> l & 1) != 0 && month[l].FailureGroup != group) cached = false;
        if (cached) return;
        var paths = Vector256.Create(slots[0].Path, slots[1].Path, slots[2].Path, slots[3].Path);
        Lanes4.Block(P.Market.Seed, paths, (uint)month[0].T, (uint)group, Streams.Failures,
            out Vector256<ulong> x, out Vector256<ulong> y, out Vector256<ulong> z, out Vector256<ulong> w);
        ulong* words = stackalloc ulong[4 * LockstepLanes];
        x.Store(words); y.Store(words + 4); z.Store(words + 8); w.Store(words + 12);
        for (int l = 0; l < LockstepLanes; l++)
        {
            month[l].FailureGroup = group;
            month[l].FailureBlock = new UInt4((uint)words[l], (uint)words[4 + l], (uint)words[8 + l], (uint)words[12 + l]);
        }
    }

    /// <summary>
    /// Operation (the contracted and the spot units), depreciation, debt service and value of slot <paramref name="cb"/>'s
    /// four lanes, each expression <see cref="Operation{TD}"/>'s, <see cref="Depreciation{TD}"/>'s,
    /// <see cref="DebtService{TD}"/>'s and <see cref="Value{TD}"/>'s term for term; the cohort fields written back on the
    /// active lanes only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly unsafe void LockstepCohortVectors<TMath>(PtrVec<double> table, double* cb, in LockstepSlot x, ref Lanes<GenerationValue> v,
        in LockstepMonthLanes ml, ref Lanes<FleetMonth> month, ref LockstepSums sum)
        where TMath : struct, IMathPolicy
    {
        double* data = table.Pointer;
        const int L = LockstepLanes;
        Vector256<double> zero = Vector256<double>.Zero, one = Vector256.Create(1.0), active = x.Active;
        Vector256<double> n = x.Units, basis = x.Basis;
        Vector256<double> perf = V(v[0].Perf, v[1].Perf, v[2].Perf, v[3].Perf);
        // The generation's row of the four lanes (a few hundred bytes: the gathers hit the L1 cache).
        Vector128<int> row = Vector128.Create(P.GenOffset) + x.Gen * Vector128.Create(GenField.Stride);
        Vector256<double> kw = Avx2.GatherMaskVector256(zero, data + GenField.PowerKw, row, active, 8);
        Vector256<double> avail = Avx2.GatherMaskVector256(zero, data + GenField.Availability, row, active, 8);
        Vector256<double> price = ml.Price, util = ml.Util, elec = ml.Elec;

        // Operation: the contracted units while the lane's contract runs (0 otherwise), the rest on the spot market.
        Vector256<double> contracted = Vector256.ConditionalSelect(ml.Contracting, Vector256.Create(P.ContractShare) * n, zero);
        Vector256<double> spot = n - contracted;
        Vector256<double> run = Vector256.ConditionalSelect(
            Vector256.GreaterThanOrEqual(perf * price, Vector256.Create(1 - P.IdleShare) * kw * Vector256.Create(P.Pue) * elec), one, zero);
        Vector256<double> hours = Vector256.Create(P.Hours);
        Vector256<double> cRevenue = spot * run * util * avail * hours * perf * price
            + contracted * hours * perf * ml.ContractPrice
              * (Vector256.Create(P.TakeOrPay) + Vector256.Create(1 - P.TakeOrPay) * util * avail);
        Vector256<double> busy = (spot * run + contracted) * util * avail;
        // The backlog: the committed revenue of the contract's months after this one (contracted > 0 only).
        sum.Backlog += Masked(active & Vector256.GreaterThan(contracted, zero),
            contracted * hours * perf * ml.ContractPrice * Vector256.Create(P.TakeOrPay) * ml.MonthsAfter);
        Vector256<double> cPower = kw * Vector256.Create(P.Pue) * hours * elec
            * (n * Vector256.Create(P.IdleShare) + Vector256.Create(1 - P.IdleShare) * busy);
        Vector256<double> cFixed = n * kw * Vector256.Create(P.ColoUsdPerKwMonth);
        Vector256<double> cMaint = Vector256.Create(P.MaintenanceMonthly) * basis;
        Vector256<double> tps = Avx2.GatherMaskVector256(zero, data + GenField.TokensPerSecond, row, active, 8);
        sum.ServedHours += Masked(active, busy * hours);
        sum.Tokens += Masked(active, busy * hours * tps * Vector256.Create(3600.0));
        sum.IdleUnitMonths += Masked(active, spot * (one - run));
        sum.UnitMonths += Masked(active, n);
        sum.FleetUnits += Masked(active, n);
        sum.Revenue += Masked(active, cRevenue);
        sum.Power += Masked(active, cPower);
        sum.FixedCost += Masked(active, cFixed);
        sum.Maintenance += Masked(active, cMaint);
        if (P.ReplacementPolicy == ReplacementPolicy.Margin)   // the negative-margin streak
        {
            Vector256<double> margin = cRevenue - cPower - cFixed - cMaint;
            Vector256<double> streak = Vector256.Load(cb + CohortField.NegStreak * L);
            Store(cb + CohortField.NegStreak * L, active, Vector256.ConditionalSelect(Vector256.LessThan(margin, zero), streak + one, zero));
        }

        LockstepDepreciation(data, cb, in x, ml.T, busy, ref sum, out Vector256<double> accBook, out Vector256<double> accTax);
        if (P.ImpairmentTest != Switch.Off && (ml.T + 1) % 12 == 0)
            accBook = LockstepImpairment<TMath>(table, in x, ref v, kw, accBook, ref month);
        Vector256<double> loan = LockstepDebtService(cb, in x, ref sum);

        // Value: MV = n V, economic depreciation (after what the failures added), the fields written back, the fleet totals.
        Vector256<double> mvNow = n * x.UnitValue;
        sum.EconDep += Masked(active, x.EconAdd);
        sum.EconDep += Masked(active, x.MarketValuePrev - mvNow);
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
    private readonly unsafe Vector256<double> LockstepUnitValue(double* data, in LockstepSlot x, ref Lanes<GenerationValue> v)
    {
        Vector256<double> zero = Vector256<double>.Zero, scrap = Vector256.Create(P.ScrapUsd), active = x.Active;
        Vector128<int> life = Vector128.Create(v[0].Life, v[1].Life, v[2].Life, v[3].Life);
        Vector128<int> remaining = Vector128.Min(Vector128.Max(life - x.Age, Vector128<int>.Zero), Vector128.Create(P.MaxLife));
        Vector256<double> revenue = V(v[0].Revenue, v[1].Revenue, v[2].Revenue, v[3].Revenue);
        Vector256<double> opcost = V(v[0].Opcost, v[1].Opcost, v[2].Opcost, v[3].Opcost);
        Vector128<int> qOff = Vector128.Create(v[0].QOff, v[1].QOff, v[2].QOff, v[3].QOff);
        Vector256<double> forward = revenue * Avx2.GatherMaskVector256(zero, data, qOff + remaining, active, 8)
            - opcost * Avx2.GatherMaskVector256(zero, data + P.AnnuityOffset, remaining, active, 8);
        Vector256<double> plain = Vector256.Max(scrap, forward);
        if (P.OptionValue == Switch.Off) return plain;
        Vector256<double> option = active & Vector256.GreaterThan(opcost, zero)
            & ~Vector256.Equals(Avx.ConvertToVector256Double(remaining), zero);
        if (option.ExtractMostSignificantBits() == 0) return plain;
        Vector256<double> mny = V(v[0].Mny, v[1].Mny, v[2].Mny, v[3].Mny);
        Vector256<double> fj = V(v[0].Fj, v[1].Fj, v[2].Fj, v[3].Fj);
        // The call-strip table is node-major: G(x_j, R) at OptOff + j (MaxLife + 1) + R.
        Vector128<int> cell = Vector128.Create(v[0].OptOff, v[1].OptOff, v[2].OptOff, v[3].OptOff) + remaining;
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

    /// <summary>The impairment test at a fiscal year end (<see cref="Impairment{TMath, TD}"/>, the scalar code) on each
    /// active lane after its depreciation: the write-down to market value goes to the lane's accumulated book depreciation
    /// and its month's impairment charges. Returns the accumulated book depreciation.</summary>
    private readonly unsafe Vector256<double> LockstepImpairment<TMath>(PtrVec<double> data, in LockstepSlot x, ref Lanes<GenerationValue> v,
        Vector256<double> kw, Vector256<double> accBook, ref Lanes<FleetMonth> month)
        where TMath : struct, IMathPolicy
    {
        double* acc = stackalloc double[LockstepLanes];
        accBook.Store(acc);
        uint active = x.Active.ExtractMostSignificantBits();
        for (int l = 0; l < LockstepLanes; l++)
        {
            if ((active >> l & 1) == 0) continue;
            CohortMonth k = default;
            k.Gen = x.Gen[l]; k.Row = P.GenOffset + k.Gen * GenField.Stride; k.Age = x.Age[l];
            k.Units = x.Units[l]; k.Basis = x.Basis[l]; k.AccBook = acc[l]; k.UnitValue = x.UnitValue[l];
            k.Kw = kw[l]; k.Perf = v[l].Perf;
            Impairment<TMath, PtrVec<double>>(data, ref k, ref month[l]);
            acc[l] = k.AccBook;
        }
        return Vector256.Load(acc);
    }

    /// <summary>Book and tax depreciation of the four lanes (<see cref="Depreciation{TD}"/>, share tables): the shares of
    /// the cohort's age gathered (1 past the life), the charges from the month after purchase.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly unsafe void LockstepDepreciation(double* data, double* cb, in LockstepSlot x, int t, Vector256<double> busy,
        ref LockstepSums sum, out Vector256<double> accBook, out Vector256<double> accTax)
    {
        Vector256<double> zero = Vector256<double>.Zero, one = Vector256.Create(1.0), basis = x.Basis;
        Vector128<int> aged = Vector128.GreaterThanOrEqual(x.Age, Vector128<int>.One);
        Vector256<double> agedD = Avx2.ConvertToVector256Int64(aged).AsDouble();
        bool changed = P.LifeChangeMonth > 0 && t >= P.LifeChangeMonth;
        int life = changed ? P.NewBookLifeMonths : P.BookLifeMonths;
        Vector128<int> index = x.Age - Vector128<int>.One;
        Vector256<double> inBookLife = x.Active & agedD & Avx2.ConvertToVector256Int64(Vector128.LessThanOrEqual(x.Age, Vector128.Create(life))).AsDouble();
        Vector256<double> inTaxLife = x.Active & agedD
            & Avx2.ConvertToVector256Int64(Vector128.LessThanOrEqual(x.Age, Vector128.Create(P.TaxLifeMonths))).AsDouble();
        Vector256<double> shareBook = Avx2.GatherMaskVector256(one, data + (changed ? P.NewBookShareOffset : P.BookShareOffset), index, inBookLife, 8);
        Vector256<double> shareTax = Avx2.GatherMaskVector256(one, data + P.TaxShareOffset, index, inTaxLife, 8);
        accBook = x.AccBook;
        accTax = x.AccTax;
        Vector256<double> salvage = Vector256.Create(P.SalvageFraction) * basis;
        Vector256<double> charge = P.BookMethod == DepreciationMath.UnitsOfProduction
            ? UnitsOfProductionCharge(cb, in x, agedD, life, busy, salvage)
            : Vector256.ConditionalSelect(agedD, (basis - salvage - accBook) * shareBook, zero);
        charge = Vector256.Max(zero, charge);
        accBook += charge;
        sum.BookDep += Masked(x.Active, charge);
        Vector256<double> taxCharge = Vector256.ConditionalSelect(agedD, Vector256.Max(zero, (basis - accTax) * shareTax), zero);
        accTax += taxCharge;
        sum.TaxDep += Masked(x.Active, taxCharge);
    }

    /// <summary>The units-of-production book charge of the four lanes (<see cref="Depreciation{TD}"/>): the remaining base
    /// times this month's hours per unit over the hours left of the life (all of it once they are used up), from the month
    /// after purchase; the hours run written back on the active lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly unsafe Vector256<double> UnitsOfProductionCharge(double* cb, in LockstepSlot x, Vector256<double> aged, int life,
        Vector256<double> busy, Vector256<double> salvage)
    {
        const int L = LockstepLanes;
        Vector256<double> zero = Vector256<double>.Zero, one = Vector256.Create(1.0), hours = Vector256.Create(P.Hours);
        Vector256<double> hoursPerUnit = Vector256.ConditionalSelect(Vector256.GreaterThan(x.Units, zero), busy * hours / x.Units, zero);
        Vector256<double> used = Vector256.Load(cb + CohortField.HoursRun * L);
        Vector256<double> total = Vector256.Create(life * P.Hours);
        Vector256<double> share = Vector256.ConditionalSelect(Vector256.LessThan(used, total), Vector256.Min(one, hoursPerUnit / (total - used)), one);
        Store(cb + CohortField.HoursRun * L, x.Active, used + Vector256.ConditionalSelect(aged, hoursPerUnit, zero));
        return Vector256.ConditionalSelect(aged, (x.Basis - salvage - x.AccBook) * share, zero);
    }

    /// <summary>Debt service of the four lanes (<see cref="DebtService{TD}"/>): the lanes with a loan pay the annuity's
    /// interest and principal (the whole balance in the last month); the months left written back. Returns the loans.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly unsafe Vector256<double> LockstepDebtService(double* cb, in LockstepSlot x, ref LockstepSums sum)
    {
        const int L = LockstepLanes;
        Vector256<double> loan = x.Loan;
        Vector256<double> paying = x.Active & Vector256.GreaterThan(loan, Vector256<double>.Zero);
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

    /// <summary>The month's market and each lane's contract as the operating pass reads them (<see cref="Operation{TD}"/>).</summary>
    private readonly LockstepMonthLanes MonthLanes(ref Lanes<FleetMonth> m, ref Lanes<FleetPath> p)
    {
        LockstepMonthLanes x = default;
        int t = m[0].T;
        x.T = t;
        x.Price = V(m[0].Price, m[1].Price, m[2].Price, m[3].Price);
        x.Util = V(m[0].Util, m[1].Util, m[2].Util, m[3].Util);
        x.Elec = V(m[0].Elec, m[1].Elec, m[2].Elec, m[3].Elec);
        x.ContractPrice = V(p[0].Contract.Price, p[1].Contract.Price, p[2].Contract.Price, p[3].Contract.Price);
        var end = Vector128.Create(p[0].Contract.End, p[1].Contract.End, p[2].Contract.End, p[3].Contract.End);
        var defaulted = Vector128.Create(p[0].Contract.Defaulted, p[1].Contract.Defaulted, p[2].Contract.Defaulted, p[3].Contract.Defaulted);
        Vector128<int> runs = Vector128.GreaterThan(end, Vector128.Create(t)) & Vector128.Equals(defaulted, Vector128<int>.Zero);
        x.Contracting = t >= P.ContractStart ? Avx2.ConvertToVector256Int64(runs).AsDouble() : Vector256<double>.Zero;
        x.MonthsAfter = Avx.ConvertToVector256Double(end - Vector128.Create(t) - Vector128<int>.One);
        x.DefaultNow = p[0].Contract.DefaultNow | p[1].Contract.DefaultNow | p[2].Contract.DefaultNow | p[3].Contract.DefaultNow;
        return x;
    }

    /// <summary>In the month a lane's counterparty defaults, each of its cohorts' share of the obligation
    /// (<see cref="DefaultObligation"/>, the scalar code; the recovery is revenue), added to the month's revenue before the
    /// cohort's own revenue, as <see cref="Operation{TD}"/> does.</summary>
    private readonly unsafe void LockstepDefaultObligation(in LockstepSlot x, ref Lanes<GenerationValue> v, ref Lanes<FleetMonth> month,
        ref Lanes<FleetPath> path, ref LockstepSums sum)
    {
        double* recovery = stackalloc double[LockstepLanes];
        uint active = x.Active.ExtractMostSignificantBits();
        for (int l = 0; l < LockstepLanes; l++)
        {
            recovery[l] = 0.0;
            if ((active >> l & 1) == 0 || path[l].Contract.DefaultNow == 0) continue;
            ref FleetMonth m = ref month[l];
            double revenue = m.Revenue;
            m.Revenue = 0.0;
            DefaultObligation(x.Units[l], v[l].Perf, ref m, ref path[l]);
            recovery[l] = m.Revenue;
            m.Revenue = revenue;
        }
        sum.Revenue += Vector256.Load(recovery);
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
        x.Backlog = V(m[0].Backlog, m[1].Backlog, m[2].Backlog, m[3].Backlog);
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
            m.ServedHours = x.ServedHours[l]; m.Tokens = x.Tokens[l]; m.FleetUnits = x.FleetUnits[l]; m.Backlog = x.Backlog[l];
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
