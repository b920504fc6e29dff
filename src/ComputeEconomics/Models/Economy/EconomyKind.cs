using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Models.Economy;

/// <summary>Model kind economy: the circular AI economy in one run (docs/model.md section 10).</summary>
public sealed class EconomyKind : IModelKind
{
    /// <summary>The economy kernel's metrics, beside its indices (<see cref="EconomyMetrics"/>), then one block per
    /// <see cref="EconomyYearField"/> of years 1..T/12.</summary>
    public static readonly MetricTable Table = new(EconomyMetrics.Count, new MetricDef[]
    {
        new("cascade", EconomyMetrics.Cascade, "flag", Better.Lower, "1 when a lab fails, then a cloud is in distress, then the chip maker's yearly revenue falls"),
        new("first_to_fail", EconomyMetrics.FirstToFail, "code", Better.None, "0 none, 1 start-ups, 2 lab 1, 3 lab 2, 4 neocloud, 5 hyperscaler (capex cut), 6 chip maker (revenue fall)"),
        new("startups_fail_month", EconomyMetrics.StartupsFailMonth, "month", Better.Higher, "month the start-ups could not pay their API bill (absent when never)"),
        new("lab1_fail_month", EconomyMetrics.Lab1FailMonth, "month", Better.Higher, "month lab 1 could not pay its compute bill"),
        new("lab2_fail_month", EconomyMetrics.Lab2FailMonth, "month", Better.Higher, "month lab 2 could not pay its compute bill"),
        new("neocloud_covenant_month", EconomyMetrics.NeocloudCovenantMonth, "month", Better.Higher, "month the neocloud's debt-service covenant broke"),
        new("neocloud_fail_month", EconomyMetrics.NeocloudFailMonth, "month", Better.Higher, "month the neocloud could not pay energy and debt service"),
        new("hyperscaler_cut_month", EconomyMetrics.HyperscalerCutMonth, "month", Better.Higher, "month the hyperscaler's capex rate fell the distress share below its peak"),
        new("chip_decline_month", EconomyMetrics.ChipDeclineMonth, "month", Better.Higher, "last month of the first year the chip maker's revenue fell the distress share below its peak"),
        new("round_trip_share", EconomyMetrics.RoundTripShare, "fraction", Better.Lower, "share of the chip maker's revenue that was its own investment coming back"),
        new("total_chip_revenue", EconomyMetrics.TotalChipRevenue, "USD", Better.Higher),
        new("total_ai_capex", EconomyMetrics.TotalAiCapex, "USD", Better.None),
        new("capex_blocked", EconomyMetrics.CapexBlocked, "USD", Better.Lower, "capex that could not be deployed for lack of grid connections (the power wall)"),
        new("chip_stake_lost", EconomyMetrics.ChipStakeLost, "USD", Better.Lower, "the chip maker's investments in customers that failed"),
        new("initial_cash", EconomyMetrics.InitialCash, "USD", Better.None, "sum of the balances at month 0 (the ledger's endowment)"),
        new("cash_startups", EconomyMetrics.CashStartups, "USD", Better.None),
        new("cash_lab1", EconomyMetrics.CashLab1, "USD", Better.None),
        new("cash_lab2", EconomyMetrics.CashLab2, "USD", Better.None),
        new("cash_neocloud", EconomyMetrics.CashNeocloud, "USD", Better.None),
        new("cash_hyperscaler", EconomyMetrics.CashHyperscaler, "USD", Better.None),
        new("cash_chip_maker", EconomyMetrics.CashChipMaker, "USD", Better.None),
        new("out_wages", EconomyMetrics.OutWages, "USD", Better.None, "outlet: wages, other costs and the non-chip part of capex"),
        new("out_energy", EconomyMetrics.OutEnergy, "USD", Better.None, "outlet: electricity"),
        new("out_taxes", EconomyMetrics.OutTaxes, "USD", Better.None, "outlet: taxes"),
        new("out_investors", EconomyMetrics.OutInvestors, "USD", Better.None, "outlet: interest, principal and shareholder payouts"),
        new("out_imports", EconomyMetrics.OutImports, "USD", Better.None, "outlet: the chip maker's cost of goods (foundries abroad)"),
        new("in_venture", EconomyMetrics.InVenture, "USD", Better.None, "inflow: venture rounds"),
        new("in_debt", EconomyMetrics.InDebt, "USD", Better.None, "inflow: loans and bonds"),
        new("in_end_users", EconomyMetrics.InEndUsers, "USD", Better.None, "inflow: what users pay start-ups and labs"),
        new("in_other_cash", EconomyMetrics.InOtherCash, "USD", Better.None, "inflow: the hyperscaler's non-AI operating cash"),
        new("first_startups", EconomyMetrics.FirstStartups, "flag", Better.None, "1 when the start-ups failed first"),
        new("first_lab1", EconomyMetrics.FirstLab1, "flag", Better.None, "1 when lab 1 failed first"),
        new("first_lab2", EconomyMetrics.FirstLab2, "flag", Better.None, "1 when lab 2 failed first"),
        new("first_neocloud", EconomyMetrics.FirstNeocloud, "flag", Better.None, "1 when the neocloud (covenant or default) was first in distress"),
        new("first_hyperscaler", EconomyMetrics.FirstHyperscaler, "flag", Better.None, "1 when the hyperscaler's capex cut came first"),
        new("first_chip_maker", EconomyMetrics.FirstChipMaker, "flag", Better.None, "1 when the chip maker's revenue fall came first"),
    }, new MetricFamily[]
    {
        new("ai_capex_y{k}", EconomyYearField.AiCapex, "USD", Better.None, "hyperscaler and neocloud capex deployed in year k"),
        new("chip_revenue_y{k}", EconomyYearField.ChipRevenue, "USD", Better.Higher),
        new("lab_revenue_y{k}", EconomyYearField.LabRevenue, "USD", Better.Higher),
        new("venture_raised_y{k}", EconomyYearField.VentureRaised, "USD", Better.None),
        new("gdp_contribution_y{k}", EconomyYearField.GdpContribution, "fraction", Better.None, "domestic share x change in AI capex / last year's real GDP"),
        new("gdp_growth_y{k}", EconomyYearField.GdpGrowth, "fraction", Better.Higher, "real GDP growth: base growth plus the AI contribution"),
        new("cost_per_mtok_y{k}", EconomyYearField.CostPerMtok, "USD/Mtok", Better.Lower, "serving cost of a million tokens (hardware and energy) at the year's last month"),
        new("hardware_per_mtok_y{k}", EconomyYearField.HardwarePerMtok, "USD/Mtok", Better.Lower, "capex per GW over its life, per million tokens"),
        new("energy_per_mtok_y{k}", EconomyYearField.EnergyPerMtok, "USD/Mtok", Better.Lower, "electricity per million tokens"),
        new("efficiency_gain_per_mtok_y{k}", EconomyYearField.EfficiencyGainPerMtok, "USD/Mtok", Better.Higher, "cost at month-0 throughput minus the cost"),
        new("margin_per_mtok_y{k}", EconomyYearField.MarginPerMtok, "USD/Mtok", Better.Higher, "API price minus the serving cost"),
        new("subsidy_per_mtok_y{k}", EconomyYearField.SubsidyPerMtok, "USD/Mtok", Better.Lower, "API price minus what users pay per million tokens"),
        new("subsidy_per_user_y{k}", EconomyYearField.SubsidyPerUser, "USD/month", Better.Lower, "API cost of a user minus what the user pays, per month"),
    });

    public string Name => "economy";
    public string MoneyUnit => "USD bn";
    /// <summary>The economy's bands (<see cref="EconomyCompiler.Series"/>): monthly flows in USD billions, GW installed,
    /// USD per million tokens (docs/model.md, section 10).</summary>
    public IReadOnlyDictionary<string, string> BandUnits { get; } = new Dictionary<string, string>
    {
        ["startup_spend"] = "USD bn/month", ["lab_revenue"] = "USD bn/month", ["compute_bills"] = "USD bn/month",
        ["ai_capex"] = "USD bn/month", ["chip_revenue"] = "USD bn/month", ["venture"] = "USD bn/month",
        ["gw_installed"] = "GW", ["cost_per_mtok"] = "USD/Mtok", ["api_price_per_mtok"] = "USD/Mtok",
    };
    public string Description => "the circular AI economy in one run: start-ups, labs, clouds, the chip maker, funding, power and GDP";
    public int Order => 3;
    public MetricTable Metrics => Table;
    public string Headline => Table.Fixed[EconomyMetrics.TotalAiCapex].Name;
    public IReadOnlyList<string> MetricNames(Scenario s) => Table.Names(EconomyCompiler.Years(s));
    public IReadOnlyList<NegativeEvent> DerivedEvents => Array.Empty<NegativeEvent>();
    public IEnumerable<ValidationError> Validate(Scenario s, bool fieldsValid) => EconomyCompiler.Validate(s);
    public IModelJob Compile(Scenario s) => EconomyCompiler.Compile(s);
    public IReadOnlyList<(string Label, string Text)> AnswerLines(IRunStatistics s) => EconomyCompiler.AnswerLines(s);

    /// <summary>The report's economy section: flows, GDP and token costs by year.</summary>
    public IReadOnlyList<string> ReportByYear => new[]
    {
        "ai_capex_y{k}", "chip_revenue_y{k}", "lab_revenue_y{k}", "venture_raised_y{k}", "gdp_contribution_y{k}",
        "gdp_growth_y{k}", "cost_per_mtok_y{k}", "margin_per_mtok_y{k}",
    };

    /// <summary>Who fails first, as shares of paths.</summary>
    public (string Section, string SharesTitle, IReadOnlyList<(string Label, string Event)> Events) ReportShares =>
        ("The economy by year", "Who fails first (share of paths)", new[]
        {
            ("start-ups", "first_startups"), ("lab 1", "first_lab1"), ("lab 2", "first_lab2"), ("neocloud", "first_neocloud"),
            ("hyperscaler", "first_hyperscaler"), ("chip maker", "first_chip_maker"), ("P(cascade)", "cascade"),
        });
}
