using ComputeEconomics.Kernels;
using ComputeEconomics.Kernels.Finance;
using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Models.Sector;
using ComputeEconomics.Models.Lab;

namespace ComputeEconomics.Models;

/// <summary>A generation with every field resolved, availability in months from the scenario start.</summary>
public sealed record ResolvedGeneration(
    string Name, double AvailableMonth, double AvailableMonthSd, double UnitCapex, double Perf, double TokensPerSecond,
    double PowerKw, double AnnualFailureRate, int PhysicalLifeMonths, double CapexDecline, string Source);

/// <summary>Turns a validated scenario into kernel parameters and read-only tables.</summary>
public static class ScenarioCompiler
{
    /// <summary>Hours in a month (SPEC 0).</summary>
    public const double HoursPerMonth = 730.0;

    /// <summary>Compile to a runnable job.</summary>
    public static IModelJob Compile(Scenario s) => s.Model switch
    {
        "market" => CompileMarket(s),
        "lab" => LabCompiler.Compile(s),
        "sector" => SectorCompiler.Compile(s),
        _ => CompileFleet(s),
    };

    /// <summary>Monthly market parameters (SPEC 1) for this scenario; <paramref name="priceScale"/> converts the price unit.</summary>
    public static MarketParams Market(Scenario s, double priceScale = 1.0, List<double>? data = null)
    {
        var result = MarketCore(s, priceScale);
        if (s.Sampling == "qmc")
        {
            if (data == null) throw new InvalidOperationException("qmc needs the model's data buffer for its tables");
            AppendQmc(s, data, ref result);
        }
        return result;
    }

    /// <summary>
    /// Randomised QMC tables: the Sobol direction numbers (Joe-Kuo, <see cref="Statistics.Designs"/>) of the first
    /// dimensions (four a month: regime, price, utilisation and electricity uniforms) and one digital shift per
    /// scrambling and dimension, drawn from Philox (stream QmcShift, path = scrambling, month = dimension).
    /// </summary>
    private static void AppendQmc(Scenario s, List<double> data, ref MarketParams m)
    {
        int dims = Math.Min(Statistics.Designs.SobolMaxDimensions / 4, s.HorizonMonths) * 4;
        m.QmcScramblings = s.Scramblings;
        m.QmcDims = dims;
        m.QmcDirOffset = data.Count;
        for (int d = 0; d < dims; d++)
            foreach (uint v in Statistics.Designs.Directions(d, 32)) data.Add(v);
        m.QmcShiftOffset = data.Count;
        for (int r = 0; r < s.Scramblings; r++)
            for (int d = 0; d < dims; d++)
                data.Add(Kernels.Random.Philox4x32.Block((uint)s.Seed, r, (uint)d, 0u, Kernels.Random.Streams.QmcShift).X);
    }

    private static MarketParams MarketCore(Scenario s, double priceScale)
    {
        var m = s.Market;
        double[,] l = Cholesky(m.Correlation);
        double sqrt12 = Math.Sqrt(12.0);
        return new MarketParams
        {
            P01 = m.Regime.NormalToBust,
            P10 = m.Regime.BustToNormal,
            InitialRegime = m.Regime.Initial,
            LnPrice0 = Math.Log(m.Price.Initial * priceScale),
            PriceDrift0 = (m.Price.Drift - 0.5 * m.Price.Volatility * m.Price.Volatility) / 12.0,
            PriceDrift1 = (m.Price.DriftBust - 0.5 * m.Price.Volatility * m.Price.Volatility) / 12.0,
            PriceMu0 = m.Price.Drift,
            PriceMu1 = m.Price.DriftBust,
            PriceVolMonthly = m.Price.Volatility / sqrt12,
            LogitUtil0 = Logit(m.Utilisation.Initial),
            LogitTheta0 = Logit(m.Utilisation.Mean),
            LogitTheta1 = Logit(m.Utilisation.MeanBust),
            Theta0 = m.Utilisation.Mean,
            Theta1 = m.Utilisation.MeanBust,
            KappaMonthly = m.Utilisation.Reversion / 12.0,
            UtilVolMonthly = m.Utilisation.Volatility / sqrt12,
            LnElec0 = Math.Log(m.Electricity.Initial),
            ElecDrift = (m.Electricity.Drift - 0.5 * m.Electricity.Volatility * m.Electricity.Volatility) / 12.0,
            ElecVolMonthly = m.Electricity.Volatility / sqrt12,
            L00 = l[0, 0], L10 = l[1, 0], L11 = l[1, 1], L20 = l[2, 0], L21 = l[2, 1], L22 = l[2, 2],
            Seed = (uint)s.Seed,
            Antithetic = s.Sampling == "antithetic" ? 1 : 0,
        };
    }

    private static double Logit(double u) => Math.Log(u / (1.0 - u));

    /// <summary>Lower Cholesky factor of the shock correlation (identity when none is given), by MathNet.</summary>
    public static double[,] Cholesky(List<List<double>>? corr)
    {
        var result = new double[3, 3];
        if (corr == null)
        {
            for (int i = 0; i < 3; i++) result[i, i] = 1.0;
            return result;
        }
        string? rule = ScenarioValidator.CorrelationRule(corr);
        if (rule != null) throw new InputException("market.correlation", "(matrix)", rule);
        var m = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(3, 3, (i, j) => corr[i][j]);
        var f = m.Cholesky().Factor;
        for (int i = 0; i < 3; i++) for (int j = 0; j <= i; j++) result[i, j] = f[i, j];
        return result;
    }

    private static IModelJob CompileMarket(Scenario s)
    {
        var data = new List<double>();
        var model = new MarketModel { Market = Market(s, 1.0, data), Months = s.HorizonMonths };
        return new ModelJob<MarketModel>(s, model, data.ToArray(), 0,
            MetricNames.Market, new[] { "price", "utilisation", "electricity", "regime" });
    }

    /// <summary>The catalog of this scenario: listed entries merged with the built-in ones, then the trend.</summary>
    public static List<ResolvedGeneration> ResolveCatalog(Scenario s)
    {
        ScenarioValidator.TryParseStart(s.Start, out int y, out int mo);
        var list = new List<ResolvedGeneration>();
        IEnumerable<GenerationSpec> specs = s.Catalog ?? BuiltInCatalog.Entries.Select(e => new GenerationSpec { Name = e.Name });
        foreach (var g in specs)
        {
            var b = BuiltInCatalog.Find(g.Name);
            list.Add(new ResolvedGeneration(
                b?.Name ?? g.Name,
                g.AvailableMonth ?? (b != null ? BuiltInCatalog.MonthsFrom(b, y, mo) : 0),
                g.AvailableMonthSd ?? 0,
                g.UnitCapex ?? b?.UnitCapex ?? 0,
                g.Perf ?? b?.Perf ?? 0,
                g.TokensPerSecond ?? b?.TokensPerSecond ?? 0,
                g.PowerKw ?? b?.PowerKw ?? 0,
                g.AnnualFailureRate ?? b?.AnnualFailureRate ?? 0,
                g.PhysicalLifeMonths ?? b?.PhysicalLifeMonths ?? 60,
                g.CapexDecline ?? b?.CapexDecline ?? 0,
                g.Source ?? b?.Source ?? "scenario"));
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
    public static int CohortSlotsNeeded(Scenario s, List<ResolvedGeneration> catalog)
    {
        var f = s.Fleet;
        var events = new List<int>();
        if (f.Purchase.Units > 0) events.Add(0);
        if (f.Expansion.EveryMonths > 0 && f.Expansion.Units > 0)
        {
            int until = Math.Min(f.Expansion.UntilMonth ?? s.HorizonMonths, s.HorizonMonths - 1);
            for (int t = f.Expansion.EveryMonths; t <= until; t += f.Expansion.EveryMonths) events.Add(t);
        }
        int maxLife = catalog.Count == 0 ? 1 : catalog.Max(g => g.PhysicalLifeMonths);
        // A rebuy happens when the fixed age comes before the retiring generation's physical life: if that can happen for
        // any generation, a slot may stay taken for ever (rebuy after rebuy).
        bool forever = f.Replacement.Policy == "fixed_age" && catalog.Any(g => f.Replacement.AgeMonths <= g.PhysicalLifeMonths);
        int best = 0;
        for (int t = 0; t < s.HorizonMonths; t++)
            best = Math.Max(best, events.Count(e => e <= t && (forever || t < e + maxLife + 1)));
        return Math.Max(best, 1);
    }

    private static IModelJob CompileFleet(Scenario s)
    {
        var catalog = ResolveCatalog(s);
        var f = s.Fleet;
        bool mtok = s.Market.Price.Unit == "mtok";
        double priceScale = mtok ? 3600.0 / 1e6 : 1.0;
        double rho = CashflowMath.MonthlyRate(f.Financing.Wacc);
        var data = new List<double>();

        int genOffset = data.Count;
        foreach (var g in catalog)
        {
            double h = 1.0 - Math.Pow(1.0 - g.AnnualFailureRate, 1.0 / 12.0);
            var row = new double[GenField.Stride];
            row[GenField.AvailableMean] = g.AvailableMonth;
            row[GenField.AvailableSd] = g.AvailableMonthSd;
            row[GenField.UnitCapex] = g.UnitCapex;
            row[GenField.Perf] = mtok ? g.TokensPerSecond : g.Perf;
            row[GenField.PowerKw] = g.PowerKw;
            row[GenField.MonthlyHazard] = h;
            row[GenField.LogSurvive] = Math.Log(1.0 - h);
            row[GenField.HazardOdds] = h / (1.0 - h);
            row[GenField.PhysicalLife] = g.PhysicalLifeMonths;
            row[GenField.LogCapexDeclineMonthly] = Math.Log(1.0 - g.CapexDecline) / 12.0;
            row[GenField.TokensPerSecond] = g.TokensPerSecond;
            data.AddRange(row);
        }

        var book = f.Depreciation.Book;
        int bookOffset = data.Count;
        data.AddRange(ShareTable(MethodCode(book.Method), book.UsefulLifeMonths, book.SalvageFraction, book.Factor, book.NoSwitch));
        var tax = f.Depreciation.Tax;
        int taxLife = tax.Method == "macrs_5y" ? 72 : tax.UsefulLifeMonths;
        int taxOffset = data.Count;
        // Tax depreciation runs to a zero salvage (as MACRS does); tax.salvage_fraction is therefore not used.
        data.AddRange(ShareTable(MethodCode(tax.Method), taxLife, 0.0, tax.Factor, tax.NoSwitch));

        int discountOffset = data.Count;
        for (int t = 0; t <= s.HorizonMonths; t++) data.Add(Math.Pow(1.0 + rho, -t));

        int maxLife = catalog.Max(g => g.PhysicalLifeMonths);
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
            double unit = g.UnitCapex, logDecline = Math.Log(1.0 - g.CapexDecline) / 12.0;
            for (int a = 0; a < capexAges; a++) data.Add(unit * Math.Exp(logDecline * a));
        }
        // Annuity denominators 1 - exp(-n log(1 + r)) for n = 0..term, as the kernel would compute them.
        int loanDenominatorOffset = data.Count;
        double debtRate = f.Financing.DebtRate / 12.0;
        for (int n = 0; n <= f.Financing.DebtTermMonths; n++) data.Add(1.0 - Math.Exp(-(double)n * Math.Log(1.0 + debtRate)));

        int initialGen = catalog.FindIndex(g => string.Equals(g.Name, f.Purchase.Generation, StringComparison.OrdinalIgnoreCase));
        var p = new FleetParams
        {
            Market = Market(s, priceScale, data),
            Months = s.HorizonMonths,
            Hours = HoursPerMonth,
            GenOffset = genOffset,
            GenerationCount = catalog.Count,
            InitialGeneration = initialGen,
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
            BookMethod = MethodCode(book.Method),
            BookLifeMonths = book.UsefulLifeMonths,
            SalvageFraction = book.SalvageFraction,
            BookShareOffset = bookOffset,
            TaxLifeMonths = taxLife,
            TaxShareOffset = taxOffset,
            DiscountOffset = discountOffset,
            AnnuityOffset = annuityOffset,
            Q0Offset = q0Offset,
            Q1Offset = q1Offset,
            CapexOffset = capexOffset,
            CapexAges = capexAges,
            LoanDenominatorOffset = loanDenominatorOffset,
            MaxLife = maxLife,
        };
        var model = new FleetModel { P = p };
        return new ModelJob<FleetModel>(s, model, data.ToArray(), model.ScratchPerPath,
            MetricNames.Fleet, new[] { "cash", "book_value", "market_value", "revenue", "ebitda", "unit_cost" })
        { Catalog = catalog, EventMetrics = new[] { "default" } };
    }

    /// <summary>Kernel code of a depreciation method name.</summary>
    public static int MethodCode(string method) => method switch
    {
        "declining_balance" => DepreciationMath.DecliningBalance,
        "sum_of_years_digits" => DepreciationMath.SumOfYearsDigits,
        "units_of_production" => DepreciationMath.UnitsOfProduction,
        "macrs_5y" => DepreciationMath.Macrs5y,
        _ => DepreciationMath.StraightLine,
    };

    /// <summary>
    /// share[a-1] = (charge of month a) / (depreciable base remaining before month a), for a unit cost 1
    /// and salvage <paramref name="salvageFraction"/>: the kernel multiplies it by the cohort's remaining
    /// base, so additions to the basis are spread over the remaining life along the same pattern, and an
    /// untouched cohort reproduces the method's schedule exactly.
    /// </summary>
    public static double[] ShareTable(int method, int lifeMonths, double salvageFraction, double factor, bool noSwitch)
    {
        var share = new double[lifeMonths];
        if (method == DepreciationMath.UnitsOfProduction) return share;
        double remaining = method == DepreciationMath.Macrs5y ? 1.0 : 1.0 - salvageFraction;
        for (int a = 1; a <= lifeMonths; a++)
        {
            double charge = DepreciationMath.MonthlyBook(method, 1.0, method == DepreciationMath.Macrs5y ? 0.0 : salvageFraction,
                lifeMonths, a, factor, noSwitch);
            share[a - 1] = remaining > 1e-15 ? charge / remaining : 0.0;
            remaining -= charge;
        }
        return share;
    }

    private static double[] GeometricSums(double q, int n)
    {
        var r = new double[n + 1];
        double pow = 1.0;
        for (int k = 1; k <= n; k++) { pow *= q; r[k] = r[k - 1] + pow; }
        return r;
    }
}
