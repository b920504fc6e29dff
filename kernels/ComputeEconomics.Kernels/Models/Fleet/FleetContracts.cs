using System.Runtime.CompilerServices;
using ComputeEconomics.Kernels.Random;

namespace ComputeEconomics.Kernels.Models;

/// <summary>The contract on one path (docs/model.md 3, "Counterparty default", "Renewal"): the current term's locked
/// price and end, and the counterparty's default.</summary>
internal struct ContractState
{
    /// <summary>Price of the current term (kernel price units); the compiled contract price until a renewal.</summary>
    public double Price;
    /// <summary>First month after the current term (0 = no contract).</summary>
    public int End;
    /// <summary>1 once the counterparty has defaulted; <see cref="DefaultNow"/> 1 in the month of default only.</summary>
    public int Defaulted, DefaultNow;
    /// <summary>Month of the default, -1 while none.</summary>
    public int DefaultMonth;
    /// <summary>The spot rent of month 0 (the bust threshold's base without regime switching).</summary>
    public double Price0;
    /// <summary>The remaining take-or-pay obligation at default and the recovery received, USD.</summary>
    public double RevenueLost, Recovery;
}

/// <summary>One asset class's pool across purchases (docs/model.md 5, "Asset classes").</summary>
internal struct AssetPool
{
    /// <summary>Cost bought so far, accumulated book depreciation, the current monthly straight-line charge.</summary>
    public double Cost, AccBook, Rate;
    /// <summary>Book depreciation over the horizon.</summary>
    public double Depreciation;
}

/// <summary>The asset classes on one path: network, power and cooling, buildings; the market value's monthly fall.</summary>
internal struct AssetClassState
{
    public AssetPool Network, PowerAndCooling, Buildings;
    /// <summary>Monthly fall of the classes' market value (straight line over their economic lives), and that value.</summary>
    public double EconRate, MarketValue;
    /// <summary>The servers' book depreciation over the horizon.</summary>
    public double ServerDepreciation;
}

/// <summary>Asset class rows in the data buffer: <see cref="Stride"/> numbers per class, classes in <see cref="AssetClassMetrics"/> order.</summary>
public static class AssetClassField
{
    /// <summary>Ratio: class cost per unit of server cost, share / (1 - sum of shares); BookMonthly: (1 - salvage) / life;
    /// Life: book life in months; EconLife: economic life in months.</summary>
    public const int Ratio = 0, BookMonthly = 1, Life = 2, EconLife = 3, Stride = 4, Classes = 3;
}

/// <summary>The counterparty's metrics (only when the counterparty is on), from <see cref="FleetParams.CounterpartyMetricBase"/>.</summary>
public static class CounterpartyMetrics
{
    public const int CounterpartyDefault = 0, CounterpartyDefaultMonth = 1, CounterpartyRevenueLost = 2, CounterpartyRecovery = 3, Count = 4;
}

/// <summary>The asset classes' metrics (only when a share is above 0), from <see cref="FleetParams.AssetClassMetricBase"/>.</summary>
public static class AssetClassMetrics
{
    public const int DepreciationNetwork = 0, DepreciationPowerAndCooling = 1, DepreciationBuildings = 2, DepreciationServers = 3, Count = 4;
}

/// <summary>Contracts with counterparty default and renewal, and the asset classes (issue 15 items 1 and 3).</summary>
public partial struct FleetModel
{
    /// <summary>
    /// The contract at the start of month t, before the operating pass (docs/model.md 3): the month-0 state; at the end of
    /// a term a renewal for another term at the then spot rent x the renewal factor with the renewal probability (word Y);
    /// while the contract runs, the counterparty's default with the month's hazard, raised in a bust (word X). Both words
    /// of Philox block (path, t, 0) of stream <see cref="Streams.Counterparty"/>: no other draw moves.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void ContractMonth<TD>(long pathIndex, TD data, ref FleetMonth month, ref FleetPath path)
        where TD : struct, IVec<double>
    {
        int t = month.T;
        if (t == 0)
        {
            path.Contract.Price = P.ContractPrice;
            path.Contract.End = P.ContractMonths;
            path.Contract.DefaultMonth = -1;
            path.Contract.Price0 = month.Price;
        }
        path.Contract.DefaultNow = 0;
        if (path.Contract.End <= 0 || path.Contract.Defaulted != 0) return;
        bool renewalDue = P.RenewalOn != Switch.Off && t == path.Contract.End;
        bool running = t >= P.ContractStart && (t < path.Contract.End || renewalDue);
        if (!running || (P.CounterpartyOn == Switch.Off && !renewalDue)) return;
        UInt4 b = Philox4x32.Block(P.Market.Seed, pathIndex, (uint)t, 0u, Streams.Counterparty);
        if (renewalDue)
        {
            if (!(Philox4x32.ToUniform(b.Y) < P.RenewalProbability)) return;   // not renewed: the capacity goes back to spot
            path.Contract.End += P.ContractTerm;
            path.Contract.Price = month.Price * P.RenewalFactor;
        }
        if (P.CounterpartyOn == Switch.Off) return;
        bool bust = P.CounterpartyBustByRegime != Switch.Off
            ? path.Market.Regime == MarketRegime.Bust
            : month.Price < P.CounterpartyBustPriceShare * path.Contract.Price0;
        double h = data[P.CounterpartyHazardOffset + t];
        if (bust) h = Math.Min(1.0, h * P.CounterpartyBustFactor);
        if (!(Philox4x32.ToUniform(b.X) < h)) return;
        path.Contract.Defaulted = 1;
        path.Contract.DefaultNow = 1;
        path.Contract.DefaultMonth = t;
    }

    /// <summary>A cohort's share of the obligation at default (Operation, in the month of default): the take-or-pay revenue
    /// of the rest of the term including this month, lost; the recovery share of it received as revenue.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void DefaultObligation(double units, double perf, ref FleetMonth month, ref FleetPath path)
    {
        int t = month.T;
        if (!(t >= P.ContractStart && t < path.Contract.End)) return;
        double obligation = P.ContractShare * units * P.Hours * perf * path.Contract.Price * P.TakeOrPay * (path.Contract.End - t);
        double recovery = P.CounterpartyRecovery * obligation;
        path.Contract.RevenueLost += obligation;
        path.Contract.Recovery += recovery;
        month.Revenue += recovery;
    }

    /// <summary>A purchase's asset classes (in the operating pass, a cohort of age 0 whose basis is its purchase cost C):
    /// class k costs C ratio_k, added to capex and to the class's pool, financed like the servers (the debt share added to
    /// the cohort's loan); its straight-line book charge starts next month and stops after its life, its market value
    /// falls straight-line over its economic life, both scheduled in scratch.</summary>
    private readonly void AssetClassPurchase<TMath, TD>(TD data, ref FleetScratch<TD> s, ref Cohort<TD> cohort, ref CohortMonth k,
        ref FleetMonth month, ref FleetPath path)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
    {
        double total = 0;
        for (int c = 0; c < AssetClassField.Classes; c++)
        {
            int row = P.AssetClassOffset + c * AssetClassField.Stride;
            double cost = k.Basis * data[row + AssetClassField.Ratio];
            if (!(cost > 0)) continue;
            total += cost;
            if (c == 0) path.Assets.Network.Cost += cost;
            else if (c == 1) path.Assets.PowerAndCooling.Cost += cost;
            else path.Assets.Buildings.Cost += cost;
            path.Assets.MarketValue += cost;
            double rate = cost * data[row + AssetClassField.BookMonthly];
            ScheduleRate(ref s, c, month.T + 1, rate);
            ScheduleRate(ref s, c, month.T + 1 + (int)data[row + AssetClassField.Life], -rate);
            double econ = cost / data[row + AssetClassField.EconLife];
            ScheduleRate(ref s, AssetClassField.Classes, month.T + 1, econ);
            ScheduleRate(ref s, AssetClassField.Classes, month.T + 1 + (int)data[row + AssetClassField.EconLife], -econ);
        }
        if (!(total > 0)) return;
        double loan = P.DebtShare * total;
        month.Capex += total;
        month.NewLoans += loan;
        month.EquityIn += total - loan;
        if (loan > 0 && P.DebtTermMonths > 0)
        {
            cohort.Loan = k.Loan;
            AddLoan<TMath, TD>(data, ref cohort, loan);
            k.Loan = cohort.Loan;
        }
    }

    /// <summary>Adds <paramref name="delta"/> to schedule <paramref name="c"/>'s rate change of month <paramref name="t"/>
    /// (schedules 0..2 the classes' book charges, 3 the classes' market value fall); nothing past the horizon.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void ScheduleRate<TD>(ref FleetScratch<TD> s, int c, int t, double delta)
        where TD : struct, IVec<double>
    {
        if (t >= P.Months) return;
        int at = s.Base + (s.LaunchStart + P.GenerationCount + c * P.Months + t) * s.Stride;
        s.Buffer[at] += delta;
    }

    /// <summary>The asset classes in month t, after the operating pass (docs/model.md 5, "Asset classes"): each class's
    /// straight-line book charge (also the tax charge), its book value and the classes' market value added to the
    /// fleet's totals; the economic depreciation.</summary>
    private readonly void AssetClassMonth<TD>(ref FleetScratch<TD> s, ref FleetMonth month, ref FleetPath path)
        where TD : struct, IVec<double>
    {
        int t = month.T;
        path.Assets.ServerDepreciation += month.BookDep;
        PoolMonth(ref s, 0, ref path.Assets.Network, ref month, ref path);
        PoolMonth(ref s, 1, ref path.Assets.PowerAndCooling, ref month, ref path);
        PoolMonth(ref s, 2, ref path.Assets.Buildings, ref month, ref path);
        path.Assets.EconRate += ScheduledRate(ref s, AssetClassField.Classes, t);
        double fall = Math.Max(0.0, Math.Min(path.Assets.EconRate, path.Assets.MarketValue));
        path.Assets.MarketValue -= fall;
        month.EconDep += fall;
        path.FleetMarketValue += path.Assets.MarketValue;
    }

    /// <summary>The asset classes' rate schedules at 0, before month 0.</summary>
    private readonly void ClearAssetSchedules<TD>(ref FleetScratch<TD> s)
        where TD : struct, IVec<double>
    {
        for (int i = 0; i < (AssetClassField.Classes + 1) * P.Months; i++)
            s.Buffer[s.Base + (s.LaunchStart + P.GenerationCount + i) * s.Stride] = 0.0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly double ScheduledRate<TD>(ref FleetScratch<TD> s, int c, int t)
        where TD : struct, IVec<double>
        => s.Buffer[s.Base + (s.LaunchStart + P.GenerationCount + c * P.Months + t) * s.Stride];

    /// <summary>One class's month: the straight-line charge scheduled for month t, never beyond its depreciable base.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void PoolMonth<TD>(ref FleetScratch<TD> s, int c, ref AssetPool pool, ref FleetMonth month, ref FleetPath path)
        where TD : struct, IVec<double>
    {
        pool.Rate += ScheduledRate(ref s, c, month.T);
        double charge = Math.Max(0.0, Math.Min(pool.Rate, pool.Cost - pool.AccBook));
        pool.AccBook += charge;
        pool.Depreciation += charge;
        month.BookDep += charge;
        month.TaxDep += charge;
        path.FleetBook += pool.Cost - pool.AccBook;
    }

    /// <summary>The counterparty's and the asset classes' metrics, when on (after every other metric).</summary>
    private readonly void WriteContractMetrics<TD>(in PathSlot slot, TD metrics, in FleetPath path)
        where TD : struct, IVec<double>
    {
        int mb = slot.MetricBase, ms = slot.MetricStride;
        if (P.CounterpartyMetricBase >= 0)
        {
            int b = P.CounterpartyMetricBase;
            metrics[mb + (b + CounterpartyMetrics.CounterpartyDefault) * ms] = path.Contract.Defaulted;
            metrics[mb + (b + CounterpartyMetrics.CounterpartyDefaultMonth) * ms] = path.Contract.DefaultMonth >= 0 ? path.Contract.DefaultMonth : double.NaN;
            metrics[mb + (b + CounterpartyMetrics.CounterpartyRevenueLost) * ms] = path.Contract.RevenueLost;
            metrics[mb + (b + CounterpartyMetrics.CounterpartyRecovery) * ms] = path.Contract.Recovery;
        }
        if (P.AssetClassMetricBase >= 0)
        {
            int b = P.AssetClassMetricBase;
            metrics[mb + (b + AssetClassMetrics.DepreciationNetwork) * ms] = path.Assets.Network.Depreciation;
            metrics[mb + (b + AssetClassMetrics.DepreciationPowerAndCooling) * ms] = path.Assets.PowerAndCooling.Depreciation;
            metrics[mb + (b + AssetClassMetrics.DepreciationBuildings) * ms] = path.Assets.Buildings.Depreciation;
            metrics[mb + (b + AssetClassMetrics.DepreciationServers) * ms] = path.Assets.ServerDepreciation;
        }
        if (P.OpeningMetricBase >= 0) metrics[mb + P.OpeningMetricBase * ms] = P.OpeningBookCost;
    }
}
