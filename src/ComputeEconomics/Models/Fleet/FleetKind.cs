using System.Globalization;
using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Models.Fleet;

/// <summary>Model kind fleet (SPEC 2-5): a GPU fleet operator: cohorts, failures, replacement, financing, book vs market value.</summary>
public sealed class FleetKind : IModelKind
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The fleet kernel's metrics, beside its indices (<see cref="FleetMetrics"/>).</summary>
    public static readonly MetricTable Table = new(FleetMetrics.Count, new MetricDef[]
    {
        new("npv", FleetMetrics.Npv, "USD", Better.Higher, "net present value of the project's cash flows at the WACC"),
        new("irr", FleetMetrics.Irr, "fraction/yr", Better.Higher, "internal rate of return of the project's cash flows"),
        new("payback_month", FleetMetrics.PaybackMonth, "month", Better.Lower),
        new("min_cash", FleetMetrics.MinCash, "USD", Better.Higher),
        new("default", FleetMetrics.Default, "flag", Better.Lower, "1 when the operator defaulted (cash or covenant)"),
        new("default_month", FleetMetrics.DefaultMonth, "month", Better.Higher),
        new("equity_value", FleetMetrics.EquityValue, "USD", Better.Higher),
        new("final_book_value", FleetMetrics.FinalBookValue, "USD", Better.None),
        new("final_market_value", FleetMetrics.FinalMarketValue, "USD", Better.Higher),
        new("impairment_gap", FleetMetrics.ImpairmentGap, "USD", Better.Lower, "book value above market value"),
        new("earnings_overstatement", FleetMetrics.EarningsOverstatement, "USD", Better.Lower, "book earnings above economic earnings"),
        new("mean_utilisation", FleetMetrics.MeanUtilisation, "fraction", Better.Higher, "mean utilisation over the horizon"),
        new("cost_per_gpu_hour", FleetMetrics.CostPerGpuHour, "USD/GPU-hour", Better.Lower),
        new("cost_per_mtok", FleetMetrics.CostPerMtok, "USD/Mtok", Better.Lower),
        new("total_capex", FleetMetrics.TotalCapex, "USD", Better.None),
        new("book_value_y3", FleetMetrics.BookValueY3, "USD", Better.None),
        new("market_value_y3", FleetMetrics.MarketValueY3, "USD", Better.Higher),
        new("book_value_y6", FleetMetrics.BookValueY6, "USD", Better.None),
        new("market_value_y6", FleetMetrics.MarketValueY6, "USD", Better.Higher),
        new("total_revenue", FleetMetrics.TotalRevenue, "USD", Better.Higher),
        new("total_ebitda", FleetMetrics.TotalEbitda, "USD", Better.Higher),
        new("book_earnings_y1", FleetMetrics.BookEarningsY1, "USD", Better.Higher),
        new("overstatement_y3", FleetMetrics.OverstatementY3, "USD", Better.Lower),
        new("final_debt", FleetMetrics.FinalDebt, "USD", Better.Lower),
        new("idle_share", FleetMetrics.IdleShare, "fraction", Better.Lower),
        new("irr_status", FleetMetrics.IrrStatus, "code", Better.None,
            "0 the IRR exists; no IRR: 1 no flow negative, 2 no flow positive, 3 NPV < 0 at every rate from -50% to +100% a month, 4 NPV > 0 at every rate searched"),
        new("irr_above_hurdle", FleetMetrics.IrrAboveHurdle, "flag", Better.Higher, "1 when the IRR is at least the WACC (or the NPV is positive at every rate)"),
        new("irr_loses_at_every_rate", FleetMetrics.IrrLosesAtEveryRate, "flag", Better.Lower, "1 when no IRR exists because the NPV is negative at every rate (irr_status 2 or 3)"),
        new("irr_gains_at_every_rate", FleetMetrics.IrrGainsAtEveryRate, "flag", Better.Higher, "1 when no IRR exists because the NPV is positive at every rate searched (irr_status 1 or 4)"),
        new("overstatement_peak", FleetMetrics.OverstatementPeak, "USD", Better.Lower, "largest cumulative earnings overstatement (book minus market value of the cohorts held) over the months"),
        new("overstatement_peak_month", FleetMetrics.OverstatementPeakMonth, "month", Better.None, "month of overstatement_peak"),
        new("overstatement_pv", FleetMetrics.OverstatementPv, "USD", Better.Lower, "the monthly earnings overstatements discounted at the WACC"),
        new("impairment_charges", FleetMetrics.ImpairmentCharges, "USD", Better.Lower, "write-downs of book value to market value by the impairment test (fleet.depreciation.impairment_test) over the horizon"),
    }, new MetricFamily[]
    {
        new("depreciation_expense_y{k}", FleetYearField.DepreciationExpense, "USD", Better.None, "reported book depreciation of fiscal year k"),
        new("impairment_y{k}", FleetYearField.Impairment, "USD", Better.Lower, "impairment charges of fiscal year k"),
        new("operating_income_y{k}", FleetYearField.OperatingIncome, "USD", Better.Higher, "reported operating income of fiscal year k: EBITDA - depreciation - impairment + gain on disposal"),
        new("economic_earnings_y{k}", FleetYearField.EconomicEarnings, "USD", Better.Higher, "economic operating earnings of fiscal year k: EBITDA - economic depreciation + proceeds - market value disposed"),
        new("backlog_y{k}", FleetYearField.Backlog, "USD", Better.None, "remaining performance obligations at the end of fiscal year k: the take-or-pay revenue of the contract's months still to come, at that month's contracted units and rent"),
        new("earnings_effect_y{k}", FleetYearField.EarningsEffect, "USD", Better.Lower, "operating_income_yk - economic_earnings_yk: what the booked life (and impairments) add to fiscal year k's reported earnings against the economic life implied by market value"),
    }, new MetricGroup[]
    {
        new(CounterpartyGroup, new MetricDef[]
        {
            new("counterparty_default", CounterpartyMetrics.CounterpartyDefault, "flag", Better.Lower, "1 when the contract's counterparty defaulted (fleet.operations.contract.counterparty)"),
            new("counterparty_default_month", CounterpartyMetrics.CounterpartyDefaultMonth, "month", Better.Higher, "month of the counterparty's default (absent without one)"),
            new("counterparty_revenue_lost", CounterpartyMetrics.CounterpartyRevenueLost, "USD", Better.Lower, "the remaining take-or-pay obligation at the counterparty's default (gross of the recovery)"),
            new("counterparty_recovery", CounterpartyMetrics.CounterpartyRecovery, "USD", Better.Higher, "recovery received on the counterparty's default: recovery_share x the remaining obligation"),
        }),
        new(OpeningBookGroup, new MetricDef[]
        {
            new(OpeningBookCost, 0, "USD", Better.None, "gross cost of the servers owned at the start (fleet.purchase.opening_book): sunk, no purchase flow in the NPV and IRR"),
        }),
        new(AssetClassGroup, new MetricDef[]
        {
            new("depreciation_network", AssetClassMetrics.DepreciationNetwork, "USD", Better.None, "book depreciation of the network class over the horizon (fleet.depreciation.asset_classes)"),
            new("depreciation_power_and_cooling", AssetClassMetrics.DepreciationPowerAndCooling, "USD", Better.None, "book depreciation of the power and cooling class over the horizon"),
            new("depreciation_buildings", AssetClassMetrics.DepreciationBuildings, "USD", Better.None, "book depreciation of the buildings class over the horizon"),
            new("depreciation_servers", AssetClassMetrics.DepreciationServers, "USD", Better.None, "book depreciation of the accelerator servers over the horizon (the book spec's cohorts)"),
        }),
    })
    { Optional = FleetFinancingCompiler.Table };

    /// <summary>Keys of the optional metric groups: the counterparty (on when it can default) and the asset classes (on when a share is above 0).</summary>
    public const string CounterpartyGroup = "counterparty", AssetClassGroup = "asset_classes", OpeningBookGroup = "opening_book";

    /// <summary>The opening book's metric: with it, the IRR answer line says the servers owned at the start are sunk.</summary>
    public const string OpeningBookCost = "opening_book_cost";

    /// <summary>
    /// A scenario's metric names in the kernel's order: the fixed metrics, the per-year blocks, the financing block
    /// (FleetFinancing.WriteFinancingMetrics writes it right after the years), then each optional group switched on.
    /// </summary>
    public static string[] NamesFor(Scenario s) =>
        Table.Names(FleetCompiler.FiscalYears(s), GroupsOn(s), FleetFinancingCompiler.MetricNames(s));

    /// <summary>The kernel's 0/1 flags of a scenario, reported as probabilities: the fixed ones, the financing's, the counterparty's.</summary>
    public static string[] EventsFor(Scenario s)
    {
        var events = Events.ToList();
        if (FleetFinancingCompiler.IsOn(s)) events.AddRange(FleetFinancingCompiler.Events);
        if (GroupsOn(s).Contains(CounterpartyGroup)) events.Add("counterparty_default");
        return events.ToArray();
    }

    /// <summary>The optional metric groups a scenario switches on.</summary>
    public static IReadOnlyCollection<string> GroupsOn(Scenario s)
    {
        var on = new List<string>();
        if (FleetContractRules.CounterpartyOn(s)) on.Add(CounterpartyGroup);
        if (FleetContractRules.AssetClassesOn(s)) on.Add(AssetClassGroup);
        if ((s.Fleet.Purchase.OpeningBook?.Count ?? 0) > 0) on.Add(OpeningBookGroup);
        return on;
    }

    /// <summary>The kernel's 0/1 flags reported as probabilities.</summary>
    public static readonly string[] Events = { "default", "irr_above_hurdle", "irr_loses_at_every_rate", "irr_gains_at_every_rate" };

    private static readonly NegativeEvent[] Derived = { new("npv_negative", "npv") };

    public string Name => "fleet";
    public string Description => "a GPU fleet operator: cohorts, failures, replacement, financing, book vs market value";
    public int Order => 0;
    public MetricTable Metrics => Table;
    public string Headline => "npv";
    public bool ReportsCatalog => true;
    public IReadOnlyList<string> MetricNames(Scenario s) => NamesFor(s);
    public IReadOnlyList<NegativeEvent> DerivedEvents => Derived;
    public IModelJob Compile(Scenario s) => FleetCompiler.Compile(s);

    /// <summary>The catalog (unique names; a generation not built in gives every field), the purchase and the methods.</summary>
    public IEnumerable<ValidationError> Validate(Scenario s, bool fieldsValid)
    {
        var errors = CatalogErrors(s);
        var f = s.Fleet;
        var catalogNames = s.Catalog?.Select(c => c.Name) ?? BuiltInCatalog.Entries.Select(e => e.Name);
        if (!catalogNames.Contains(f.Purchase.Generation, StringComparer.OrdinalIgnoreCase))
            errors.Add(new ValidationError("fleet.purchase.generation", f.Purchase.Generation,
                $"must name a generation of the catalog ({string.Join(", ", catalogNames)})"));
        if (f.Depreciation.Book.Method == "macrs_5y")
            errors.Add(new ValidationError("fleet.depreciation.book.method", "macrs_5y", "is a tax method; book methods are straight_line, declining_balance, sum_of_years_digits, units_of_production"));
        if (f.Depreciation.Tax.Method == "units_of_production")
            errors.Add(new ValidationError("fleet.depreciation.tax.method", "units_of_production", "is a book method; tax methods are straight_line, declining_balance, sum_of_years_digits, macrs_5y"));
        if (f.Depreciation.Book.LifeChange.Month > 0 && f.Depreciation.Book.LifeChange.UsefulLifeMonths == 0)
            errors.Add(new ValidationError("fleet.depreciation.book.life_change.useful_life_months", "0", "must be > 0 when life_change.month > 0"));
        if (f.Depreciation.Tax.LifeChange.Month > 0)
            errors.Add(new ValidationError("fleet.depreciation.tax.life_change.month", f.Depreciation.Tax.LifeChange.Month.ToString(CultureInfo.InvariantCulture),
                "is a book change in estimate; tax lives are set by the tax method"));
        errors.AddRange(FleetPurchaseTables.Errors(s, catalogNames));
        if (f.Operations.Contract.Share > 0 && f.Operations.Contract.TermMonths == 0)
            errors.Add(new ValidationError("fleet.operations.contract.term_months", "0", "must be > 0 when contract.share > 0"));
        errors.AddRange(FleetContractRules.Validate(s));
        errors.AddRange(FleetFinancingCompiler.Validate(s));
        if (errors.Count == 0 && fieldsValid) errors.AddRange(SizeErrors(s));
        return errors;
    }

    private static List<ValidationError> CatalogErrors(Scenario s)
    {
        var errors = new List<ValidationError>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < (s.Catalog?.Count ?? 0); i++)
        {
            var g = s.Catalog![i];
            string at = $"catalog[{i}]";
            if (!names.Add(g.Name)) errors.Add(new ValidationError($"{at}.name", g.Name, "must be unique in the catalog"));
            if (BuiltInCatalog.Find(g.Name) != null) continue;
            void Need(object? v, string key)
            {
                if (v == null) errors.Add(new ValidationError($"{at}.{key}", "(missing)",
                    $"is required for a generation that is not built in ({string.Join(", ", BuiltInCatalog.Entries.Select(e => e.Name))})"));
            }
            Need(g.AvailableMonth ?? (object?)g.Launch, "available_month"); Need(g.UnitCapex, "unit_capex"); Need(g.Perf, "perf");
            Need(g.PowerKw, "power_kw"); Need(g.AnnualFailureRate, "annual_failure_rate");
            Need(g.PhysicalLifeMonths, "physical_life_months"); Need(g.CapexDecline, "capex_decline");
            if (s.Market.Price.Unit == "mtok") Need(g.TokensPerSecond, "tokens_per_second");
        }
        return errors;
    }

    /// <summary>The compiled catalog's size limits: cohorts alive at once and generations.</summary>
    private static IEnumerable<ValidationError> SizeErrors(Scenario s)
    {
        var catalog = FleetCompiler.ResolveCatalog(s);
        foreach (var e in FleetPurchaseTables.CatalogErrors(s, catalog)) yield return e;
        int slots = FleetCompiler.CohortSlotsNeeded(s, catalog);
        if (slots > ScenarioValidator.MaxCohorts)
            yield return (s.Fleet.Purchase.Schedule?.Count ?? 0) > 0
                ? new ValidationError("fleet.purchase.schedule", $"{s.Fleet.Purchase.Schedule!.Count} entries",
                    $"gives {slots} cohorts alive at once; at most {ScenarioValidator.MaxCohorts} are allowed (buy by fiscal year, fewer vintages or a shorter horizon)")
                : new ValidationError("fleet.expansion.every_months", s.Fleet.Expansion.EveryMonths.ToString(Inv),
                $"gives {slots} cohorts alive at once; at most {ScenarioValidator.MaxCohorts} are allowed (buy less often or shorten the horizon)");
        if (catalog.Count > ScenarioValidator.MaxGenerations)
            yield return new ValidationError("trend.every_months", s.Trend?.EveryMonths.ToString(Inv) ?? "-",
                $"gives {catalog.Count} generations; at most {ScenarioValidator.MaxGenerations} are allowed");
    }

    /// <summary>P(default), P(NPV &lt; 0), NPV, book vs market value, the earnings overstatement and the IRR.</summary>
    public IReadOnlyList<(string Label, string Text)> AnswerLines(IRunStatistics s)
    {
        var lines = new List<(string, string)>();
        var def = s.Probabilities["default"];
        var npv = s.Metric("npv");
        lines.Add(("P(default)", def.Text()));
        var negative = s.Probabilities["npv_negative"];
        lines.Add(("P(NPV < 0)", negative.Text()));
        lines.Add(("NPV, USD", $"mean {Format.Money(npv.Mean)} (+/- {Format.Money(npv.StdError)})  P5 {Format.Money(npv.P5)}  P50 {Format.Money(npv.P50)}  P95 {Format.Money(npv.P95)}  CVaR5 {Format.Money(npv.Cvar5)}"));
        foreach (var (label, book, market) in new[] { ("year 3", "book_value_y3", "market_value_y3"), ("year 6", "book_value_y6", "market_value_y6") })
        {
            var b = s.Metric(book);
            var m = s.Metric(market);
            if (b.Count == 0 || (b.Min == 0 && b.Max == 0 && m.Min == 0 && m.Max == 0)) continue;   // no fleet left: nothing to say
            lines.Add(($"Book vs market, {label}", $"book {Format.Money(b.Mean)}  market {Format.Money(m.Mean)} (P5 {Format.Money(m.P5)}, P95 {Format.Money(m.P95)})  gap {Format.Money(b.Mean - m.Mean)}"));
        }
        CounterpartyLine(s, lines);
        OverstatementLine(s, lines);
        EarningsEffectLines(s, lines);
        IrrLines(s, lines);
        FinancingLines(s, lines);
        return lines;
    }

    /// <summary>The contract's counterparty (when on): P(default), the default month's median among defaults, revenue lost and recovered.</summary>
    private static void CounterpartyLine(IRunStatistics s, List<(string, string)> lines)
    {
        if (!s.Probabilities.TryGetValue("counterparty_default", out var p)) return;
        var month = s.Metric("counterparty_default_month");
        string when = month.Count > 0 ? $"; default month P50 {month.P50:0} (P5 {month.P5:0}, P95 {month.P95:0})" : "";
        lines.Add(("P(counterparty default)", $"{p.Text()}{when}; " +
            $"revenue lost mean {Format.Money(s.Metric("counterparty_revenue_lost").Mean)}, recovered {Format.Money(s.Metric("counterparty_recovery").Mean)}"));
    }

    /// <summary>The overstatement's peak, its month and its present value; no line when it is 0 on every path.</summary>
    private static void OverstatementLine(IRunStatistics s, List<(string, string)> lines)
    {
        var peak = s.Metric("overstatement_peak");
        var month = s.Metric("overstatement_peak_month");
        var pv = s.Metric("overstatement_pv");
        if (peak.Count == 0 || (peak.Min == 0 && peak.Max == 0 && pv.Min == 0 && pv.Max == 0)) return;
        lines.Add(("Earnings overstatement", $"peak mean {Format.Money(peak.Mean)} (P50 {Format.Money(peak.P50)}) in month P50 {month.P50:0} " +
            $"(P5 {month.P5:0}, P95 {month.P95:0}); present value mean {Format.Money(pv.Mean)} (book minus economic earnings at the WACC)"));
    }

    /// <summary>Item 6 of issue 15, the useful-life question by year (fleet.depreciation.fiscal_year_metrics): reported
    /// operating income against economic earnings, and the difference the booked life makes, with its 90% interval.</summary>
    private static void EarningsEffectLines(IRunStatistics s, List<(string, string)> lines)
    {
        for (int k = 1; s.Metrics.Any(m => m.Name == $"earnings_effect_y{k}"); k++)
        {
            var effect = s.Metric($"earnings_effect_y{k}");
            var reported = s.Metric($"operating_income_y{k}");
            var economic = s.Metric($"economic_earnings_y{k}");
            lines.Add(($"Book life vs economic life, year {k}", $"operating income mean {Format.Money(reported.Mean)}, economic " +
                $"{Format.Money(economic.Mean)}: the booked life adds {Format.Money(effect.Mean)} (P5 {Format.Money(effect.P5)}, P95 {Format.Money(effect.P95)})"));
        }
    }

    /// <summary>Issue 15 item 2, whether the debt is covered (only when the financing stage is on): P(covenant breach) by
    /// tranche kind, the lowest DSCR, the revolver's peak, equity raised and the original holders' final ownership.</summary>
    private static void FinancingLines(IRunStatistics s, List<(string, string)> lines)
    {
        if (!s.Metrics.Any(m => m.Name == "dscr_min")) return;
        var breaches = FleetFinancingCompiler.Events.Select(e => $"{e["breach_".Length..]} {s.Probabilities[e].Text()}");
        lines.Add(("P(covenant breach)", string.Join(", ", breaches)));
        var dscr = s.Metric("dscr_min");
        if (dscr.Count > 0) lines.Add(("Lowest quarterly DSCR", $"P50 {dscr.P50:0.00}  P5 {dscr.P5:0.00}"));
        var revolver = s.Metric("revolver_peak");
        var raised = s.Metric("equity_raised");
        var owned = s.Metric("original_ownership");
        lines.Add(("Revolver, equity", $"revolver peak mean {Format.Money(revolver.Mean)} (P95 {Format.Money(revolver.P95)}); equity raised mean " +
            $"{Format.Money(raised.Mean)}; original holders keep {Format.Percent(owned.P50)} (P50, P5 {Format.Percent(owned.P5)})"));
        var rolled = s.Metric("refinancings");
        var failed = s.Metric("refinancing_failures");
        if (rolled.Max > 0 || failed.Max > 0)
            lines.Add(("Bullet refinancing", $"{rolled.Mean:0.00} refinanced and {failed.Mean:0.00} failed per path (mean; a failure makes the balance due)"));
    }

    /// <summary>The share of paths with an IRR, its P50 among them, P(IRR >= WACC), and why the others have none.</summary>
    private static void IrrLines(IRunStatistics s, List<(string, string)> lines)
    {
        var irr = s.Metric("irr");
        long n = s.Paths;
        if (n == 0) return;
        double share = (double)irr.Count / n;
        string among = irr.Count > 0 ? $"P50 among them {Format.Percent(irr.P50)}" : "no path has one";
        if (s.Metrics.FirstOrDefault(m => m.Name == OpeningBookCost) is { Count: > 0 } opening)
            lines.Add(("IRR of operations", $"exists on {Format.Percent(share)} of paths; {among}; not a return on the fleet: the servers " +
                $"owned at the start ({Format.Money(opening.Mean)} at cost) are sunk, with no purchase flow"));
        else
            lines.Add(("Project IRR", $"exists on {Format.Percent(share)} of paths; {among}"));
        var above = s.Probabilities["irr_above_hurdle"];
        lines.Add(("P(IRR >= WACC)", $"{above.Text()} of all paths"));
        if (irr.Absent == 0) return;
        double loses = s.Probabilities["irr_loses_at_every_rate"].P, gains = s.Probabilities["irr_gains_at_every_rate"].P;
        var reasons = new List<string>();
        if (loses > 0) reasons.Add($"NPV < 0 at every rate from -50% to +100% a month (the flows sum negative) on {Format.Percent(loses)} of paths");
        if (gains > 0) reasons.Add($"NPV > 0 at every rate searched on {Format.Percent(gains)}");
        if (reasons.Count > 0) lines.Add(("No IRR, because", string.Join("; ", reasons)));
    }
}
