using System.Runtime.CompilerServices;
using ComputeEconomics.Kernels.Random;

namespace ComputeEconomics.Kernels.Models;

/// <summary>
/// Model kind <c>economy</c>: the circular AI economy in one run (docs/model.md section 10). Venture money funds API
/// start-ups, which pay two labs; the labs pay a hyperscaler and a neocloud for compute; those buy GPUs from the chip
/// maker, which invests in the labs and the neocloud; AI capex adds to GDP growth. Month t is the sequence of stages:
/// market, year start (budgets), shocks, start-ups, labs, neocloud, hyperscaler, chip maker, bands; a year closes with
/// GDP and the chip maker's distress test.
/// Money in USD billions; every payment goes through the <see cref="EconomyLedger"/>. Draws: the market driver, and
/// Block(seed, path, t, 0, Economy) each month (X: users, Y and Z: the two labs' direct revenue, W: efficiency).
/// </summary>
public partial struct EconomyModel : IPathModel
{
    public EconomyParams P;

    /// <inheritdoc />
    public void ShiftDataOffsets(int shift) => P.Market.ShiftDataOffsets(shift);

    public readonly long ScratchPerPath => 1;

    public readonly int MetricCount => EconomyMetrics.Count + EconomyYearField.Count * P.Years;

    /// <inheritdoc />
    public readonly void Simulate<TMath, TD, TF>(in PathSlot slot, TD data, TD scratch, TD metrics, TF bands)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
        where TF : struct, IVec<float>
    {
        EconomyPath path = Initial<TMath>();
        for (int t = 0; t < P.Months; t++)
        {
            if (t > 0) Market.Step<TMath, TD>(P.Market, data, slot.Path, ref path.Market);
            if (t % 12 == 0) YearStart(ref path, t);
            path.MonthStartup = 0; path.MonthLab = 0; path.MonthCompute = 0; path.MonthCapex = 0; path.MonthVenture = 0;
            Shocks<TMath>(slot.Path, ref path, t);
            Startups(ref path, t);
            Labs(ref path, t);
            Neocloud(ref path, t);
            Hyperscaler(ref path, t);
            ChipMaker(ref path);
            if (slot.BandBase >= 0) WriteBands(slot.BandBase, bands, in path, t);
            if (t % 12 == 11) CloseYear(slot, metrics, ref path, t / 12);
        }
        WriteMetrics(slot, metrics, in path);
    }

    /// <summary>The month-0 state: initial balances, supplies, users, contracts, fleets.</summary>
    private readonly EconomyPath Initial<TMath>() where TMath : struct, IMathPolicy
    {
        EconomyPath s = default;
        s.Market = Market.Initial<TMath>(P.Market);
        s.L.Cash0 = P.StartupCash0; s.L.Cash1 = P.Lab1Cash0; s.L.Cash2 = P.Lab2Cash0;
        s.L.Cash3 = P.NeoCash0; s.L.Cash4 = P.HyperCash0; s.L.Cash5 = P.ChipCash0;
        s.VentureRate = P.Venture0; s.DebtRate = P.Debt0;
        s.Users = P.Users0; s.ApiPrice = P.ApiPrice0; s.Tokens = P.TokensPerGw0;
        s.CommitFloor = P.CommitShare * P.Users0 * P.TokensPerUser * P.ApiPrice0 * 1e-3;
        s.Direct1 = P.Lab1Direct0 / 12; s.Direct2 = P.Lab2Direct0 / 12;
        s.Compute1 = P.Lab1Compute0 / 12; s.Compute2 = P.Lab2Compute0 / 12;
        s.NeoGw = P.NeoGw0; s.NeoDebt = P.NeoDebt0; s.HyperGw = P.HyperGw0;
        s.HyperRate = P.HyperCapex0; s.HyperPeak = P.HyperCapex0;
        s.PrevAiCapex = P.AiCapexPrior; s.Gdp = P.Gdp0;
        s.PrevChipYear = double.NaN; s.ChipPeakYear = 0;
        s.StartupsFail = -1; s.Lab1Fail = -1; s.Lab2Fail = -1; s.NeoCovenant = -1; s.NeoFail = -1;
        s.HyperCut = -1; s.ChipDecline = -1;
        return s;
    }

    /// <summary>The initial balances (the endowment of the conservation identity).</summary>
    public readonly double InitialCash =>
        P.StartupCash0 + P.Lab1Cash0 + P.Lab2Cash0 + P.NeoCash0 + P.HyperCash0 + P.ChipCash0;

    /// <summary>Year start: the venture and debt budgets of the year, the power budget, the start-ups' commitment.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void YearStart(ref EconomyPath s, int t)
    {
        s.StartupBudget = s.VentureRate * P.StartupVentureShare;
        s.LabBudget = s.VentureRate * (1 - P.StartupVentureShare);
        s.DebtBudget = s.DebtRate;
        s.PowerLeft = P.PowerGwPerYear;
        if (t > 0) s.CommitFloor = P.CommitShare * s.UsageThisYear / 12;
        s.UsageThisYear = 0;
        s.YearCapex = 0; s.YearChip = 0; s.YearLab = 0; s.YearVenture = 0;
    }

    /// <summary>Monthly growth of the supplies, users, prices and contracts with the regime and the path's shocks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Shocks<TMath>(long pathIndex, ref EconomyPath s, int t) where TMath : struct, IMathPolicy
    {
        TMath m = default;
        bool bust = s.Market.Regime == MarketRegime.Bust;
        UInt4 b = Philox4x32.Block(P.Market.Seed, pathIndex, (uint)t, 0u, Streams.Economy);
        double zu = Normal.InvCdf<TMath>(Philox4x32.ToUniform(b.X));
        double z1 = Normal.InvCdf<TMath>(Philox4x32.ToUniform(b.Y));
        double z2 = Normal.InvCdf<TMath>(Philox4x32.ToUniform(b.Z));
        double ze = Normal.InvCdf<TMath>(Philox4x32.ToUniform(b.W));
        double gv = t >= P.CliffMonth ? P.VentureGrowthCliff : bust ? P.VentureGrowth1 : P.VentureGrowth0;
        s.VentureRate *= m.Exp(gv);
        s.DebtRate *= m.Exp(P.DebtGrowth);
        double half = 0.5 * P.UserVol * P.UserVol, halfD = 0.5 * P.DirectVol * P.DirectVol;
        s.Users *= m.Exp((bust ? P.UserGrowth1 : P.UserGrowth0) - half + P.UserVol * zu);
        s.ApiPrice *= m.Exp(P.ApiPriceGrowth);
        s.Tokens *= m.Exp(P.EfficiencyGrowth - 0.5 * P.EfficiencyVol * P.EfficiencyVol + P.EfficiencyVol * ze);
        s.Direct1 *= m.Exp(P.DirectGrowth - halfD + P.DirectVol * z1);
        s.Direct2 *= m.Exp(P.DirectGrowth - halfD + P.DirectVol * z2);
        s.Compute1 *= m.Exp(P.ComputeGrowth);
        s.Compute2 *= m.Exp(P.ComputeGrowth);
        s.HyperRate *= m.Exp(bust ? P.HyperGrowth1 : P.HyperGrowth0);
        s.NeoGw *= 1 - 1 / P.LifeMonths;
        s.HyperGw *= 1 - 1 / P.LifeMonths;
    }
}
