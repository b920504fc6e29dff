using ComputeEconomics.Kernels.Finance;
using ComputeEconomics.Kernels.Random;

namespace ComputeEconomics.Kernels.Models;

/// <summary>
/// Model kind <c>fleet</c>: a GPU fleet operator (SPEC sections 3-5) simulated month by month on one
/// path. Equations as implemented: docs/model.md sections 3-5; each month is the sequence of stages in
/// docs/model.md "Order of operations within month t" (FleetStages.cs, FleetMonthClose.cs). Scratch per path
/// (<see cref="FleetScratch{TD}"/>): CohortSlots x CohortField.Stride cohort fields, then Months project cash
/// flows, then GenerationCount launch months.
/// </summary>
public partial struct FleetModel : IPathModel
{
    public FleetParams P;

    /// <inheritdoc />
    public void ShiftDataOffsets(int shift)
    {
        P.GenOffset += shift; P.BookShareOffset += shift; P.TaxShareOffset += shift; P.DiscountOffset += shift;
        P.AnnuityOffset += shift; P.ValueTablesOffset += shift; P.CapexOffset += shift; P.LoanDenominatorOffset += shift;
        P.MoneynessOffset += shift; P.NewBookShareOffset += shift;
        P.ScheduleOffset += shift; P.OpeningOffset += shift;
        P.CounterpartyHazardOffset += shift; P.AssetClassOffset += shift;
        P.Fin.TrancheOffset += shift;
        P.Market.ShiftDataOffsets(shift);
    }

    /// <summary>Scratch doubles one path needs.</summary>
    public readonly long ScratchPerPath => (long)P.CohortSlots * CohortField.Stride + P.Months + P.GenerationCount
        + AssetClassScratch + FinancingScratch;

    /// <summary>Scratch of the asset classes' monthly charges (after the launch months), when they are on.</summary>
    private readonly int AssetClassScratch => P.AssetClassesOn != Switch.Off ? (AssetClassField.Classes + 1) * P.Months : 0;

    /// <inheritdoc />
    public readonly void Simulate<TMath, TD, TF>(in PathSlot slot, TD data, TD scratch, TD metrics, TF bands)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
        where TF : struct, IVec<float>
    {
        var s = new FleetScratch<TD>(scratch, slot.ScratchBase, slot.ScratchStride, P.CohortSlots, P.Months);
        FleetPath path = default;
        BeforeMonthZero<TMath, TD>(slot.Path, data, ref s, ref path);

        for (int t = 0; t < P.Months; t++)
        {
            if (t > 0) Market.Step<TMath, TD>(P.Market, data, slot.Path, ref path.Market);
            FleetMonth month = OpenMonth(path.Market, t);
            month.NextRetirement = path.NextRetirement;   // every purchase (Buy) is made in the next two stages, which lower it
            Purchases<TMath, TD>(data, ref s, ref month, ref path);
            RetirementAndReplacement<TMath, TD>(data, ref s, ref month);
            path.NextRetirement = month.NextRetirement;
            ContractMonth(slot.Path, data, ref month, ref path);
            OperatingPass<TMath, TD>(slot.Path, data, ref s, ref month, ref path);
            AfterOperatingPass<TMath, TD, TF>(in slot, data, metrics, bands, ref s, ref month, ref path);
        }
        WriteMetrics(slot, metrics, ref s, in path);
        WriteContractMetrics(slot, metrics, in path);
        if (P.Fin.On != Switch.Off) WriteFinancingMetrics(slot, metrics, ref s, in path);
    }

    /// <summary>The path before month 0: launch months, empty slots, the asset classes' schedules, the month-0 market and
    /// cash, the financing's tranches.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private readonly void BeforeMonthZero<TMath, TD>(long pathIndex, TD data, ref FleetScratch<TD> s, ref FleetPath path)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        DrawLaunchMonths<TMath, TD, BranchedInverse<TMath>>(pathIndex, data, ref s);
        for (int c = 0; c < P.CohortSlots; c++) s.Cohort(c).Free();
        if (P.AssetClassesOn != Switch.Off) ClearAssetSchedules(ref s);
        path = StartPath<TMath>();
        if (P.Fin.On != Switch.Off) StartFinancing(data, ref s, ref path);
    }

    /// <summary>Month t after the operating pass: the asset classes, the financing's service, debt and tax, the month close,
    /// the financing's close (a path solvent at the month's start), the fiscal year, the bands.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private readonly void AfterOperatingPass<TMath, TD, TF>(in PathSlot slot, TD data, TD metrics, TF bands, ref FleetScratch<TD> s,
        ref FleetMonth month, ref FleetPath path)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
        where TF : struct, IVec<float>
    {
        if (P.AssetClassesOn != Switch.Off) AssetClassMonth(ref s, ref month, ref path);
        if (P.Fin.On != Switch.Off) FinancingService<TMath, TD>(slot.Path, data, ref s, ref month, ref path);
        DebtAndTax(data, ref s, ref month, ref path);
        bool wasSolvent = path.Defaulted == 0;
        CloseMonth(ref month, ref path);
        if (P.Fin.On != Switch.Off && wasSolvent) FinancingClose(slot.Path, data, ref s, in month, ref path);
        if (P.FiscalYears > 0) FiscalYear(slot, metrics, in month, ref path);
        if (slot.BandBase >= 0) WriteBands(slot.BandBase, bands, in month, in path);
    }

    /// <summary>Launch months of this path: mean + sd x Z, rounded (stream PathSetup, draw g); Z from the inverse normal
    /// <typeparamref name="TNormal"/> (the lane kernel's branch-free one gives the same bits).</summary>
    private readonly void DrawLaunchMonths<TMath, TD, TNormal>(long pathIndex, TD data, ref FleetScratch<TD> s)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
        where TNormal : struct, IInverseNormal
    {
        TNormal inverse = default;
        for (int g = 0; g < P.GenerationCount; g++)
        {
            int row = P.GenOffset + g * GenField.Stride;
            double mean = data[row + GenField.AvailableMean];
            double sd = data[row + GenField.AvailableSd];
            double avail = mean;
            if (sd > 0)
            {
                UInt4 b = Philox4x32.Block(P.Market.Seed, pathIndex, (uint)g, 0u, Streams.PathSetup);
                avail = Math.Round(mean + sd * inverse.InvCdf(Philox4x32.ToUniform(b.X)));
            }
            // A launch delay never moves a future launch before month 0; a generation already on sale keeps its
            // (negative) launch month so its price at month 0 has already declined since launch.
            s.SetLaunchMonth(g, mean >= 0 ? Math.Max(0.0, avail) : avail);
        }
    }

    /// <summary>The path before month 0: initial cash, no payback yet, the month-0 market.</summary>
    private readonly FleetPath StartPath<TMath>() where TMath : struct, IMathPolicy
    {
        FleetPath path = default;
        path.Market = Market.Initial<TMath>(P.Market);
        path.Cash = P.InitialCash;
        path.MinCash = P.InitialCash;
        path.DefaultMonth = -1;
        path.Payback = -1;
        path.ExpansionUnits = P.ExpansionUnits;
        path.OverstatementPeak = double.NegativeInfinity;
        path.LastActiveMonth = -1;
        return path;
    }

    /// <summary>Month t's market as the stages read it, with its totals at 0 (fixed costs start at the staff cost).</summary>
    private readonly FleetMonth OpenMonth(in MarketState mk, int t)
    {
        FleetMonth month = default;
        month.T = t;
        month.Price = mk.Price;
        month.Util = mk.Util;
        month.Elec = mk.Elec;
        month.Ubar = mk.Regime == MarketRegime.Normal ? P.Market.Theta0 : P.Market.Theta1;
        month.QField = mk.Regime == MarketRegime.Normal ? GenField.Q0 : GenField.Q1;
        month.OptionField = mk.Regime == MarketRegime.Normal ? GenField.Option0 : GenField.Option1;
        month.FixedCost = P.StaffUsdMonth;
        month.FailureGroup = -1;
        return month;
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
}
