using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Models.Fleet;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Tests.Fleet;

/// <summary>
/// A fleet with an opening book (servers owned at month 0, sunk: no purchase flow) has no project IRR: its IRR values
/// the operations only. The answer says so, with the opening book's gross cost (the sum of the vintages' usd), and a
/// fleet without one keeps its "Project IRR" line.
/// </summary>
public sealed class OpeningBookAnswerTests
{
    private static RunSummary Run(string scenario)
    {
        var s = ScenarioLoader.Load(scenario, new[] { "paths=60", "band_paths=0" });
        using var cpu = new CpuBackend();
        return RunSummary.From(Simulator.Run(ScenarioCompiler.Compile(s), cpu, new RunOptions { Paths = 60, BandPaths = 0 }));
    }

    [Fact]
    public void ACompanyWithAnOpeningBookAnswersWithTheIrrOfOperations()
    {
        var scenario = ScenarioLoader.Load("microsoft");
        double gross = scenario.Fleet.Purchase.OpeningBook!.Sum(v => v.Usd);
        Assert.True(gross > 0);
        var summary = Run("microsoft");
        var cost = summary.Metric(FleetKind.OpeningBookCost);
        Assert.Equal(gross, cost.Min);
        Assert.Equal(gross, cost.Max);
        var lines = ModelKinds.For("fleet").AnswerLines(summary);
        Assert.DoesNotContain(lines, l => l.Label == "Project IRR");
        var irr = Assert.Single(lines, l => l.Label == "IRR of operations");
        Assert.Contains("sunk", irr.Text);
    }

    [Fact]
    public void AFleetWithoutOneKeepsTheProjectIrr()
    {
        var summary = Run("neocloud-h100");
        Assert.DoesNotContain(summary.Metrics, m => m.Name == FleetKind.OpeningBookCost);
        Assert.Contains(ModelKinds.For("fleet").AnswerLines(summary), l => l.Label == "Project IRR");
    }
}
