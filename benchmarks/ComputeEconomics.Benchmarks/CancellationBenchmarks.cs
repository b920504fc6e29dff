using BenchmarkDotNet.Attributes;
using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Benchmarks;

/// <summary>
/// How promptly a run stops once cancelled (what SIGINT and SIGTERM do), the timing that the tests no longer assert
/// (Reliability/CancellationTests proves that the cancellation reaches every loop): one batch of 500,000 paths of the
/// default scenario on the cpu backend (several seconds of work), cancelled 50 ms after it starts. The time less
/// 50 ms is the time from the cancellation to the return: the chunks of at most 256 paths already started finish.
/// </summary>
public class CancellationBenchmarks
{
    private const int Paths = 500_000;
    private IModelJob _job = null!;
    private CpuBackend _backend = null!;

    [GlobalSetup]
    public void Setup()
    {
        _job = ScenarioCompiler.Compile(ScenarioLoader.Load(null, new[] { $"paths={Paths}" }));
        _backend = new CpuBackend(0);
    }

    [GlobalCleanup]
    public void Cleanup() => _backend.Dispose();

    [Benchmark]
    public bool CancelledFiftyMillisecondsIn()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var options = new RunOptions { Paths = Paths, BatchSize = Paths, BandPaths = 0, Cancellation = cts.Token };
        try
        {
            Simulator.Run(_job, _backend, options);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }
}
