using ComputeEconomics.Backends;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Fleet;

/// <summary>
/// The fleet's optional blocks together: financing tranches (metrics right after the per-year blocks), a counterparty that
/// can default and asset classes (optional groups after them), with the scratch of the tranches after the asset classes'
/// schedules. Switching financing on must not move any contract or asset-class metric (they do not depend on how the
/// fleet is financed, and each block is read at its own index), the tranche's interest must still be the annuity's
/// closed form, and cpu and ilgpu-cpu must agree bit for bit.
/// </summary>
public sealed class FeatureCombinationTests
{
    private static readonly string[] Contracts =
    {
        "paths=200", "fleet.financing.initial_cash=50000000", "fleet.valuation.option_to_idle=false",
        "fleet.operations.contract.share=0.6", "fleet.operations.contract.price=2.2", "fleet.operations.contract.term_months=18",
        "fleet.operations.contract.renewal.policy=spot", "fleet.operations.contract.renewal.probability=0.7",
        "fleet.operations.contract.counterparty.annual_default_probability=0.3", "fleet.operations.contract.counterparty.recovery_share=0.3",
        "fleet.depreciation.asset_classes.network.share=0.13", "fleet.depreciation.asset_classes.power_and_cooling.share=0.2",
        "fleet.depreciation.asset_classes.buildings.share=0.1", "fleet.depreciation.fiscal_year_metrics=true",
    };

    private const double Commitment = 2e6, Rate = 0.12;
    private const int Term = 12;

    private static string WithTermLoan() =>
        FleetFixture.Deterministic.Replace("terminal_value: true }", FormattableString.Invariant(
            $"terminal_value: true,\n    tranches: [ {{ name: t0, kind: term_loan, commitment_usd: {Commitment:R}, rate: {Rate:R}, term_months: {Term} }} ] }}"),
            StringComparison.Ordinal);

    [Fact]
    public void FinancingMovesNoContractOrAssetClassMetricAndKeepsItsClosedForm()
    {
        var without = FleetFixture.Run(FleetFixture.Deterministic, Contracts);
        var with = FleetFixture.Run(WithTermLoan(), Contracts);
        string[] independent =
        {
            "counterparty_default", "counterparty_default_month", "counterparty_revenue_lost", "counterparty_recovery",
            "depreciation_network", "depreciation_power_and_cooling", "depreciation_buildings", "depreciation_servers",
        };
        foreach (var m in independent)
            Assert.Equal(FleetFixture.Column(without, m).Select(BitConverter.DoubleToInt64Bits), FleetFixture.Column(with, m).Select(BitConverter.DoubleToInt64Bits));
        double p = FleetFixture.Mean(with, "counterparty_default");
        Assert.InRange(p, 0.05, 0.95);   // both branches of the default ran

        const double i = Rate / 12;
        double a = Commitment * i / (1 - Math.Pow(1 + i, -Term));
        Assert.All(FleetFixture.Column(with, "interest_tranche1"), v => FleetFixture.AssertRelative(Term * a - Commitment, v, 1e-9, "term loan interest"));
        Assert.All(FleetFixture.Column(with, "original_ownership"), v => Assert.Equal(1.0, v));   // no raise needed with this cash
    }

    [Fact]
    public void CpuAndIlgpuCpuAgreeWithEveryOptionalBlockOn()
    {
        var job = ComputeEconomics.Models.ScenarioCompiler.Compile(ScenarioLoader.FromText(WithTermLoan(), "combined",
            Contracts.Concat(new[] { "market.price.volatility=0.4", "market.regime.normal_to_bust=0.05", "market.regime.bust_to_normal=0.1" })));
        using var cpu = new CpuBackend();
        using var ilgpu = IlgpuBackend.CreateCpu();
        var a = Simulator.Run(job, cpu, new RunOptions { Paths = 200, BandPaths = 50 });
        var b = Simulator.Run(job, ilgpu, new RunOptions { Paths = 200, BandPaths = 50, BatchSize = 37 });
        BitCompare.AssertIdentical(a, b, "financing, contracts and asset classes: cpu vs ilgpu-cpu");
    }
}
