using BenchmarkDotNet.Attributes;
using ComputeEconomics.Statistics;

namespace ComputeEconomics.Benchmarks;

/// <summary>The statistics on 10^6 and 10^7 per-path values: moments (one pass) and exact quantiles (sort).</summary>
public class StatisticsBenchmarks
{
    [Params(1_000_000, 10_000_000)] public int N { get; set; }

    private double[] _values = null!, _scratch = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(12345);
        _values = new double[N];
        for (int i = 0; i < N; i++) _values[i] = rng.NextDouble() * 1e6 - 3e5;
        _scratch = new double[N];
    }

    [Benchmark(Baseline = true)]
    public double Moments() => Statistics.Moments.Of(_values).Mean;

    [Benchmark]
    public double QuantilesAndCvar() => Summarizer.Summarize("npv", _values, _scratch, upperTail: false).P5;
}
