using ComputeEconomics.Backends;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Fleet;

/// <summary>
/// Issue 15 items 1 and 3 (docs/model.md 3, "Counterparty default", "Renewal"; 5, "Asset classes"), on the deterministic
/// fixture: 100 units of G at 30 000 bought at month 0, rent P_t = 2 e^(-0.2 t/12), utilisation 0.7, availability 1,
/// physical life 60 months. Every expected value is the closed form of that fixture, computed here.
/// </summary>
public class ContractTests
{
    private const double Units = 100, Hours = 730, Util = 0.7;

    private static double Spot(int t) => 2.0 * Math.Exp(-0.2 * t / 12);

    /// <summary>Spot revenue of month t with every unit on spot (the units retire at age 60).</summary>
    private static double SpotRevenue(int t) => t < 60 ? Units * Util * Hours * Spot(t) : 0.0;

    private static double SpotTotal() => Enumerable.Range(0, 72).Sum(SpotRevenue);

    private static readonly string[] Contract =
    {
        "fleet.operations.contract.share=1", "fleet.operations.contract.price=3", "fleet.operations.contract.term_months=24",
        "fleet.operations.contract.start_month=12", "fleet.operations.contract.take_or_pay_share=1",
    };

    [Fact]
    public void ACertainDefaultSendsTheContractToSpotInItsFirstMonth()
    {
        // Annual probability 1: the monthly hazard is 1, so every path defaults in the contract's first month (12) and
        // the revenue is the spot revenue throughout; the obligation lost is the whole term, 24 x 100 x 730 x 3, and a
        // recovery share of 0.25 pays a quarter of it in month 12.
        var r = FleetFixture.Run(FleetFixture.Deterministic, Contract.Concat(new[]
        {
            "fleet.operations.contract.counterparty.annual_default_probability=1",
            "fleet.operations.contract.counterparty.recovery_share=0.25",
        }));
        double obligation = 24 * Units * Hours * 3.0;
        Assert.All(FleetFixture.Column(r, "counterparty_default"), d => Assert.Equal(1.0, d));
        Assert.All(FleetFixture.Column(r, "counterparty_default_month"), m => Assert.Equal(12.0, m));
        FleetFixture.AssertRelative(obligation, FleetFixture.Column(r, "counterparty_revenue_lost")[0], 1e-12, "revenue lost");
        FleetFixture.AssertRelative(0.25 * obligation, FleetFixture.Column(r, "counterparty_recovery")[0], 1e-12, "recovery");
        FleetFixture.AssertRelative(SpotTotal() + 0.25 * obligation, FleetFixture.Column(r, "total_revenue")[0], 1e-9, "total revenue");
    }

    [Fact]
    public void ACounterpartyThatCannotDefaultChangesNothing()
    {
        // A hazard of 1e-15 a month switches the counterparty on (its draws are made on stream Counterparty) but never
        // defaults on these paths: every metric of the plain contract run is bit-identical, and the flag is 0.
        var plain = FleetFixture.Run(FleetFixture.Deterministic, Contract);
        var on = FleetFixture.Run(FleetFixture.Deterministic, Contract.Concat(new[]
        {
            "fleet.operations.contract.counterparty.annual_default_probability=1e-14",
            "fleet.operations.contract.counterparty.bust_factor=10", "fleet.operations.contract.counterparty.recovery_share=0.5",
        }));
        foreach (string name in plain.Job.MetricNames)
            Assert.Equal(FleetFixture.Column(plain, name), FleetFixture.Column(on, name));
        Assert.All(FleetFixture.Column(on, "counterparty_default"), d => Assert.Equal(0.0, d));
        Assert.DoesNotContain("counterparty_default", plain.Job.MetricNames);
    }

    [Fact]
    public void DefaultByMonthTMatchesTheGeometricLaw()
    {
        // Annual probability 0.2 over a 24-month term (no bust: bust_price_share 0): P(default) = 1 - (1 - h)^24 with
        // h = 1 - 0.8^(1/12), i.e. 1 - 0.8^2 = 0.36; within 4 standard errors of 4 000 paths (sd 0.0076).
        const int paths = 4000;
        var r = ScenarioRuns.Run(FleetFixture.Deterministic, Contract.Concat(new[]
        {
            "fleet.operations.contract.counterparty.annual_default_probability=0.2",
            "fleet.operations.contract.counterparty.bust_price_share=0",
        }), paths: paths);
        double exact = 1 - Math.Pow(0.8, 2);
        double se = Math.Sqrt(exact * (1 - exact) / paths);
        double p = FleetFixture.Column(r, "counterparty_default").Average();
        Assert.True(Math.Abs(p - exact) <= 4 * se, $"P(default) {p} vs {exact} (se {se})");
        // Among defaults, P(month <= 12 + 11) = (1 - 0.8) / 0.36 (the first year of the term).
        var months = FleetFixture.Column(r, "counterparty_default_month").Where(m => !double.IsNaN(m)).ToArray();
        double firstYear = 0.2 / exact, seYear = Math.Sqrt(firstYear * (1 - firstYear) / months.Length);
        double observed = months.Count(m => m < 24) / (double)months.Length;
        Assert.True(Math.Abs(observed - firstYear) <= 4 * seYear, $"first-year share {observed} vs {firstYear} (se {seYear})");
        Assert.All(months, m => Assert.InRange(m, 12, 35));
    }

    [Fact]
    public void ABustMultipliesTheHazardOnceTheRentFallsBelowItsShare()
    {
        // No regime switching: a bust is P_t < 0.5 P_0, first at t = 42 (2 e^(-0.2 t/12) < 1 for t > 12 ln 2 / 0.2 =
        // 41.6). A hazard of 0.001 a month (annual 1 - 0.999^12) times a bust factor of 1000 is 1 from then: every path
        // defaults in month 42 unless it did in months 36..41 (probability 0.6% a path; these four seeded paths do not).
        var r = FleetFixture.Run(FleetFixture.Deterministic, new[]
        {
            "fleet.operations.contract.share=0.5", "fleet.operations.contract.price=3", "fleet.operations.contract.term_months=30",
            "fleet.operations.contract.start_month=36",
            $"fleet.operations.contract.counterparty.annual_default_probability={1 - Math.Pow(0.999, 12):R}",
            "fleet.operations.contract.counterparty.bust_factor=1000", "fleet.operations.contract.counterparty.bust_price_share=0.5",
        });
        Assert.All(FleetFixture.Column(r, "counterparty_default_month"), m => Assert.Equal(42.0, m));
    }

    [Theory]
    [InlineData("spot", 0.0)]
    [InlineData("spot_with_discount", 0.1)]
    public void RenewalLocksTheSpotRentOfEachTermEnd(string policy, double discount)
    {
        // Months 0..11 at 2.0 (= P_0), then renewed every 12 months at P_12k x (1 - discount), paid as used (take-or-pay
        // 0): month t earns 100 x 0.7 x 730 x P_(12 floor(t/12)) x (1 - discount if t >= 12). With no drift it would be
        // the spot revenue; with the fixture's drift each term keeps its first month's rent.
        var set = new List<string>
        {
            "fleet.operations.contract.share=1", "fleet.operations.contract.price=2", "fleet.operations.contract.term_months=12",
            "fleet.operations.contract.take_or_pay_share=0", $"fleet.operations.contract.renewal.policy={policy}",
        };
        if (discount > 0) set.Add($"fleet.operations.contract.renewal.discount={discount}");
        var r = FleetFixture.Run(FleetFixture.Deterministic, set);
        double expected = 0;
        for (int t = 0; t < 60; t++)
            expected += Units * Util * Hours * Spot(12 * (t / 12)) * (t >= 12 ? 1 - discount : 1);
        FleetFixture.AssertRelative(expected, FleetFixture.Column(r, "total_revenue")[0], 1e-9, "total revenue");
    }

    [Fact]
    public void RenewalAtSpotEarnsTheSpotRevenueInAFlatMarket()
    {
        // No drift and no volatility: a contract at P_0 renewed at spot every 12 months, paid as used, earns exactly the
        // spot revenue 100 x 0.7 x 730 x 2 a month for the units' 60 months.
        var r = FleetFixture.Run(FleetFixture.Deterministic, new[]
        {
            "market.price.drift=0", "fleet.operations.contract.share=1", "fleet.operations.contract.price=2",
            "fleet.operations.contract.term_months=12", "fleet.operations.contract.take_or_pay_share=0",
            "fleet.operations.contract.renewal.policy=spot",
        });
        FleetFixture.AssertRelative(60 * Units * Util * Hours * 2.0, FleetFixture.Column(r, "total_revenue")[0], 1e-9, "total revenue");
    }

    [Fact]
    public void TheBacklogCountsARenewedTermFromItsStart()
    {
        // 36-month term at 3.0, pure take-or-pay, renewed at spot at month 36 (P_36 = 2 e^(-0.6)): at the end of year 3
        // (t = 35) 0 months of the first term remain; at the end of year 4 (t = 47), 24 months of the renewed term.
        var r = FleetFixture.Run(FleetFixture.Deterministic, new[]
        {
            "fleet.depreciation.fiscal_year_metrics=true", "fleet.operations.contract.share=1", "fleet.operations.contract.price=3",
            "fleet.operations.contract.term_months=36", "fleet.operations.contract.renewal.policy=spot",
        });
        Assert.Equal(0.0, FleetFixture.Column(r, "backlog_y3")[0]);
        FleetFixture.AssertRelative(Units * Hours * Spot(36) * 24, FleetFixture.Column(r, "backlog_y4")[0], 1e-9, "backlog y4");
    }

    [Fact]
    public void AssetClassesDepreciateStraightLineByHand()
    {
        // Servers cost 100 x 30 000 = 3 M; network 0.2 and buildings 0.1 of the total: C / 0.7 in all, network
        // 3 M x 0.2 / 0.7 over 24 months (economic life 48), buildings 3 M x 0.1 / 0.7 over 360 months (the class's default life) to a
        // salvage of 10% (economic life unset: the book life). Charges from month 1; the horizon ends at month 71.
        var r = FleetFixture.Run(FleetFixture.Deterministic, new[]
        {
            "fleet.depreciation.fiscal_year_metrics=true",
            "fleet.depreciation.asset_classes.network.share=0.2", "fleet.depreciation.asset_classes.network.useful_life_months=24",
            "fleet.depreciation.asset_classes.network.economic_life_months=48",
            "fleet.depreciation.asset_classes.buildings.share=0.1", "fleet.depreciation.asset_classes.buildings.salvage_fraction=0.1",
        });
        double servers = 3e6, network = servers * 0.2 / 0.7, buildings = servers * 0.1 / 0.7;
        double buildingMonthly = buildings * 0.9 / 360, serverMonthly = servers * 0.9 / 48;
        FleetFixture.AssertRelative(servers / 0.7, FleetFixture.Column(r, "total_capex")[0], 1e-12, "capex");
        FleetFixture.AssertRelative(network, FleetFixture.Column(r, "depreciation_network")[0], 1e-9, "network");
        FleetFixture.AssertRelative(71 * buildingMonthly, FleetFixture.Column(r, "depreciation_buildings")[0], 1e-9, "buildings");
        Assert.Equal(0.0, FleetFixture.Column(r, "depreciation_power_and_cooling")[0]);
        FleetFixture.AssertRelative(servers * 0.9, FleetFixture.Column(r, "depreciation_servers")[0], 1e-9, "servers");
        // Year 1 (months 0..11): 11 charges of each.
        FleetFixture.AssertRelative(11 * (serverMonthly + network / 24 + buildingMonthly), FleetFixture.Column(r, "depreciation_expense_y1")[0], 1e-9, "year 1");
        // At the horizon the servers are retired (age 60): the book value is the buildings' and the market value the
        // buildings' straight-line value (the network's is 0 after 48 months).
        FleetFixture.AssertRelative(buildings - 71 * buildingMonthly, FleetFixture.Column(r, "final_book_value")[0], 1e-9, "final book value");
        FleetFixture.AssertRelative(buildings * (1 - 71.0 / 360), FleetFixture.Column(r, "final_market_value")[0], 1e-9, "final market value");
    }

    [Fact]
    public void CpuAndIlgpuCpuAreBitIdenticalWithContractsAndAssetClassesOn()
    {
        var set = new[]
        {
            "paths=200", "horizon_months=60", "fleet.operations.contract.share=0.6", "fleet.operations.contract.price=2.2",
            "fleet.operations.contract.term_months=18", "fleet.operations.contract.renewal.policy=spot_with_discount",
            "fleet.operations.contract.renewal.discount=0.05", "fleet.operations.contract.renewal.probability=0.7",
            "fleet.operations.contract.counterparty.annual_default_probability=0.15", "fleet.operations.contract.counterparty.bust_factor=3",
            "fleet.operations.contract.counterparty.recovery_share=0.3", "fleet.depreciation.asset_classes.network.share=0.13",
            "fleet.depreciation.asset_classes.power_and_cooling.share=0.2", "fleet.depreciation.asset_classes.buildings.share=0.1",
            "fleet.depreciation.fiscal_year_metrics=true",
        };
        var job = ComputeEconomics.Models.ScenarioCompiler.Compile(ScenarioLoader.Load(null, set));
        using var cpu = new CpuBackend();
        using var ilgpu = IlgpuBackend.CreateCpu();
        var a = ComputeEconomics.Running.Simulator.Run(job, cpu, new ComputeEconomics.Running.RunOptions { Paths = 200, BandPaths = 50 });
        var b = ComputeEconomics.Running.Simulator.Run(job, ilgpu, new ComputeEconomics.Running.RunOptions { Paths = 200, BandPaths = 50, BatchSize = 37 });
        BitCompare.AssertIdentical(a, b, "contracts and asset classes: cpu vs ilgpu-cpu");
        double p = a.Job.MetricNames.Contains("counterparty_default") ? ScenarioRuns.Column(a, "counterparty_default").Average() : -1;
        Assert.InRange(p, 0.01, 0.99);   // some paths default, some do not: both branches ran
    }

    [Fact]
    public void ALabCounterpartyDefaultsAsTheLabGoesInsolvent()
    {
        // The hazard table is the lab run's insolvency hazard with the same seed and paths, and its product telescopes: the
        // fleet's P(default in months 0..35) has expectation the lab run's share of paths insolvent by month 35, computed
        // here from an ordinary run of the built-in lab scenario api-startup; within 4 standard errors of the fleet's paths.
        const int paths = 2000;
        var labJob = ComputeEconomics.Models.ScenarioCompiler.Compile(ScenarioLoader.Load("api-startup", new[] { "seed=42", $"paths={paths}", "band_paths=0" }));
        using var cpu = new CpuBackend();
        var lab = ComputeEconomics.Running.Simulator.Run(labJob, cpu, new ComputeEconomics.Running.RunOptions { Paths = paths, BandPaths = 0 });
        double exact = ScenarioRuns.Column(lab, "insolvency_month").Count(m => m <= 35) / (double)paths;
        Assert.InRange(exact, 0.02, 0.98);   // some lab paths fail within the term and some do not
        var r = ScenarioRuns.Run(FleetFixture.Deterministic, new[]
        {
            "seed=42", $"paths={paths}", "fleet.operations.contract.share=1", "fleet.operations.contract.price=3", "fleet.operations.contract.term_months=36",
            "fleet.operations.contract.counterparty.lab_scenario=api-startup",
        }, paths: paths);
        double p = FleetFixture.Column(r, "counterparty_default").Average();
        double se = Math.Sqrt(exact * (1 - exact) / paths);
        Assert.True(Math.Abs(p - exact) <= 4 * se, $"P(default) {p} vs the lab's P(insolvent by 35) {exact} (se {se})");
    }

    [Fact]
    public void TheLabHazardIsTheShareOfSolventPathsFailingEachMonth()
    {
        // Insolvency months 0, 0, 1 and one solvent path over a 3-month lab: 2/4 in month 0, 1/2 in month 1, 0/1 in
        // month 2, and month 2's hazard after the lab's horizon.
        var h = ComputeEconomics.Models.Fleet.LabHazard.FromInsolvencyMonths(new[] { 0.0, 0.0, 1.0, double.NaN }, 3, 5);
        Assert.Equal(new[] { 0.5, 0.5, 0.0, 0.0, 0.0 }, h);
    }

    [Theory]
    [InlineData("fleet.depreciation.asset_classes.network.share=0.6,fleet.depreciation.asset_classes.buildings.share=0.4", "fleet.depreciation.asset_classes", "must be < 1")]
    [InlineData("fleet.operations.contract.renewal.policy=spot", "fleet.operations.contract.renewal.policy", "needs a contract")]
    [InlineData("fleet.operations.contract.counterparty.annual_default_probability=0.1", "fleet.operations.contract.counterparty.annual_default_probability", "needs a contract")]
    [InlineData("fleet.operations.contract.share=0.5,fleet.operations.contract.term_months=12,fleet.operations.contract.renewal.discount=0.1", "fleet.operations.contract.renewal.discount", "spot_with_discount")]
    [InlineData("fleet.operations.contract.renewal.policy=monthly", "fleet.operations.contract.renewal.policy", "")]
    [InlineData("fleet.operations.contract.counterparty.recovery_share=1.5", "fleet.operations.contract.counterparty.recovery_share", "")]
    [InlineData("fleet.operations.contract.share=0.5,fleet.operations.contract.term_months=12,fleet.operations.contract.counterparty.lab_scenario=neocloud-h100", "fleet.operations.contract.counterparty.lab_scenario", "must be of kind lab")]
    [InlineData("fleet.operations.contract.share=0.5,fleet.operations.contract.term_months=12,fleet.operations.contract.counterparty.lab_scenario=no-such-lab.yaml", "fleet.operations.contract.counterparty.lab_scenario", "could not be loaded")]
    public void BadContractAndAssetClassInputNamesTheField(string sets, string field, string rule)
    {
        var ex = Assert.Throws<InputException>(() => ScenarioLoader.FromText(FleetFixture.Deterministic, "test", sets.Split(',')));
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
        Assert.Contains(rule, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheNewSectionsBindFromYaml()
    {
        var s = ScenarioLoader.FromText(FleetFixture.Deterministic.Replace(
            "operations: { pue: 1.2,",
            "operations: { contract: { share: 0.5, price: 2.5, term_months: 24, counterparty: { annual_default_probability: 0.05, bust_factor: 4, bust_price_share: 0.6, recovery_share: 0.4 }, renewal: { policy: spot_with_discount, discount: 0.1, probability: 0.8 } }, pue: 1.2,",
            StringComparison.Ordinal).Replace(
            "depreciation:\n",
            "depreciation:\n    asset_classes: { network: { share: 0.13, useful_life_months: 72, economic_life_months: 60 }, buildings: { share: 0.05, salvage_fraction: 0.2 } }\n",
            StringComparison.Ordinal), "test");
        var c = s.Fleet.Operations.Contract;
        Assert.Equal(0.05, c.Counterparty.AnnualDefaultProbability);
        Assert.Equal(4, c.Counterparty.BustFactor);
        Assert.Equal(0.6, c.Counterparty.BustPriceShare);
        Assert.Equal(0.4, c.Counterparty.RecoveryShare);
        Assert.Equal("spot_with_discount", c.Renewal.Policy);
        Assert.Equal(0.1, c.Renewal.Discount);
        Assert.Equal(0.8, c.Renewal.Probability);
        var a = s.Fleet.Depreciation.AssetClasses;
        Assert.Equal(0.13, a.Network.Share);
        Assert.Equal(72, a.Network.UsefulLifeMonths);
        Assert.Equal(60, a.Network.EconomicLifeMonths);
        Assert.Equal(0.05, a.Buildings.Share);
        Assert.Equal(0.2, a.Buildings.SalvageFraction);
        Assert.Null(a.Buildings.UsefulLifeMonths);   // the class's default life (360) applies
        Assert.Equal(0.0, a.PowerAndCooling.Share);
    }
}
