using ComputeEconomics.Backends;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Fleet;

/// <summary>
/// Issue 15 item 2, the fleet's financing stage (docs/model.md 4, "Financing"): each expected value is a closed form
/// written here from the loan formulas (annuity: A = B i / (1 - (1 + i)^-N), as numpy-financial's pmt), or from the
/// deterministic fixture's month-0 cash flows computed by hand; none is the engine's output.
/// </summary>
public class FinancingTests
{
    private const double H = 730, Capex = 30000 * 100.0;

    /// <summary>The fixture with more cash (no default), its per-cohort loan and the forward-margin value (exact, no grid).</summary>
    private static RunResult Run(string yaml, params string[] overrides) =>
        FleetFixture.Run(yaml, new[] { "fleet.financing.initial_cash=5000000", "fleet.valuation.option_to_idle=false" }.Concat(overrides));

    private static RunResult RunFixture(params string[] overrides) => Run(FleetFixture.Deterministic, overrides);

    /// <summary>The fixture with fleet.financing.tranches (a list: --set cannot add list elements).</summary>
    private static string WithTranches(params string[] tranches) =>
        FleetFixture.Deterministic.Replace("terminal_value: true }", "terminal_value: true,\n    tranches: [ " + string.Join(", ", tranches) + " ] }",
            StringComparison.Ordinal);

    private static string Tranche(string name, string kind, double commitment, double rate, int term, string more = "") =>
        FormattableString.Invariant($"{{ name: {name}, kind: {kind}, commitment_usd: {commitment:R}, rate: {rate:R}, term_months: {term}{(more.Length > 0 ? ", " + more : "")} }}");

    private static double Only(RunResult r, string metric)
    {
        var c = FleetFixture.Column(r, metric);
        Assert.All(c, v => Assert.Equal(BitConverter.DoubleToInt64Bits(c[0]), BitConverter.DoubleToInt64Bits(v)));   // deterministic: every path alike
        return c[0];
    }

    /// <summary>The fixture's EBITDA in month t (docs/model.md 3-4): 100 units at utilisation 0.7, price 2 e^(-0.2 t/12).</summary>
    private static double Ebitda(int t) =>
        100 * 0.7 * H * 2.0 * Math.Exp(-0.2 * t / 12) - 100 * 1.0 * 1.2 * H * 0.1 * (0.3 + 0.7 * 0.7) - (100 * 100 + 1000) - 0.02 / 12 * Capex;

    [Fact]
    public void AnnuityTrancheInterestMatchesTheAnnuityFormula()
    {
        // numpy-financial: npf.pmt(0.06/12, 24, -1e6) = 44320.61 (to the cent); the same formula here, then the schedule's
        // interest is N A - C (every payment less the principal).
        const double c = 1e6, i = 0.06 / 12;
        double a = c * i / (1 - Math.Pow(1 + i, -24));
        Assert.Equal(44320.61, Math.Round(a, 2));
        var r = Run(WithTranches(Tranche("t0", "term_loan", c, 0.06, 24)));
        FleetFixture.AssertRelative(24 * a - c, Only(r, "interest_tranche1"), 1e-9, "annuity interest");
        Assert.Equal(0.0, Only(r, "balance_end_tranche1"));
        Assert.Equal(0.0, Only(r, "default"));
        FleetFixture.AssertRelative(c, Only(r, "peak_debt"), 1e-12, "peak debt (no per-cohort loan beside tranches)");
    }

    [Fact]
    public void StraightLineTrancheInterestIsRateTimesTheAverageBalance()
    {
        // Balances C, C (N-1)/N, ..., C/N: interest i C (N + 1) / 2.
        const double c = 1.2e6, i = 0.09 / 12;
        var r = Run(WithTranches(Tranche("t0", "term_loan", c, 0.09, 24, "amortisation: straight_line")));
        FleetFixture.AssertRelative(i * c * 25 / 2, Only(r, "interest_tranche1"), 1e-9, "straight-line interest");
    }

    [Fact]
    public void BulletPaysInterestOnlyAndRollsAtTheSpreadOrFallsDue()
    {
        // Funded in month 0, interest in months 1..36, due in month 36; horizon 72 (months 0..71).
        const double c = 1e6;
        var failed = Run(WithTranches(Tranche("t0", "bullet", c, 0.06, 36)), "fleet.financing.refinancing.fail_probability=1");
        FleetFixture.AssertRelative(36 * c * 0.005, Only(failed, "interest_tranche1"), 1e-9, "bullet interest");
        Assert.Equal(1.0, Only(failed, "refinancing_failures"));
        Assert.Equal(0.0, Only(failed, "balance_end_tranche1"));
        // Refinanced at 6% + 1.2% in month 36 (normal regime throughout): months 37..71 at 7.2%.
        var rolled = Run(WithTranches(Tranche("t0", "bullet", c, 0.06, 36)), "fleet.financing.refinancing.fail_probability=0",
            "fleet.financing.refinancing.spread=0.012");
        FleetFixture.AssertRelative(36 * c * 0.005 + 35 * c * 0.006, Only(rolled, "interest_tranche1"), 1e-9, "refinanced bullet interest");
        Assert.Equal(1.0, Only(rolled, "refinancings"));
        Assert.Equal(c, Only(rolled, "balance_end_tranche1"));
    }

    /// <summary>Month 0 of the fixture with the financing stage on and its per-cohort loan (6%, 24 months):
    /// cash = initial cash + EBITDA - capex - tax - interest - principal + loan (no holders' injection), and the debt left.</summary>
    private static (double Cash, double Debt) MonthZero(double initialCash, double debtShare)
    {
        double loan = debtShare * Capex, i = 0.005;
        double payment = loan * i / (1 - Math.Pow(1 + i, -24));
        double interest = loan * i, principal = payment - interest;
        double ebitda = Ebitda(0);
        double tax = 0.2 * (ebitda - interest);   // no tax depreciation in the purchase month
        return (initialCash + ebitda - Capex - tax - interest - principal + loan, loan - principal);
    }

    [Fact]
    public void RevolverDrawsExactlyTheShortfall()
    {
        // Initial cash 1e6 and no loan: the purchase leaves cash short in month 0, and every later month repays (EBITDA
        // ~79k a month against 8% on the draw), so the peak draw is month 0's.
        var (cash, _) = MonthZero(1e6, 0.0);
        Assert.True(cash < 0, $"the case needs a shortfall, cash {cash}");
        var r = RunFixture("fleet.financing.initial_cash=1000000", "fleet.financing.debt_share=0", "fleet.financing.revolver.limit_usd=5000000",
            "fleet.financing.revolver.commitment_fee=0");
        FleetFixture.AssertRelative(-cash, Only(r, "revolver_peak"), 1e-9, "revolver draw = shortfall");
        Assert.Equal(0.0, Only(r, "min_cash"));
        Assert.Equal(0.0, Only(r, "default"));
        // A revolver smaller than the shortfall: cash stays negative, the operator defaults in month 0.
        var small = RunFixture("fleet.financing.initial_cash=1000000", "fleet.financing.debt_share=0",
            FormattableString.Invariant($"fleet.financing.revolver.limit_usd={-cash / 2:R}"));
        Assert.Equal(1.0, Only(small, "default"));
        Assert.Equal(0.0, Only(small, "default_month"));
    }

    [Fact]
    public void DilutionIsOldSharesOverNewShares()
    {
        var (cash, debt) = MonthZero(1e6, 0.5);
        // Market value in month 0 (docs/model.md 5, forward margin): 100 (P U H S(60) - opcost a(60)), rho from the WACC 10%.
        double mv = MarketValue(0);
        double preMoney = cash + mv - debt, amount = 3e6 - cash, price = 0.8 * preMoney / 1.0;
        double shares = 1.0 + amount / price;
        var r = RunFixture("fleet.financing.initial_cash=1000000", "fleet.financing.equity.target_cash_usd=3000000", "fleet.financing.equity.discount=0.2",
            "fleet.financing.equity.fail_probability=0");
        FleetFixture.AssertRelative(amount, Only(r, "equity_raised"), 1e-9, "equity raised");
        FleetFixture.AssertRelative(1.0 / shares, Only(r, "original_ownership"), 1e-9, "original holders' ownership");
        Assert.Equal(0.0, Only(r, "raises_failed"));
        // Every raise failing: no new shares, and the shortfall is a default.
        var failing = RunFixture("fleet.financing.initial_cash=1000000", "fleet.financing.equity.target_cash_usd=3000000", "fleet.financing.equity.fail_probability=1");
        Assert.Equal(1.0, Only(failing, "original_ownership"));
        Assert.Equal(1.0, Only(failing, "default"));
    }

    [Theory]
    [InlineData(0.999, 0.0)]
    [InlineData(1.001, 1.0)]
    public void DscrBreachAcceleratesTheTranche(double thresholdOverLowest, double breached)
    {
        // A term loan funded in month 0 pays the annuity A in months 1..12: debt service 2A in the first quarter, 3A in
        // the next three, A in the fifth; DSCR of a quarter = its EBITDA / its debt service, the lowest is the test's pivot.
        const double c = 2e6, i = 0.1 / 12;
        double a = c * i / (1 - Math.Pow(1 + i, -12));
        var dscr = new double[5];
        for (int q = 0; q < 5; q++)
            dscr[q] = (Ebitda(3 * q) + Ebitda(3 * q + 1) + Ebitda(3 * q + 2)) / (q == 0 ? 2 * a : q == 4 ? a : 3 * a);
        double lowest = dscr.Min();
        int lowestQuarter = Array.IndexOf(dscr, lowest);
        var r = Run(WithTranches(Tranche("t0", "term_loan", c, 0.1, 12, FormattableString.Invariant($"dscr_min: {lowest * thresholdOverLowest:R}"))));
        FleetFixture.AssertRelative(lowest, Only(r, "dscr_min"), 1e-9, "lowest quarterly DSCR");
        Assert.Equal(breached, Only(r, "breach_term_loan"));
        Assert.Equal(breached, Only(r, "covenant_breaches"));
        // Interest on the schedule's opening balances, months 1..12, or up to the breach quarter's end when accelerated.
        int lastMonth = breached == 1.0 ? 3 * lowestQuarter + 2 : 12;
        double balance = c, interest = 0;
        for (int t = 1; t <= lastMonth; t++) { interest += balance * i; balance -= a - balance * i; }
        FleetFixture.AssertRelative(interest, Only(r, "interest_tranche1"), 1e-9, "interest until repaid or accelerated");
        Assert.Equal(0.0, Only(r, "balance_end_tranche1"));
    }

    /// <summary>The fixture's fleet market value at the end of month t (docs/model.md 5, forward margin, remaining life 60 - t).</summary>
    private static double MarketValue(int t)
    {
        double rho = Math.Pow(1.1, 1.0 / 12) - 1, q = Math.Exp(-0.2 / 12) / (1 + rho), sumQ = 0;
        int remaining = 60 - t;
        for (int k = 1; k <= remaining; k++) sumQ += Math.Pow(q, k);
        double opcost = 1.2 * H * 0.1 * (0.3 + 0.7 * 0.7) + 100;
        double price = 2.0 * Math.Exp(-0.2 * t / 12);
        return 100 * Math.Max(0, price * 0.7 * H * sumQ - opcost * (1 - Math.Pow(1 + rho, -remaining)) / rho);
    }

    [Theory]
    [InlineData(1.001, 0.0)]
    [InlineData(0.999, 1.0)]
    public void LtvBreachAtTheHighestQuarterEndRatio(double thresholdOverHighest, double breached)
    {
        // A term loan of 2.5e6 at 10% over 12 months: LTV at the quarter ends 2, 5, 8, 11 = balance / market value.
        const double c = 2.5e6, i = 0.1 / 12;
        double a = c * i / (1 - Math.Pow(1 + i, -12));
        double balance = c, highest = 0;
        for (int t = 1; t <= 11; t++)
        {
            balance -= a - balance * i;
            if (t % 3 == 2) highest = Math.Max(highest, balance / MarketValue(t));
        }
        var r = Run(WithTranches(Tranche("t0", "term_loan", c, 0.1, 12, FormattableString.Invariant($"ltv_max: {highest * thresholdOverHighest:R}"))));
        Assert.Equal(breached, Only(r, "breach_term_loan"));
        Assert.Equal(breached, Only(r, "covenant_breaches"));
        Assert.Equal(0.0, Only(r, "default"));   // 5e6 of cash pays the accelerated balance
    }

    [Fact]
    public void DdtlDrawsTheAdvanceRateOfCapexUpToTheCommitment()
    {
        // Month-0 capex 3e6 x 0.8 = 2.4e6 > commitment 2e6: draws 2e6; interest only in the window (months 1..5 of 6),
        // then an annuity over 12 months from month 6.
        const double c = 2e6, i = 0.12 / 12;
        double a = c * i / (1 - Math.Pow(1 + i, -12));
        var r = Run(WithTranches(Tranche("t0", "ddtl", c, 0.12, 12, "draw_months: 6, advance_rate: 0.8")));
        FleetFixture.AssertRelative(c, Only(r, "peak_debt"), 1e-12, "draw capped at the commitment");
        FleetFixture.AssertRelative(5 * c * i + 12 * a - c, Only(r, "interest_tranche1"), 1e-9, "ddtl interest");
    }

    [Fact]
    public void CpuAndIlgpuCpuGiveBitIdenticalResultsWithFinancingOn()
    {
        var overrides = new[]
        {
            "market.price.volatility=0.4", "market.regime.normal_to_bust=0.05", "market.regime.bust_to_normal=0.1",
            "fleet.failures.enabled=true", "fleet.financing.initial_cash=1000000", "fleet.financing.revolver.limit_usd=500000",
            "fleet.financing.equity.min_cash_usd=100000", "fleet.financing.equity.target_cash_usd=800000",
        };
        string yaml = WithTranches(Tranche("ddtl_1", "ddtl", 1.5e6, 0.12, 36, "draw_months: 12, ltv_max: 0.8, dscr_min: 1.3"),
            Tranche("notes", "bullet", 5e5, 0.09, 24), Tranche("term", "term_loan", 3e5, 0.1, 30, "amortisation: straight_line"));
        var job = ComputeEconomics.Models.ScenarioCompiler.Compile(ScenarioLoader.FromText(yaml, "test", overrides));
        using var cpu = new CpuBackend();
        using var ilgpu = IlgpuBackend.CreateCpu();
        var options = new RunOptions { Paths = 300, BandPaths = 40 };
        var a = Simulator.Run(job, cpu, options);
        Assert.Contains(FleetFixture.Column(a, "breach_ddtl"), v => v == 1.0);   // the covenant path is exercised
        Assert.Contains(FleetFixture.Column(a, "refinancings"), v => v > 0);
        BitCompare.AssertIdentical(a, Simulator.Run(job, ilgpu, options), "fleet financing: cpu vs ilgpu-cpu");
    }

    [Fact]
    public void TranchesBindFromYamlAsAList()
    {
        string yaml = FleetFixture.Deterministic.Replace("terminal_value: true }", "terminal_value: true,\n" +
            "    tranches: [ { name: ddtl_1, kind: ddtl, commitment_usd: 2.3e9, rate: 0.14, draw_months: 12, dscr_min: 1.25 },\n" +
            "                { name: notes_2030, kind: bullet, commitment_usd: 2.0e9, rate: 0.09, term_months: 60 } ],\n" +
            "    revolver: { limit_usd: 1.5e9 } }", StringComparison.Ordinal);
        var s = ScenarioLoader.FromText(yaml, "test", new[] { "fleet.financing.tranches[1].rate=0.095" });
        var t = s.Fleet.Financing.Tranches!;
        Assert.Equal(2, t.Count);
        Assert.Equal(("ddtl_1", "ddtl", 2.3e9, 0.14, 12, 1.25), (t[0].Name, t[0].Kind, t[0].CommitmentUsd, t[0].Rate, t[0].DrawMonths, t[0].DscrMin));
        Assert.Equal(("notes_2030", "bullet", 2.0e9, 0.095, 60), (t[1].Name, t[1].Kind, t[1].CommitmentUsd, t[1].Rate, t[1].TermMonths));
        Assert.Equal(1.5e9, s.Fleet.Financing.Revolver.LimitUsd);
    }

    [Theory]
    [InlineData("fleet.financing.tranches[0].kind=mezzanine", "fleet.financing.tranches[0].kind", "mezzanine")]
    [InlineData("fleet.financing.tranches[0].rate=1.5", "fleet.financing.tranches[0].rate", "1.5")]
    [InlineData("fleet.financing.tranches[0].term_months=0", "fleet.financing.tranches[0].term_months", "0")]
    [InlineData("fleet.financing.tranches[0].start_month=72", "fleet.financing.tranches[0].start_month", "72")]
    [InlineData("fleet.financing.tranches[1].name=t0", "fleet.financing.tranches[1].name", "t0")]
    [InlineData("fleet.financing.tranches[1].name=Notes", "fleet.financing.tranches[1].name", "Notes")]
    [InlineData("fleet.financing.equity.min_cash_usd=5", "fleet.financing.equity.min_cash_usd", "5")]
    public void BadFinancingInputNamesTheFieldAndTheValue(string bad, string field, string value)
    {
        string yaml = WithTranches(Tranche("t0", "term_loan", 1e6, 0.06, 24), Tranche("t1", "bullet", 1e6, 0.06, 24));
        var e = Assert.Throws<InputException>(() => ScenarioLoader.FromText(yaml, "test", new[] { bad }));
        Assert.Contains(e.Errors, x => x.Field == field && x.Value == value);
    }

    [Fact]
    public void MoreThanFourTranchesIsRefusedWithExitCode2()
    {
        string yaml = WithTranches(Enumerable.Range(0, 5).Select(k => Tranche($"t{k}", "bullet", 1e6, 0.06, 24)).ToArray());
        string dir = Path.Combine(Path.GetTempPath(), "ce-fin-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "five.yaml");
            File.WriteAllText(path, yaml);
            var r = CeProcess.Run(new[] { "validate", path });
            Assert.True(r.ExitCode == 2, r.ToString());
            Assert.Contains("fleet.financing.tranches: 5 must hold at most 4 tranches", r.StdErr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", r.StdErr, StringComparison.Ordinal);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void FinancingMetricNamesFollowTheKernelConstantsAndAppearOnlyWhenOn()
    {
        var constants = typeof(ComputeEconomics.Kernels.Models.FinancingMetrics).GetFields()
            .Where(f => f.IsLiteral && f.Name != "Count").OrderBy(f => (int)f.GetRawConstantValue()!).Select(f => FieldTable.SnakeCase(f.Name));
        var table = ComputeEconomics.Models.Fleet.FleetFinancingCompiler.Table;
        Assert.Equal(constants, table.Fixed.Select(m => m.Name));
        Assert.Equal("ratio", ComputeEconomics.Models.MetricInfo.For("dscr_min").Unit);
        Assert.Equal("USD", ComputeEconomics.Models.MetricInfo.For("interest_tranche3").Unit);
        Assert.DoesNotContain("peak_debt", FleetFixture.Run(FleetFixture.Deterministic).Job.MetricNames);
        var on = Run(WithTranches(Tranche("a", "term_loan", 1e6, 0.06, 24), Tranche("b", "bullet", 1e6, 0.06, 24)));
        Assert.Equal(table.Names(2), on.Job.MetricNames.TakeLast(table.Fixed.Count + 4));
    }
}
