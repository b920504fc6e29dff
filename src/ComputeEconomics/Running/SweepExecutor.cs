using ComputeEconomics.Backends;

namespace ComputeEconomics.Running;

/// <summary>
/// Runs the points of a sweep through one backend. Every point simulates path indices 0 .. paths-1 with the
/// same seed, so path i sees the same random numbers at every point (common random numbers) and
/// differences between points are paired. Each point's raw results are handed to <c>onPoint</c> and then
/// dropped, so host memory stays bounded by one point's per-path metrics.
/// </summary>
public static class SweepExecutor
{
    /// <summary>
    /// Run the points <paramref name="pointIndices"/> (compiled by <paramref name="compilePoint"/> from one base scenario) in order; call
    /// <paramref name="onPoint"/> with each point's index and results as soon as it is done.
    /// </summary>
    public static void Run(IReadOnlyList<int> pointIndices, Func<int, IModelJob> compilePoint, IBackend backend,
        RunOptions options, Action<int, RunResult> onPoint)
    {
        foreach (int index in pointIndices)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            var job = compilePoint(index);
            var result = Simulator.Run(job, backend, options with { Progress = null });
            onPoint(index, result);
        }
    }
}
