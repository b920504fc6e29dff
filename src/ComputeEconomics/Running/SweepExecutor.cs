using ComputeEconomics.Backends;

namespace ComputeEconomics.Running;

/// <summary>
/// Runs the points of a sweep through one backend. Every point simulates path indices 0 .. paths-1 with the
/// same seed, so path i sees the same random numbers at every point (common random numbers) and
/// differences between points are paired. Each point's raw results are handed to <c>onPoint</c> and then
/// dropped, so host memory stays bounded by one point's per-path metrics (paths x metrics doubles).
/// </summary>
/// <remarks>
/// One point per launch sequence: a point's paths go through the backend in batches of at most
/// <see cref="RunOptions.BatchSize"/> (device memory bounded by the batch), and the next point starts when
/// the previous one is summarised. Packing several points into one launch (parameters per point in a device
/// buffer) needs a point index in the kernels' path slot; it is not done here (docs/sweeps.md).
/// </remarks>
public static class SweepExecutor
{
    /// <summary>
    /// Run the points <paramref name="pointIndices"/> (compiled by <paramref name="compilePoint"/> from one base scenario) in order; call
    /// <paramref name="onPoint"/> with each point's index and results as soon as it is done.
    /// <see cref="RunOptions.Progress"/>, when set, receives the paths done within the current point.
    /// </summary>
    public static void Run(IReadOnlyList<int> pointIndices, Func<int, IModelJob> compilePoint, IBackend backend,
        RunOptions options, Action<int, RunResult> onPoint)
    {
        foreach (int index in pointIndices)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            var job = compilePoint(index);
            var result = Simulator.Run(job, backend, options);
            onPoint(index, result);
        }
    }
}
