using ComputeEconomics.Backends;
using ComputeEconomics.Finance;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Tests.Fleet;

/// <summary>
/// SPEC 9: zero volatility and no failures must equal the closed-form deterministic cash flows to 1e-9
/// relative. The closed form below is written from SPEC sections 1-5 directly (no engine code), month by month.
/// </summary>
public class ClosedFormTests
{
    private sealed record Expected(double Npv, double TotalRevenue, double TotalEbitda, double BookY3, double MarketY3,
        double MinCash, double EquityValue, double TotalCapex, double BookEarningsY1, double[] Fcf, double CostPerGpuHour,
        double[] OperatingIncomeByYear, double[] EconomicEarningsByYear);

    private static Expected ClosedForm()
    {
        const int T = 72, life = 60, n = 100;
        const double H = 730, capex = 30000 * n, p0 = 2.0, mu = -0.2, util = 0.7, elec = 0.1, kw = 1.0, pue = 1.2, idle = 0.3;
        const double colo = 100, staff = 1000, maintRate = 0.02, debt = 0.5, rd = 0.06 / 12, tax = 0.2, wacc = 0.1, cash0 = 1e6;
        double rho = Math.Pow(1 + wacc, 1.0 / 12) - 1;
        double loan = debt * capex;
        double payment = loan * rd / (1 - Math.Pow(1 + rd, -24));
        double salvage = 0.1 * capex;
        double q = Math.Exp(mu / 12) / (1 + rho);
        double opcost = kw * pue * H * elec * (idle + (1 - idle) * util) + kw * colo;

        double npv = 0, rev = 0, ebitdaSum = 0, bookY3 = 0, mvY3 = 0, cash = cash0, minCash = cash0, equity = 0, earnY1 = 0;
        double accBook = 0, lcfU = 0, lcfL = 0, cost = 0, hours = 0;
        var fcf = new double[T];
        var operating = new double[T / 12];
        var economic = new double[T / 12];
        double mvPrev = capex;   // a cohort's market value before its purchase month is its cost
        for (int t = 0; t < T; t++)
        {
            double price = p0 * Math.Exp(mu * t / 12);
            bool alive = t < life;            // retired at age 60 (its end of physical life), sold for 0.8 x a zero value
            double units = alive ? n : 0;
            double revenue = units * util * H * price;
            double power = units * kw * pue * H * elec * (idle + (1 - idle) * util);
            // Wind-down (docs/model.md 4): staff stop 3 months (the default) after the last month with units, life - 1.
            double fixedCost = units * kw * colo + (t - (life - 1) > 3 ? 0 : staff);
            double maint = alive ? maintRate / 12 * capex : 0;
            double ebitda = revenue - power - fixedCost - maint;
            double bookDep = alive && t >= 1 && t <= 48 ? (capex - salvage) / 48 : 0;
            double taxDep = alive && t >= 1 && t <= 36 ? capex / 36 : 0;
            accBook += bookDep;
            double interest = t < 24 ? loan * rd : 0;
            double principal = t < 24 ? (t == 23 ? loan : payment - loan * rd) : 0;
            double disposed = t == life ? capex - accBook : 0;     // write-off of the remaining book value
            double Tax(double taxable, ref double lcf)
            {
                if (taxable <= 0) { lcf -= taxable; return 0; }
                double used = Math.Min(lcf, taxable); lcf -= used; return tax * (taxable - used);
            }
            double taxL = Tax(ebitda - taxDep - interest, ref lcfL);
            double taxU = Tax(ebitda - taxDep, ref lcfU);
            double spend = t == 0 ? capex : 0;
            double newLoan = t == 0 ? loan : 0, equityIn = t == 0 ? capex - loan : 0;
            int remaining = Math.Max(life - t, 0);
            double sumQ = 0; for (int k = 1; k <= remaining; k++) sumQ += Math.Pow(q, k);
            double annuity = remaining == 0 ? 0 : (1 - Math.Pow(1 + rho, -remaining)) / rho;
            double unitValue = Math.Max(0, price * util * H * sumQ - opcost * annuity);
            double mv = units * unitValue;
            double f = ebitda - spend - taxU + (t == T - 1 ? mv : 0);
            fcf[t] = f;
            npv += f / Math.Pow(1 + rho, t);
            rev += revenue; ebitdaSum += ebitda;
            loan -= principal;
            cash += ebitda - spend - taxL - interest - principal + newLoan + equityIn;
            minCash = Math.Min(minCash, cash);
            double book = alive ? capex - accBook : 0;
            equity = cash + mv - loan;
            if (t == 35) { bookY3 = book; mvY3 = mv; }
            if (t < 12) earnY1 += ebitda - bookDep - interest - taxL - disposed;
            operating[t / 12] += ebitda - bookDep - disposed;       // proceeds 0.8 x 0 at retirement
            economic[t / 12] += ebitda - (mvPrev - mv);
            mvPrev = mv;
            cost += bookDep + power + fixedCost + maint + interest;
            hours += units * util * H;
        }
        return new Expected(npv, rev, ebitdaSum, bookY3, mvY3, minCash, equity, capex, earnY1, fcf, cost / hours, operating, economic);
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("ilgpu-cpu")]
    public void ZeroVolatilityMatchesClosedForm(string backendName)
    {
        using var backend = BackendFactory.Create(backendName, 0, out _);
        var r = FleetFixture.Run(FleetFixture.Deterministic, backend: backend);
        var e = ClosedForm();
        for (int path = 0; path < r.Paths; path++)
        {
            double M(string name) => FleetFixture.Column(r, name)[path];
            FleetFixture.AssertRelative(e.Npv, M("npv"), 1e-9, "npv");
            FleetFixture.AssertRelative(e.TotalRevenue, M("total_revenue"), 1e-9, "total_revenue");
            FleetFixture.AssertRelative(e.TotalEbitda, M("total_ebitda"), 1e-9, "total_ebitda");
            FleetFixture.AssertRelative(e.BookY3, M("book_value_y3"), 1e-9, "book_value_y3");
            FleetFixture.AssertRelative(e.MarketY3, M("market_value_y3"), 1e-9, "market_value_y3");
            FleetFixture.AssertRelative(e.MinCash, M("min_cash"), 1e-9, "min_cash");
            FleetFixture.AssertRelative(e.EquityValue, M("equity_value"), 1e-9, "equity_value");
            FleetFixture.AssertRelative(e.TotalCapex, M("total_capex"), 1e-9, "total_capex");
            FleetFixture.AssertRelative(e.BookEarningsY1, M("book_earnings_y1"), 1e-9, "book_earnings_y1");
            FleetFixture.AssertRelative(e.CostPerGpuHour, M("cost_per_gpu_hour"), 1e-9, "cost_per_gpu_hour");
            Assert.Equal(0.0, M("default"));
            // IRR of the same monthly flows by the host IRR (numpy-financial conventions), annualised.
            double? monthly = Dcf.Irr(e.Fcf);
            Assert.NotNull(monthly);
            FleetFixture.AssertRelative(Math.Pow(1 + monthly!.Value, 12) - 1, M("irr"), 1e-9, "irr");
        }
    }

    [Fact]
    public void DecliningBalanceBookValueEqualsSpreadsheetVdb()
    {
        // Book value after 35 monthly charges = cost - VDB(cost, salvage, 48, 0, 35, factor 2): the kernel's
        // share table must reproduce Excel's VDB arithmetic (tests/TestData/spreadsheet-depreciation.csv; the host library is tested against it).
        var r = FleetFixture.Run(FleetFixture.Deterministic, new[] { "fleet.depreciation.book.method=declining_balance" });
        double cost = 3_000_000, salvage = 300_000;
        double expected = cost - Depreciation.Total(cost, salvage, 48, 0, 35, DepreciationMethod.DecliningBalance, 2.0, false);
        FleetFixture.AssertRelative(expected, FleetFixture.Column(r, "book_value_y3")[0], 1e-9, "book value y3 (DDB/VDB)");
    }

    [Fact]
    public void SumOfYearsDigitsBookValueEqualsSpreadsheetSyd()
    {
        var r = FleetFixture.Run(FleetFixture.Deterministic, new[] { "fleet.depreciation.book.method=sum_of_years_digits" });
        double cost = 3_000_000, salvage = 300_000, acc = 0;
        for (int p = 1; p <= 35; p++) acc += (cost - salvage) * (48 - p + 1) * 2.0 / (48.0 * 49.0);   // SYD closed form
        FleetFixture.AssertRelative(cost - acc, FleetFixture.Column(r, "book_value_y3")[0], 1e-9, "book value y3 (SYD)");
    }

    [Fact]
    public void LifeExtensionIsAChangeInEstimateOverTheRemainingLife()
    {
        // 48 -> 72 months from month 12 (as Meta, Microsoft and Alphabet lengthened server lives): charges at ages 1..11
        // are (cost - salvage) / 48; the depreciable base left, (cost - salvage)(1 - 11/48), is then spread evenly over
        // the 72 - 12 + 1 = 61 months left of the new life; book value y3 is after 24 such charges.
        var r = FleetFixture.Run(FleetFixture.Deterministic, new[]
        {
            "fleet.depreciation.book.life_change.month=12", "fleet.depreciation.book.life_change.useful_life_months=72",
        });
        double cost = 3_000_000, salvage = 300_000;
        double left = (cost - salvage) * (1 - 11.0 / 48.0), perMonth = left / 61.0;
        FleetFixture.AssertRelative(salvage + left - 24 * perMonth, FleetFixture.Column(r, "book_value_y3")[0], 1e-9, "book value y3 (extended)");
    }

    [Theory]
    [InlineData(24)]   // shortened: the base left is spread over months 12..24 and is gone by y3
    [InlineData(6)]    // shortened below the age reached: the base left is charged at once in month 12
    public void LifeShorteningChargesTheRemainingBaseByTheNewEnd(int newLife)
    {
        var r = FleetFixture.Run(FleetFixture.Deterministic, new[]
        {
            "fleet.depreciation.book.life_change.month=12", $"fleet.depreciation.book.life_change.useful_life_months={newLife}",
        });
        FleetFixture.AssertRelative(300_000, FleetFixture.Column(r, "book_value_y3")[0], 1e-9, "book value y3 (shortened)");
    }

    [Fact]
    public void LifeShorteningRaisesTheMonthlyChargeToTheRemainingBaseOverTheMonthsLeft()
    {
        // 48 -> 36 from month 12: 25 months left (12..36), each (cost - salvage)(1 - 11/48) / 25; at y3 (month 35) one is left.
        var r = FleetFixture.Run(FleetFixture.Deterministic, new[]
        {
            "fleet.depreciation.book.life_change.month=12", "fleet.depreciation.book.life_change.useful_life_months=36",
        });
        double cost = 3_000_000, salvage = 300_000, left = (cost - salvage) * (1 - 11.0 / 48.0);
        FleetFixture.AssertRelative(salvage + left / 25.0, FleetFixture.Column(r, "book_value_y3")[0], 1e-9, "book value y3 (36 months)");
    }

    [Fact]
    public void ALifeChangeNeedsANewLifeAndIsBookOnly()
    {
        var noLife = Assert.Throws<InputException>(() =>
            ScenarioLoader.FromText(FleetFixture.Deterministic, "test", new[] { "fleet.depreciation.book.life_change.month=12" }));
        Assert.Contains("fleet.depreciation.book.life_change.useful_life_months", noLife.Message);
        var tax = Assert.Throws<InputException>(() => ScenarioLoader.FromText(FleetFixture.Deterministic, "test", new[]
        {
            "fleet.depreciation.tax.life_change.month=12", "fleet.depreciation.tax.life_change.useful_life_months=24",
        }));
        Assert.Contains("fleet.depreciation.tax.life_change.month", tax.Message);
    }

    [Fact]
    public void ImpairmentWritesAnUnrecoverableCohortDownToMarketValueAndDepreciatesOnFromThere()
    {
        // A rent of 0.001/h cannot pay the power: each unit's forward margin is negative, so its undiscounted cash
        // flows and its market value are the scrap value, 500 USD. At the first fiscal year end (month 11) the carrying
        // amount, cost (1 - 11/48) (salvage 0), exceeds the undiscounted 100 x 500: it is written down to 50,000, and
        // that basis is spread straight-line over the 37 months left (ages 12..48): y3 (month 35) is after 24 of them.
        // The later year ends find carrying <= market value: no further charge.
        var r = FleetFixture.Run(FleetFixture.Deterministic, new[]
        {
            "fleet.depreciation.impairment_test=true", "fleet.depreciation.book.salvage_fraction=0", "market.price.initial=0.001",
            "fleet.valuation.option_to_idle=false", "fleet.valuation.scrap_usd=500",
        });
        double cost = 3_000_000, fair = 100 * 500.0;
        FleetFixture.AssertRelative(cost * (1 - 11.0 / 48.0) - fair, FleetFixture.Column(r, "impairment_charges")[0], 1e-9, "impairment charge");
        FleetFixture.AssertRelative(fair * (1 - 24.0 / 37.0), FleetFixture.Column(r, "book_value_y3")[0], 1e-9, "book value y3 after impairment");
    }

    [Fact]
    public void ARecoverableCohortIsNotImpaired()
    {
        // At a rent of 20/h a unit earns about 10,000 USD a month (20 x 0.7 x 730) against a carrying amount below 30,000: recoverable
        // at every year end, so no write-down and book value y3 is the straight line (cost - salvage)(1 - 35/48) + salvage.
        var r = FleetFixture.Run(FleetFixture.Deterministic, new[] { "fleet.depreciation.impairment_test=true", "market.price.initial=20" });
        Assert.Equal(0.0, FleetFixture.Column(r, "impairment_charges")[0]);
        FleetFixture.AssertRelative(2_700_000 * (1 - 35.0 / 48.0) + 300_000, FleetFixture.Column(r, "book_value_y3")[0], 1e-9, "book value y3");
    }

    [Fact]
    public void FiscalYearsReportDepreciationOperatingIncomeAndEconomicEarnings()
    {
        // Year 1 carries 11 straight-line charges (none in the purchase month), years 2-4 twelve, year 5 one (month 48);
        // operating income and economic earnings are the closed form's EBITDA less book and economic depreciation.
        var r = FleetFixture.Run(FleetFixture.Deterministic, new[] { "fleet.depreciation.fiscal_year_metrics=true" });
        var e = ClosedForm();
        double charge = 2_700_000 / 48.0;
        double[] charges = { 11, 12, 12, 12, 1, 0 };
        for (int k = 1; k <= 6; k++)
        {
            FleetFixture.AssertRelative(charges[k - 1] * charge, FleetFixture.Column(r, $"depreciation_expense_y{k}")[0], 1e-9, $"depreciation y{k}");
            Assert.Equal(0.0, FleetFixture.Column(r, $"impairment_y{k}")[0]);
            FleetFixture.AssertRelative(e.OperatingIncomeByYear[k - 1], FleetFixture.Column(r, $"operating_income_y{k}")[0], 1e-9, $"operating income y{k}");
            FleetFixture.AssertRelative(e.EconomicEarningsByYear[k - 1], FleetFixture.Column(r, $"economic_earnings_y{k}")[0], 1e-9, $"economic earnings y{k}");
            FleetFixture.AssertRelative(e.OperatingIncomeByYear[k - 1] - e.EconomicEarningsByYear[k - 1],
                FleetFixture.Column(r, $"earnings_effect_y{k}")[0], 1e-9, $"earnings effect y{k}");
        }
    }

    [Fact]
    public void FiscalYearImpairmentIsTheYearOfTheWriteDown()
    {
        var r = FleetFixture.Run(FleetFixture.Deterministic, new[]
        {
            "fleet.depreciation.fiscal_year_metrics=true", "fleet.depreciation.impairment_test=true", "fleet.depreciation.book.salvage_fraction=0",
            "market.price.initial=0.001", "fleet.valuation.option_to_idle=false", "fleet.valuation.scrap_usd=500",
        });
        FleetFixture.AssertRelative(3_000_000 * (1 - 11.0 / 48.0) - 50_000, FleetFixture.Column(r, "impairment_y1")[0], 1e-9, "impairment y1");
        Assert.Equal(0.0, FleetFixture.Column(r, "impairment_y2")[0]);
        // Year 2 depreciates the written-down 50,000 over the 37 months left: 12 of them.
        FleetFixture.AssertRelative(12 * 50_000 / 37.0, FleetFixture.Column(r, "depreciation_expense_y2")[0], 1e-9, "depreciation y2");
    }

    [Fact]
    public void TheAnswerGivesTheBookLifesEarningsEffectByYear()
    {
        // Every path is the closed form, so mean, P5 and P95 are its year-2 difference (operating income - economic earnings).
        var r = FleetFixture.Run(FleetFixture.Deterministic, new[] { "fleet.depreciation.fiscal_year_metrics=true" });
        var e = ClosedForm();
        var lines = new ComputeEconomics.Models.Fleet.FleetKind().AnswerLines(ComputeEconomics.Running.RunSummary.From(r));
        string effect = ComputeEconomics.Format.Money(e.OperatingIncomeByYear[1] - e.EconomicEarningsByYear[1]);
        var year2 = lines.Single(l => l.Label == "Book life vs economic life, year 2").Text;
        Assert.Contains($"adds {effect} (P5 {effect}, P95 {effect})", year2);
        Assert.Equal(6, lines.Count(l => l.Label.StartsWith("Book life vs economic life", StringComparison.Ordinal)));
    }

    [Fact]
    public void AContractFromItsStartMonthPaysTheTakeOrPayShareAndTheRestAsUsed()
    {
        // All 100 units contracted at 3.0/h for months 12..23, half take-or-pay: each month pays 100 x 730 x 3 x
        // (0.5 + 0.5 x 0.7) instead of the spot revenue 100 x 0.7 x 730 x 2 e^(-0.2 t/12) of the closed form.
        var r = FleetFixture.Run(FleetFixture.Deterministic, new[]
        {
            "fleet.operations.contract.share=1", "fleet.operations.contract.price=3", "fleet.operations.contract.term_months=12",
            "fleet.operations.contract.start_month=12", "fleet.operations.contract.take_or_pay_share=0.5",
        });
        double expected = ClosedForm().TotalRevenue;
        for (int t = 12; t < 24; t++)
            expected += 100 * 730 * 3.0 * (0.5 + 0.5 * 0.7) - 100 * 0.7 * 730 * 2.0 * Math.Exp(-0.2 * t / 12);
        FleetFixture.AssertRelative(expected, FleetFixture.Column(r, "total_revenue")[0], 1e-9, "total revenue");
    }

    [Fact]
    public void TheBacklogIsTheTakeOrPayRevenueOfTheContractMonthsStillToCome()
    {
        // 100 units at 3.0/h for months 0..35, 80% take-or-pay: at the end of year k, (36 - 12k) months of
        // 100 x 730 x 3 x 0.8 remain; none after the contract.
        var r = FleetFixture.Run(FleetFixture.Deterministic, new[]
        {
            "fleet.depreciation.fiscal_year_metrics=true", "fleet.operations.contract.share=1", "fleet.operations.contract.price=3",
            "fleet.operations.contract.term_months=36", "fleet.operations.contract.take_or_pay_share=0.8",
        });
        for (int k = 1; k <= 3; k++)
            FleetFixture.AssertRelative(100 * 730 * 3.0 * 0.8 * (36 - 12 * k), FleetFixture.Column(r, $"backlog_y{k}")[0], 1e-9, $"backlog y{k}");
        Assert.Equal(0.0, FleetFixture.Column(r, "backlog_y4")[0]);
    }
}
