namespace ComputeEconomics.Scenarios;

/// <summary>Model kind lab (SPEC 6). Fields are added by the lab model's implementation.</summary>
public sealed record LabSpec
{
}
