using ComputeEconomics.Kernels.Finance;
using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Tests.Kernels;

/// <summary>
/// The kernels compare parameter codes against the named constants of Models/Codes.cs (and DepreciationMath's method
/// codes); the host compiler writes them. Each scenario value must reach the kernel as the constant named for it.
/// </summary>
public class CodesTests
{
    private static FleetParams Fleet(params string[] overrides)
        => ((ModelJob<FleetModel>)ScenarioCompiler.Compile(ScenarioLoader.Load("neocloud-h100", overrides))).Model.P;

    [Theory]
    [InlineData("never", ReplacementPolicy.Never)]
    [InlineData("fixed_age", ReplacementPolicy.FixedAge)]
    [InlineData("margin", ReplacementPolicy.Margin)]
    public void ReplacementPolicyReachesTheKernelAsItsNamedCode(string policy, int code)
        => Assert.Equal(code, Fleet($"fleet.replacement.policy={policy}").ReplacementPolicy);

    [Theory]
    [InlineData("retire", FailurePolicy.Retire)]
    [InlineData("replace", FailurePolicy.Replace)]
    public void FailurePolicyReachesTheKernelAsItsNamedCode(string policy, int code)
        => Assert.Equal(code, Fleet($"fleet.failures.policy={policy}").ReplaceFailures);

    [Theory]
    [InlineData("straight_line", DepreciationMath.StraightLine)]
    [InlineData("declining_balance", DepreciationMath.DecliningBalance)]
    [InlineData("sum_of_years_digits", DepreciationMath.SumOfYearsDigits)]
    [InlineData("units_of_production", DepreciationMath.UnitsOfProduction)]
    public void BookMethodReachesTheKernelAsItsNamedCode(string method, int code)
        => Assert.Equal(code, Fleet($"fleet.depreciation.book.method={method}").BookMethod);

    [Fact]
    public void SwitchesReachTheKernelAsOnAndOff()
    {
        Assert.Equal(Switch.Off, Fleet("fleet.failures.enabled=false").FailuresOn);
        Assert.Equal(Switch.On, Fleet("fleet.failures.enabled=true").FailuresOn);
        Assert.Equal(Switch.Off, Fleet("fleet.financing.terminal_value=false").TerminalValue);
        Assert.Equal(Switch.On, Fleet("fleet.financing.terminal_value=true").TerminalValue);
        Assert.Equal(Switch.On, Fleet("sampling=antithetic").Market.Antithetic);
        Assert.Equal(Switch.Off, Fleet().Market.Antithetic);
    }

    [Theory]
    [InlineData("0", MarketRegime.Normal)]
    [InlineData("1", MarketRegime.Bust)]
    public void InitialRegimeReachesTheKernelAsItsNamedCode(string regime, int code)
        => Assert.Equal(code, Fleet($"market.regime.initial={regime}").Market.InitialRegime);

    [Theory]
    [InlineData("api-startup", InferenceMode.ApiPrice)]
    [InlineData("frontier-lab", InferenceMode.OwnFleetFixed)]
    public void InferenceModeReachesTheKernelAsItsNamedCode(string scenario, int code)
        => Assert.Equal(code, ((ModelJob<LabModel>)ScenarioCompiler.Compile(ScenarioLoader.Load(scenario))).Model.P.InferenceMode);
}
