using ComputeEconomics.Kernels.Random;

namespace ComputeEconomics.Kernels.Models;

/// <summary>
/// Model kind <c>fleet</c>: a GPU fleet operator (SPEC sections 3-5) simulated month by month on one
/// path. Equations as implemented: docs/model.md. Scratch per path: CohortSlots x CohortField.Stride
/// cohort fields, then Months project cash flows, then GenerationCount availability months.
/// </summary>
public struct FleetModel : IPathModel
{
    public FleetParams P;

    /// <inheritdoc />
    public void ShiftDataOffsets(int shift)
    {
        P.GenOffset += shift; P.BookShareOffset += shift; P.TaxShareOffset += shift; P.DiscountOffset += shift;
        P.AnnuityOffset += shift; P.Q0Offset += shift; P.Q1Offset += shift; P.CapexOffset += shift; P.LoanDenominatorOffset += shift;
        P.Market.ShiftDataOffsets(shift);
    }

    /// <summary>Scratch doubles one path needs.</summary>
    public readonly long ScratchPerPath => (long)P.CohortSlots * CohortField.Stride + P.Months + P.GenerationCount;

    /// <inheritdoc />
    public readonly void Simulate<TMath, TD, TF>(in PathSlot slot, TD data, TD scratch, TD metrics, TF bands)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
        where TF : struct, IVec<float>
    {
        int sb = slot.ScratchBase, ss = slot.ScratchStride;
        int slots = P.CohortSlots;
        int fcfBase = slots * CohortField.Stride;
        int availBase = fcfBase + P.Months;

        // Launch dates of this path: mean + sd * Z, rounded (stream PathSetup, draw g).
        for (int g = 0; g < P.GenerationCount; g++)
        {
            int row = P.GenOffset + g * GenField.Stride;
            double mean = data[row + GenField.AvailableMean];
            double sd = data[row + GenField.AvailableSd];
            double avail = mean;
            if (sd > 0)
            {
                UInt4 b = Philox4x32.Block(P.Market.Seed, slot.Path, (uint)g, 0u, Streams.PathSetup);
                avail = Math.Round(mean + sd * Normal.InvCdf<TMath>(Philox4x32.ToUniform(b.X)));
            }
            // A launch delay never moves a future launch before month 0; a generation already on sale keeps its
            // (negative) launch month so its price at month 0 has already declined since launch.
            scratch[sb + (availBase + g) * ss] = mean >= 0 ? Math.Max(0.0, avail) : avail;
        }
        for (int c = 0; c < slots; c++) scratch[sb + c * CohortField.Stride * ss] = 0.0;

        MarketState mk = Market.Initial<TMath>(P.Market);
        double cash = P.InitialCash, minCash = P.InitialCash;
        int defaulted = 0, defaultMonth = -1;
        double lcfLev = 0, lcfUnlev = 0;
        double cumFcf = 0; int payback = -1; bool wasNegative = false;
        double totalCapex = 0, totalRevenue = 0, totalEbitda = 0, sumUtil = 0;
        double totalCost = 0, servedHoursAll = 0, tokensAll = 0, idleUnitMonths = 0, unitMonths = 0;
        double overstatement = 0, overY3 = 0, bookEarningsY1 = 0;
        double bookY3 = 0, mvY3 = 0, bookY6 = 0, mvY6 = 0;
        double fleetBook = 0, fleetMv = 0, fleetDebt = 0, equityValue = 0;
        double expansionUnits = P.ExpansionUnits;
        double npv = 0;

        for (int t = 0; t < P.Months; t++)
        {
            if (t > 0) Market.Step<TMath, TD>(P.Market, data, slot.Path, ref mk);
            double price = mk.Price, util = mk.Util, elec = mk.Elec;
            double ubar = mk.Regime == 0 ? P.Market.Theta0 : P.Market.Theta1;
            int qOff = mk.Regime == 0 ? P.Q0Offset : P.Q1Offset;

            double capex = 0, equityIn = 0, newLoans = 0, proceeds = 0;
            double revenue = 0, power = 0, fixedCost = P.StaffUsdMonth, maint = 0;
            double interest = 0, principal = 0, bookDep = 0, taxDep = 0, econDep = 0, disposedBook = 0;
            double servedHours = 0, tokens = 0;

            // Scheduled purchases (initial, expansion): debt share borrowed, the rest injected as equity.
            if (t == 0 && P.InitialUnits > 0)
                Buy<TMath, TD>(ref scratch, sb, ss, data, P.InitialGeneration, P.InitialUnits, t, availBase,
                        ref capex, ref newLoans, ref equityIn);
            if (t > 0 && P.ExpansionEvery > 0 && t % P.ExpansionEvery == 0 && t <= P.ExpansionUntil)
            {
                int g = Newest<TD>(scratch, sb, ss, availBase, t);
                if (g >= 0)
                    Buy<TMath, TD>(ref scratch, sb, ss, data, g, Math.Round(expansionUnits), t, availBase,
                            ref capex, ref newLoans, ref equityIn);
                expansionUnits *= 1.0 + P.ExpansionGrowth;
            }

            // Retirements first (end of physical life, fixed age with a rebuy of the newest generation, or k months
            // of negative margin), so a rebuy operates in the month it is bought whatever slot it lands in.
            double disposedMarket = 0;
            for (int c = 0; c < slots; c++)
            {
                int cb = sb + c * CohortField.Stride * ss;
                if (scratch[cb] == 0.0) continue;
                int gen = (int)scratch[cb + CohortField.Gen * ss];
                double n = scratch[cb + CohortField.Count * ss];
                int age = t - (int)scratch[cb + CohortField.PurchaseMonth * ss];
                int row = P.GenOffset + gen * GenField.Stride;
                int life = (int)data[row + GenField.PhysicalLife];
                bool atFixedAge = P.ReplacementPolicy == 1 && age >= P.ReplacementAge;
                bool retire = age >= life || atFixedAge
                    || (P.ReplacementPolicy == 2 && scratch[cb + CohortField.NegStreak * ss] >= P.MarginMonths);
                if (!retire) continue;
                double unitValue = UnitValue<TD>(data, row, age, price, elec, ubar, qOff);
                double sale = P.ResaleFraction * n * unitValue;
                proceeds += sale;
                principal += scratch[cb + CohortField.Loan * ss];
                disposedBook += scratch[cb + CohortField.Basis * ss] - scratch[cb + CohortField.AccBook * ss];
                disposedMarket += n * unitValue;
                econDep += scratch[cb + CohortField.MarketValue * ss] - n * unitValue;
                scratch[cb] = 0.0;
                if (atFixedAge && age <= life && n > 0)
                {
                    int g = Newest<TD>(scratch, sb, ss, availBase, t);
                    if (g >= 0)
                        Buy<TMath, TD>(ref scratch, sb, ss, data, g, n, t, availBase, ref capex, ref newLoans, ref equityIn);
                }
            }

            fleetBook = 0; fleetMv = 0; fleetDebt = 0;
            int failureGroup = -1;
            UInt4 failureBlock = default;
            // The operating pass. A cohort's fields are read once into locals and written back once: on the CPU
            // this keeps them in registers, on a GPU it halves the scratch traffic.
            for (int c = 0; c < slots; c++)
            {
                int cb = sb + c * CohortField.Stride * ss;
                if (scratch[cb] == 0.0) continue;
                int gen = (int)scratch[cb + CohortField.Gen * ss];
                double n = scratch[cb + CohortField.Count * ss];
                int age = t - (int)scratch[cb + CohortField.PurchaseMonth * ss];
                double basis = scratch[cb + CohortField.Basis * ss];
                double accBook = scratch[cb + CohortField.AccBook * ss];
                double accTax = scratch[cb + CohortField.AccTax * ss];
                double bal = scratch[cb + CohortField.Loan * ss];
                double mvPrev = scratch[cb + CohortField.MarketValue * ss];
                int row = P.GenOffset + gen * GenField.Stride;
                double perf = data[row + GenField.Perf];
                double kw = data[row + GenField.PowerKw];
                double unitValue = UnitValue<TD>(data, row, age, price, elec, ubar, qOff);

                // Failures: F ~ Binomial(n, h); replaced in kind (free under warranty) or retired.
                // One Philox block serves four cohort slots: slot c uses word c % 4 of block (month t, slot c / 4).
                // A failure replaced free under warranty changes nothing, so its draw is skipped: the counter-based
                // generator gives every other draw the same numbers whether or not this one is made.
                bool failuresMatter = P.ReplaceFailures == 0 || age > P.WarrantyMonths;
                if (P.FailuresOn != 0 && age >= 1 && n > 0 && failuresMatter)
                {
                    if (c >> 2 != failureGroup)
                    {
                        failureGroup = c >> 2;
                        failureBlock = Philox4x32.Block(P.Market.Seed, slot.Path, (uint)t, (uint)failureGroup, Streams.Failures);
                    }
                    int w = c & 3;
                    uint word = w == 0 ? failureBlock.X : w == 1 ? failureBlock.Y : w == 2 ? failureBlock.Z : failureBlock.W;
                    double h = data[row + GenField.MonthlyHazard];
                    double odds = data[row + GenField.HazardOdds];
                    double failed;
                    if (n * h <= P.BinomialExactLimit)
                    {
                        // Exact inversion searched from the mode, with pmf and cdf at the mode cached per cohort while n
                        // is unchanged (under policy replace, for the cohort's life): about sd steps, not n h.
                        if (scratch[cb + CohortField.BinomN * ss] != n)
                        {
                            BinomialModeCache<TMath>(n, h, odds, data[row + GenField.LogSurvive], out double mode, out double pmf, out double cdf);
                            scratch[cb + CohortField.BinomN * ss] = n;
                            scratch[cb + CohortField.BinomMode * ss] = mode;
                            scratch[cb + CohortField.BinomPmf * ss] = pmf;
                            scratch[cb + CohortField.BinomCdf * ss] = cdf;
                        }
                        failed = BinomialFromMode(n, odds, scratch[cb + CohortField.BinomMode * ss], scratch[cb + CohortField.BinomPmf * ss],
                            scratch[cb + CohortField.BinomCdf * ss], Philox4x32.ToUniform(word));
                    }
                    else
                        failed = Binomial<TMath>(n, h, odds, data[row + GenField.LogSurvive], P.BinomialExactLimit, word);
                    if (failed > 0)
                    {
                        if (P.ReplaceFailures != 0)
                        {
                            if (age > P.WarrantyMonths)
                            {
                                double cost = failed * UnitCapex<TMath, TD>(data, row, gen, scratch[sb + (availBase + gen) * ss], t);
                                capex += cost;
                                econDep += cost;   // the fleet's market value is unchanged: the spend is consumed value
                                basis += cost;
                                double loan = P.DebtShare * cost;
                                newLoans += loan;
                                if (loan > 0 && P.DebtTermMonths > 0)
                                {
                                    scratch[cb + CohortField.Loan * ss] = bal;
                                    AddLoan<TMath, TD>(ref scratch, data, cb, ss, loan);
                                    bal = scratch[cb + CohortField.Loan * ss];
                                }
                            }
                        }
                        else
                        {
                            double keep = (n - failed) / n;
                            disposedBook += (basis - accBook) * (1 - keep);      // written off, market value 0
                            econDep += mvPrev * (1 - keep);
                            mvPrev *= keep;
                            basis *= keep;
                            accBook *= keep;
                            accTax *= keep;
                            n -= failed;
                            scratch[cb + CohortField.Count * ss] = n;
                        }
                    }
                }

                // Operation: run only if the price covers the marginal power of a busy hour.
                double contracted = t < P.ContractMonths ? P.ContractShare * n : 0.0;
                double spot = n - contracted;
                double run = perf * price >= (1 - P.IdleShare) * kw * P.Pue * elec ? 1.0 : 0.0;
                double cRevenue = spot * run * util * P.Hours * perf * price + contracted * P.Hours * perf * P.ContractPrice;
                double busy = (spot * run + contracted) * util;
                double cPower = kw * P.Pue * P.Hours * elec * (n * P.IdleShare + (1 - P.IdleShare) * busy);
                double cFixed = n * kw * P.ColoUsdPerKwMonth;
                double cMaint = P.MaintenanceMonthly * basis;
                servedHours += busy * P.Hours;
                tokens += busy * P.Hours * data[row + GenField.TokensPerSecond] * 3600.0;
                idleUnitMonths += spot * (1 - run);
                unitMonths += n;
                revenue += cRevenue; power += cPower; fixedCost += cFixed; maint += cMaint;
                double margin = cRevenue - cPower - cFixed - cMaint;
                if (P.ReplacementPolicy == 2)   // the streak only drives the margin policy
                    scratch[cb + CohortField.NegStreak * ss] = margin < 0 ? scratch[cb + CohortField.NegStreak * ss] + 1 : 0;

                // Depreciation, from the month after purchase.
                double salvage = P.SalvageFraction * basis;
                double charge = 0;
                if (P.BookMethod == 3)
                {
                    double hoursPerUnit = n > 0 ? busy * P.Hours / n : 0.0;   // contracted units run whatever the spot price
                    double used = scratch[cb + CohortField.HoursRun * ss];
                    double total = P.BookLifeMonths * P.Hours;
                    if (age >= 1)   // once the hours are used up, whatever is left (a later replacement) is charged at once
                        charge = (basis - salvage - accBook) * (used < total ? Math.Min(1.0, hoursPerUnit / (total - used)) : 1.0);
                    scratch[cb + CohortField.HoursRun * ss] = used + (age >= 1 ? hoursPerUnit : 0);
                }
                else if (age >= 1)
                    charge = (basis - salvage - accBook) * (age <= P.BookLifeMonths ? data[P.BookShareOffset + age - 1] : 1.0);
                charge = Math.Max(0.0, charge);
                accBook += charge;
                bookDep += charge;
                double taxCharge = 0;
                if (age >= 1)
                    taxCharge = Math.Max(0.0, (basis - accTax) * (age <= P.TaxLifeMonths ? data[P.TaxShareOffset + age - 1] : 1.0));
                accTax += taxCharge;
                taxDep += taxCharge;

                // Debt service: annuity per cohort.
                if (bal > 0)
                {
                    double it = bal * P.DebtRateMonthly;
                    double left = scratch[cb + CohortField.LoanMonthsLeft * ss];
                    double pr = left <= 1 ? bal : Math.Min(bal, scratch[cb + CohortField.Payment * ss] - it);
                    interest += it; principal += pr;
                    bal -= pr;
                    scratch[cb + CohortField.LoanMonthsLeft * ss] = left - 1;
                }

                double mvNow = n * unitValue;
                econDep += mvPrev - mvNow;

                scratch[cb + CohortField.Basis * ss] = basis;
                scratch[cb + CohortField.AccBook * ss] = accBook;
                scratch[cb + CohortField.AccTax * ss] = accTax;
                scratch[cb + CohortField.Loan * ss] = bal;
                scratch[cb + CohortField.MarketValue * ss] = mvNow;

                // Fleet totals after the month.
                fleetBook += basis - accBook;
                fleetMv += mvNow;
                fleetDebt += bal;
            }

            double ebitda = revenue - power - fixedCost - maint;
            double tax = Tax(P.TaxRate, ebitda - taxDep - interest, ref lcfLev);
            double taxUnlev = Tax(P.TaxRate, ebitda - taxDep, ref lcfUnlev);
            double fcf = ebitda - capex + proceeds - taxUnlev;
            if (t == P.Months - 1 && P.TerminalValue != 0) fcf += fleetMv;
            scratch[sb + (fcfBase + t) * ss] = fcf;
            npv += fcf * data[P.DiscountOffset + t];
            cumFcf += fcf;
            if (cumFcf < 0) wasNegative = true;
            else if (wasNegative && payback < 0) payback = t;

            double gainOnDisposal = proceeds - disposedBook;
            double bookEarnings = ebitda - bookDep - interest - tax + gainOnDisposal;
            if (t < 12) bookEarningsY1 += bookEarnings;
            // At a disposal the book side catches up to market (its loss on disposal at market value), so a
            // cohort's overstatement reverses when it is sold, as the accounting loss reveals it.
            overstatement += econDep - (bookDep + disposedBook - disposedMarket);
            if (t < 36) overY3 = overstatement;

            if (defaulted == 0)
            {
                cash += ebitda - capex + proceeds - tax - interest - principal + newLoans + equityIn;
                minCash = Math.Min(minCash, cash);
                bool ltvBreach = P.LtvMax > 0 && fleetDebt > 0 && fleetDebt > P.LtvMax * fleetMv;
                if (cash < 0 || ltvBreach) { defaulted = 1; defaultMonth = t; }
                equityValue = defaulted != 0 ? 0.0 : cash + fleetMv - fleetDebt;
            }

            totalCapex += capex; totalRevenue += revenue; totalEbitda += ebitda; sumUtil += util;
            double monthCost = bookDep + power + fixedCost + maint + interest;
            totalCost += monthCost; servedHoursAll += servedHours; tokensAll += tokens;
            if (t == 35) { bookY3 = fleetBook; mvY3 = fleetMv; }
            if (t == 71) { bookY6 = fleetBook; mvY6 = fleetMv; }

            if (slot.BandBase >= 0)
            {
                long bb = slot.BandBase + (long)t * FleetSeries.Count;
                bands[bb + FleetSeries.Cash] = defaulted != 0 && defaultMonth < t ? float.NaN : (float)cash;
                bands[bb + FleetSeries.BookValue] = (float)fleetBook;
                bands[bb + FleetSeries.MarketValue] = (float)fleetMv;
                bands[bb + FleetSeries.Revenue] = (float)revenue;
                bands[bb + FleetSeries.Ebitda] = (float)ebitda;
                bands[bb + FleetSeries.UnitCost] = servedHours > 0 ? (float)(monthCost / servedHours) : float.NaN;
            }
        }

        int mb = slot.MetricBase;
        metrics[mb + (FleetMetrics.Npv) * slot.MetricStride] = npv;
        metrics[mb + (FleetMetrics.Irr) * slot.MetricStride] = IrrAnnual<TD>(scratch, sb + fcfBase * ss, ss, P.Months);
        metrics[mb + (FleetMetrics.PaybackMonth) * slot.MetricStride] = payback >= 0 ? payback : double.NaN;
        metrics[mb + (FleetMetrics.MinCash) * slot.MetricStride] = minCash;
        metrics[mb + (FleetMetrics.Default) * slot.MetricStride] = defaulted;
        metrics[mb + (FleetMetrics.DefaultMonth) * slot.MetricStride] = defaultMonth >= 0 ? defaultMonth : double.NaN;
        metrics[mb + (FleetMetrics.EquityValue) * slot.MetricStride] = equityValue;
        metrics[mb + (FleetMetrics.FinalBookValue) * slot.MetricStride] = fleetBook;
        metrics[mb + (FleetMetrics.FinalMarketValue) * slot.MetricStride] = fleetMv;
        metrics[mb + (FleetMetrics.ImpairmentGap) * slot.MetricStride] = fleetBook - fleetMv;
        metrics[mb + (FleetMetrics.EarningsOverstatement) * slot.MetricStride] = overstatement;
        metrics[mb + (FleetMetrics.MeanUtilisation) * slot.MetricStride] = sumUtil / P.Months;
        metrics[mb + (FleetMetrics.CostPerGpuHour) * slot.MetricStride] = servedHoursAll > 0 ? totalCost / servedHoursAll : double.NaN;
        metrics[mb + (FleetMetrics.CostPerMtok) * slot.MetricStride] = tokensAll > 0 ? totalCost / (tokensAll / 1e6) : double.NaN;
        metrics[mb + (FleetMetrics.TotalCapex) * slot.MetricStride] = totalCapex;
        metrics[mb + (FleetMetrics.BookValueY3) * slot.MetricStride] = P.Months > 35 ? bookY3 : double.NaN;
        metrics[mb + (FleetMetrics.MarketValueY3) * slot.MetricStride] = P.Months > 35 ? mvY3 : double.NaN;
        metrics[mb + (FleetMetrics.BookValueY6) * slot.MetricStride] = P.Months > 71 ? bookY6 : double.NaN;
        metrics[mb + (FleetMetrics.MarketValueY6) * slot.MetricStride] = P.Months > 71 ? mvY6 : double.NaN;
        metrics[mb + (FleetMetrics.TotalRevenue) * slot.MetricStride] = totalRevenue;
        metrics[mb + (FleetMetrics.TotalEbitda) * slot.MetricStride] = totalEbitda;
        metrics[mb + (FleetMetrics.BookEarningsY1) * slot.MetricStride] = bookEarningsY1;
        metrics[mb + (FleetMetrics.OverstatementY3) * slot.MetricStride] = P.Months > 35 ? overY3 : double.NaN;
        metrics[mb + (FleetMetrics.FinalDebt) * slot.MetricStride] = fleetDebt;
        metrics[mb + (FleetMetrics.IdleShare) * slot.MetricStride] = unitMonths > 0 ? idleUnitMonths / unitMonths : 0.0;
    }

    /// <summary>Tax on <paramref name="taxable"/> with loss carry-forward (losses carried without limit or expiry).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double Tax(double rate, double taxable, ref double lossCarryForward)
    {
        if (taxable <= 0) { lossCarryForward -= taxable; return 0.0; }
        double used = Math.Min(lossCarryForward, taxable);
        lossCarryForward -= used;
        return rate * (taxable - used);
    }

    /// <summary>Market value of one unit (SPEC 5): present value over the remaining physical life of the expected
    /// margin, the price falling at the current regime's drift; never below 0.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private readonly double UnitValue<TD>(TD data, int row, int age, double price, double elec, double ubar, int qOff)
        where TD : struct, IVec<double>
    {
        double perf = data[row + GenField.Perf];
        double kw = data[row + GenField.PowerKw];
        int life = (int)data[row + GenField.PhysicalLife];
        int remaining = Math.Min(Math.Max(life - age, 0), P.MaxLife);
        double opcost = kw * P.Pue * P.Hours * elec * (P.IdleShare + (1 - P.IdleShare) * ubar) + kw * P.ColoUsdPerKwMonth;
        return Math.Max(0.0, perf * price * ubar * P.Hours * data[qOff + remaining] - opcost * data[P.AnnuityOffset + remaining]);
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
    private readonly int Newest<TD>(TD scratch, int sb, int ss, int availBase, int t)
        where TD : struct, IVec<double>
    {
        int best = -1;
        double bestMonth = double.NegativeInfinity;
        for (int g = 0; g < P.GenerationCount; g++)
        {
            double a = scratch[sb + (availBase + g) * ss];
            if (a <= t && a >= bestMonth) { best = g; bestMonth = a; }
        }
        return best;
    }

    /// <summary>Open a cohort of <paramref name="units"/> of generation <paramref name="gen"/> in the first free slot.</summary>
    private readonly void Buy<TMath, TD>(ref TD scratch, int sb, int ss, TD data, int gen, double units, int t, int availBase,
        ref double capex, ref double newLoans, ref double equityIn)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        if (units <= 0) return;
        for (int c = 0; c < P.CohortSlots; c++)
        {
            int cb = sb + c * CohortField.Stride * ss;
            if (scratch[cb] != 0.0) continue;
            int row = P.GenOffset + gen * GenField.Stride;
            double cost = units * UnitCapex<TMath, TD>(data, row, gen, scratch[sb + (availBase + gen) * ss], t);
            double loan = P.DebtShare * cost;
            scratch[cb] = 1.0;
            scratch[cb + CohortField.Gen * ss] = gen;
            scratch[cb + CohortField.Count * ss] = units;
            scratch[cb + CohortField.PurchaseMonth * ss] = t;
            scratch[cb + CohortField.Basis * ss] = cost;
            scratch[cb + CohortField.AccBook * ss] = 0;
            scratch[cb + CohortField.AccTax * ss] = 0;
            scratch[cb + CohortField.Loan * ss] = 0;
            scratch[cb + CohortField.LoanMonthsLeft * ss] = 0;
            scratch[cb + CohortField.Payment * ss] = 0;
            scratch[cb + CohortField.NegStreak * ss] = 0;
            scratch[cb + CohortField.HoursRun * ss] = 0;
            scratch[cb + CohortField.MarketValue * ss] = cost;
            scratch[cb + CohortField.BinomN * ss] = 0;
            AddLoan<TMath, TD>(ref scratch, data, cb, ss, loan);
            capex += cost;
            newLoans += loan;
            equityIn += cost - loan;
            return;
        }
    }

    /// <summary>Add a loan to a cohort; the annuity payment is recomputed over the remaining term (a fresh term if none).</summary>
    private readonly void AddLoan<TMath, TD>(ref TD scratch, TD data, int cb, int ss, double amount)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        if (amount <= 0 || P.DebtTermMonths <= 0) return;
        TMath m = default;
        double bal = scratch[cb + CohortField.Loan * ss] + amount;
        double left = scratch[cb + CohortField.LoanMonthsLeft * ss];
        if (left < 1) left = P.DebtTermMonths;
        double r = P.DebtRateMonthly;
        // The denominator 1 - (1 + r)^-left from the host's table (left is a whole number of months up to the term).
        int n = (int)left;
        double denominator = n == left && n <= P.DebtTermMonths ? data[P.LoanDenominatorOffset + n] : 1.0 - m.Exp(-left * m.Log(1.0 + r));
        double payment = r > 0 ? bal * r / denominator : bal / left;
        scratch[cb + CohortField.Loan * ss] = bal;
        scratch[cb + CohortField.LoanMonthsLeft * ss] = left;
        scratch[cb + CohortField.Payment * ss] = payment;
    }

    /// <summary>
    /// Binomial(n, h) draw from one 32-bit Philox word. Exact inversion of the CDF when n*h is at most
    /// <paramref name="exactLimit"/>; above it the normal approximation with continuity correction,
    /// round(n h + sqrt(n h (1-h)) Z) with Z = Phi^-1(u), clamped to [0, n] (error in the mean below 1e-3
    /// of a unit for n h > 20).
    /// </summary>
    public static double Binomial<TMath>(double n, double h, double logSurvive, double exactLimit, uint word)
        where TMath : struct, IMathPolicy
        => Binomial<TMath>(n, h, h / (1.0 - h), logSurvive, exactLimit, word);

    /// <summary><see cref="Binomial{TMath}(double, double, double, double, uint)"/> with the odds h / (1 - h) given.</summary>
    public static double Binomial<TMath>(double n, double h, double odds, double logSurvive, double exactLimit, uint word)
        where TMath : struct, IMathPolicy
    {
        TMath m = default;
        if (n <= 0 || h <= 0) return 0.0;
        double mean = n * h;
        double u = Philox4x32.ToUniform(word);
        if (mean <= exactLimit)
        {
            double p0 = m.Exp(n * logSurvive);
            return BinomialFromMode(n, odds, 0.0, p0, p0, u);   // inversion from 0: the search from the mode with mode 0
        }
        double z = Normal.InvCdf<TMath>(u);
        double draw = Math.Floor(mean + m.Sqrt(mean * (1.0 - h)) * z + 0.5);
        return Math.Min(n, Math.Max(0.0, draw));
    }

    /// <summary>Mode m = floor((n+1) h) of Binomial(n, h) with pmf(m) and cdf(m), by the recurrence from pmf(0) = (1-h)^n.</summary>
    public static void BinomialModeCache<TMath>(double n, double h, double logSurvive, out double mode, out double pmf, out double cdf)
        where TMath : struct, IMathPolicy
        => BinomialModeCache<TMath>(n, h, h / (1.0 - h), logSurvive, out mode, out pmf, out cdf);

    /// <summary>The mode cache with the odds h / (1 - h) given.</summary>
    public static void BinomialModeCache<TMath>(double n, double h, double odds, double logSurvive, out double mode, out double pmf, out double cdf)
        where TMath : struct, IMathPolicy
    {
        TMath m = default;
        mode = Math.Min(n, Math.Floor((n + 1) * h));
        double ratio = odds;
        pmf = m.Exp(n * logSurvive);
        cdf = pmf;
        for (double k = 0; k < mode; k += 1.0)
        {
            pmf *= (n - k) / (k + 1.0) * ratio;
            cdf += pmf;
        }
    }

    /// <summary>
    /// Exact Binomial(n, h) inversion of the uniform <paramref name="u"/> (the smallest k with cdf(k) >= u), searched
    /// down or up from the mode whose pmf and cdf are given: the same draw as inversion from 0, in about one standard
    /// deviation of steps. <paramref name="odds"/> is h / (1 - h).
    /// </summary>
    public static double BinomialFromMode(double n, double odds, double mode, double pmfMode, double cdfMode, double u)
    {
        double ratio = odds;
        double k = mode, p = pmfMode, c = cdfMode;
        if (u <= c)
        {
            while (k > 0 && u <= c - p)
            {
                c -= p;
                p *= k / ((n - k + 1.0) * ratio);
                k -= 1.0;
            }
            return k;
        }
        while (u > c && k < n)
        {
            p *= (n - k) / (k + 1.0) * ratio;
            k += 1.0;
            c += p;
            if (p < 1e-300 && k > mode) break;
        }
        return k;
    }

    /// <summary>
    /// Annualised IRR of the monthly cash flows cf[0..months-1] (cf[0] undiscounted), or NaN when the flows
    /// never change sign or no root lies between -50% and +100% a month. With several roots it returns the
    /// smallest non-negative monthly rate, else the negative one closest to 0 (numpy-financial's rule), found on
    /// the grid 0, 0.25%, 0.5%, 1%, ... (doubling) outward from 0; then safeguarded Newton on v = 1/(1+r) with bisection in the bracket
    /// (Horner evaluation: no transcendental functions).
    /// </summary>
    public static double IrrAnnual<TD>(TD cf, int b, int stride, int months) where TD : struct, IVec<double>
    {
        bool pos = false, neg = false;
        for (int t = 0; t < months; t++)
        {
            double x = cf[b + t * stride];
            if (x > 0) pos = true; else if (x < 0) neg = true;
        }
        if (!pos || !neg) return double.NaN;
        // numpy-financial's choice among several roots: the smallest non-negative rate if there is one,
        // else the negative rate closest to zero. Grid outward from r = 0: 0.25%, 0.5%, 1%, ... a month.
        double lo = 0, hi = 0, flo = 0;
        bool found = false;
        double fZero = Poly(cf, b, stride, months, 1.0, out _);
        if (fZero == 0) return 0.0;
        // Positive side first (up to +100% a month), then the negative side (down to -50%).
        for (int side = 0; side < 2 && !found; side++)
        {
            double sign = side == 0 ? 1.0 : -1.0, limit = side == 0 ? 1.0 : 0.5;
            double vPrev = 1.0, fPrev = fZero;
            for (double grid = 0.0025; grid < 2.0 * limit && !found; grid *= 2.0)
            {
                double vGrid = 1.0 / (1.0 + sign * Math.Min(grid, limit));
                double f = Poly(cf, b, stride, months, vGrid, out _);
                if ((f < 0) != (fPrev < 0) || f == 0)
                {
                    bool gridIsLow = vGrid < vPrev;
                    lo = gridIsLow ? vGrid : vPrev; hi = gridIsLow ? vPrev : vGrid; flo = gridIsLow ? f : fPrev; found = true;
                }
                vPrev = vGrid; fPrev = f;
            }
        }
        if (!found) return double.NaN;
        double v = 0.5 * (lo + hi);
        for (int it = 0; it < 200; it++)
        {
            double f = Poly(cf, b, stride, months, v, out double df);
            if (f == 0) break;
            if ((f < 0) == (flo < 0)) { lo = v; flo = f; } else hi = v;
            double next = df != 0 ? v - f / df : 0.5 * (lo + hi);
            if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
            if (Math.Abs(next - v) <= 1e-15 * v || hi - lo <= 1e-15 * v) { v = next; break; }
            v = next;
        }
        double g = 1.0 / v;
        double g2 = g * g, g4 = g2 * g2, g8 = g4 * g4;
        return g8 * g4 - 1.0;
    }

    private static double Poly<TD>(TD cf, int b, int stride, int months, double v, out double derivative)
        where TD : struct, IVec<double>
    {
        double f = 0, df = 0;
        for (int t = months - 1; t >= 0; t--)
        {
            df = df * v + f;
            f = f * v + cf[b + t * stride];
        }
        derivative = df;
        return f;
    }
}
