namespace ComputeEconomics.Kernels.Models;

/// <summary>Codes of <see cref="FleetParams.ReplacementPolicy"/> (scenario field <c>fleet.replacement.policy</c>).</summary>
public static class ReplacementPolicy
{
    /// <summary><c>never</c>: a cohort retires only at the end of its physical life.</summary>
    public const int Never = 0;
    /// <summary><c>fixed_age</c>: retired at <c>age_months</c> and rebought as the newest generation.</summary>
    public const int FixedAge = 1;
    /// <summary><c>margin</c>: retired after <c>margin_months</c> consecutive months of negative margin.</summary>
    public const int Margin = 2;
}

/// <summary>Codes of <see cref="FleetParams.ReplaceFailures"/> (scenario field <c>fleet.failures.policy</c>).</summary>
public static class FailurePolicy
{
    /// <summary><c>retire</c>: failed units leave the cohort, their book value written off.</summary>
    public const int Retire = 0;
    /// <summary><c>replace</c>: failed units are replaced in kind (paid after the warranty).</summary>
    public const int Replace = 1;
}

/// <summary>Values of the on/off switches <see cref="FleetParams.FailuresOn"/>, <see cref="FleetParams.TerminalValue"/> and
/// <see cref="MarketParams.Antithetic"/>.</summary>
public static class Switch
{
    public const int Off = 0;
    public const int On = 1;
}

/// <summary>Codes of <see cref="LabParams.InferenceMode"/> (scenario fields <c>lab.inference</c>, <c>inference_cost_from</c>).</summary>
public static class InferenceMode
{
    /// <summary>Inference bought at the API price index P_t.</summary>
    public const int ApiPrice = 0;
    /// <summary>Own fleet at a fixed cost per Mtok at month 0, declining.</summary>
    public const int OwnFleetFixed = 1;
    /// <summary>Own fleet, the month-0 cost drawn per path from a fleet run's empirical distribution.</summary>
    public const int OwnFleetFromRun = 2;
}

/// <summary>Values of <see cref="MarketState.Regime"/> and <see cref="MarketParams.InitialRegime"/>.</summary>
public static class MarketRegime
{
    public const int Normal = 0;
    public const int Bust = 1;
}
