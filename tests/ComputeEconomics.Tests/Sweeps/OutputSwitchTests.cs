namespace ComputeEconomics.Tests.Sweeps;

/// <summary>
/// A sweep axis whose values switch an optional block of outputs on at some points and off at
/// others (fiscal-year metrics, the fleet's financing, its counterparty) is refused up front as bad input, naming
/// the axis, the value and the rule, instead of failing inside the run with an internal error.
/// </summary>
public sealed class OutputSwitchTests
{
    [Theory]
    [InlineData("fleet.depreciation.fiscal_year_metrics", "[false, true]")]
    [InlineData("fleet.financing.revolver.limit_usd", "[0, 1000000]")]
    [InlineData("fleet.operations.contract.counterparty.annual_default_probability", "[0, 0.1]")]
    public void AnAxisThatSwitchesAnOutputBlockIsRefusedNamingIt(string field, string values)
    {
        string yaml = $$"""
            scenario: neocloud-h100
            sweep:
              axes:
                - { field: {{field}}, name: switch, values: {{values}} }
            """;
        var e = Assert.Throws<InputException>(() => SweepTestData.Plan(yaml));
        var error = Assert.Single(e.Errors);
        Assert.Contains(field, error.Field);
        Assert.Contains("switches an optional block of outputs", error.Rule);
    }

    [Fact]
    public void AnAxisOnOneSideOfTheSwitchIsAccepted()
    {
        var plan = SweepTestData.Plan("""
            scenario: neocloud-h100
            sweep:
              axes:
                - { field: fleet.financing.revolver.limit_usd, values: [1000000, 2000000] }
            """);
        Assert.Equal(2, plan.PointCount);
    }
}
