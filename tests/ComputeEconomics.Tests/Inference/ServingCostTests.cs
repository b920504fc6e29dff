using ComputeEconomics.Inference;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Tests.Inference;

/// <summary>Hourly cost and $/Mtok against hand arithmetic on the catalog's H100 figures (docs/catalog.md).</summary>
public class ServingCostTests
{
    [Fact]
    public void HourlyCostIsAmortisedCapexPlusPower()
    {
        var h100 = BuiltInCatalog.Find("H100")!;
        // 39,188 $ over 5 x 8,766 h = 0.8941 $/h; 1.275 kW x 1.3 x 0.0806 $/kWh = 0.1336 $/h.
        double expected = 39_188 / (5 * 8766.0) + 1.275 * 1.3 * 0.0806;
        Assert.Equal(expected, ServingCost.UsdPerGpuHour(h100.UnitCapex!.Value, h100.PowerKw!.Value, CostAssumptions.Default), 12);
        Assert.Equal(1.0277, expected, 4);
    }

    [Fact]
    public void CostPerMillionTokensIsHourlyOverTokensPerHour()
    {
        // docs/sources.md §8: 2 $/GPU-h at 2,100 tok/s is about 0.26 $/Mtok.
        Assert.Equal(2.0 / (2100 * 3600) * 1e6, ServingCost.UsdPerMtok(2.0, 2100), 12);
        Assert.Equal(0.26, ServingCost.UsdPerMtok(2.0, 2100), 2);
    }

    [Fact]
    public void BadAssumptionsAreNamedByOption()
    {
        var errors = new CostAssumptions(0, 0.9, -1).Validate();
        Assert.Contains(errors, e => e.Field == "--life-years" && e.Value == "0");
        Assert.Contains(errors, e => e.Field == "--pue" && e.Rule.Contains("from 1 to 10"));
        Assert.Contains(errors, e => e.Field == "--usd-per-kwh");
    }
}
