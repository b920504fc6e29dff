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
            double available = g.AvailableMonth ?? (launch != null ? BuiltInCatalog.MonthsFrom(launch, y, mo) : 0);
            // The price and its quote month come together: a scenario's own unit_capex is at its own price_date (else
            // at launch), never at the built-in entry's quote month.
            string? priceDate = g.UnitCapex != null ? g.PriceDate : g.PriceDate ?? b?.PriceDate;
            list.Add(new GenerationSpec
            {
                Name = b?.Name ?? g.Name,
                AvailableMonth = available,
                Launch = launch,
                AvailableMonthSd = g.AvailableMonthSd ?? 0,
                UnitCapex = LaunchPrice(g.UnitCapex ?? b?.UnitCapex, priceDate, available, g.CapexDecline ?? b?.CapexDecline ?? 0, y, mo),
                Perf = g.Perf ?? b?.Perf ?? 0,
                TokensPerSecond = g.TokensPerSecond ?? s.Fleet.Serving.TokensPerSecond(b) ?? b?.TokensPerSecond ?? 0,
                PowerKw = g.PowerKw ?? b?.PowerKw ?? 0,
                AnnualFailureRate = g.AnnualFailureRate ?? b?.AnnualFailureRate ?? 0,
                PhysicalLifeMonths = g.PhysicalLifeMonths ?? b?.PhysicalLifeMonths ?? 60,
                CapexDecline = g.CapexDecline ?? b?.CapexDecline ?? 0,
                Source = g.Source ?? b?.Source ?? "scenario",
                InterruptionRate = g.InterruptionRate ?? b?.InterruptionRate ?? 0,
                RentFactor = g.RentFactor ?? b?.RentFactor ?? 1,
                RentAgeDecay = g.RentAgeDecay ?? b?.RentAgeDecay ?? 0,
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
                    Launch = null,
                    UnitCapex = last.UnitCapex * trend.CapexMultiplier,
                    Perf = last.Perf * trend.PerfMultiplier,
                    TokensPerSecond = last.TokensPerSecond * trend.PerfMultiplier,
                    PowerKw = last.PowerKw * trend.PowerMultiplier,
                    Source = $"trend: every {trend.EveryMonths} months, perf x{trend.PerfMultiplier}, capex x{trend.CapexMultiplier}, rent factor as {last.Name}",
                };
                list.Add(last);
                k++;
            }
        }
        return list;
    }

    /// <summary>A price quoted in month q (<paramref name="priceDate"/>) carried to the launch month a along the decline
    /// trend, K (1 - d)^((a - q)/12), so that the price in month q is the quote; K itself when no quote month is given
    /// (a price at launch). 0 when there is no price (validation requires one for a generation that is not built in).</summary>
    public static double LaunchPrice(double? unitCapex, string? priceDate, double launch, double decline, int startYear, int startMonth)
    {
        if (unitCapex is not double price) return 0;
        if (priceDate is not string quoted) return price;
        int q = BuiltInCatalog.MonthsFrom(quoted, startYear, startMonth);
        return price * Math.Pow(1.0 - decline, (launch - q) / 12.0);
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
        // The capex schedule's months and the opening book's vintages (each alive for what is left of its physical life).
        var listed = FleetPurchaseTables.Events(s, catalog, maxLife).ToList();
        int best = 0;
        for (int t = 0; t < s.HorizonMonths; t++)
            best = Math.Max(best, events.Count(e => e <= t && (forever || t < e + maxLife + 1))
                + listed.Count(e => e.Start <= t && (forever || t < e.Start + e.Life + 1)));
        return Math.Max(best, 1);
    }

    /// <summary>Offsets of the fleet's tables in the data buffer, and their sizes.</summary>
    private readonly record struct Tables(int Gen, int Book, int Tax, int TaxLife, int Discount, int Annuity, int ValueTables,
        int Capex, int CapexAges, int LoanDenominator, int MaxLife, int Moneyness, int NewBook, int Schedule, int Opening);

    /// <summary>
    /// The valuation tables, once per distinct rent age decay d of the catalog: the geometric sums S_s(R) with
    /// q_s = e^((mu_s - d)/12)/(1+rho) for regimes 0 and 1, then (option on) the call strips G_s at drift mu_s - d; each
    /// generation row gets its tables' offsets from the returned start.
    /// </summary>
    private static int AppendValueTables(Scenario s, List<GenerationSpec> catalog, bool mtok, double rho, int maxLife, int genOffset,
        List<double> data)
    {
        int start = data.Count;
        var offsets = new Dictionary<double, double[]>();
        for (int g = 0; g < catalog.Count; g++)
        {
            double d = mtok ? 0.0 : catalog[g].RentAgeDecay.GetValueOrDefault();
            if (!offsets.TryGetValue(d, out var o))
            {
                double mu0 = s.Market.Price.Drift - d, mu1 = s.Market.Price.DriftBust - d;
                o = new double[4];
                o[0] = data.Count - start;
                data.AddRange(GeometricSums(Math.Exp(mu0 / 12.0) / (1.0 + rho), maxLife));
                o[1] = data.Count - start;
                data.AddRange(GeometricSums(Math.Exp(mu1 / 12.0) / (1.0 + rho), maxLife));
                o[2] = o[3] = o[1];
                if (s.Fleet.Valuation.OptionToIdle)
                {
                    o[2] = data.Count - start;
                    data.AddRange(NodeMajor(CallStripTable(mu0, s.Market.Price.Volatility, rho, maxLife), maxLife));
                    o[3] = data.Count - start;
                    data.AddRange(NodeMajor(CallStripTable(mu1, s.Market.Price.Volatility, rho, maxLife), maxLife));
                }
                offsets[d] = o;
            }
            int row = genOffset + g * GenField.Stride;
            data[row + GenField.Q0] = o[0]; data[row + GenField.Q1] = o[1];
            data[row + GenField.Option0] = o[2]; data[row + GenField.Option1] = o[3];
        }
        return start;
    }

    /// <summary>The call-strip table (rows R = 0..maxLife of <see cref="OptionNodes"/> entries) as the kernel reads it:
    /// node-major, G(x_j, R) at j (maxLife + 1) + R, so a cohort's cell of the next month (R - 1, mostly the same node) is
    /// 8 bytes from this month's, in the same cache line (docs/performance.md, "CPU throughput of the fleet kernel").</summary>
    private static double[] NodeMajor(double[] table, int maxLife)
    {
        var t = new double[table.Length];
        for (int r = 0; r <= maxLife; r++)
            for (int j = 0; j < OptionNodes; j++)
                t[j * (maxLife + 1) + r] = table[r * OptionNodes + j];
        return t;
    }

    /// <summary>Log-moneyness nodes of the call-strip tables: x_j = OptionX0 + j OptionDx, j &lt; OptionNodes.</summary>
    public const double OptionX0 = -4.0, OptionDx = 0.02;
    public const int OptionNodes = 401;

    /// <summary>Tables already computed, by (mu, sigma, rho, max life): per-path compiles under uncertain fields reuse them.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(double, double, double, int), double[]> StripCache = new();

    /// <summary>
    /// The call strip per unit of strike, G(x, R) = sum_{k=1..R} (1+rho)^-k E[max(e^x X_k - 1, 0)] with
    /// ln X_k ~ N((mu - sigma^2/2) k/12, sigma^2 k/12): Black-Scholes per month, e^(x + mu k/12) N(d1) - N(d2),
    /// d1 = (x + mu k/12 + v^2/2)/v, d2 = d1 - v, v = sigma sqrt(k/12); intrinsic value when v = 0. Rows R = 0..maxLife
    /// of <see cref="OptionNodes"/> entries.
    /// </summary>
    public static double[] CallStripTable(double mu, double sigma, double rho, int maxLife)
    {
        if (StripCache.Count > 256) StripCache.Clear();
        return StripCache.GetOrAdd((mu, sigma, rho, maxLife), key => ComputeCallStrip(key.Item1, key.Item2, key.Item3, key.Item4));
    }

    private static double[] ComputeCallStrip(double mu, double sigma, double rho, int maxLife)
    {
        var table = new double[(maxLife + 1) * OptionNodes];
        for (int j = 0; j < OptionNodes; j++)
        {
            double x = OptionX0 + j * OptionDx, sum = 0;
            for (int k = 1; k <= maxLife; k++)
            {
                sum += Math.Pow(1.0 + rho, -k) * CallPerStrike(x + mu * k / 12.0, sigma * Math.Sqrt(k / 12.0));
                table[k * OptionNodes + j] = sum;
            }
        }
        return table;
    }

    /// <summary>E[max(F X - 1, 0)] for ln X ~ N(-v^2/2, v^2), ln F = lnForward: Black's formula with unit strike.</summary>
    public static double CallPerStrike(double lnForward, double v)
    {
        if (!(v > 0)) return Math.Max(Math.Exp(lnForward) - 1.0, 0.0);
        double d1 = (lnForward + 0.5 * v * v) / v;
        return Math.Exp(lnForward) * MathNet.Numerics.Distributions.Normal.CDF(0, 1, d1)
            - MathNet.Numerics.Distributions.Normal.CDF(0, 1, d1 - v);
    }

    /// <summary>Full fiscal years of the per-year metric blocks: T / 12 when fleet.depreciation.fiscal_year_metrics, else 0.</summary>
    public static int FiscalYears(Scenario s) => s.Fleet.Depreciation.FiscalYearMetrics ? s.HorizonMonths / 12 : 0;

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
        FleetPurchaseTables.SetParams(ref p, s, tables.Schedule, tables.Opening);
        p.Fin = FleetFinancingCompiler.Compile(s, data);
        if (FleetFinancingCompiler.TrancheCount(s) > 0) p.DebtShare = 0;   // tranches replace the per-cohort loan
        var names = FleetKind.NamesFor(s);
        FleetContractRules.Apply(s, ref p, data, names);
        p.OpeningMetricBase = Array.IndexOf(names, FleetKind.OpeningBookCost);
        p.OpeningBookCost = (s.Fleet.Purchase.OpeningBook ?? new List<OpeningVintageSpec>()).Sum(v => v.Usd);
        var series = new List<string> { "cash", "book_value", "market_value", "revenue", "ebitda", "unit_cost" };
        if (s.Fleet.Operations.Contract.Share > 0)   // the backlog per month (remaining performance obligations)
        {
            p.BacklogBand = Switch.On;
            series.Add("backlog");
        }
        var model = new FleetModel { P = p };
        return new ModelJob<FleetModel>(s, model, data.ToArray(), model.ScratchPerPath, names, series)
        { Catalog = catalog, EventMetrics = FleetKind.EventsFor(s) };
    }

    /// <summary>One row of <see cref="GenField.Stride"/> numbers per generation.</summary>
    private static void AppendGenerationRows(List<GenerationSpec> catalog, bool mtok, double interruptionHours, List<double> data)
    {
        foreach (var g in catalog)
        {
            // A resolved entry has every field (ResolveCatalog); GetValueOrDefault only unwraps.
            double h = 1.0 - Math.Pow(1.0 - g.AnnualFailureRate.GetValueOrDefault(), 1.0 / 12.0);
            var row = new double[GenField.Stride];
            row[GenField.AvailableMean] = g.AvailableMonth.GetValueOrDefault();
            row[GenField.AvailableSd] = g.AvailableMonthSd.GetValueOrDefault();
            row[GenField.UnitCapex] = g.UnitCapex.GetValueOrDefault();
            // Rent per busy hour in index units: perf x rent factor under gpu_hour (a token's price does not depend on the GPU).
            row[GenField.Perf] = mtok ? g.TokensPerSecond.GetValueOrDefault() : g.Perf.GetValueOrDefault() * g.RentFactor.GetValueOrDefault(1);
            row[GenField.PowerKw] = g.PowerKw.GetValueOrDefault();
            row[GenField.MonthlyHazard] = h;
            row[GenField.LogSurvive] = Math.Log(1.0 - h);
            row[GenField.HazardOdds] = h / (1.0 - h);
            row[GenField.PhysicalLife] = g.PhysicalLifeMonths.GetValueOrDefault();
            row[GenField.LogCapexDeclineMonthly] = Math.Log(1.0 - g.CapexDecline.GetValueOrDefault()) / 12.0;
            row[GenField.TokensPerSecond] = g.TokensPerSecond.GetValueOrDefault();
            // Share of a month's hours in service: rate/12 interruptions a month, each losing interruptionHours of 730.
            row[GenField.Availability] = Math.Max(0.0, 1.0 - g.InterruptionRate.GetValueOrDefault() / 12.0 * interruptionHours / ScenarioCompiler.HoursPerMonth);
            row[GenField.RentDecayMonthly] = mtok ? 0.0 : g.RentAgeDecay.GetValueOrDefault() / 12.0;
            data.AddRange(row);
        }
    }

    private static Tables AppendTables(Scenario s, List<GenerationSpec> catalog, bool mtok, double rho, List<double> data)
    {
        var f = s.Fleet;
        int genOffset = data.Count;
        AppendGenerationRows(catalog, mtok, f.Failures.Enabled ? f.Failures.InterruptionHours : 0.0, data);
        var book = f.Depreciation.Book;
        int bookOffset = data.Count;
        var bookShares = ScenarioCompiler.ShareTable(ScenarioCompiler.MethodCode(book.Method), book.UsefulLifeMonths, book.SalvageFraction, book.Factor, book.NoSwitch);
        data.AddRange(bookShares);
        var tax = f.Depreciation.Tax;
        int taxLife = tax.Method == "macrs_5y" ? 72 : tax.UsefulLifeMonths;
        int taxOffset = data.Count;
        // Tax depreciation runs to a zero salvage (as MACRS does); tax.salvage_fraction is therefore not used.
        var taxShares = ScenarioCompiler.ShareTable(ScenarioCompiler.MethodCode(tax.Method), taxLife, 0.0, tax.Factor, tax.NoSwitch);
        data.AddRange(taxShares);

        int discountOffset = data.Count;
        for (int t = 0; t <= s.HorizonMonths; t++) data.Add(Math.Pow(1.0 + rho, -t));

        int maxLife = catalog.Max(g => g.PhysicalLifeMonths.GetValueOrDefault());
        int annuityOffset = data.Count;
        for (int r = 0; r <= maxLife; r++) data.Add(r == 0 ? 0.0 : (1.0 - Math.Pow(1.0 + rho, -r)) / rho);
        int valueTables = AppendValueTables(s, catalog, mtok, rho, maxLife, genOffset, data);
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
        // The moneyness nodes of the call strips (none when the option is off).
        int moneyness = data.Count;
        if (f.Valuation.OptionToIdle)
            for (int j = 0; j < OptionNodes; j++) data.Add(Math.Exp(OptionX0 + j * OptionDx));
        // The straight-line share table of the new life after a change in estimate (none without one).
        int newBook = data.Count;
        if (book.LifeChange.Month > 0)
            data.AddRange(ScenarioCompiler.ShareTable(DepreciationMath.StraightLine, book.LifeChange.UsefulLifeMonths, book.SalvageFraction, 1.0, false));
        // The capex schedule and the opening book (fleet.purchase.schedule, opening_book; nothing when absent).
        int schedule = FleetPurchaseTables.AppendSchedule(s, catalog, data);
        int opening = FleetPurchaseTables.AppendOpeningBook(s, catalog, bookShares, taxShares, data);
        return new Tables(genOffset, bookOffset, taxOffset, taxLife, discountOffset, annuityOffset, valueTables,
            capexOffset, capexAges, loanDenominatorOffset, maxLife, moneyness, newBook, schedule, opening);
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
            FailuresOn = f.Failures.Enabled ? Switch.On : Switch.Off,
            ReplaceFailures = f.Failures.Policy == "replace" ? FailurePolicy.Replace : FailurePolicy.Retire,
            WarrantyMonths = f.Failures.WarrantyMonths,
            BinomialExactLimit = f.Failures.BinomialExactLimit,
            ReplacementPolicy = f.Replacement.Policy switch
            {
                "fixed_age" => Kernels.Models.ReplacementPolicy.FixedAge,
                "margin" => Kernels.Models.ReplacementPolicy.Margin,
                _ => Kernels.Models.ReplacementPolicy.Never,
            },
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
            ContractMonths = f.Operations.Contract.Share > 0 ? f.Operations.Contract.StartMonth + f.Operations.Contract.TermMonths : 0,
            ContractStart = f.Operations.Contract.StartMonth,
            TakeOrPay = f.Operations.Contract.TakeOrPayShare,
            DebtShare = f.Financing.DebtShare,
            DebtRateMonthly = f.Financing.DebtRate / 12.0,
            DebtTermMonths = f.Financing.DebtTermMonths,
            TaxRate = f.Financing.TaxRate,
            LtvMax = f.Financing.LtvMax,
            InitialCash = f.Financing.InitialCash,
            RhoMonthly = rho,
            TerminalValue = f.Financing.TerminalValue ? Switch.On : Switch.Off,
            BookMethod = ScenarioCompiler.MethodCode(book.Method),
            BookLifeMonths = book.UsefulLifeMonths,
            SalvageFraction = book.SalvageFraction,
            BookShareOffset = t.Book,
            TaxLifeMonths = t.TaxLife,
            TaxShareOffset = t.Tax,
            LifeChangeMonth = book.LifeChange.Month,
            ImpairmentTest = f.Depreciation.ImpairmentTest ? Switch.On : Switch.Off,
            FiscalYears = FiscalYears(s),
            NewBookLifeMonths = book.LifeChange.UsefulLifeMonths,
            NewBookShareOffset = t.NewBook,
            DiscountOffset = t.Discount,
            AnnuityOffset = t.Annuity,
            ValueTablesOffset = t.ValueTables,
            CapexOffset = t.Capex,
            CapexAges = t.CapexAges,
            LoanDenominatorOffset = t.LoanDenominator,
            MaxLife = t.MaxLife,
            OptionValue = f.Valuation.OptionToIdle ? Switch.On : Switch.Off,
            MoneynessOffset = t.Moneyness,
            OptionNodes = OptionNodes,
            OptionX0 = OptionX0,
            OptionInvDx = 1.0 / OptionDx,
            HurdleAnnual = f.Financing.Wacc,
            ScrapUsd = f.Valuation.ScrapUsd,
            WindDownMonths = f.Operations.WindDownMonths,
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
