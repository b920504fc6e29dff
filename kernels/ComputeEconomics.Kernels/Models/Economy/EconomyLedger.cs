using System.Runtime.CompilerServices;

namespace ComputeEconomics.Kernels.Models;

/// <summary>
/// The per-path ledger of the economy model: one cash balance per <see cref="EconomyAccount"/>, the running totals of
/// the <see cref="EconomyOutlet"/>s and <see cref="EconomyInflow"/>s, and the part of each balance that came from the
/// chip maker's investments (the tag, carried proportionally by every payment). Every change of a balance goes through
/// <see cref="Transfer"/>, <see cref="In"/> or <see cref="Out"/>, so sum(balances) + sum(outlets) = initial cash +
/// sum(inflows) holds to rounding on every path (the conservation test reads the three from the metrics).
/// </summary>
public struct EconomyLedger
{
    public double Cash0, Cash1, Cash2, Cash3, Cash4, Cash5;
    public double Tag0, Tag1, Tag2, Tag3, Tag4, Tag5;
    public double Out0, Out1, Out2, Out3, Out4;
    public double In0, In1, In2, In3;
    /// <summary>Chip-maker revenue so far, and the part of it that was its own investment coming back.</summary>
    public double ChipRevenue, RoundTrip;

    /// <summary>Balance of account <paramref name="a"/>.</summary>
    public readonly double Cash(int a) => a switch
    {
        EconomyAccount.Startups => Cash0,
        EconomyAccount.Lab1 => Cash1,
        EconomyAccount.Lab2 => Cash2,
        EconomyAccount.Neocloud => Cash3,
        EconomyAccount.Hyperscaler => Cash4,
        _ => Cash5,
    };

    /// <summary>Chip-maker money in account <paramref name="a"/>.</summary>
    public readonly double Tag(int a) => a switch
    {
        EconomyAccount.Startups => Tag0,
        EconomyAccount.Lab1 => Tag1,
        EconomyAccount.Lab2 => Tag2,
        EconomyAccount.Neocloud => Tag3,
        EconomyAccount.Hyperscaler => Tag4,
        _ => Tag5,
    };

    /// <summary>Total of outlet <paramref name="o"/>.</summary>
    public readonly double Outlet(int o) => o switch
    {
        EconomyOutlet.Wages => Out0,
        EconomyOutlet.Energy => Out1,
        EconomyOutlet.Taxes => Out2,
        EconomyOutlet.Investors => Out3,
        _ => Out4,
    };

    /// <summary>Total of inflow <paramref name="i"/>.</summary>
    public readonly double Inflow(int i) => i switch
    {
        EconomyInflow.Venture => In0,
        EconomyInflow.Debt => In1,
        EconomyInflow.EndUsers => In2,
        _ => In3,
    };

    private void Add(int a, double cash, double tag)
    {
        switch (a)
        {
            case EconomyAccount.Startups: Cash0 += cash; Tag0 += tag; break;
            case EconomyAccount.Lab1: Cash1 += cash; Tag1 += tag; break;
            case EconomyAccount.Lab2: Cash2 += cash; Tag2 += tag; break;
            case EconomyAccount.Neocloud: Cash3 += cash; Tag3 += tag; break;
            case EconomyAccount.Hyperscaler: Cash4 += cash; Tag4 += tag; break;
            default: Cash5 += cash; Tag5 += tag; break;
        }
    }

    /// <summary>The chip-maker part of a payment of <paramref name="amount"/> out of account <paramref name="a"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly double TagOf(int a, double amount)
    {
        double cash = Cash(a), tag = Tag(a);
        if (cash <= 0 || tag <= 0) return 0;
        return amount * Math.Min(1.0, tag / cash);
    }

    /// <summary>Pay <paramref name="amount"/> from <paramref name="from"/> to <paramref name="to"/>. A payment to the chip
    /// maker is revenue: its chip-maker part is round-tripped revenue and loses its tag there.</summary>
    public void Transfer(int from, int to, double amount)
    {
        if (amount <= 0) return;
        double tag = TagOf(from, amount);
        Add(from, -amount, -tag);
        if (to == EconomyAccount.ChipMaker)
        {
            Add(to, amount, 0);
            ChipRevenue += amount;
            RoundTrip += tag;
        }
        else Add(to, amount, tag);
    }

    /// <summary>The chip maker invests <paramref name="amount"/> in account <paramref name="to"/>: all of it is tagged there.</summary>
    public void Invest(int to, double amount)
    {
        if (amount <= 0) return;
        Add(EconomyAccount.ChipMaker, -amount, 0);
        Add(to, amount, amount);
    }

    /// <summary>Money entering account <paramref name="a"/> from outside through inflow <paramref name="i"/>.</summary>
    public void In(int i, int a, double amount)
    {
        if (amount <= 0) return;
        Add(a, amount, 0);
        switch (i)
        {
            case EconomyInflow.Venture: In0 += amount; break;
            case EconomyInflow.Debt: In1 += amount; break;
            case EconomyInflow.EndUsers: In2 += amount; break;
            default: In3 += amount; break;
        }
    }

    /// <summary>Money leaving account <paramref name="a"/> through outlet <paramref name="o"/>.</summary>
    public void Out(int a, int o, double amount)
    {
        if (amount <= 0) return;
        Add(a, -amount, -TagOf(a, amount));
        switch (o)
        {
            case EconomyOutlet.Wages: Out0 += amount; break;
            case EconomyOutlet.Energy: Out1 += amount; break;
            case EconomyOutlet.Taxes: Out2 += amount; break;
            case EconomyOutlet.Investors: Out3 += amount; break;
            default: Out4 += amount; break;
        }
    }

    /// <summary>Pay what account <paramref name="a"/> can of <paramref name="due"/> (its positive balance): the part paid.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Payable(int a, double due) => Math.Max(0.0, Math.Min(due, Cash(a)));
}

/// <summary>The state of one economy path (fixed scalars: no per-thread arrays).</summary>
public struct EconomyPath
{
    public MarketState Market;
    public EconomyLedger L;
    /// <summary>Budgets left this year: venture for start-ups and labs, debt; GW connectable.</summary>
    public double StartupBudget, LabBudget, DebtBudget, PowerLeft;
    /// <summary>Supply per year (shrinks after failures).</summary>
    public double VentureRate, DebtRate;
    public double Users, ApiPrice, CommitFloor, UsageThisYear;
    /// <summary>Tokens served per GW-month (millions).</summary>
    public double Tokens;
    public double Direct1, Direct2, Compute1, Compute2;
    public double NeoGw, NeoDebt, HyperGw, HyperRate, HyperPeak;
    /// <summary>Chip-maker revenue last month (what it invests from), stakes held in labs and neocloud, stakes lost.</summary>
    public double ChipLastMonth, Stake1, Stake2, StakeNeo, StakeLost;
    public double PrevChipYear, ChipPeakYear, PrevAiCapex, Gdp, CapexBlocked, TotalAiCapex;
    /// <summary>This year's sums (reset at year start) and this month's flows (bands).</summary>
    public double YearCapex, YearChip, YearLab, YearVenture;
    public double MonthStartup, MonthLab, MonthCompute, MonthCapex, MonthVenture, ChipMonth;
    /// <summary>This month's lab payments to the neocloud and the hyperscaler; chip revenue already seen.</summary>
    public double NeoRevenue, HyperLabRevenue, ChipSeen;
    /// <summary>Failure months (-1: not yet).</summary>
    public int StartupsFail, Lab1Fail, Lab2Fail, NeoCovenant, NeoFail, HyperCut, ChipDecline;
}
