using System.Text.Json;
using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Output;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Tests.Reliability;

/// <summary>
/// summary.json's band_units name the unit of every band series of every model kind: no series is left without a
/// unit, and the kinds that count money in USD billions (docs/model.md sections 7 and 10) say so, per year for the
/// yearly sector model and per month for the economy's monthly flows.
/// </summary>
public sealed class BandUnitTests
{
    private static Dictionary<string, string> Units(string scenario) =>
        Units(ScenarioLoader.Load(scenario, new[] { "paths=40", "band_paths=40" }));

    private static Dictionary<string, string> Units(Scenario s)
    {
        using var cpu = new CpuBackend();
        var r = Simulator.Run(ScenarioCompiler.Compile(s), cpu, new RunOptions { Paths = 40, BandPaths = 40 });
        using var json = JsonDocument.Parse(Writers.SummaryJson(RunSummary.From(r)));
        return json.RootElement.GetProperty("band_units").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }

    [Theory]
    [InlineData("neocloud-h100")]
    [InlineData("frontier-lab")]
    [InlineData("sequoia-600b")]
    [InlineData("ouroboros-base")]
    public void EveryBandSeriesHasAUnit(string scenario)
    {
        var units = Units(scenario);
        Assert.NotEmpty(units);
        Assert.All(units, u => Assert.False(string.IsNullOrWhiteSpace(u.Value), $"{scenario}: band {u.Key} has no unit"));
    }

    [Fact]
    public void MarketBandsHaveUnits()
    {
        var units = Units(ScenarioLoader.FromText("model: market\nname: drivers\nhorizon_months: 24\n", "drivers.yaml"));
        Assert.Equal(new[] { "electricity", "price", "regime", "utilisation" }, units.Keys.Order());
        Assert.Equal("flag", units["regime"]);
        Assert.Equal("fraction", units["utilisation"]);
    }

    [Fact]
    public void SectorBandsAreYearlyBillions()
    {
        var units = Units("sequoia-600b");
        Assert.Equal("USD bn/year", units["capex"]);
        Assert.Equal("USD bn/year", units["required_revenue"]);
    }

    [Fact]
    public void EconomyFlowsAreMonthlyBillions()
    {
        var units = Units("ouroboros-base");
        Assert.Equal("USD bn/month", units["ai_capex"]);
        Assert.Equal("GW", units["gw_installed"]);
        Assert.Equal("USD/Mtok", units["api_price_per_mtok"]);
    }
}
