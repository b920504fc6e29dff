using System.Runtime.CompilerServices;
using ComputeEconomics.Kernels.Finance;
using ComputeEconomics.Kernels.Random;

namespace ComputeEconomics.Kernels.Models;

/// <summary>
/// The fleet model's stages of month t up to the cohort totals, in the order of docs/model.md "Order of operations
/// within month t": purchases (steps 2), retirement and replacement (3), the operating pass (4: failures, operation,
/// depreciation, debt service, value) and the fleet totals (5).
/// </summary>
public partial struct FleetModel
{
    /// <summary>Scheduled purchases (docs/model.md 3, "Purchases"): the initial units at month 0, an expansion when due.
    /// The expansion size compounds per event, also when no generation is on sale and nothing is bought.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Purchases<TMath, TD>(TD data, ref FleetScratch<TD> s, ref FleetMonth month, ref FleetPath path)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        int t = month.T;
        if (t == 0 && P.OpeningVintages > 0) OpenBook<TMath, TD>(data, ref s, in month);
        if (t == 0 && P.InitialUnits > 0)
            Buy<TMath, TD>(data, ref s, P.InitialGeneration, P.InitialUnits, ref month);
        if (P.ScheduleOn != Switch.Off) ScheduledPurchase<TMath, TD>(data, ref s, ref month);
        if (t > 0 && P.ExpansionEvery > 0 && t % P.ExpansionEvery == 0 && t <= P.ExpansionUntil)
        {
            int g = Newest(ref s, t);
            if (g >= 0)
                Buy<TMath, TD>(data, ref s, g, Math.Round(path.ExpansionUnits), ref month);
            path.ExpansionUnits *= 1.0 + P.ExpansionGrowth;
        }
    }

    /// <summary>
    /// Retirement and replacement (docs/model.md 3, "Retirement and replacement policy"), a pass before the operating
    /// pass: end of physical life, fixed age with a rebuy of the newest generation, or k months of negative margin;
    /// so a rebuy operates in the month it is bought whatever slot it lands in.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void RetirementAndReplacement<TMath, TD>(TD data, ref FleetScratch<TD> s, ref FleetMonth month)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        int t = month.T;
        // Before the first month a held cohort can reach its life or replacement age there is nothing to retire (the
        // margin policy's streaks can end a cohort in any month). A pass that runs sets the month again from the cohorts
        // it keeps; a rebuy lowers it in Buy.
        if (P.ReplacementPolicy != ReplacementPolicy.Margin && t < month.NextRetirement) return;
        month.NextRetirement = int.MaxValue;
        for (int c = 0; c < P.CohortSlots; c++)
        {
            Cohort<TD> cohort = s.Cohort(c);
            if (!cohort.Active) continue;
            double n = cohort.Units;
            int age = t - cohort.PurchaseMonth;
            int row = P.GenOffset + cohort.Generation * GenField.Stride;
            int life = (int)data[row + GenField.PhysicalLife];
            bool atFixedAge = P.ReplacementPolicy == ReplacementPolicy.FixedAge && age >= P.ReplacementAge;
            bool retire = age >= life || atFixedAge
                || (P.ReplacementPolicy == ReplacementPolicy.Margin && cohort.NegStreak >= P.MarginMonths);
            if (!retire)
            {
                month.NextRetirement = Math.Min(month.NextRetirement, RetirementMonth(t - age, life));
                continue;
            }
            int gen = cohort.Generation;
            double unitValue = UnitValue(data, ValueOfGeneration<TMath, TD>(data, gen, s.LaunchMonth(gen), in month), age);
            double sale = P.ResaleFraction * n * unitValue;
            month.Proceeds += sale;
            month.Principal += cohort.Loan;
            month.DisposedBook += cohort.Basis - cohort.AccBook;
            month.DisposedMarket += n * unitValue;
            month.EconDep += cohort.MarketValue - n * unitValue;
            cohort.Free();
            if (atFixedAge && age <= life && n > 0)
            {
                int g = Newest(ref s, t);
                if (g >= 0)
                    Buy<TMath, TD>(data, ref s, g, n, ref month);
            }
        }
    }

    /// <summary>
    /// The operating pass (docs/model.md 4, step 4), each active cohort in slot order: value, failures, operation,
    /// depreciation, debt service, market value; then the fleet totals (step 5).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void OperatingPass<TMath, TD>(long pathIndex, TD data, ref FleetScratch<TD> s, ref FleetMonth month, ref FleetPath path)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        path.FleetBook = 0; path.FleetMarketValue = 0; path.FleetDebt = 0;
        GenerationValue v = default;
        v.Gen = -1;
        for (int c = 0; c < P.CohortSlots; c++)
        {
            Cohort<TD> cohort = s.Cohort(c);
            if (!cohort.Active) continue;
            CohortMonth k = LoadCohort<TMath, TD>(data, ref s, ref cohort, in month, c, ref v);
            if (P.AssetClassesOn != Switch.Off && k.Age == 0) AssetClassPurchase<TMath, TD>(data, ref s, ref cohort, ref k, ref month, ref path);
            Failures<TMath, TD>(pathIndex, data, ref s, ref cohort, ref k, ref month);
            Operation(data, ref cohort, ref k, ref month, ref path);
            Depreciation(data, ref cohort, ref k, ref month);
            if (P.ImpairmentTest != Switch.Off && (month.T + 1) % 12 == 0) Impairment<TMath, TD>(data, ref k, ref month);
            DebtService(ref cohort, ref k, ref month);
            Value(ref cohort, ref k, ref month, ref path);
        }
    }

    /// <summary>The cohort's fields as locals, and its unit market value V_c(t) at the age before this month's failures.
    /// The generation's part of the value (<see cref="ValueOfGeneration"/>: an exp and a log) depends only on the month's
    /// market, the generation and the path's launch months, none of which the operating pass changes; cohorts of a
    /// generation are bought in turn and mostly sit in adjacent slots, so <paramref name="v"/>, the part of the previous
    /// active slot, is computed again only when the generation changes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly CohortMonth LoadCohort<TMath, TD>(TD data, ref FleetScratch<TD> s, ref Cohort<TD> cohort, in FleetMonth month,
        int c, ref GenerationValue v)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        CohortMonth k = CohortFields<TMath, TD>(data, ref s, ref cohort, in month, c, ref v);
        k.UnitValue = UnitValue(data, in v, k.Age);
        return k;
    }

    /// <summary><see cref="LoadCohort{TMath, TD}"/> up to the unit value: the cohort's fields as locals, the generation's
    /// part of the value in <paramref name="v"/> (computed again only when the generation changes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly CohortMonth CohortFields<TMath, TD>(TD data, ref FleetScratch<TD> s, ref Cohort<TD> cohort, in FleetMonth month,
        int c, ref GenerationValue v)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        CohortMonth k = default;
        k.Slot = c;
        k.Gen = cohort.Generation;
        k.Units = cohort.Units;
        k.Age = month.T - cohort.PurchaseMonth;
        k.Basis = cohort.Basis;
        k.AccBook = cohort.AccBook;
        k.AccTax = cohort.AccTax;
        k.Loan = cohort.Loan;
        k.MarketValuePrev = cohort.MarketValue;
        k.Row = P.GenOffset + k.Gen * GenField.Stride;
        if (k.Gen != v.Gen) v = ValueOfGeneration<TMath, TD>(data, k.Gen, s.LaunchMonth(k.Gen), in month);
        k.Perf = v.Perf;
        k.Kw = data[k.Row + GenField.PowerKw];
        return k;
    }

    /// <summary>
    /// Failures (docs/model.md 3, "Failures"): F ~ Binomial(n, h) from age 1; replaced in kind (free under warranty)
    /// or written off. A failure replaced free under warranty changes nothing, so its draw is skipped: the
    /// counter-based generator gives every other draw the same numbers whether or not this one is made.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Failures<TMath, TD>(long pathIndex, TD data, ref FleetScratch<TD> s, ref Cohort<TD> cohort,
        ref CohortMonth k, ref FleetMonth month)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        bool failuresMatter = P.ReplaceFailures == FailurePolicy.Retire || k.Age > P.WarrantyMonths;
        if (!(P.FailuresOn != Switch.Off && k.Age >= 1 && k.Units > 0 && failuresMatter)) return;
        uint word = FailureWord(pathIndex, ref month, k.Slot);
        double failed = FailedUnits<TMath, TD>(data, ref cohort, k.Units, k.Row, word);
        ApplyFailed<TMath, TD>(data, ref s, ref cohort, ref k, ref month, failed);
    }

    /// <summary>What <paramref name="failed"/> units failing do (nothing when none fail): replaced past the warranty under
    /// policy replace (free within it), written off under policy retire.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void ApplyFailed<TMath, TD>(TD data, ref FleetScratch<TD> s, ref Cohort<TD> cohort, ref CohortMonth k,
        ref FleetMonth month, double failed)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        if (!(failed > 0)) return;
        if (P.ReplaceFailures != FailurePolicy.Retire)
        {
            if (k.Age > P.WarrantyMonths)
                ReplaceFailed<TMath, TD>(data, ref s, ref cohort, ref k, ref month, failed);
        }
        else
            WriteOffFailed(ref cohort, ref k, ref month, failed);
    }

    /// <summary>Slot c's 32-bit word: one Philox block serves four cohort slots, slot c uses word c % 4 of block
    /// (month t, slot c / 4) of stream Failures.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly uint FailureWord(long pathIndex, ref FleetMonth month, int c)
    {
        if (c >> 2 != month.FailureGroup)
        {
            month.FailureGroup = c >> 2;
            month.FailureBlock = Philox4x32.Block(P.Market.Seed, pathIndex, (uint)month.T, (uint)month.FailureGroup, Streams.Failures);
        }
        int w = c & 3;
        UInt4 b = month.FailureBlock;
        return w == 0 ? b.X : w == 1 ? b.Y : w == 2 ? b.Z : b.W;
    }

    /// <summary>
    /// F ~ Binomial(n, h). Exact inversion searched from the mode, with pmf and cdf at the mode cached per cohort while
    /// n is unchanged (under policy replace, for the cohort's life): about sd steps, not n h. Above the exact limit,
    /// the normal approximation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly double FailedUnits<TMath, TD>(TD data, ref Cohort<TD> cohort, double n, int row, uint word)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        double h = data[row + GenField.MonthlyHazard];
        double odds = data[row + GenField.HazardOdds];
        if (n * h <= P.BinomialExactLimit)
        {
            BinomialCache<TMath, TD>(data, ref cohort, n, row);
            return Random.Binomial.FromMode(n, odds, cohort.BinomMode, cohort.BinomPmf, cohort.BinomCdf, Philox4x32.ToUniform(word));
        }
        return Random.Binomial.Sample<TMath>(n, h, odds, data[row + GenField.LogSurvive], P.BinomialExactLimit, word);
    }

    /// <summary>The cohort's binomial cache (mode, pmf and cdf at the mode) for <paramref name="n"/> units, built when n changed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BinomialCache<TMath, TD>(TD data, ref Cohort<TD> cohort, double n, int row)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        if (cohort.BinomN == n) return;
        Random.Binomial.ModeCache<TMath>(n, data[row + GenField.MonthlyHazard], data[row + GenField.HazardOdds],
            data[row + GenField.LogSurvive], out double mode, out double pmf, out double cdf);
        cohort.SetBinomialCache(n, mode, pmf, cdf);
    }

    /// <summary>Policy replace past the warranty: the failed units bought again at the generation's current price,
    /// added to capex, basis and economic depreciation (the fleet's market value is unchanged: the spend is consumed
    /// value), debt share added to the cohort's loan.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void ReplaceFailed<TMath, TD>(TD data, ref FleetScratch<TD> s, ref Cohort<TD> cohort, ref CohortMonth k,
        ref FleetMonth month, double failed)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        double cost = failed * UnitCapex<TMath, TD>(data, k.Row, k.Gen, s.LaunchMonth(k.Gen), month.T);
        month.Capex += cost;
        month.EconDep += cost;
        k.Basis += cost;
        double loan = P.DebtShare * cost;
        month.NewLoans += loan;
        if (loan > 0 && P.DebtTermMonths > 0)
        {
            cohort.Loan = k.Loan;
            AddLoan<TMath, TD>(data, ref cohort, loan);
            k.Loan = cohort.Loan;
        }
    }

    /// <summary>Policy retire: the failed units leave; their book value is written off (market value 0) and their
    /// share of the previous market value goes to economic depreciation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteOffFailed<TD>(ref Cohort<TD> cohort, ref CohortMonth k, ref FleetMonth month, double failed)
        where TD : struct, IVec<double>
    {
        double keep = (k.Units - failed) / k.Units;
        month.DisposedBook += (k.Basis - k.AccBook) * (1 - keep);
        month.EconDep += k.MarketValuePrev * (1 - keep);
        k.MarketValuePrev *= keep;
        k.Basis *= keep;
        k.AccBook *= keep;
        k.AccTax *= keep;
        k.Units -= failed;
        cohort.Units = k.Units;
    }

    /// <summary>
    /// Operation (docs/model.md 3, "Operation"): run only if the price covers the marginal power of a busy hour;
    /// revenue, power, colocation, maintenance, served hours, tokens; the negative-margin streak (margin policy only).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Operation<TD>(TD data, ref Cohort<TD> cohort, ref CohortMonth k, ref FleetMonth month, ref FleetPath path)
        where TD : struct, IVec<double>
    {
        double n = k.Units, perf = k.Perf, kw = k.Kw, price = month.Price, util = month.Util, elec = month.Elec;
        // The contract as it stands on this path (FleetContracts.cs): renewed terms, the counterparty's default.
        double contractPrice = path.Contract.Price;
        int contractEnd = path.Contract.End;
        if (path.Contract.DefaultNow != 0) DefaultObligation(n, perf, ref month, ref path);
        double contracted = month.T >= P.ContractStart && month.T < contractEnd && path.Contract.Defaulted == 0 ? P.ContractShare * n : 0.0;
        double spot = n - contracted;
        double run = perf * price >= (1 - P.IdleShare) * kw * P.Pue * elec ? 1.0 : 0.0;
        double avail = data[k.Row + GenField.Availability];   // hours lost to job interruptions earn nothing (contracts: take-or-pay)
        // Take-or-pay: the share top of the contracted hours is paid whether used or not, the rest as used (util x avail).
        double cRevenue = spot * run * util * avail * P.Hours * perf * price
            + contracted * P.Hours * perf * contractPrice * (P.TakeOrPay + (1 - P.TakeOrPay) * util * avail);
        double busy = (spot * run + contracted) * util * avail;
        if (contracted > 0)   // the backlog: the committed (take-or-pay) revenue of the contract's months after this one
            month.Backlog += contracted * P.Hours * perf * contractPrice * P.TakeOrPay * (contractEnd - month.T - 1);
        double cPower = kw * P.Pue * P.Hours * elec * (n * P.IdleShare + (1 - P.IdleShare) * busy);
        double cFixed = n * kw * P.ColoUsdPerKwMonth;
        double cMaint = P.MaintenanceMonthly * k.Basis;
        month.ServedHours += busy * P.Hours;
        month.Tokens += busy * P.Hours * data[k.Row + GenField.TokensPerSecond] * 3600.0;
        path.IdleUnitMonths += spot * (1 - run);
        path.UnitMonths += n;
        month.FleetUnits += n;
        month.Revenue += cRevenue; month.Power += cPower; month.FixedCost += cFixed; month.Maintenance += cMaint;
        k.Busy = busy;
        double margin = cRevenue - cPower - cFixed - cMaint;
        if (P.ReplacementPolicy == ReplacementPolicy.Margin)
            cohort.NegStreak = margin < 0 ? cohort.NegStreak + 1 : 0;
    }

    /// <summary>Book and tax depreciation from the month after purchase (docs/model.md 5): the share tables, or hours
    /// run under units of production; the remaining base in full past the life.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Depreciation<TD>(TD data, ref Cohort<TD> cohort, ref CohortMonth k, ref FleetMonth month)
        where TD : struct, IVec<double>
    {
        int age = k.Age;
        double salvage = P.SalvageFraction * k.Basis;
        double charge = 0;
        // A change in estimate (prospective): from its month on, the new life and the straight-line table of it.
        bool changed = P.LifeChangeMonth > 0 && month.T >= P.LifeChangeMonth;
        int life = changed ? P.NewBookLifeMonths : P.BookLifeMonths;
        if (P.BookMethod == DepreciationMath.UnitsOfProduction)
        {
            double hoursPerUnit = k.Units > 0 ? k.Busy * P.Hours / k.Units : 0.0;   // contracted units run whatever the spot price
            double used = cohort.HoursRun;
            double total = life * P.Hours;
            if (age >= 1)   // once the hours are used up, whatever is left (a later replacement) is charged at once
                charge = (k.Basis - salvage - k.AccBook) * (used < total ? Math.Min(1.0, hoursPerUnit / (total - used)) : 1.0);
            cohort.HoursRun = used + (age >= 1 ? hoursPerUnit : 0);
        }
        else if (age >= 1)
            charge = (k.Basis - salvage - k.AccBook) * (age <= life ? data[(changed ? P.NewBookShareOffset : P.BookShareOffset) + age - 1] : 1.0);
        charge = Math.Max(0.0, charge);
        k.AccBook += charge;
        month.BookDep += charge;
        double taxCharge = 0;
        if (age >= 1)
            taxCharge = Math.Max(0.0, (k.Basis - k.AccTax) * (age <= P.TaxLifeMonths ? data[P.TaxShareOffset + age - 1] : 1.0));
        k.AccTax += taxCharge;
        month.TaxDep += taxCharge;
    }

    /// <summary>
    /// Impairment (ASC 360-10-35-17, docs/model.md 5, "Impairment"), at a fiscal year end after the month's depreciation:
    /// recoverable when the undiscounted cash flows of the cohort's remaining physical life R, n max(scrap, revenue
    /// sum_{k=1..R} g^k - opcost R) with g = e^(mu_s/12 - d) the expected rent path of the value (running every month,
    /// not discounted), cover its carrying amount; otherwise it is written down to fair value n V_c(t), the market
    /// value, and depreciated on from that basis (the charge is added to accumulated book depreciation).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Impairment<TMath, TD>(TD data, ref CohortMonth k, ref FleetMonth month)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        double carrying = k.Basis - k.AccBook;
        double fair = k.Units * k.UnitValue;
        if (!(carrying > fair)) return;
        TMath m = default;
        int remaining = Math.Max((int)data[k.Row + GenField.PhysicalLife] - k.Age, 0);
        double mu = (month.QField == GenField.Q0 ? P.Market.PriceMu0 : P.Market.PriceMu1) / 12.0;
        double x = mu - data[k.Row + GenField.RentDecayMonthly];
        double g = m.Exp(x);
        double sum = Math.Abs(x) < 1e-12 ? remaining : g * (m.Exp(remaining * x) - 1.0) / (g - 1.0);
        double opcost = k.Kw * P.Pue * P.Hours * month.Elec * (P.IdleShare + (1 - P.IdleShare) * month.Ubar) + k.Kw * P.ColoUsdPerKwMonth;
        double revenue = k.Perf * month.Price * month.Ubar * P.Hours;
        double undiscounted = k.Units * Math.Max(P.ScrapUsd, revenue * sum - opcost * remaining);
        if (!(carrying > undiscounted)) return;
        k.AccBook += carrying - fair;
        month.Impairment += carrying - fair;
    }

    /// <summary>Debt service (docs/model.md 4): the cohort's annuity; interest, principal (the whole balance in the last month).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void DebtService<TD>(ref Cohort<TD> cohort, ref CohortMonth k, ref FleetMonth month)
        where TD : struct, IVec<double>
    {
        if (!(k.Loan > 0)) return;
        double it = k.Loan * P.DebtRateMonthly;
        double left = cohort.LoanMonthsLeft;
        double pr = left <= 1 ? k.Loan : Math.Min(k.Loan, cohort.Payment - it);
        month.Interest += it;
        month.Principal += pr;
        k.Loan -= pr;
        cohort.LoanMonthsLeft = left - 1;
    }

    /// <summary>Market value MV_c(t) = n V_c(t) and economic depreciation MV_c(t-1) - MV_c(t) (docs/model.md 5); the
    /// cohort written back; the fleet totals (book value, market value, debt).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Value<TD>(ref Cohort<TD> cohort, ref CohortMonth k, ref FleetMonth month, ref FleetPath path)
        where TD : struct, IVec<double>
    {
        double mvNow = k.Units * k.UnitValue;
        month.EconDep += k.MarketValuePrev - mvNow;
        cohort.Basis = k.Basis;
        cohort.AccBook = k.AccBook;
        cohort.AccTax = k.AccTax;
        cohort.Loan = k.Loan;
        cohort.MarketValue = mvNow;
        path.FleetBook += k.Basis - k.AccBook;
        path.FleetMarketValue += mvNow;
        path.FleetDebt += k.Loan;
    }
}
