namespace ComputeEconomics.Tests.Fleet;

/// <summary>
/// Issue 15 item 1: the backlog (remaining performance obligations) per month as an output, a band series written only
/// when the fleet has contracts. Closed form (docs/model.md 3, "Contracts"): with n units, a contracted share c, price p,
/// perf 1, take-or-pay 1 and a term from month 0 to T, the backlog at the end of month t &lt; T is the contracted hours
/// of the months after it, c n x 730 h x p x (T - t - 1), and 0 from month T on.
/// </summary>
public sealed class BacklogBandTests
{
    [Fact]
    public void TheMonthlyBacklogIsTheRemainingTakeOrPayRevenue()
    {
        const double share = 0.6, price = 2.2, hours = 730, units = 100;
        const int term = 18;
        var r = FleetFixture.Run(FleetFixture.Deterministic, new[]
        {
            "fleet.operations.contract.share=0.6", "fleet.operations.contract.price=2.2", "fleet.operations.contract.term_months=18",
        });
        var series = r.Job.SeriesNames.ToList();
        Assert.Equal("backlog", series[^1]);
        int stride = series.Count, months = r.Job.Months, s = series.IndexOf("backlog");
        for (int path = 0; path < r.BandPaths; path++)
            for (int t = 0; t < months; t++)
            {
                double expected = t < term ? share * units * hours * price * (term - t - 1) : 0.0;
                float actual = r.Bands[(long)path * months * stride + (long)t * stride + s];
                Assert.True(Math.Abs(actual - expected) <= 1e-6 * Math.Max(1.0, expected), $"path {path}, month {t}: backlog {actual} vs {expected}");
            }
    }

    [Fact]
    public void AFleetWithoutContractsHasNoBacklogSeries()
    {
        var r = FleetFixture.Run(FleetFixture.Deterministic);
        Assert.Equal(new[] { "cash", "book_value", "market_value", "revenue", "ebitda", "unit_cost" }, r.Job.SeriesNames);
    }
}
