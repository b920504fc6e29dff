using ComputeEconomics.Backends;
using ComputeEconomics.Models;

namespace ComputeEconomics.Running;

/// <summary>
/// Runs the points of a sweep through one backend. Every point simulates path indices 0 .. paths-1 with the
/// same seed, so path i sees the same random numbers at every point (common random numbers) and
/// differences between points are paired.
/// </summary>
/// <remarks>
/// Many points per launch: consecutive points are packed into one multi-variant job (their parameter
/// structs in one device buffer, their tables concatenated, <see cref="ModelJob{TModel}.Combine"/>), as many
/// as fit in one batch of the backend (at most <see cref="MaxPackPaths"/> path results on the host and
/// <see cref="MaxPackTableDoubles"/> doubles of tables), and
/// the pack runs through the kernels like a single run. Each point's raw results are then handed to
/// <c>onPoint</c> and dropped, so host memory stays bounded by one pack's per-path metrics. Results do not
/// depend on the packing: every path's numbers depend only on (seed, path, point parameters).
/// </remarks>
public static class SweepExecutor
{
    /// <summary>Most path results (points x paths) one pack keeps on the host: 2^20 x metrics doubles.</summary>
    public const long MaxPackPaths = 1L << 20;

    /// <summary>Most table doubles one pack holds (64 MiB): each point brings its own tables (a fleet's valuation strip
    /// is about half a million doubles), so a pack of many points of few paths is bounded by its tables, not its paths.</summary>
    public const long MaxPackTableDoubles = 1L << 23;

    /// <summary>Points in the pack that starts with <paramref name="first"/>: as many as the backend's batch (at most
    /// <see cref="MaxPackPaths"/> path results) and <see cref="MaxPackTableDoubles"/> allow, at least 1.</summary>
    public static int PackSize(IModelJob first, int pointsLeft, long paths, long maxBatch)
    {
        long budget = Math.Min(MaxPackPaths, Math.Max(maxBatch, paths));
        long byPaths = budget / Math.Max(1, paths);
        long byTables = MaxPackTableDoubles / Math.Max(1, first.Data.Length);
        return (int)Math.Max(1, Math.Min(pointsLeft, Math.Min(byPaths, byTables)));
    }

    /// <summary>
    /// Run the points <paramref name="pointIndices"/> (compiled by <paramref name="compilePoint"/> from one base
    /// scenario) in order; call <paramref name="onPoint"/> with each point's index and results, in order.
    /// <see cref="RunOptions.Progress"/>, when set, receives the paths done within the current pack.
    /// </summary>
    public static void Run(IReadOnlyList<int> pointIndices, Func<int, IModelJob> compilePoint, IBackend backend,
        RunOptions options, Action<int, RunResult> onPoint)
    {
        long paths = options.Paths;
        int next = 0;
        while (next < pointIndices.Count)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            var first = compilePoint(pointIndices[next]);
            int packSize = PackSize(first, pointIndices.Count - next, paths, backend.MaxBatch(first));
            var jobs = new List<IModelJob> { first };
            for (int j = 1; j < packSize; j++) jobs.Add(compilePoint(pointIndices[next + j]));
            if (packSize == 1)
            {
                onPoint(pointIndices[next], Simulator.Run(first, backend, options));
                next++;
                continue;
            }
            var pack = first.Pack(jobs.Skip(1).ToList(), paths);
            var result = Simulator.Run(pack, backend, options with { Paths = packSize * paths, BandPaths = 0 });
            for (int j = 0; j < packSize; j++)
            {
                if (j > 0) options.Cancellation.ThrowIfCancellationRequested();   // stop between points, as an unpacked sweep would
                var columns = result.Columns.Select(c => c.AsSpan((int)(j * paths), (int)paths).ToArray()).ToArray();
                onPoint(pointIndices[next + j], new RunResult
                {
                    Job = jobs[j],
                    Paths = paths,
                    Columns = columns,
                    Bands = Array.Empty<float>(),
                    BandPaths = 0,
                    Backend = result.Backend,
                    Device = result.Device,
                    MathPath = result.MathPath,
                    Elapsed = result.Elapsed / packSize,
                    KernelTime = result.KernelTime / packSize,
                    TransferTime = result.TransferTime / packSize,
                    Batches = result.Batches,
                });
            }
            next += packSize;
        }
    }
}
