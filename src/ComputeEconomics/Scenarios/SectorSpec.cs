namespace ComputeEconomics.Scenarios;

/// <summary>Model kind sector (SPEC 7). Fields are added by the sector model's implementation.</summary>
public sealed record SectorSpec
{
}
