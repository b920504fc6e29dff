namespace ComputeEconomics.Scenarios;

/// <summary>A sweep over a scenario's fields (issue: sweeps at scale). Fields are added by the sweep implementation.</summary>
public sealed record SweepSpec
{
}
