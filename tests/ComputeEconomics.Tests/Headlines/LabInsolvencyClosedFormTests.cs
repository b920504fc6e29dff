using ComputeEconomics.Backends;
using ComputeEconomics.Tests.Lab;

namespace ComputeEconomics.Tests.Headlines;

/// <summary>
/// The lab's insolvency and funding-fee arithmetic re-derived from docs/model.md 6 ("Revenue and costs of month t",
/// "Funding rounds and insolvency", "Metrics") alone, in the deterministic limit (zero volatility, one regime): the
/// existing closed-form test (LabClosedFormTests) keeps every path solvent with fee-free rounds, so the insolvency
/// month, failed raises, the fee share and the metrics frozen at insolvency were never compared with a closed form.
/// </summary>
public class LabInsolvencyClosedFormTests
{
    private sealed record Expected(int InsolvencyMonth, int Rounds, int Failed, double Raised, double Cash, double MinCash,
        double Founders, double TotalRevenue, double GrossMargin, double BreakEven);

    /// <summary>docs/model.md 6 written out for LabFixture.Deterministic (own fleet at 4.0 USD/Mtok declining 30% a year),
    /// with the given round success, fee share and round size; the path stops in the month cash ends below 0.</summary>
    private static Expected ClosedForm(double success, double fee, double roundMonths)
    {
        const int T = 48;
        const double K = 500_000, s0 = 20_000, r = 1.8, churn = 0.04, free = 3, arpu = 25;
        const double tok0 = 1.5, freeShare = 0.2, gTok = 0.8, api0 = 200_000, gApi = 1.5, share = 0.1;
        const double p0 = 8.0, mu = -0.5, c0 = 4.0, decline = 0.3, train0 = 2e6, gTrain = 0.5, staff0 = 1.5e6, gStaff = 0.25;
        const double runway = 6, multiple = 20;
        double cash = 50e6, minCash = cash, raised = 0, founders = 0.5, sumRev = 0, sumCogs = 0, breakEven = double.NaN;
        int rounds = 0, failed = 0, insolvent = -1;
        for (int t = 0; t < T && insolvent < 0; t++)
        {
            double years = t / 12.0;
            double users = K / (1 + (K / s0 - 1) * Math.Exp(-(r / 12 - churn) * t));
            double api = api0 * Math.Pow(1 + gApi, years);
            double tokens = users * tok0 * Math.Pow(1 + gTok, years) * (1 + free * freeShare) + api;
            double revenue = users * arpu + api * p0 * Math.Exp(mu * years);
            double cogs = tokens * c0 * Math.Pow(1 - decline, years) + share * revenue;
            double burn = cogs + train0 * Math.Pow(1 + gTrain, years) + staff0 * Math.Pow(1 + gStaff, years) - revenue;
            cash -= burn;
            if (burn <= 0 && double.IsNaN(breakEven)) breakEven = t;
            if (burn > 0 && cash < runway * burn)
            {
                if (success >= 1)
                {
                    double amount = roundMonths * burn, pre = multiple * 12 * revenue;
                    founders *= pre / (pre + amount);
                    cash += amount * (1 - fee); raised += amount; rounds++;
                }
                else failed++;
            }
            minCash = Math.Min(minCash, cash);
            sumRev += revenue; sumCogs += cogs;
            if (cash < 0) insolvent = t;
        }
        return new Expected(insolvent, rounds, failed, raised, cash, minCash, founders, sumRev, (sumRev - sumCogs) / sumRev, breakEven);
    }

    public static TheoryData<string, double, double, double> Cases() => new()
    {
        // Every raise fails: the lab burns its 50 M and stops.
        { "cpu", 0.0, 0.0, 12 }, { "ilgpu-cpu", 0.0, 0.0, 12 },
        // Every raise succeeds, but a round of 2 months' burn less a 60% fee adds 0.8 months of burn: cash still falls.
        { "cpu", 1.0, 0.6, 2 }, { "ilgpu-cpu", 1.0, 0.6, 2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void InsolvencyMonthAndFrozenMetricsMatchTheClosedForm(string backendName, double success, double fee, double roundMonths)
    {
        var overrides = new[]
        {
            $"lab.funding.success_probability={success}", $"lab.funding.fee_share={fee}", $"lab.funding.round_months={roundMonths}",
        };
        using var backend = BackendFactory.Create(backendName, 0, out _);
        var r = LabFixture.Run(LabFixture.Deterministic, overrides, backend);
        var e = ClosedForm(success, fee, roundMonths);
        Assert.InRange(e.InsolvencyMonth, 1, 46);   // the case is informative: insolvent inside the horizon, not at once
        if (success >= 1) Assert.True(e.Rounds >= 2, $"the fee case should raise several rounds (has {e.Rounds})");
        else Assert.True(e.Failed >= 2, $"the failing case should try several times (has {e.Failed})");
        for (int path = 0; path < r.Paths; path++)
        {
            double M(string name) => LabFixture.Column(r, name)[path];
            Assert.Equal(1.0, M("insolvent"));
            Assert.Equal(e.InsolvencyMonth, M("insolvency_month"));
            Assert.Equal(e.Rounds, M("rounds"));
            Assert.Equal(e.Failed, M("failed_raises"));
            LabFixture.AssertRelative(e.Raised, M("capital_raised"), 1e-9, "capital_raised (gross of fees)");
            LabFixture.AssertRelative(e.Cash, M("final_cash"), 1e-9, "final_cash (cash at the insolvency month)");
            Assert.True(M("final_cash") < 0);
            LabFixture.AssertRelative(e.MinCash, M("min_cash"), 1e-9, "min_cash");
            LabFixture.AssertRelative(e.Founders, M("founders_ownership"), 1e-9, "founders_ownership");
            LabFixture.AssertRelative(e.TotalRevenue, M("total_revenue"), 1e-9, "total_revenue (months operated)");
            LabFixture.AssertRelative(e.GrossMargin, M("gross_margin"), 1e-9, "gross_margin");
            LabFixture.AssertRelative(e.BreakEven, M("months_to_break_even"), 0, "months_to_break_even");
            Assert.Equal(0.0, M("final_arr"));
            Assert.Equal(0.0, M("final_paying_users"));
            for (int k = 1; k <= 4; k++)
                Assert.Equal(e.InsolvencyMonth < 12 * k ? 1.0 : 0.0, M($"insolvent_by_year_{k}"));
            // Bands (docs/model.md 6): the insolvency month's own flows are recorded (its cash band is the negative final
            // cash), every later month is NaN.
            float Band(int t, int series) => r.Bands[(long)path * 48 * 5 + (long)t * 5 + series];
            Assert.Equal((float)e.Cash, Band(e.InsolvencyMonth, 0));
            for (int t = e.InsolvencyMonth + 1; t < 48; t++)
                for (int series = 0; series < 5; series++)
                    Assert.True(float.IsNaN(Band(t, series)), $"band {series} of month {t} after insolvency should be NaN");
        }
    }

    [Fact]
    public void ARoundForALabWithoutRevenueTakesTheWholeCompany()
    {
        // docs/model.md 6: pre-money = multiple x 12 x revenue, so with no revenue pre = 0 and founders and early
        // investors keep pre / (pre + amount) = 0 after the first round.
        var r = LabFixture.Run(LabFixture.Deterministic, new[] { "lab.arpu_usd_month=0", "lab.api.mtok_month=0" });
        for (int path = 0; path < r.Paths; path++)
        {
            Assert.True(LabFixture.Column(r, "rounds")[path] >= 1);
            Assert.Equal(0.0, LabFixture.Column(r, "founders_ownership")[path]);
            Assert.Equal(0.0, LabFixture.Column(r, "early_investors_ownership")[path]);
            Assert.True(double.IsNaN(LabFixture.Column(r, "gross_margin")[path]), "gross margin is NaN without revenue");
        }
    }
}
