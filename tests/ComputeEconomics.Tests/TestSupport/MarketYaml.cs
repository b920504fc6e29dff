using System.Globalization;
using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Tests.TestSupport;

/// <summary>A `market` model scenario written as YAML, as a user would, with every driver parameter explicit.</summary>
public sealed record MarketYaml
{
    public int Horizon { get; init; } = 24;
    public long Seed { get; init; } = 20240101;
    public int InitialRegime { get; init; }
    public double P01 { get; init; }
    public double P10 { get; init; }
    public double Price0 { get; init; } = 2.5;
    public double PriceDrift { get; init; } = -0.3;
    public double PriceDriftBust { get; init; } = -0.6;
    public double PriceVol { get; init; }
    public double Util0 { get; init; } = 0.6;
    public double UtilMean { get; init; } = 0.8;
    public double UtilMeanBust { get; init; } = 0.4;
    public double Kappa { get; init; } = 3.0;
    public double UtilVol { get; init; }
    public double Elec0 { get; init; } = 0.09;
    public double ElecDrift { get; init; } = 0.04;
    public double ElecVol { get; init; }
    /// <summary>Rows of the 3x3 correlation, or null for none.</summary>
    public double[][]? Correlation { get; init; }
    public string Sampling { get; init; } = "none";

    private static string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    public string Text()
    {
        string corr = Correlation == null
            ? ""
            : "  correlation:\n" + string.Concat(Correlation.Select(r => $"    - [{string.Join(", ", r.Select(F))}]\n"));
        return $"""
            model: market
            name: market-test
            horizon_months: {Horizon}
            seed: {Seed}
            sampling: {Sampling}
            market:
              regime:
                initial: {InitialRegime}
                normal_to_bust: {F(P01)}
                bust_to_normal: {F(P10)}
              price:
                initial: {F(Price0)}
                drift: {F(PriceDrift)}
                drift_bust: {F(PriceDriftBust)}
                volatility: {F(PriceVol)}
              utilisation:
                initial: {F(Util0)}
                mean: {F(UtilMean)}
                mean_bust: {F(UtilMeanBust)}
                reversion: {F(Kappa)}
                volatility: {F(UtilVol)}
              electricity:
                initial: {F(Elec0)}
                drift: {F(ElecDrift)}
                volatility: {F(ElecVol)}

            """ + corr;
    }

    public IModelJob Compile() => ScenarioCompiler.Compile(ScenarioLoader.FromText(Text(), "test"));

    /// <summary>Run on the cpu backend.</summary>
    public RunResult Run(long paths, long bandPaths = 0, IBackend? backend = null)
    {
        var job = Compile();
        if (backend != null) return Simulator.Run(job, backend, new RunOptions { Paths = paths, BandPaths = bandPaths });
        using var cpu = new CpuBackend();
        return Simulator.Run(job, cpu, new RunOptions { Paths = paths, BandPaths = bandPaths });
    }

    /// <summary>Column of metric <paramref name="name"/> (names from <see cref="MetricNames.Market"/>).</summary>
    public static double[] Column(RunResult r, string name)
    {
        int k = Array.IndexOf(MetricNames.Market, name);
        Assert.True(k >= 0, $"no market metric called {name}");
        return r.Columns[k];
    }
}
