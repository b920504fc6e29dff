using ComputeEconomics.Backends;

namespace ComputeEconomics.Tests.Lab;

/// <summary>
/// SPEC 9 for the lab kind: with zero volatility, no regime switching and rounds that always succeed, every path
/// equals the closed form written here from SPEC 6 alone (not from the kernel): the logistic
/// S_t = K / (1 + (K/S_0 - 1) e^{-(r/12 - churn) t}), the price P_0 e^{mu t/12}, growth (1 + g)^{t/12}, and the
/// funding rule (raise M months of burn when cash &lt; R months of burn; pre-money = multiple x 12 x revenue).
/// </summary>
public class LabClosedFormTests
{
    private sealed record Expected(double Cash, double MinCash, double Raised, int Rounds, double Founders, double Early,
        double GrossMargin, double BurnMultiple, double TotalRevenue, double FinalArr, double FinalUsers, double BreakEven,
        double CostPerMtok);

    private static Expected ClosedForm(bool apiIndex)
    {
        const int T = 48;
        const double K = 500_000, s0 = 20_000, r = 1.8, churn = 0.04, free = 3, arpu = 25;
        const double tok0 = 1.5, freeShare = 0.2, gTok = 0.8, api0 = 200_000, gApi = 1.5, share = 0.1;
        const double p0 = 8.0, mu = -0.5, c0 = 4.0, decline = 0.3, train0 = 2e6, gTrain = 0.5, staff0 = 1.5e6, gStaff = 0.25;
        const double runway = 6, roundMonths = 12, multiple = 20;
        double cash = 50e6, minCash = cash, raised = 0, founders = 0.5, early = 0.3;
        int rounds = 0;
        double sumRev = 0, sumCogs = 0, sumBurn = 0, sumInf = 0, sumTok = 0, rev0 = 0, revLast = 0, users = s0;
        double breakEven = double.NaN;
        for (int t = 0; t < T; t++)
        {
            users = K / (1 + (K / s0 - 1) * Math.Exp(-(r / 12 - churn) * t));
            double price = p0 * Math.Exp(mu * t / 12.0);
            double years = t / 12.0;
            double api = api0 * Math.Pow(1 + gApi, years);
            double tokens = users * tok0 * Math.Pow(1 + gTok, years) * (1 + free * freeShare) + api;
            double unitCost = apiIndex ? price : c0 * Math.Pow(1 - decline, years);
            double revenue = users * arpu + api * price;
            double cogs = tokens * unitCost + share * revenue;
            double costs = cogs + train0 * Math.Pow(1 + gTrain, years) + staff0 * Math.Pow(1 + gStaff, years);
            double burn = costs - revenue;
            cash -= burn;
            if (burn <= 0 && double.IsNaN(breakEven)) breakEven = t;
            if (burn > 0 && cash < runway * burn)
            {
                double amount = roundMonths * burn;
                double pre = multiple * 12 * revenue;
                founders *= pre / (pre + amount);
                early *= pre / (pre + amount);
                cash += amount; raised += amount; rounds++;
            }
            Assert.True(cash >= 0, "the closed-form lab must stay solvent (rounds always succeed)");
            minCash = Math.Min(minCash, cash);
            if (t == 0) rev0 = revenue;
            revLast = revenue;
            sumRev += revenue; sumCogs += cogs; sumBurn += burn; sumInf += tokens * unitCost; sumTok += tokens;
        }
        double newArr = 12 * (revLast - rev0);
        return new Expected(cash, minCash, raised, rounds, founders, early, (sumRev - sumCogs) / sumRev,
            newArr > 0 ? sumBurn / newArr : double.NaN, sumRev, 12 * revLast, users, breakEven, sumInf / sumTok);
    }

    public static TheoryData<string, bool> Cases() => new()
    {
        { "cpu", false }, { "ilgpu-cpu", false }, { "cpu", true }, { "ilgpu-cpu", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ZeroVolatilityMatchesClosedForm(string backendName, bool apiIndex)
    {
        var overrides = apiIndex ? new[] { "lab.inference=api_index", "lab.inference_cost_per_mtok=null" } : Array.Empty<string>();
        using var backend = BackendFactory.Create(backendName, 0, out _);
        var r = LabFixture.Run(LabFixture.Deterministic, overrides, backend);
        var e = ClosedForm(apiIndex);
        Assert.True(e.Rounds >= 2, $"the closed-form case should exercise several rounds (has {e.Rounds})");
        for (int path = 0; path < r.Paths; path++)
        {
            double M(string name) => LabFixture.Column(r, name)[path];
            Assert.Equal(0.0, M("insolvent"));
            Assert.Equal(e.Rounds, M("rounds"));
            Assert.Equal(0.0, M("failed_raises"));
            LabFixture.AssertRelative(e.Cash, M("final_cash"), 1e-9, "final_cash");
            LabFixture.AssertRelative(e.MinCash, M("min_cash"), 1e-9, "min_cash");
            LabFixture.AssertRelative(e.Raised, M("capital_raised"), 1e-9, "capital_raised");
            LabFixture.AssertRelative(e.Founders, M("founders_ownership"), 1e-9, "founders_ownership");
            LabFixture.AssertRelative(e.Early, M("early_investors_ownership"), 1e-9, "early_investors_ownership");
            LabFixture.AssertRelative(e.GrossMargin, M("gross_margin"), 1e-9, "gross_margin");
            LabFixture.AssertRelative(e.BurnMultiple, M("burn_multiple"), 1e-9, "burn_multiple");
            LabFixture.AssertRelative(e.TotalRevenue, M("total_revenue"), 1e-9, "total_revenue");
            LabFixture.AssertRelative(e.FinalArr, M("final_arr"), 1e-9, "final_arr");
            LabFixture.AssertRelative(e.FinalUsers, M("final_paying_users"), 1e-9, "final_paying_users");
            LabFixture.AssertRelative(e.BreakEven, M("months_to_break_even"), 1e-9, "months_to_break_even");
            LabFixture.AssertRelative(e.CostPerMtok, M("inference_cost_per_mtok"), 1e-9, "inference_cost_per_mtok");
            for (int k = 1; k <= 4; k++) Assert.Equal(0.0, M($"insolvent_by_year_{k}"));
        }
    }
}
