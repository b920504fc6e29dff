using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Tests.Fleet;

/// <summary>
/// fleet.purchase.schedule (capex in USD by month or fiscal year) and fleet.purchase.opening_book (servers owned at
/// month 0) against closed forms on the deterministic fixture: generation G at 30,000 USD a unit, no price decline,
/// book straight line over 48 months to a 10 % salvage, so a cohort of cost C is charged 0.9 C / 48 a month from the
/// month after its purchase.
/// </summary>
public class PurchaseScheduleTests
{
    private static string WithPurchases(string purchase) => FleetFixture.Deterministic.Replace(
        "  purchase: { generation: G, units: 100 }\n", $"  purchase:\n    generation: G\n    units: 0\n{purchase}");

    [Fact]
    public void AMonthEntryBuysRoundedUnitsAtThatMonthsPrice()
    {
        // 3,010,000 USD / 30,000 = 100.33 -> 100 units, 3,000,000 USD of capex in month 3; charged in months 4..11 of year 1.
        var r = FleetFixture.Run(WithPurchases("    schedule:\n      - { month: 3, usd: 3010000 }\n"), new[] { "fleet.depreciation.fiscal_year_metrics=true" });
        FleetFixture.AssertRelative(3_000_000, FleetFixture.Column(r, "total_capex")[0], 1e-12, "total capex");
        FleetFixture.AssertRelative(8 * 0.9 * 3_000_000 / 48, FleetFixture.Column(r, "depreciation_expense_y1")[0], 1e-12, "depreciation y1");
    }

    [Fact]
    public void AMonthEntryPaysTheDeclinedPriceOfItsMonth()
    {
        // With a 20 % yearly price decline the unit price in month 6 is 30,000 x 0.8^((6 + 12)/12) (launched in month -12).
        double price = 30_000 * Math.Pow(0.8, 18.0 / 12.0);
        double usd = 250 * price;
        var r = FleetFixture.Run(WithPurchases($"    schedule:\n      - {{ month: 6, usd: {usd:R} }}\n"), new[] { "catalog[0].capex_decline=0.2" });
        FleetFixture.AssertRelative(usd, FleetFixture.Column(r, "total_capex")[0], 1e-9, "total capex at the declined price");
    }

    [Fact]
    public void AFiscalYearEntryIsBoughtInTheMiddleMonthOfEachQuarter()
    {
        // 12,000,000 USD in fiscal year 1: 100 units in months 1, 4, 7 and 10, charged for 10 + 7 + 4 + 1 = 22 cohort-months in
        // year 1 and 4 x 12 in year 2; the same entry in fiscal year 2 buys in months 13, 16, 19, 22.
        var r = FleetFixture.Run(WithPurchases("    schedule:\n      - { fiscal_year: 1, usd: 12000000 }\n      - { fiscal_year: 2, usd: 12000000 }\n"),
            new[] { "fleet.depreciation.fiscal_year_metrics=true" });
        double monthly = 0.9 * 3_000_000 / 48;
        FleetFixture.AssertRelative(24_000_000, FleetFixture.Column(r, "total_capex")[0], 1e-12, "total capex");
        FleetFixture.AssertRelative(22 * monthly, FleetFixture.Column(r, "depreciation_expense_y1")[0], 1e-12, "depreciation y1");
        FleetFixture.AssertRelative((48 + 22) * monthly, FleetFixture.Column(r, "depreciation_expense_y2")[0], 1e-12, "depreciation y2");
    }

    [Fact]
    public void TheOpeningBookIsDepreciatedAsIfBoughtAgeMonthsBeforeTheStartAndCostsNothing()
    {
        // 3,000,000 USD of G bought 12 months before month 0: ages 12..23 in year 1, 12 charges of 0.9 x 3,000,000 / 48, and
        // at month 35 (book_value_y3, age 47) 47 charges taken; no capex, so no cash is spent on it.
        var r = FleetFixture.Run(WithPurchases("    opening_book:\n      - { generation: G, usd: 3000000, age_months: 12 }\n"),
            new[] { "fleet.depreciation.fiscal_year_metrics=true" });
        double monthly = 0.9 * 3_000_000 / 48;
        Assert.Equal(0.0, FleetFixture.Column(r, "total_capex")[0]);
        FleetFixture.AssertRelative(12 * monthly, FleetFixture.Column(r, "depreciation_expense_y1")[0], 1e-12, "depreciation y1");
        FleetFixture.AssertRelative(3_000_000 - 47 * monthly, FleetFixture.Column(r, "book_value_y3")[0], 1e-12, "book value y3");
    }

    [Fact]
    public void AnOpeningVintageEarnsWhatTheSameUnitsBoughtAtMonthZeroEarn()
    {
        // Revenue does not depend on a unit's age (no rent decay in the fixture), so 100 units in the opening book earn the
        // revenue of the fixture's 100 units bought at month 0, over the months both hold them (the vintage's life is 48
        // months shorter: compare a horizon both cover).
        var bought = FleetFixture.Run(FleetFixture.Deterministic, new[] { "horizon_months=12" });
        var owned = FleetFixture.Run(WithPurchases("    opening_book:\n      - { generation: G, usd: 3000000, age_months: 6 }\n"), new[] { "horizon_months=12" });
        FleetFixture.AssertRelative(FleetFixture.Column(bought, "total_revenue")[0], FleetFixture.Column(owned, "total_revenue")[0], 1e-12, "revenue");
    }

    [Theory]
    [InlineData("    schedule:\n      - { month: 3, fiscal_year: 1, usd: 1000 }\n", "fleet.purchase.schedule[0]", "exactly one of month and fiscal_year")]
    [InlineData("    schedule:\n      - { month: 3, usd: 1000, generation: X }\n", "fleet.purchase.schedule[0].generation", "must name a generation")]
    [InlineData("    opening_book:\n      - { generation: G, usd: 1000, age_months: 60 }\n", "fleet.purchase.opening_book[0].age_months", "below G's physical life")]
    [InlineData("    opening_book:\n      - { generation: G, usd: 1000, age_months: 13 }\n", "fleet.purchase.opening_book[0].age_months", "before G was on sale")]
    public void BadEntriesNameTheFieldTheValueAndTheRule(string purchase, string field, string rule)
    {
        var e = Assert.Throws<InputException>(() => ScenarioLoader.FromText(WithPurchases(purchase), "test"));
        Assert.Contains(field, e.Message);
        Assert.Contains(rule, e.Message);
    }

    [Fact]
    public void AnOpeningBookCannotBeDepreciatedByUnitsOfProduction()
    {
        var e = Assert.Throws<InputException>(() => ScenarioLoader.FromText(
            WithPurchases("    opening_book:\n      - { generation: G, usd: 1000, age_months: 6 }\n"), "test",
            new[] { "fleet.depreciation.book.method=units_of_production" }));
        Assert.Contains("fleet.depreciation.book.method", e.Message);
        Assert.Contains("opening book", e.Message);
    }
}
