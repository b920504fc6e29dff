namespace ComputeEconomics.Kernels.Models;

/// <summary>The economy model's year close, bands and metrics.</summary>
public partial struct EconomyModel
{
    /// <summary>Year y (0-based): GDP growth = base growth + domestic share x change in AI capex / last year's GDP; the
    /// chip maker's distress (yearly revenue below (1 - drop) x its peak); the year's metrics.</summary>
    private readonly void CloseYear<TD>(in PathSlot slot, TD metrics, ref EconomyPath s, int y) where TD : struct, IVec<double>
    {
        double contribution = P.DomesticShare * (s.YearCapex - s.PrevAiCapex) / s.Gdp;
        double growth = P.BaseGrowth + contribution;
        s.Gdp *= 1 + growth;
        s.PrevAiCapex = s.YearCapex;
        s.TotalAiCapex += s.YearCapex;
        if (y > 0 && s.ChipDecline < 0 && s.YearChip < (1 - P.DistressDrop) * s.ChipPeakYear) s.ChipDecline = 12 * y + 11;
        s.ChipPeakYear = Math.Max(s.ChipPeakYear, s.YearChip);
        int mb = slot.MetricBase, ms = slot.MetricStride;
        Put(metrics, mb, ms, EconomyYearField.AiCapex, y, s.YearCapex);
        Put(metrics, mb, ms, EconomyYearField.ChipRevenue, y, s.YearChip);
        Put(metrics, mb, ms, EconomyYearField.LabRevenue, y, s.YearLab);
        Put(metrics, mb, ms, EconomyYearField.VentureRaised, y, s.YearVenture);
        Put(metrics, mb, ms, EconomyYearField.GdpContribution, y, contribution);
        Put(metrics, mb, ms, EconomyYearField.GdpGrowth, y, growth);
        TokenCosts(metrics, mb, ms, in s, y);
    }

    /// <summary>"Will costs go down?" at the year's last month, USD per million tokens: hardware (capex per GW over its
    /// life) and energy per GW-month over the tokens a GW serves; the efficiency gain against month-0 throughput; the
    /// labs' margin against the API price; the start-ups' subsidy per token and per user (API price against what users pay).</summary>
    private readonly void TokenCosts<TD>(TD metrics, int mb, int ms, in EconomyPath s, int y) where TD : struct, IVec<double>
    {
        double hwGwMonth = P.CapexPerGw * 1e9 / P.LifeMonths, energyGwMonth = 0.73e9 * s.Market.Elec * P.Pue;
        double hardware = hwGwMonth / s.Tokens, energy = energyGwMonth / s.Tokens, cost = hardware + energy;
        Put(metrics, mb, ms, EconomyYearField.CostPerMtok, y, cost);
        Put(metrics, mb, ms, EconomyYearField.HardwarePerMtok, y, hardware);
        Put(metrics, mb, ms, EconomyYearField.EnergyPerMtok, y, energy);
        Put(metrics, mb, ms, EconomyYearField.EfficiencyGainPerMtok, y, (hwGwMonth + energyGwMonth) / P.TokensPerGw0 - cost);
        Put(metrics, mb, ms, EconomyYearField.MarginPerMtok, y, s.ApiPrice - cost);
        Put(metrics, mb, ms, EconomyYearField.SubsidyPerMtok, y, P.TokensPerUser > 0 ? s.ApiPrice - P.PricePerUser / P.TokensPerUser : double.NaN);
        Put(metrics, mb, ms, EconomyYearField.SubsidyPerUser, y, s.ApiPrice * P.TokensPerUser - P.PricePerUser);
    }

    private readonly void Put<TD>(TD metrics, int mb, int ms, int field, int year, double value) where TD : struct, IVec<double>
        => metrics[mb + (EconomyMetrics.Count + field * P.Years + year) * ms] = value;

    /// <summary>Month t's flows (<see cref="EconomySeries"/>).</summary>
    private readonly void WriteBands<TF>(long bandBase, TF bands, in EconomyPath s, int t) where TF : struct, IVec<float>
    {
        long bb = bandBase + (long)t * EconomySeries.Count;
        bands[bb + EconomySeries.StartupSpend] = (float)s.MonthStartup;
        bands[bb + EconomySeries.LabRevenue] = (float)s.MonthLab;
        bands[bb + EconomySeries.ComputeBills] = (float)s.MonthCompute;
        bands[bb + EconomySeries.AiCapex] = (float)s.MonthCapex;
        bands[bb + EconomySeries.ChipRevenue] = (float)s.ChipMonth;
        bands[bb + EconomySeries.Venture] = (float)s.MonthVenture;
        bands[bb + EconomySeries.Gw] = (float)(s.NeoGw + s.HyperGw);
        bands[bb + EconomySeries.CostPerMtok] = (float)((P.CapexPerGw * 1e9 / P.LifeMonths + 0.73e9 * s.Market.Elec * P.Pue) / s.Tokens);
        bands[bb + EconomySeries.ApiPrice] = (float)s.ApiPrice;
    }

    /// <summary>Month (1-based) of a failure, NaN when it did not happen.</summary>
    private static double Month(int t) => t >= 0 ? t + 1 : double.NaN;

    /// <summary>Earliest of two failure months (-1 when neither).</summary>
    private static int First(int a, int b) => a < 0 ? b : b < 0 ? a : Math.Min(a, b);

    /// <summary>The entity that failed first (<see cref="EconomyEntity"/>; the lower code on a tie), 0 when none did.</summary>
    private static int FirstToFail(in EconomyPath s)
    {
        int code = EconomyEntity.None, month = int.MaxValue;
        Earlier(ref code, ref month, EconomyEntity.Startups, s.StartupsFail);
        Earlier(ref code, ref month, EconomyEntity.Lab1, s.Lab1Fail);
        Earlier(ref code, ref month, EconomyEntity.Lab2, s.Lab2Fail);
        Earlier(ref code, ref month, EconomyEntity.Neocloud, First(s.NeoCovenant, s.NeoFail));
        Earlier(ref code, ref month, EconomyEntity.Hyperscaler, s.HyperCut);
        Earlier(ref code, ref month, EconomyEntity.ChipMaker, s.ChipDecline);
        return code;
    }

    private static void Earlier(ref int code, ref int month, int entity, int t)
    {
        if (t >= 0 && t < month) { code = entity; month = t; }
    }

    /// <summary>The chain of the issue: a lab fails, then (same month or later) a cloud is in distress (covenant, default or
    /// capex cut), then (same month or later) the chip maker's yearly revenue falls by the distress share.</summary>
    private static bool Cascade(in EconomyPath s)
    {
        int lab = First(s.Lab1Fail, s.Lab2Fail);
        if (lab < 0) return false;
        int cloud = -1;
        if (s.NeoCovenant >= lab) cloud = First(cloud, s.NeoCovenant);
        if (s.NeoFail >= lab) cloud = First(cloud, s.NeoFail);
        if (s.HyperCut >= lab) cloud = First(cloud, s.HyperCut);
        return cloud >= 0 && s.ChipDecline >= cloud;
    }

    /// <summary>The path's metrics (<see cref="EconomyMetrics"/>), the ledger's balances, outlets and inflows included.</summary>
    private readonly void WriteMetrics<TD>(in PathSlot slot, TD metrics, in EconomyPath s) where TD : struct, IVec<double>
    {
        int mb = slot.MetricBase, ms = slot.MetricStride;
        metrics[mb + EconomyMetrics.Cascade * ms] = Cascade(in s) ? 1.0 : 0.0;
        int first = FirstToFail(in s);
        metrics[mb + EconomyMetrics.FirstToFail * ms] = first;
        for (int e = EconomyEntity.Startups; e < EconomyEntity.Count; e++)
            metrics[mb + (EconomyMetrics.FirstStartups + e - 1) * ms] = first == e ? 1.0 : 0.0;
        metrics[mb + EconomyMetrics.StartupsFailMonth * ms] = Month(s.StartupsFail);
        metrics[mb + EconomyMetrics.Lab1FailMonth * ms] = Month(s.Lab1Fail);
        metrics[mb + EconomyMetrics.Lab2FailMonth * ms] = Month(s.Lab2Fail);
        metrics[mb + EconomyMetrics.NeocloudCovenantMonth * ms] = Month(s.NeoCovenant);
        metrics[mb + EconomyMetrics.NeocloudFailMonth * ms] = Month(s.NeoFail);
        metrics[mb + EconomyMetrics.HyperscalerCutMonth * ms] = Month(s.HyperCut);
        metrics[mb + EconomyMetrics.ChipDeclineMonth * ms] = Month(s.ChipDecline);
        metrics[mb + EconomyMetrics.RoundTripShare * ms] = s.L.ChipRevenue > 0 ? s.L.RoundTrip / s.L.ChipRevenue : double.NaN;
        metrics[mb + EconomyMetrics.TotalChipRevenue * ms] = s.L.ChipRevenue;
        metrics[mb + EconomyMetrics.TotalAiCapex * ms] = s.TotalAiCapex;
        metrics[mb + EconomyMetrics.CapexBlocked * ms] = s.CapexBlocked;
        metrics[mb + EconomyMetrics.ChipStakeLost * ms] = s.StakeLost;
        metrics[mb + EconomyMetrics.InitialCash * ms] = InitialCash;
        for (int a = 0; a < EconomyAccount.Count; a++) metrics[mb + (EconomyMetrics.CashStartups + a) * ms] = s.L.Cash(a);
        for (int o = 0; o < EconomyOutlet.Count; o++) metrics[mb + (EconomyMetrics.OutWages + o) * ms] = s.L.Outlet(o);
        for (int i = 0; i < EconomyInflow.Count; i++) metrics[mb + (EconomyMetrics.InVenture + i) * ms] = s.L.Inflow(i);
    }
}
