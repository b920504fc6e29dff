using System.Globalization;
using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Models.Economy;

/// <summary>Validates and compiles model kind economy; its answer lines. Equations: docs/model.md section 10.</summary>
public static class EconomyCompiler
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The monthly series (bands), in kernel order (<see cref="EconomySeries"/>).</summary>
    public static readonly string[] Series =
        { "startup_spend", "lab_revenue", "compute_bills", "ai_capex", "chip_revenue", "venture", "gw_installed", "cost_per_mtok", "api_price_per_mtok" };

    public static int Years(Scenario s) => s.HorizonMonths / 12;

    /// <summary>Name of per-year field <paramref name="field"/> in year <paramref name="year"/> (1-based).</summary>
    public static string YearMetric(int field, int year) => EconomyKind.Table.Families[field].Name(year);

    /// <summary>Cross-field rules of an economy scenario.</summary>
    public static IReadOnlyList<ValidationError> Validate(Scenario s)
    {
        var errors = new List<ValidationError>();
        if (s.HorizonMonths % 12 != 0)
            errors.Add(new ValidationError("horizon_months", s.HorizonMonths.ToString(Inv), "must be a multiple of 12 for model economy (budgets are yearly)"));
        return errors;
    }

    private static double Monthly(double g) => Math.Log(1.0 + g) / 12.0;

    /// <summary>Compile a validated economy scenario.</summary>
    public static IModelJob Compile(Scenario s)
    {
        var errors = Validate(s);
        if (errors.Count > 0) throw new InputException(errors);
        var e = s.Economy;
        var data = new List<double>();
        var p = new EconomyParams
        {
            Market = ScenarioCompiler.Market(s, 1.0, data),
            Months = s.HorizonMonths, Years = Years(s),
            Venture0 = e.VentureUsdB, VentureGrowth0 = Monthly(e.VentureGrowth), VentureGrowth1 = Monthly(e.VentureGrowthBust),
            VentureGrowthCliff = Monthly(e.VentureGrowthCliff),
            CliffMonth = e.CliffYear > 0 ? 12 * (e.CliffYear - 1) : s.HorizonMonths,
            Debt0 = e.DebtUsdB, DebtGrowth = Monthly(e.DebtGrowth), FailureHit = e.FailureHit,
            StartupVentureShare = e.StartupVentureShare,
            Users0 = e.UsersM, UserGrowth0 = Monthly(e.UserGrowth), UserGrowth1 = Monthly(e.UserGrowthBust),
            UserVol = e.UserVolatility / Math.Sqrt(12), PricePerUser = e.PriceUsdMonth, TokensPerUser = e.TokensPerUserMtok,
            ApiPrice0 = e.ApiPriceUsdMtok, ApiPriceGrowth = Monthly(e.ApiPriceChange),
            CommitShare = e.CommitShare, StartupWageShare = e.StartupWageShare, StartupCash0 = e.StartupCashUsdB,
            Lab1ApiShare = e.Lab1ApiShare, Lab1Cash0 = e.Lab1CashUsdB, Lab2Cash0 = e.Lab2CashUsdB,
            Lab1Direct0 = e.Lab1DirectUsdB, Lab2Direct0 = e.Lab2DirectUsdB, DirectGrowth = Monthly(e.DirectGrowth),
            DirectVol = e.DirectVolatility / Math.Sqrt(12),
            Lab1Compute0 = e.Lab1ComputeUsdB, Lab2Compute0 = e.Lab2ComputeUsdB, ComputeGrowth = Monthly(e.ComputeGrowth),
            LabWageShare = e.LabWageShare, Lab1HyperShare = e.Lab1HyperShare, Lab2HyperShare = e.Lab2HyperShare,
            RunwayMonths = e.RunwayMonths,
            NeoCash0 = e.NeoCashUsdB, NeoGw0 = e.NeoGw, NeoDebt0 = e.NeoDebtUsdB, DebtRate = e.DebtRate / 12,
            AmortMonths = 12 * e.AmortYears, LoanToValue = e.LoanToValue, Covenant = e.Covenant,
            RevenuePerGwYear = e.RevenuePerGwYear,
            HyperCapex0 = e.HyperCapexUsdB, HyperGrowth0 = Monthly(e.HyperCapexGrowth), HyperGrowth1 = Monthly(e.HyperCapexGrowthBust),
            CapexCutOnDefault = e.CapexCutOnDefault, HyperCash0 = e.HyperCashUsdB, HyperGw0 = e.HyperGw,
            OtherCash = e.OtherCashUsdB, TaxRate = e.TaxRate,
            CapexPerGw = e.CapexPerGwUsdB, ChipShare = e.ChipShare, Pue = e.Pue, LifeMonths = 12 * e.LifeYears,
            PowerGwPerYear = e.PowerGwPerYear,
            ChipCash0 = e.ChipCashUsdB, ChipMargin = e.ChipMargin, ChipInvestShare = e.ChipInvestShare,
            ChipInvestLabShare = e.ChipInvestLabShare, ChipPayoutShare = e.ChipPayoutShare,
            Gdp0 = e.GdpUsdB, BaseGrowth = e.BaseGrowth, DomesticShare = e.DomesticShare, AiCapexPrior = e.AiCapexPriorUsdB,
            TokensPerGw0 = e.TokensPerGwMtok, EfficiencyGrowth = Monthly(e.EfficiencyGain),
            EfficiencyVol = e.EfficiencyVolatility / Math.Sqrt(12), DistressDrop = e.DistressDrop,
        };
        var model = new EconomyModel { P = p };
        return new ModelJob<EconomyModel>(s, model, data.ToArray(), model.ScratchPerPath, EconomyKind.Table.Names(Years(s)), Series)
        {
            EventMetrics = new[] { EconomyMetrics.Cascade, EconomyMetrics.FirstStartups, EconomyMetrics.FirstLab1, EconomyMetrics.FirstLab2,
                EconomyMetrics.FirstNeocloud, EconomyMetrics.FirstHyperscaler, EconomyMetrics.FirstChipMaker }
                .Select(k => EconomyKind.Table.Fixed[k].Name).ToArray(),
        };
    }

    /// <summary>The economy's answer: P(cascade), who fails first, the round-tripped share, capex and GDP growth by year.</summary>
    public static IReadOnlyList<(string Label, string Text)> AnswerLines(IRunStatistics s)
    {
        var lines = new List<(string, string)>();
        int years = s.Metrics.Count(m => m.Name.StartsWith("ai_capex_y", StringComparison.Ordinal));
        if (years == 0) return lines;
        var cascade = s.Probabilities["cascade"];
        lines.Add(("P(cascade)", cascade.Text() + "  (a lab fails, then a cloud's covenant, default or capex cut, then the chip maker's revenue falls)"));
        lines.Add(("Failed by the horizon", string.Join("  ", new[]
        {
            ("start-ups", "startups_fail_month"), ("lab 1", "lab1_fail_month"), ("lab 2", "lab2_fail_month"),
            ("neocloud covenant", "neocloud_covenant_month"), ("neocloud default", "neocloud_fail_month"),
            ("hyperscaler cut", "hyperscaler_cut_month"), ("chip decline", "chip_decline_month"),
        }.Select(x => $"{x.Item1} {P(s.Metric(x.Item2).Count / (double)s.Paths)}"))));
        lines.Add(("First to fail", string.Join("  ", new[]
        {
            ("start-ups", "first_startups"), ("lab 1", "first_lab1"), ("lab 2", "first_lab2"), ("neocloud", "first_neocloud"),
            ("hyperscaler", "first_hyperscaler"), ("chip maker", "first_chip_maker"),
        }.Select(x => $"{x.Item1} {P(s.Probabilities[x.Item2].P)}")) + "  (share of paths; the rest: none; 1 s.e. at most " +
            P(new[] { "first_startups", "first_lab1", "first_lab2", "first_neocloud", "first_hyperscaler", "first_chip_maker" }
                .Max(e => s.Probabilities[e].StdError)) + ")"));
        var rt = s.Metric("round_trip_share");
        lines.Add(("Round-tripped chip revenue", $"mean {P(rt.Mean)}  P5 {P(rt.P5)}  P95 {P(rt.P95)}  (share of the chip maker's revenue that was its own investment coming back)"));
        lines.Add(("AI capex by year, USD B (mean / P5)", string.Join("  ", Enumerable.Range(1, years).Select(y =>
        {
            var c = s.Metric(YearMetric(EconomyYearField.AiCapex, y));
            return $"{y}: {B(c.Mean)}/{B(c.P5)}";
        }))));
        lines.Add(("Cost per Mtok by year, USD (P5 / P50 / P95)", string.Join("  ", Enumerable.Range(1, years).Select(y =>
        {
            var c = s.Metric(YearMetric(EconomyYearField.CostPerMtok, y));
            return $"{y}: {M(c.P5)}/{M(c.P50)}/{M(c.P95)}";
        }))));
        lines.Add(("Subsidy by year", string.Join("  ", Enumerable.Range(1, years).Select(y =>
            $"{y}: {M(s.Metric(YearMetric(EconomyYearField.SubsidyPerMtok, y)).Mean)}/Mtok {M(s.Metric(YearMetric(EconomyYearField.SubsidyPerUser, y)).Mean)}/user-month"))
            + "  (API price against what users pay, USD)"));
        lines.Add(("Real GDP growth by year (P5 / P50 / P95)", string.Join("  ", Enumerable.Range(1, years).Select(y =>
        {
            var g = s.Metric(YearMetric(EconomyYearField.GdpGrowth, y));
            return $"{y}: {Pct(g.P5)}/{Pct(g.P50)}/{Pct(g.P95)}";
        }))));
        return lines;
    }

    private static string B(double x) => double.IsNaN(x) ? "-" : Format.Fixed(x, "0.0");
    private static string P(double x) => Format.Percent(x);
    private static string M(double x) => double.IsNaN(x) ? "-" : Format.Fixed(x, "0.000");
    private static string Pct(double x) => double.IsNaN(x) ? "-" : Format.Fixed(100 * x, "0.00") + "%";
}
