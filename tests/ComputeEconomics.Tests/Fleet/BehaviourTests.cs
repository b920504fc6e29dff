using ComputeEconomics.Kernels;
using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Kernels.Random;

namespace ComputeEconomics.Tests.Fleet;

/// <summary>Behaviours the fleet model must show (issue: fleet model; SPEC 3-4, 9).</summary>
public class BehaviourTests
{
    [Fact]
    public void FleetWhoseRentIsBelowPowerCostIdlesRatherThanBurns()
    {
        // Rent 0.05 $/h < marginal power of a busy hour (1 - idle) * kW * PUE * E = 0.7 * 1 * 1.2 * 0.1 = 0.084 $/h.
        var r = FleetFixture.Run(FleetFixture.Deterministic, new[] { "market.price.initial=0.05", "market.price.drift=0" });
        Assert.Equal(1.0, FleetFixture.Column(r, "idle_share")[0]);
        Assert.Equal(0.0, FleetFixture.Column(r, "total_revenue")[0]);
        // EBITDA = -(idle power + colo + staff + maintenance) over the 60 months of life, then staff alone for the
        // 3-month wind-down (the default; months 60-62), then nothing.
        double idlePower = 100 * 1.0 * 1.2 * 730 * 0.1 * 0.3;
        double expected = -60 * (idlePower + 100 * 100 + 1000 + 0.02 / 12 * 3_000_000) - 3 * 1000;
        FleetFixture.AssertRelative(expected, FleetFixture.Column(r, "total_ebitda")[0], 1e-12, "total_ebitda when idle");
    }

    [Fact]
    public void DefaultTriggersAtFirstNegativeCashAndProjectMetricsRunOn()
    {
        // 90% debt repaid over 12 months: principal ~225k a month against ~79k of EBITDA drains 1M of cash.
        string[] tight = { "fleet.financing.debt_share=0.9", "fleet.financing.debt_term_months=12" };
        var solvent = FleetFixture.Run(FleetFixture.Deterministic, tight.Append("fleet.financing.initial_cash=100000000"));
        var r = FleetFixture.Run(FleetFixture.Deterministic, tight);
        Assert.Equal(0.0, FleetFixture.Column(solvent, "default")[0]);
        Assert.Equal(1.0, FleetFixture.Column(r, "default")[0]);
        Assert.Equal(0.0, FleetFixture.Column(r, "equity_value")[0]);
        // The cash path of the defaulting run is the solvent one shifted by the difference in initial cash:
        // default month = first month whose shifted cash is negative.
        double shift = 100_000_000 - 1_000_000;
        var cashBands = SolventCash(solvent);
        int expectedMonth = Array.FindIndex(cashBands, c => c - shift < 0);
        Assert.True(expectedMonth > 0);
        Assert.Equal(expectedMonth, FleetFixture.Column(r, "default_month")[0]);
        // Project (unlevered) metrics ignore the financing outcome.
        Assert.Equal(FleetFixture.Column(solvent, "npv")[0], FleetFixture.Column(r, "npv")[0]);
        Assert.Equal(FleetFixture.Column(solvent, "total_ebitda")[0], FleetFixture.Column(r, "total_ebitda")[0]);
    }

    private static double[] SolventCash(ComputeEconomics.Running.RunResult r)
    {
        // Bands hold float32; rebuild the cash path in double from runs whose horizon ends at each month
        // (cash at the end = equity value - market value + debt).
        int months = r.Job.Months;
        var cash = new double[months];
        for (int t = 0; t < months; t++)
        {
            var shorter = FleetFixture.Run(FleetFixture.Deterministic, new[]
            {
                "fleet.financing.debt_share=0.9", "fleet.financing.debt_term_months=12",
                "fleet.financing.initial_cash=100000000", $"horizon_months={t + 1}", "paths=1", "band_paths=0",
            });
            cash[t] = CashAtEnd(shorter);
        }
        return cash;
    }

    private static double CashAtEnd(ComputeEconomics.Running.RunResult r)
        => FleetFixture.Column(r, "equity_value")[0] - FleetFixture.Column(r, "final_market_value")[0] + FleetFixture.Column(r, "final_debt")[0];

    [Fact]
    public void LtvCovenantBreachIsADefault()
    {
        // At month 0 the debt is 50% of capex; the market value of the fleet is below capex, so an LTV cap of 0.5 is breached at once.
        var r = FleetFixture.Run(FleetFixture.Deterministic, new[] { "fleet.financing.ltv_max=0.5", "horizon_months=1", "paths=1" });
        double debt = FleetFixture.Column(r, "final_debt")[0], mv = FleetFixture.Column(r, "final_market_value")[0];
        Assert.True(debt > 0.5 * mv, $"test premise: debt {debt} vs market value {mv}");
        Assert.Equal(1.0, FleetFixture.Column(r, "default")[0]);
        Assert.Equal(0.0, FleetFixture.Column(r, "default_month")[0]);
        var loose = FleetFixture.Run(FleetFixture.Deterministic, new[] { $"fleet.financing.ltv_max={debt / mv * 1.01}", "horizon_months=1", "paths=1" });
        Assert.Equal(0.0, FleetFixture.Column(loose, "default")[0]);
    }

    [Fact]
    public void FasterPriceDeclineNeverRaisesNpvUnderCommonRandomNumbers()
    {
        string[] common = { "paths=400", "band_paths=0" };
        var slow = FleetFixture.Run(Default(), common.Append("market.price.drift=-0.2"));
        var fast = FleetFixture.Run(Default(), common.Append("market.price.drift=-0.4"));
        var a = FleetFixture.Column(slow, "npv");
        var b = FleetFixture.Column(fast, "npv");
        for (int i = 0; i < a.Length; i++) Assert.True(b[i] <= a[i], $"path {i}: npv {b[i]} at -40%/yr > {a[i]} at -20%/yr");
        Assert.True(b.Average() < a.Average());
    }

    [Fact]
    public void LongerBookLifeNeverLowersYearOneBookEarnings()
    {
        string[] common = { "paths=400", "band_paths=0" };
        var shortLife = FleetFixture.Run(Default(), common.Append("fleet.depreciation.book.useful_life_months=36"));
        var longLife = FleetFixture.Run(Default(), common.Append("fleet.depreciation.book.useful_life_months=72"));
        var s = FleetFixture.Column(shortLife, "book_earnings_y1");
        var l = FleetFixture.Column(longLife, "book_earnings_y1");
        for (int i = 0; i < s.Length; i++) Assert.True(l[i] >= s[i], $"path {i}: {l[i]} (72 months) < {s[i]} (36 months)");
    }

    [Fact]
    public void FreeWarrantyReplacementsAddNoCapexAndPaidOnesMatchTheExpectedFailures()
    {
        string[] failing = { "fleet.failures.enabled=true", "catalog[0].annual_failure_rate=0.09", "paths=2000", "band_paths=0" };
        var free = FleetFixture.Run(FleetFixture.Deterministic, failing.Append("fleet.failures.warranty_months=600"));
        Assert.All(FleetFixture.Column(free, "total_capex"), c => Assert.Equal(3_000_000, c));
        var paid = FleetFixture.Run(FleetFixture.Deterministic, failing.Append("fleet.failures.warranty_months=0"));
        // Replacement keeps n = 100 alive; failures are drawn in months 1..59 (age >= 1, before the age-60 retirement).
        double h = 1 - Math.Pow(1 - 0.09, 1.0 / 12);
        double expected = 3_000_000 + 59 * 100 * h * 30_000;
        var extra = FleetFixture.Column(paid, "total_capex");
        double mean = extra.Average();
        double se = Math.Sqrt(extra.Select(x => (x - mean) * (x - mean)).Sum() / (extra.Length - 1) / extra.Length);
        Assert.True(Math.Abs(mean - expected) <= 4 * se, $"mean capex {mean} vs expected {expected} (4 s.e. = {4 * se})");
    }

    [Theory]
    [InlineData(50, 0.0076, 20)]       // n h = 0.38: exact inversion
    [InlineData(20000, 0.0076, 20)]    // n h = 152: normal approximation with continuity correction
    [InlineData(2000, 0.0076, 20)]     // n h = 15.2: exact inversion near the switch
    public void BinomialFailuresHaveBinomialMeanAndVariance(double n, double h, double limit)
    {
        const int draws = 200_000;
        double sum = 0, sum2 = 0;
        for (int i = 0; i < draws; i++)
        {
            var block = Philox4x32.Block(7u, i, 3u, 1u, Streams.Failures);
            double x = Binomial.Sample<DoubleMath>(n, h, Math.Log(1 - h), limit, block.Z);
            Assert.True(x >= 0 && x <= n && x == Math.Floor(x));
            sum += x; sum2 += x * x;
        }
        double mean = sum / draws, variance = (sum2 - draws * mean * mean) / (draws - 1);
        double mu = n * h, sigma2 = n * h * (1 - h);
        double mu4 = sigma2 * (1 + 3 * (n - 2) * h * (1 - h));          // fourth central moment of the binomial
        Assert.True(Math.Abs(mean - mu) <= 4 * Math.Sqrt(sigma2 / draws), $"mean {mean} vs {mu}");
        Assert.True(Math.Abs(variance - sigma2) <= 4 * Math.Sqrt((mu4 - sigma2 * sigma2) / draws), $"variance {variance} vs {sigma2}");
    }

    [Theory]
    [InlineData(2000, 0.0076)]   // n h = 15.2, mode 15
    [InlineData(40, 0.02)]       // n h = 0.8, mode 0
    [InlineData(300, 0.05)]      // n h = 15, mode 15
    public void InversionFromTheModeGivesTheSameDrawsAsInversionFromZero(double n, double h)
    {
        // Both search for the smallest k with cdf(k) >= u; starting at the mode only changes the path of the search.
        Binomial.ModeCache<DoubleMath>(n, h, Math.Log(1 - h), out double mode, out double pmf, out double cdf);
        Assert.Equal(Math.Floor((n + 1) * h), mode);
        int differ = 0;
        for (int i = 0; i < 20_000; i++)
        {
            var block = Philox4x32.Block(11u, i, 5u, 0u, Streams.Failures);
            double fromZero = Binomial.Sample<DoubleMath>(n, h, Math.Log(1 - h), 1e9, block.X);
            double fromMode = Binomial.FromMode(n, h / (1 - h), mode, pmf, cdf, Philox4x32.ToUniform(block.X));
            // Rounding in the two recurrences may differ where u falls within 1e-12 of a cdf step; allow only that.
            if (fromZero != fromMode)
            {
                Assert.True(Math.Abs(fromZero - fromMode) == 1, $"u = {Philox4x32.ToUniform(block.X):R}: {fromZero} vs {fromMode}");
                differ++;
            }
        }
        Assert.True(differ <= 2, $"{differ} of 20,000 draws differ");
    }

    private static string Default() => ComputeEconomics.Scenarios.ScenarioLoader.EmbeddedText("neocloud-h100")!;
}

/// <summary>The cohort bound must hold every purchase: a purchase that finds no free slot would be lost silently.</summary>
public class CohortBoundTests
{
    [Fact]
    public void FixedAgeRebuysAndExpansionsNeverLoseAPurchase()
    {
        // H100 lives 84 months (built-in), G 60: a fixed age of 66 rebuys H100 cohorts for ever, so slots never free.
        const string yaml = """
            model: fleet
            horizon_months: 120
            paths: 2
            band_paths: 0
            market:
              regime: { initial: 0, normal_to_bust: 0, bust_to_normal: 0 }
              price: { volatility: 0 }
              utilisation: { volatility: 0 }
              electricity: { volatility: 0 }
            catalog:
              - { name: H100 }
              - { name: G, available_month: 500, unit_capex: 1000, perf: 1, tokens_per_second: 1, power_kw: 1,
                  annual_failure_rate: 0, physical_life_months: 60, capex_decline: 0 }
            fleet:
              purchase: { generation: H100, units: 1000 }
              expansion: { every_months: 12, units: 100 }
              failures: { enabled: false }
              replacement: { policy: fixed_age, age_months: 66 }
            """;
        var r = FleetFixture.Run(yaml);
        // Closed form: H100 at 39,188 at its quote date (2024-08, month 7 from 2024-01), 15% a year cheaper from there.
        static double Price(int t) => 39_188 * Math.Pow(1 - 0.15, (t - 7) / 12.0);
        double expected = 1000 * Price(0);
        for (int t = 12; t <= 108; t += 12) expected += 100 * Price(t);          // nine expansions
        expected += 1000 * Price(66);                                            // cohort 0 rebought at age 66
        foreach (int e in new[] { 12, 24, 36, 48 }) expected += 100 * Price(e + 66);   // expansions that reach 66 before 120
        FleetFixture.AssertRelative(expected, FleetFixture.Column(r, "total_capex")[0], 1e-9, "total capex with every purchase");
    }

    [Theory]
    [InlineData("H100", "2024-08", 39_188)]   // E. Cheah's HGX H100 sheet, 313,500 / 8 (docs/catalog.md)
    [InlineData("A100", "2023-09", 18_549)]   // dihuni HGX A100 quote, 148,390 / 8
    [InlineData("GB200", "2025-10", 47_200)]  // Bernstein, 3.4M compute / 72
    public void ABuiltInPriceIsPaidAtItsQuoteDate(string generation, string start, double quote)
    {
        // A scenario that starts in the quote month pays the quoted price, whatever the launch month.
        string yaml = $$"""
            model: fleet
            start: {{start}}
            horizon_months: 12
            paths: 1
            band_paths: 0
            catalog:
              - { name: {{generation}} }
            fleet:
              purchase: { generation: {{generation}}, units: 100 }
              failures: { enabled: false }
            """;
        var r = FleetFixture.Run(yaml);
        FleetFixture.AssertRelative(100 * quote, FleetFixture.Column(r, "total_capex")[0], 1e-12, $"{generation} at its quote date");
    }

    [Fact]
    public void RentFactorScalesTheRentOfAGeneration()
    {
        // G earns perf x rent_factor x P a busy hour: at 0.5 it still runs (0.5 x 2 $/h > 0.084 $/h of marginal power), so
        // its revenue is exactly half.
        var full = FleetFixture.Run(FleetFixture.Deterministic);
        var half = FleetFixture.Run(FleetFixture.Deterministic.Replace("perf: 1,", "perf: 1, rent_factor: 0.5,"));
        FleetFixture.AssertRelative(0.5 * FleetFixture.Column(full, "total_revenue")[0], FleetFixture.Column(half, "total_revenue")[0], 1e-12, "half the rent");
    }

    [Theory]
    // Rent per perf unit against H100's in the two months where A100, H100 and H200 are quoted together (docs/catalog.md):
    // AWS Capacity Blocks late 2024 (1.844 / 4.916 / 5.408 $/GPU-h) and provider-range midpoints 2026-05 (1.90 / 3.495 / 4.75).
    [InlineData("A100", 1.844 / 4.916, 1.90 / 3.495)]
    [InlineData("H200", 5.408 / 4.916, 4.75 / 3.495)]
    public void BuiltInRentFactorIsTheMeanOfTheCoQuotedMonths(string name, double ratio2024, double ratio2026)
    {
        var e = ComputeEconomics.Scenarios.BuiltInCatalog.Find(name)!;
        double expected = (ratio2024 + ratio2026) / 2 / e.Perf!.Value;
        Assert.True(Math.Abs(expected - e.RentFactor!.Value) <= 0.005, $"{name}: {e.RentFactor} against {expected:0.0000} (two decimals)");
    }
}
