using ComputeEconomics.Models;

namespace ComputeEconomics.Backends;

/// <summary>
/// Runs batches of paths of a compiled model. Every backend calls the same per-path code
/// (kernels/); they differ in where it runs and which math policy it is compiled with.
/// </summary>
public interface IBackend : IDisposable
{
    /// <summary>Backend name as given on the command line: cpu, ilgpu-cpu, cuda, opencl.</summary>
    string Name { get; }
    /// <summary>The device in words.</summary>
    string Device { get; }
    /// <summary>Which transcendental math the kernels use here (see docs/performance.md).</summary>
    string MathPath { get; }
    /// <summary>Total time spent copying results from the device to the host (zero for host backends).</summary>
    TimeSpan TransferTime { get; }

    /// <summary>Largest batch that fits this device's memory for <paramref name="job"/>.</summary>
    long MaxBatch(IModelJob job);

    /// <summary>
    /// Simulate paths [pathOffset, pathOffset + count). metrics receives MetricCount x count values
    /// (batch-local, metric-major: metric k of the batch's path i at k * count + i); bands receives the monthly series of global paths below bandPaths
    /// (global-path-major, months x series each). The call returns when the results are on the host.
    /// </summary>
    /// <remarks>The token is checked while the batch runs where the backend can stop part way (cpu: between chunks of paths).</remarks>
    void Run(IModelJob job, long pathOffset, int count, double[] metrics, float[] bands, long bandPaths,
        CancellationToken cancellation = default);
}
