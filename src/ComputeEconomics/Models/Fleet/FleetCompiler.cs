using ComputeEconomics.Kernels.Finance;
using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Models.Fleet;

/// <summary>Compiles model kind fleet (SPEC 2-5): the catalog rows and tables the fleet kernel reads, and its parameters.</summary>
public static class FleetCompiler
{
    /// <summary>
    /// The catalog of this scenario: listed entries merged with the built-in ones, then the trend. Every field of every
    /// entry is set; available_month is in months from the scenario start.
    /// </summary>
    public static List<GenerationSpec> ResolveCatalog(Scenario s)
    {
        ScenarioValidator.TryParseStart(s.Start, out int y, out int mo);
        var list = new List<GenerationSpec>();
        IEnumerable<GenerationSpec> specs = s.Catalog ?? BuiltInCatalog.Entries.Select(e => new GenerationSpec { Name = e.Name });
        foreach (var g in specs)
        {
            var b = BuiltInCatalog.Find(g.Name);
            string? launch = g.Launch ?? b?.Launch;
            list.Add(new GenerationSpec
            {
                Name = b?.Name ?? g.Name,
                AvailableMonth = g.AvailableMonth ?? (launch != null ? BuiltInCatalog.MonthsFrom(launch, y, mo) : 0),
                Launch = launch,
                AvailableMonthSd = g.AvailableMonthSd ?? 0,
                UnitCapex = g.UnitCapex ?? b?.UnitCapex ?? 0,
                Perf = g.Perf ?? b?.Perf ?? 0,
                TokensPerSecond = g.TokensPerSecond ?? b?.TokensPerSecond ?? 0,
                PowerKw = g.PowerKw ?? b?.PowerKw ?? 0,
                AnnualFailureRate = g.AnnualFailureRate ?? b?.AnnualFailureRate ?? 0,
                PhysicalLifeMonths = g.PhysicalLifeMonths ?? b?.PhysicalLifeMonths ?? 60,
                CapexDecline = g.CapexDecline ?? b?.CapexDecline ?? 0,
                Source = g.Source ?? b?.Source ?? "scenario",
            });
        }
        if (s.Trend is { } trend && list.Count > 0)
        {
            var last = list.OrderBy(g => g.AvailableMonth).Last();
            int k = 1;
            while (last.AvailableMonth + trend.EveryMonths < s.HorizonMonths && list.Count <= ScenarioValidator.MaxGenerations)
            {
                last = last with
                {
                    Name = $"{list.OrderBy(g => g.AvailableMonth).Last().Name.Split('+')[0]}+{k}",
                    AvailableMonth = last.AvailableMonth + trend.EveryMonths,
                    UnitCapex = last.UnitCapex * trend.CapexMultiplier,
                    Perf = last.Perf * trend.PerfMultiplier,
                    TokensPerSecond = last.TokensPerSecond * trend.PerfMultiplier,
                    PowerKw = last.PowerKw * trend.PowerMultiplier,
                    Source = $"trend: every {trend.EveryMonths} months, perf x{trend.PerfMultiplier}, capex x{trend.CapexMultiplier}",
                };
                list.Add(last);
                k++;
            }
        }
        return list;
    }

    /// <summary>
    /// Upper bound of the cohorts alive at once on any path: purchase events are deterministic; a cohort
    /// lives at most the longest physical life (for ever under fixed_age, whose rebuy takes the same slot).
    /// </summary>
    public static int CohortSlotsNeeded(Scenario s, List<GenerationSpec> catalog)
    {
        var f = s.Fleet;
        var events = new List<int>();
        if (f.Purchase.Units > 0) events.Add(0);
        if (f.Expansion.EveryMonths > 0 && f.Expansion.Units > 0)
        {
            int until = Math.Min(f.Expansion.UntilMonth ?? s.HorizonMonths, s.HorizonMonths - 1);
            for (int t = f.Expansion.EveryMonths; t <= until; t += f.Expansion.EveryMonths) events.Add(t);
        }
        int maxLife = catalog.Count == 0 ? 1 : catalog.Max(g => g.PhysicalLifeMonths.GetValueOrDefault());
        // A rebuy happens when the fixed age comes before the retiring generation's physical life: if that can happen for
        // any generation, a slot may stay taken for ever (rebuy after rebuy).
        bool forever = f.Replacement.Policy == "fixed_age" && catalog.Any(g => f.Replacement.AgeMonths <= g.PhysicalLifeMonths);
        int best = 0;
        for (int t = 0; t < s.HorizonMonths; t++)
            best = Math.Max(best, events.Count(e => e <= t && (forever || t < e + maxLife + 1)));
        return Math.Max(best, 1);
    }

    /// <summary>Offsets of the fleet's tables in the data buffer, and their sizes.</summary>
    private readonly record struct Tables(int Gen, int Book, int Tax, int TaxLife, int Discount, int Annuity, int Q0, int Q1,
        int Capex, int CapexAges, int LoanDenominator, int MaxLife);

    /// <summary>Compile a validated fleet scenario.</summary>
    public static IModelJob Compile(Scenario s)
    {
        var catalog = ResolveCatalog(s);
        bool mtok = s.Market.Price.Unit == "mtok";
        double priceScale = mtok ? 3600.0 / 1e6 : 1.0;
        double rho = CashflowMath.MonthlyRate(s.Fleet.Financing.Wacc);
        var data = new List<double>();
        var tables = AppendTables(s, catalog, mtok, rho, data);
        var p = Params(s, catalog, tables, priceScale, rho, ScenarioCompiler.Market(s, priceScale, data));
        var model = new FleetModel { P = p };
        return new ModelJob<FleetModel>(s, model, data.ToArray(), model.ScratchPerPath,
            FleetKind.Table.Names(), new[] { "cash", "book_value", "market_value", "revenue", "ebitda", "unit_cost" })
        { Catalog = catalog, EventMetrics = new[] { "default" } };
    }

    /// <summary>One row of <see cref="GenField.Stride"/> numbers per generation.</summary>
    private static void AppendGenerationRows(List<GenerationSpec> catalog, bool mtok, List<double> data)
    {
        foreach (var g in catalog)
        {
            // A resolved entry has every field (ResolveCatalog); GetValueOrDefault only unwraps.
            double h = 1.0 - Math.Pow(1.0 - g.AnnualFailureRate.GetValueOrDefault(), 1.0 / 12.0);
            var row = new double[GenField.Stride];
            row[GenField.AvailableMean] = g.AvailableMonth.GetValueOrDefault();
            row[GenField.AvailableSd] = g.AvailableMonthSd.GetValueOrDefault();
            row[GenField.UnitCapex] = g.UnitCapex.GetValueOrDefault();
            row[GenField.Perf] = (mtok ? g.TokensPerSecond : g.Perf).GetValueOrDefault();
            row[GenField.PowerKw] = g.PowerKw.GetValueOrDefault();
            row[GenField.MonthlyHazard] = h;
            row[GenField.LogSurvive] = Math.Log(1.0 - h);
            row[GenField.HazardOdds] = h / (1.0 - h);
            row[GenField.PhysicalLife] = g.PhysicalLifeMonths.GetValueOrDefault();
            row[GenField.LogCapexDeclineMonthly] = Math.Log(1.0 - g.CapexDecline.GetValueOrDefault()) / 12.0;
            row[GenField.TokensPerSecond] = g.TokensPerSecond.GetValueOrDefault();
            data.AddRange(row);
        }
    }

    private static Tables AppendTables(Scenario s, List<GenerationSpec> catalog, bool mtok, double rho, List<double> data)
    {
        var f = s.Fleet;
        int genOffset = data.Count;
        AppendGenerationRows(catalog, mtok, data);
        var book = f.Depreciation.Book;
        int bookOffset = data.Count;
        data.AddRange(ScenarioCompiler.ShareTable(ScenarioCompiler.MethodCode(book.Method), book.UsefulLifeMonths, book.SalvageFraction, book.Factor, book.NoSwitch));
        var tax = f.Depreciation.Tax;
        int taxLife = tax.Method == "macrs_5y" ? 72 : tax.UsefulLifeMonths;
        int taxOffset = data.Count;
        // Tax depreciation runs to a zero salvage (as MACRS does); tax.salvage_fraction is therefore not used.
        data.AddRange(ScenarioCompiler.ShareTable(ScenarioCompiler.MethodCode(tax.Method), taxLife, 0.0, tax.Factor, tax.NoSwitch));

        int discountOffset = data.Count;
        for (int t = 0; t <= s.HorizonMonths; t++) data.Add(Math.Pow(1.0 + rho, -t));

        int maxLife = catalog.Max(g => g.PhysicalLifeMonths.GetValueOrDefault());
        int annuityOffset = data.Count;
        for (int r = 0; r <= maxLife; r++) data.Add(r == 0 ? 0.0 : (1.0 - Math.Pow(1.0 + rho, -r)) / rho);
        int q0Offset = data.Count;
        data.AddRange(GeometricSums(Math.Exp(s.Market.Price.Drift / 12.0) / (1.0 + rho), maxLife));
        int q1Offset = data.Count;
        data.AddRange(GeometricSums(Math.Exp(s.Market.Price.DriftBust / 12.0) / (1.0 + rho), maxLife));
        // Unit capex by whole months since launch, per generation: the kernel's formula evaluated here once (ages the
        // horizon can reach from a launch up to 10 years before month 0; anything else falls back to the formula).
        int capexAges = s.HorizonMonths + 120;
        int capexOffset = data.Count;
        foreach (var g in catalog)
        {
            double unit = g.UnitCapex.GetValueOrDefault(), logDecline = Math.Log(1.0 - g.CapexDecline.GetValueOrDefault()) / 12.0;
            for (int a = 0; a < capexAges; a++) data.Add(unit * Math.Exp(logDecline * a));
        }
        // Annuity denominators 1 - exp(-n log(1 + r)) for n = 0..term, as the kernel would compute them.
        int loanDenominatorOffset = data.Count;
        double debtRate = f.Financing.DebtRate / 12.0;
        for (int n = 0; n <= f.Financing.DebtTermMonths; n++) data.Add(1.0 - Math.Exp(-(double)n * Math.Log(1.0 + debtRate)));
        return new Tables(genOffset, bookOffset, taxOffset, taxLife, discountOffset, annuityOffset, q0Offset, q1Offset,
            capexOffset, capexAges, loanDenominatorOffset, maxLife);
    }

    private static FleetParams Params(Scenario s, List<GenerationSpec> catalog, Tables t, double priceScale, double rho, MarketParams market)
    {
        var f = s.Fleet;
        var book = f.Depreciation.Book;
        return new FleetParams
        {
            Market = market,
            Months = s.HorizonMonths,
            Hours = ScenarioCompiler.HoursPerMonth,
            GenOffset = t.Gen,
            GenerationCount = catalog.Count,
            InitialGeneration = catalog.FindIndex(g => string.Equals(g.Name, f.Purchase.Generation, StringComparison.OrdinalIgnoreCase)),
            InitialUnits = f.Purchase.Units,
            ExpansionEvery = f.Expansion.Units > 0 ? f.Expansion.EveryMonths : 0,
            ExpansionUntil = f.Expansion.UntilMonth ?? s.HorizonMonths,
            ExpansionUnits = f.Expansion.Units,
            ExpansionGrowth = f.Expansion.Growth,
            CohortSlots = CohortSlotsNeeded(s, catalog),
            FailuresOn = f.Failures.Enabled ? 1 : 0,
            ReplaceFailures = f.Failures.Policy == "replace" ? 1 : 0,
            WarrantyMonths = f.Failures.WarrantyMonths,
            BinomialExactLimit = f.Failures.BinomialExactLimit,
            ReplacementPolicy = f.Replacement.Policy switch { "fixed_age" => 1, "margin" => 2, _ => 0 },
            ReplacementAge = f.Replacement.AgeMonths,
            MarginMonths = f.Replacement.MarginMonths,
            ResaleFraction = f.Replacement.ResaleFraction,
            Pue = f.Operations.Pue,
            IdleShare = f.Operations.IdlePowerShare,
            ColoUsdPerKwMonth = f.Operations.ColoUsdPerKwMonth,
            StaffUsdMonth = f.Operations.StaffUsdMonth,
            MaintenanceRate = f.Operations.MaintenanceRate,
            MaintenanceMonthly = f.Operations.MaintenanceRate / 12.0,
            ContractShare = f.Operations.Contract.Share,
            ContractPrice = f.Operations.Contract.Price * priceScale,
            ContractMonths = f.Operations.Contract.Share > 0 ? f.Operations.Contract.TermMonths : 0,
            DebtShare = f.Financing.DebtShare,
            DebtRateMonthly = f.Financing.DebtRate / 12.0,
            DebtTermMonths = f.Financing.DebtTermMonths,
            TaxRate = f.Financing.TaxRate,
            LtvMax = f.Financing.LtvMax,
            InitialCash = f.Financing.InitialCash,
            RhoMonthly = rho,
            TerminalValue = f.Financing.TerminalValue ? 1 : 0,
            BookMethod = ScenarioCompiler.MethodCode(book.Method),
            BookLifeMonths = book.UsefulLifeMonths,
            SalvageFraction = book.SalvageFraction,
            BookShareOffset = t.Book,
            TaxLifeMonths = t.TaxLife,
            TaxShareOffset = t.Tax,
            DiscountOffset = t.Discount,
            AnnuityOffset = t.Annuity,
            Q0Offset = t.Q0,
            Q1Offset = t.Q1,
            CapexOffset = t.Capex,
            CapexAges = t.CapexAges,
            LoanDenominatorOffset = t.LoanDenominator,
            MaxLife = t.MaxLife,
        };
    }

    private static double[] GeometricSums(double q, int n)
    {
        var r = new double[n + 1];
        double pow = 1.0;
        for (int k = 1; k <= n; k++) { pow *= q; r[k] = r[k - 1] + pow; }
        return r;
    }
}
