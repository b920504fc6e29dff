using ComputeEconomics.Statistics;

namespace ComputeEconomics.Tests.Statistics;

public class SummarizerTests
{
    [Fact]
    public void OneToHundredWithAbsentValues_MatchesClosedForms()
    {
        // Values 1..100 in shuffled order, with 7 NaN (absent) entries interleaved.
        var list = Enumerable.Range(1, 100).Select(i => (double)i).ToList();
        var rng = new Random(99);
        for (int k = 0; k < 7; k++)
        {
            list.Insert(rng.Next(list.Count + 1), double.NaN);
        }

        double[] values = list.ToArray();
        rng.Shuffle(values);
        double[] copy = (double[])values.Clone();
        var scratch = new double[values.Length + 3];

        MetricSummary s = Summarizer.Summarize("npv", values, scratch, upperTail: false);

        Assert.Equal(copy, values); // input untouched
        Assert.Equal("npv", s.Name);
        Assert.True(s.HasValues);
        Assert.Equal(100, s.Count);
        Assert.Equal(7, s.Absent);

        // 1..n, n = 100: mean (n+1)/2, sample variance n(n+1)/12.
        double variance = 100 * 101 / 12.0;
        Assert.Equal(50.5, s.Mean, 12);
        Assert.Equal(Math.Sqrt(variance), s.StdDev, 12);
        Assert.Equal(Math.Sqrt(variance / 100), s.StdError, 12);
        Assert.Equal(1.0, s.Min);
        Assert.Equal(100.0, s.Max);

        // Type 7 on 1..100: Q(p) = 1 + 99p.
        Assert.Equal(1.99, s.P1, 12);
        Assert.Equal(5.95, s.P5, 12);
        Assert.Equal(25.75, s.P25, 12);
        Assert.Equal(50.5, s.P50, 12);
        Assert.Equal(75.25, s.P75, 12);
        Assert.Equal(95.05, s.P95, 12);
        Assert.Equal(99.01, s.P99, 12);

        // Worst ceil(0.05 * 100) = 5 values: 1..5, mean 3.
        Assert.Equal(3.0, s.Cvar5);

        Assert.Equal(s, Summarizer.Summarize("npv", values, upperTail: false));
    }

    [Fact]
    public void AllAbsent_HasNoValuesAndNaNStatistics()
    {
        MetricSummary s = Summarizer.Summarize("irr", [double.NaN, double.NaN, double.NaN], upperTail: false);
        Assert.False(s.HasValues);
        Assert.Equal(0, s.Count);
        Assert.Equal(3, s.Absent);
        AssertAllStatisticsNaN(s);
    }

    [Fact]
    public void Empty_HasNoValuesAndNaNStatistics()
    {
        MetricSummary s = Summarizer.Summarize("irr", ReadOnlySpan<double>.Empty, Span<double>.Empty, upperTail: false);
        Assert.False(s.HasValues);
        Assert.Equal(0, s.Count);
        Assert.Equal(0, s.Absent);
        AssertAllStatisticsNaN(s);
    }

    [Fact]
    public void SingleValue_QuantilesAndCvarAreTheValue_SpreadIsNaN()
    {
        MetricSummary s = Summarizer.Summarize("x", [double.NaN, 7.0], upperTail: false);
        Assert.True(s.HasValues);
        Assert.Equal(1, s.Count);
        Assert.Equal(1, s.Absent);
        Assert.Equal(7.0, s.Mean);
        Assert.True(double.IsNaN(s.StdDev));
        Assert.True(double.IsNaN(s.StdError));
        foreach (double q in new[] { s.Min, s.Max, s.P1, s.P5, s.P25, s.P50, s.P75, s.P95, s.P99, s.Cvar5 })
        {
            Assert.Equal(7.0, q);
        }
    }

    [Fact]
    public void ScratchTooSmall_Throws()
    {
        Assert.Throws<ArgumentException>(() => Summarizer.Summarize("x", new double[10], new double[9], upperTail: false));
    }

    [Fact]
    public void EventProbability_FractionAndBinomialStandardError()
    {
        // 25 events out of 100 applicable paths (+ 5 not applicable): p = 0.25, se = sqrt(0.25*0.75/100).
        var flags = new List<double>();
        flags.AddRange(Enumerable.Repeat(1.0, 25));
        flags.AddRange(Enumerable.Repeat(0.0, 75));
        flags.AddRange(Enumerable.Repeat(double.NaN, 5));
        double[] f = flags.ToArray();
        new Random(3).Shuffle(f);

        Probability p = Summarizer.EventProbability(f);
        Assert.Equal(0.25, p.P);
        Assert.Equal(Math.Sqrt(0.25 * 0.75 / 100), p.StdError, 15);
        Assert.Equal(100, p.Count);
        Assert.Equal(p, Summarizer.EventProbability(25, 100));
    }

    [Fact]
    public void EventProbability_EdgeCases()
    {
        Probability none = Summarizer.EventProbability([]);
        Assert.True(double.IsNaN(none.P));
        Assert.True(double.IsNaN(none.StdError));
        Assert.Equal(0, none.Count);

        Probability never = Summarizer.EventProbability([0, 0, 0, 0]);
        Assert.Equal(0.0, never.P);
        Assert.Equal(0.0, never.StdError);
        Assert.Equal(4, never.Count);

        Assert.Throws<ArgumentException>(() => Summarizer.EventProbability([0, 1, 0.5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Summarizer.EventProbability(5, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => Summarizer.EventProbability(-1, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => Summarizer.EventProbability(0, -1));
    }

    private static void AssertAllStatisticsNaN(MetricSummary s)
    {
        foreach (double v in new[]
                 {
                     s.Mean, s.StdDev, s.StdError, s.Min, s.Max, s.P1, s.P5, s.P25, s.P50, s.P75, s.P95, s.P99, s.Cvar5,
                 })
        {
            Assert.True(double.IsNaN(v));
        }
    }
}
