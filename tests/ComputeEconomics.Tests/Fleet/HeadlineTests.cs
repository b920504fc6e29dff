using Xunit;

namespace ComputeEconomics.Tests.Fleet;

/// <summary>Issue 14 item 7: the overstatement's peak, month and present value; the staff wind-down of an empty fleet.</summary>
public class HeadlineTests
{
    [Fact]
    public void StaffStopWindDownMonthsAfterTheFleetIsEmpty()
    {
        // G lives 60 months: it operates in months 0..59 and retires in month 60; the horizon is 72. With a wind-down of 3
        // months staff (1,000 a month) are paid in months 60-62 and not in 63..71: 9 months, 9,000 more EBITDA than
        // paying them to the horizon (a wind-down longer than the horizon).
        var windDown = FleetFixture.Run(FleetFixture.Deterministic, new[] { "fleet.operations.wind_down_months=3" });
        var never = FleetFixture.Run(FleetFixture.Deterministic, new[] { "fleet.operations.wind_down_months=600" });
        double gained = FleetFixture.Column(windDown, "total_ebitda")[0] - FleetFixture.Column(never, "total_ebitda")[0];
        Assert.Equal(9 * 1000.0, gained, 1e-6);
    }

    [Fact]
    public void OverstatementPeakMonthAndPresentValueFollowBookMinusMarket()
    {
        // The cumulative overstatement through month t is book minus market value of the cohorts held (docs/model.md 5), so
        // its peak is max_t (book_t - market_t) and its present value sum_t (1.1)^(-t/12) (X_t - X_(t-1)), from the bands.
        var r = FleetFixture.Run(FleetFixture.Deterministic);
        int months = 72, series = r.Job.SeriesNames.Count;
        int book = r.Job.SeriesNames.ToList().IndexOf("book_value"), market = r.Job.SeriesNames.ToList().IndexOf("market_value");
        double peak = double.NegativeInfinity, pv = 0, previous = 0;
        int peakMonth = -1;
        for (int t = 0; t < months; t++)
        {
            double x = (double)r.Bands[t * series + book] - r.Bands[t * series + market];
            if (x > peak) { peak = x; peakMonth = t; }
            pv += Math.Pow(1.1, -t / 12.0) * (x - previous);
            previous = x;
        }
        // Bands are float32 (7 significant digits on values of a few million USD).
        FleetFixture.AssertRelative(peak, FleetFixture.Column(r, "overstatement_peak")[0], 1e-6, "peak");
        Assert.Equal(peakMonth, FleetFixture.Column(r, "overstatement_peak_month")[0]);
        FleetFixture.AssertRelative(pv, FleetFixture.Column(r, "overstatement_pv")[0], 1e-5, "present value");
        Assert.True(peak > 0, "book above market at some month");
    }
}
