using ComputeEconomics.Models;
using ComputeEconomics.Statistics;

namespace ComputeEconomics.Tests.Statistics;

/// <summary>CVaR5 reads the unfavourable tail: the lowest values where more is better, the highest where less is better.</summary>
public class CvarTailTests
{
    private static readonly double[] OneToHundred = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();

    [Fact]
    public void MoreIsBetterAveragesTheFiveSmallest()
    {
        var s = Summarizer.Summarize("npv", OneToHundred, MetricInfo.UpperTail("npv"));
        Assert.Equal((1 + 2 + 3 + 4 + 5) / 5.0, s.Cvar5);
        Assert.Equal("lower", s.Cvar5Tail);
    }

    [Theory]
    [InlineData("cost_per_gpu_hour")]
    [InlineData("payback_month")]
    [InlineData("months_to_break_even")]
    [InlineData("revenue_gap_y2030")]
    public void LessIsBetterAveragesTheFiveLargest(string metric)
    {
        var s = Summarizer.Summarize(metric, OneToHundred, MetricInfo.UpperTail(metric));
        Assert.Equal((96 + 97 + 98 + 99 + 100) / 5.0, s.Cvar5);
        Assert.Equal("upper", s.Cvar5Tail);
    }

    [Fact]
    public void NoPreferenceKeepsTheLowerTail()
    {
        var s = Summarizer.Summarize("final_price", OneToHundred, MetricInfo.UpperTail("final_price"));
        Assert.Equal(3.0, s.Cvar5);
        Assert.Equal("lower", s.Cvar5Tail);
    }

    [Fact]
    public void UpperCvarIsMinusTheLowerCvarOfTheNegatedSample()
    {
        // 7 values, alpha 0.05: ceil(0.35) = 1 value, the largest.
        double[] x = { -3, 0.5, 1, 2, 8, 9, 40 };
        Assert.Equal(40.0, Summarizer.UpperCvar(x, 0.05));
        // alpha 0.3: ceil(2.1) = 3 values: (9 + 8 + 40) / 3.
        Assert.Equal((40 + 9 + 8) / 3.0, Summarizer.UpperCvar(x, 0.3), 12);
    }
}
