using System.Runtime.CompilerServices;

namespace ComputeEconomics.Kernels.Models;

/// <summary>The entities' monthly stages of the economy model (docs/model.md section 10).</summary>
public partial struct EconomyModel
{
    /// <summary>Start-ups: users pay them (end users), venture covers the burn, they pay wages and the labs (the larger of
    /// usage and the commitment); a shortfall is their failure.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Startups(ref EconomyPath s, int t)
    {
        if (s.StartupsFail >= 0) return;
        double revenue = s.Users * P.PricePerUser * 1e-3;
        double usage = s.Users * P.TokensPerUser * s.ApiPrice * 1e-3;
        double due = Math.Max(usage, s.CommitFloor), wages = P.StartupWageShare * revenue;
        s.UsageThisYear += usage;
        s.L.In(EconomyInflow.EndUsers, EconomyAccount.Startups, revenue);
        double draw = Math.Min(s.StartupBudget, Math.Max(0.0, wages + due - s.L.Cash0));
        s.L.In(EconomyInflow.Venture, EconomyAccount.Startups, draw);
        s.StartupBudget -= draw; s.YearVenture += draw; s.MonthVenture += draw;
        s.L.Out(EconomyAccount.Startups, EconomyOutlet.Wages, s.L.Payable(EconomyAccount.Startups, wages));
        bool a1 = s.Lab1Fail < 0, a2 = s.Lab2Fail < 0;
        double share1 = a1 ? (a2 ? P.Lab1ApiShare : 1.0) : 0.0;
        double paid = a1 || a2 ? s.L.Payable(EconomyAccount.Startups, due) : 0.0;
        s.L.Transfer(EconomyAccount.Startups, EconomyAccount.Lab1, share1 * paid);
        s.L.Transfer(EconomyAccount.Startups, EconomyAccount.Lab2, (1 - share1) * paid);
        s.MonthStartup = paid; s.MonthLab += paid; s.YearLab += paid;
        if (paid < due) { s.StartupsFail = t; Tighten(ref s); }
    }

    /// <summary>Both labs' month.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Labs(ref EconomyPath s, int t)
    {
        s.NeoRevenue = 0; s.HyperLabRevenue = 0;
        if (s.Lab1Fail < 0 && !LabMonth(ref s, EconomyAccount.Lab1, s.Direct1, s.Compute1, P.Lab1HyperShare))
            Fail(ref s, ref s.Lab1Fail, ref s.Stake1, t, P.Lab1HyperShare);
        if (s.Lab2Fail < 0 && !LabMonth(ref s, EconomyAccount.Lab2, s.Direct2, s.Compute2, P.Lab2HyperShare))
            Fail(ref s, ref s.Lab2Fail, ref s.Stake2, t, P.Lab2HyperShare);
    }

    /// <summary>One lab: direct revenue, a round when the runway is short, wages, the compute bill to the hyperscaler
    /// and the neocloud (all to the hyperscaler once the neocloud has failed). False when it cannot pay in full.</summary>
    private readonly bool LabMonth(ref EconomyPath s, int lab, double direct, double bill, double hyperShare)
    {
        s.L.In(EconomyInflow.EndUsers, lab, direct);
        s.MonthLab += direct; s.YearLab += direct;
        double wages = P.LabWageShare * bill, burn = bill + wages - direct;
        if (burn > 0 && s.L.Cash(lab) < P.RunwayMonths * burn)
        {
            double raised = Math.Min(12 * burn, s.LabBudget);
            s.L.In(EconomyInflow.Venture, lab, raised);
            s.LabBudget -= raised; s.YearVenture += raised; s.MonthVenture += raised;
        }
        double paidWages = s.L.Payable(lab, wages);
        s.L.Out(lab, EconomyOutlet.Wages, paidWages);
        double paid = s.L.Payable(lab, bill);
        double toHyper = (s.NeoFail >= 0 ? 1.0 : hyperShare) * paid;
        s.L.Transfer(lab, EconomyAccount.Hyperscaler, toHyper);
        s.L.Transfer(lab, EconomyAccount.Neocloud, paid - toHyper);
        s.HyperLabRevenue += toHyper; s.NeoRevenue += paid - toHyper; s.MonthCompute += paid;
        return paidWages >= wages && paid >= bill;
    }

    /// <summary>A lab's failure: its contract defaults, the chip maker's stake is lost, funding tightens and the
    /// hyperscaler cuts its capex when the lab bought from it.</summary>
    private readonly void Fail(ref EconomyPath s, ref int failMonth, ref double stake, int t, double hyperShare)
    {
        failMonth = t;
        s.StakeLost += stake; stake = 0;
        Tighten(ref s);
        if (hyperShare > 0) s.HyperRate *= 1 - P.CapexCutOnDefault;
    }

    /// <summary>Funding tightens after a failure: the venture and debt supplies lose <c>FailureHit</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Tighten(ref EconomyPath s)
    {
        s.VentureRate *= 1 - P.FailureHit;
        s.DebtRate *= 1 - P.FailureHit;
        s.LabBudget *= 1 - P.FailureHit; s.StartupBudget *= 1 - P.FailureHit; s.DebtBudget *= 1 - P.FailureHit;
    }

    /// <summary>The neocloud: energy and debt service, the covenant, then GPUs bought for its contracts with debt
    /// (loan-to-value), within the power and debt budgets; a shortfall on energy or debt service is its failure.</summary>
    private readonly void Neocloud(ref EconomyPath s, int t)
    {
        if (s.NeoFail >= 0) return;
        double energy = s.NeoGw * 0.73 * s.Market.Elec * P.Pue;
        double interest = s.NeoDebt * P.DebtRate, amort = s.NeoDebt / P.AmortMonths;
        if (interest + amort > 0 && (s.NeoRevenue - energy) / (interest + amort) < P.Covenant && s.NeoCovenant < 0)
        {
            s.NeoCovenant = t;
            s.DebtRate *= 1 - P.FailureHit; s.DebtBudget *= 1 - P.FailureHit;
        }
        double pe = s.L.Payable(EconomyAccount.Neocloud, energy);
        s.L.Out(EconomyAccount.Neocloud, EconomyOutlet.Energy, pe);
        double pd = s.L.Payable(EconomyAccount.Neocloud, interest + amort);
        s.L.Out(EconomyAccount.Neocloud, EconomyOutlet.Investors, pd);
        s.NeoDebt -= Math.Max(0.0, pd - interest);
        if (pe < energy || pd < interest + amort)
        {
            s.NeoFail = t;
            s.StakeLost += s.StakeNeo; s.StakeNeo = 0;
            Tighten(ref s);
            return;
        }
        if (s.NeoCovenant < 0) NeoCapex(ref s);
    }

    /// <summary>GW bought = min(contract gap, power left, what cash and the debt budget finance).</summary>
    private readonly void NeoCapex(ref EconomyPath s)
    {
        double gap = Math.Max(0.0, s.NeoRevenue * 12 / P.RevenuePerGwYear - s.NeoGw);
        double afford = Math.Max(0.0, s.L.Cash3) / ((1 - P.LoanToValue) * P.CapexPerGw);
        double debtCap = P.LoanToValue > 0 ? Math.Max(0.0, s.DebtBudget) / (P.LoanToValue * P.CapexPerGw) : gap;
        double wanted = Math.Min(gap, Math.Min(afford, debtCap));
        double gw = Math.Min(wanted, Math.Max(0.0, s.PowerLeft));
        s.CapexBlocked += (wanted - gw) * P.CapexPerGw;
        double cost = gw * P.CapexPerGw, debt = P.LoanToValue * cost;
        s.L.In(EconomyInflow.Debt, EconomyAccount.Neocloud, debt);
        s.DebtBudget -= debt; s.NeoDebt += debt;
        s.L.Transfer(EconomyAccount.Neocloud, EconomyAccount.ChipMaker, P.ChipShare * cost);
        s.L.Out(EconomyAccount.Neocloud, EconomyOutlet.Wages, (1 - P.ChipShare) * cost);
        s.NeoGw += gw; s.PowerLeft -= gw;
        s.MonthCapex += cost; s.YearCapex += cost;
    }

    /// <summary>The hyperscaler: other cash in, energy, tax on the AI margin, capex at its rate within the power left
    /// (bonds cover a negative balance); it does not fail, its distress is a capex cut.</summary>
    private readonly void Hyperscaler(ref EconomyPath s, int t)
    {
        const int h = EconomyAccount.Hyperscaler;
        s.L.In(EconomyInflow.OtherCash, h, P.OtherCash / 12);
        double energy = s.HyperGw * 0.73 * s.Market.Elec * P.Pue;
        s.L.Out(h, EconomyOutlet.Energy, energy);
        s.L.Out(h, EconomyOutlet.Taxes, P.TaxRate * Math.Max(0.0, s.HyperLabRevenue - energy));
        double planned = s.HyperRate / 12;
        double gw = Math.Min(planned / P.CapexPerGw, Math.Max(0.0, s.PowerLeft));
        double cost = gw * P.CapexPerGw;
        s.CapexBlocked += planned - cost;
        s.L.Transfer(h, EconomyAccount.ChipMaker, P.ChipShare * cost);
        s.L.Out(h, EconomyOutlet.Wages, (1 - P.ChipShare) * cost);
        s.HyperGw += gw; s.PowerLeft -= gw;
        s.MonthCapex += cost; s.YearCapex += cost;
        if (s.L.Cash4 < 0) s.L.In(EconomyInflow.Debt, h, -s.L.Cash4);
        s.HyperPeak = Math.Max(s.HyperPeak, s.HyperRate);
        if (s.HyperCut < 0 && s.HyperRate < (1 - P.DistressDrop) * s.HyperPeak) s.HyperCut = t;
    }

    /// <summary>The chip maker: the month's revenue pays cost of goods (imports), tax, shareholders, and the investments
    /// in the labs and the neocloud that are still alive (equity stakes).</summary>
    private readonly void ChipMaker(ref EconomyPath s)
    {
        const int c = EconomyAccount.ChipMaker;
        double rev = s.L.ChipRevenue - s.ChipSeen;
        s.ChipSeen = s.L.ChipRevenue; s.ChipMonth = rev; s.YearChip += rev;
        double gross = P.ChipMargin * rev;
        s.L.Out(c, EconomyOutlet.Imports, s.L.Payable(c, rev - gross));
        s.L.Out(c, EconomyOutlet.Taxes, s.L.Payable(c, P.TaxRate * gross));
        s.L.Out(c, EconomyOutlet.Investors, s.L.Payable(c, P.ChipPayoutShare * (1 - P.TaxRate) * gross));
        double invest = P.ChipInvestShare * rev;
        int labs = (s.Lab1Fail < 0 ? 1 : 0) + (s.Lab2Fail < 0 ? 1 : 0);
        double perLab = labs > 0 ? P.ChipInvestLabShare * invest / labs : 0.0;
        double neo = s.NeoFail < 0 ? (1 - P.ChipInvestLabShare) * invest : 0.0;
        if (s.Lab1Fail < 0) { double x = s.L.Payable(c, perLab); s.L.Invest(EconomyAccount.Lab1, x); s.Stake1 += x; }
        if (s.Lab2Fail < 0) { double x = s.L.Payable(c, perLab); s.L.Invest(EconomyAccount.Lab2, x); s.Stake2 += x; }
        if (neo > 0) { double x = s.L.Payable(c, neo); s.L.Invest(EconomyAccount.Neocloud, x); s.StakeNeo += x; }
    }
}
