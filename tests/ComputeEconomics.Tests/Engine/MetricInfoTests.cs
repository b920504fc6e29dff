using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Tests.Engine;

public class MetricInfoTests
{
    public static IEnumerable<object[]> Shipped() => ScenarioLoader.EmbeddedNames().Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Shipped))]
    public void EveryMetricOfEveryShippedScenarioHasAUnit(string name)
    {
        var job = ScenarioCompiler.Compile(ScenarioLoader.Load(name));
        var missing = job.MetricNames.Where(m => MetricInfo.For(m).Unit.Length == 0).ToList();
        Assert.True(missing.Count == 0, $"{name}: no unit for {string.Join(", ", missing)}");
    }

    [Fact]
    public void EventFlagsAreFlagsAndCostsPreferLess()
    {
        Assert.Equal("flag", MetricInfo.For("default").Unit);
        Assert.Equal("flag", MetricInfo.For("insolvent_by_year_3").Unit);
        Assert.Equal("flag", MetricInfo.For("gap_closed_by_year_2").Unit);
        Assert.Equal(Better.Lower, MetricInfo.For("cost_per_gpu_hour").Better);
        Assert.Equal(Better.Higher, MetricInfo.For("npv").Better);
        Assert.Equal("", MetricInfo.For("no_such_metric").Unit);
    }
}
