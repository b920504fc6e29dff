using ComputeEconomics.Tests.Lab;

namespace ComputeEconomics.Tests.Engine;

/// <summary>
/// lab.funding.fee_share, the example field of docs/design.md: added as the record, the kernel parameter and its use.
/// Exact properties, no fitted numbers: a fee of 1 leaves cash as if every raise failed (the round's uniform is drawn
/// either way, so the paths see the same numbers), while dilution still happens; a fee of 0 is the model without it.
/// </summary>
public sealed class LabFeeShareTests
{
    private static readonly string[] CashMetrics = { "final_cash", "min_cash", "insolvent", "insolvency_month", "months_to_break_even" };

    [Fact]
    public void AFeeOfOneLeavesCashAsIfEveryRaiseFailed()
    {
        var allFees = LabFixture.Run(LabFixture.Risky, new[] { "lab.funding.fee_share=1" }, paths: 400);
        var noRaise = LabFixture.Run(LabFixture.Risky, new[] { "lab.funding.success_probability=0" }, paths: 400);
        foreach (var m in CashMetrics)
            Assert.Equal(LabFixture.Column(noRaise, m), LabFixture.Column(allFees, m));
        // The rounds still happen and dilute: founders own less wherever a round closed.
        Assert.Contains(LabFixture.Column(allFees, "rounds"), r => r > 0);
        Assert.True(LabFixture.Column(allFees, "founders_ownership").Average() < LabFixture.Column(noRaise, "founders_ownership").Average());
    }

    [Fact]
    public void AFeeOfZeroIsTheModelWithoutIt()
    {
        var plain = LabFixture.Run(LabFixture.Risky, paths: 400);
        var zero = LabFixture.Run(LabFixture.Risky, new[] { "lab.funding.fee_share=0" }, paths: 400);
        for (int k = 0; k < plain.Columns.Length; k++) Assert.Equal(plain.Columns[k], zero.Columns[k]);
    }
}
