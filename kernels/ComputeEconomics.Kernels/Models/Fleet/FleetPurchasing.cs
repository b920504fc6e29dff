using System.Runtime.CompilerServices;

namespace ComputeEconomics.Kernels.Models;

/// <summary>What the fleet's stages share: a unit's market value and price, the newest generation, a purchase, a loan.</summary>
public partial struct FleetModel
{
    /// <summary>The part of a unit's market value in month t that is the same for every cohort of generation
    /// <paramref name="gen"/> (docs/model.md 5): rent perf, running cost c (the strike), revenue at the regime's long-run
    /// utilisation, moneyness m = revenue / c and its fractional node index (the log; -1 when the option is off, c is not
    /// positive or m is not). Computed once per generation and month in the operating pass (LoadCohort), not once per cohort.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly GenerationValue ValueOfGeneration<TMath, TD>(TD data, int gen, double launchMonth, in FleetMonth month)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        GenerationValue v = default;
        int row = P.GenOffset + gen * GenField.Stride;
        v.Gen = gen;
        v.Perf = RentPerf<TMath, TD>(data, row, launchMonth, month.T);
        v.QOff = P.ValueTablesOffset + (int)data[row + month.QField];
        v.OptOff = P.ValueTablesOffset + (int)data[row + month.OptionField];
        double kw = data[row + GenField.PowerKw];
        v.Life = (int)data[row + GenField.PhysicalLife];
        v.Opcost = kw * P.Pue * P.Hours * month.Elec * (P.IdleShare + (1 - P.IdleShare) * month.Ubar) + kw * P.ColoUsdPerKwMonth;
        v.Revenue = v.Perf * month.Price * month.Ubar * P.Hours;
        v.Fj = -1.0;
        if (P.OptionValue != Switch.Off && v.Opcost > 0)
        {
            TMath m = default;
            v.Mny = v.Revenue / v.Opcost;
            v.Fj = v.Mny > 0 ? (m.Log(v.Mny) - P.OptionX0) * P.OptionInvDx : -1.0;
        }
        return v;
    }

    /// <summary>Market value of one unit of age <paramref name="age"/> (docs/model.md 5): with the option on, c G_s(m, R), the
    /// strip of monthly calls on the margin (moneyness m = perf P ubar H / c, strike c the month's running cost) over the
    /// remaining physical life R, interpolated linearly in m between the host's log-spaced nodes (below the first node the
    /// chord to G(0) = 0, beyond the last the last chord extended, at least the forward margin); off, the forward margin.
    /// Never below the scrap value (fleet.valuation.scrap_usd, default 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly double UnitValue<TD>(TD data, in GenerationValue v, int age)
        where TD : struct, IVec<double>
    {
        int remaining = Math.Min(Math.Max(v.Life - age, 0), P.MaxLife);
        double opcost = v.Opcost, mny = v.Mny, fj = v.Fj;
        double forward = v.Revenue * data[v.QOff + remaining] - opcost * data[P.AnnuityOffset + remaining];
        if (P.OptionValue == Switch.Off || !(opcost > 0) || remaining == 0) return Math.Max(P.ScrapUsd, forward);
        // The call-strip table is node-major (the host's FleetCompiler.NodeMajor): G(x_j, R) at OptOff + j (MaxLife + 1) + R.
        int cell = v.OptOff + remaining, nodeStride = P.MaxLife + 1;
        if (fj < 0) return Math.Max(P.ScrapUsd, opcost * data[cell] * mny / data[P.MoneynessOffset]);   // chord to G(0) = 0
        // Beyond the last node: the last chord extended (below the convex strip), and at least the forward margin.
        double floor = fj >= P.OptionNodes - 1 ? forward / opcost : 0.0;
        int j = fj >= P.OptionNodes - 2 ? P.OptionNodes - 2 : (int)fj;
        double m0 = data[P.MoneynessOffset + j], m1 = data[P.MoneynessOffset + j + 1];
        double g0 = data[cell + j * nodeStride], g1 = data[cell + (j + 1) * nodeStride];
        return Math.Max(P.ScrapUsd, opcost * Math.Max(floor, g0 + (mny - m0) / (m1 - m0) * (g1 - g0)));
    }

    /// <summary>The generation's rent per busy hour in index units at month t: perf x rent factor (host) x
    /// e^(-decay (t - launch)), the decay per month of its age since launch on this path (0 before launch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double RentPerf<TMath, TD>(TD data, int row, double launchMonth, int t)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        double perf = data[row + GenField.Perf];
        double decay = data[row + GenField.RentDecayMonthly];
        if (decay == 0) return perf;
        TMath m = default;
        return perf * m.Exp(-decay * Math.Max(0.0, t - launchMonth));
    }

    /// <summary>capex_g(t) = unit_capex * (1 - decline)^((t - a_g)/12), a_g this path's launch month: from the host's
    /// table when the age is a whole number of months within it (launch months are rounded, so nearly always).</summary>
    private readonly double UnitCapex<TMath, TD>(TD data, int row, int gen, double availableMonth, int t)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        TMath m = default;
        double age = Math.Max(0.0, t - availableMonth);
        int a = (int)age;
        if (a == age && a < P.CapexAges) return data[P.CapexOffset + gen * P.CapexAges + a];
        return data[row + GenField.UnitCapex] * m.Exp(data[row + GenField.LogCapexDeclineMonthly] * age);
    }

    /// <summary>The newest generation launched by month t on this path (latest launch; ties to the later row), or -1.</summary>
    private readonly int Newest<TD>(ref FleetScratch<TD> s, int t)
        where TD : struct, IVec<double>
    {
        int best = -1;
        double bestMonth = double.NegativeInfinity;
        for (int g = 0; g < P.GenerationCount; g++)
        {
            double a = s.LaunchMonth(g);
            if (a <= t && a >= bestMonth) { best = g; bestMonth = a; }
        }
        return best;
    }

    /// <summary>Open a cohort of <paramref name="units"/> of generation <paramref name="gen"/> in the first free slot
    /// (docs/model.md 3, "Purchases"): capex, the debt share borrowed, the rest injected as equity.</summary>
    private readonly void Buy<TMath, TD>(TD data, ref FleetScratch<TD> s, int gen, double units, ref FleetMonth month)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        if (units <= 0) return;
        for (int c = 0; c < P.CohortSlots; c++)
        {
            Cohort<TD> cohort = s.Cohort(c);
            if (cohort.Active) continue;
            int row = P.GenOffset + gen * GenField.Stride;
            double cost = units * UnitCapex<TMath, TD>(data, row, gen, s.LaunchMonth(gen), month.T);
            double loan = P.DebtShare * cost;
            cohort.Open(gen, units, month.T, cost);
            month.NextRetirement = Math.Min(month.NextRetirement, RetirementMonth(month.T, (int)data[row + GenField.PhysicalLife]));
            AddLoan<TMath, TD>(data, ref cohort, loan);
            month.Capex += cost;
            month.NewLoans += loan;
            month.EquityIn += cost - loan;
            return;
        }
    }

    /// <summary>The capex schedule's purchase of month t (docs/model.md 3, "Purchases"): USD u_t buys round(u_t / capex_g(t))
    /// units of the scheduled generation g (or the newest on sale on the path; nothing when none is); cost, loan and
    /// equity as any purchase.</summary>
    private readonly void ScheduledPurchase<TMath, TD>(TD data, ref FleetScratch<TD> s, ref FleetMonth month)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        int t = month.T;
        double usd = data[P.ScheduleOffset + t];
        if (!(usd > 0)) return;
        int g = (int)data[P.ScheduleOffset + P.Months + t];
        if (g < 0) g = Newest(ref s, t);
        if (g < 0) return;
        int row = P.GenOffset + g * GenField.Stride;
        double unitCapex = UnitCapex<TMath, TD>(data, row, g, s.LaunchMonth(g), t);
        if (!(unitCapex > 0)) return;
        Buy<TMath, TD>(data, ref s, g, Math.Round(usd / unitCapex), ref month);
    }

    /// <summary>The opening book at month 0 (docs/model.md 3, "Opening book"): each vintage opens a cohort bought
    /// age months before month 0, with the host's accumulated book and tax depreciation, no loan, and its market value
    /// at month 0 (so the month's economic depreciation starts from it); no capex and no cash flow.</summary>
    private readonly void OpenBook<TMath, TD>(TD data, ref FleetScratch<TD> s, in FleetMonth month)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        int c = 0;
        for (int v = 0; v < P.OpeningVintages; v++)
        {
            int o = P.OpeningOffset + v * OpeningField.Stride;
            int gen = (int)data[o + OpeningField.Gen];
            double units = data[o + OpeningField.Units];
            int age = (int)data[o + OpeningField.Age];
            while (c < P.CohortSlots && s.Cohort(c).Active) c++;
            if (c >= P.CohortSlots || units <= 0) continue;
            Cohort<TD> cohort = s.Cohort(c);
            double unitValue = UnitValue(data, ValueOfGeneration<TMath, TD>(data, gen, s.LaunchMonth(gen), in month), age);
            cohort.Open(gen, units, month.T - age, data[o + OpeningField.Basis]);
            cohort.AccBook = data[o + OpeningField.AccBook];
            cohort.AccTax = data[o + OpeningField.AccTax];
            cohort.MarketValue = units * unitValue;
        }
    }

    /// <summary>The first month in which a cohort bought in month <paramref name="purchaseMonth"/> with a physical life of
    /// <paramref name="life"/> months is retired by age (its life, or the fixed replacement age when that policy is on):
    /// the retirement pass's test age >= life || age >= replacement age, solved for the month (in 64 bits, clamped to
    /// the int range: int.MaxValue for a cohort that never ages out).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly int RetirementMonth(int purchaseMonth, int life)
    {
        int limit = P.ReplacementPolicy == ReplacementPolicy.FixedAge ? Math.Min(life, P.ReplacementAge) : life;
        return (int)Math.Max(Math.Min((long)purchaseMonth + limit, int.MaxValue), int.MinValue);
    }

    /// <summary>Add a loan to a cohort; the annuity payment is recomputed over the remaining term (a fresh term if none).</summary>
    private readonly void AddLoan<TMath, TD>(TD data, ref Cohort<TD> cohort, double amount)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        if (amount <= 0 || P.DebtTermMonths <= 0) return;
        TMath m = default;
        double bal = cohort.Loan + amount;
        double left = cohort.LoanMonthsLeft;
        if (left < 1) left = P.DebtTermMonths;
        double r = P.DebtRateMonthly;
        // The denominator 1 - (1 + r)^-left from the host's table (left is a whole number of months up to the term).
        int n = (int)left;
        double denominator = n == left && n <= P.DebtTermMonths ? data[P.LoanDenominatorOffset + n] : 1.0 - m.Exp(-left * m.Log(1.0 + r));
        double payment = r > 0 ? bal * r / denominator : bal / left;
        cohort.Loan = bal;
        cohort.LoanMonthsLeft = left;
        cohort.Payment = payment;
    }
}
