using System.Globalization;
using ComputeEconomics.Models;

namespace ComputeEconomics.Running;

/// <summary>
/// <c>--statistics exact|sketch|device|auto</c>: exact keeps every path's metrics and sorts them (memory grows with the paths);
/// sketch streams them into <see cref="StreamingStatistics"/> (exact moments and probabilities, quantiles within a
/// stated rank error); device streams them as sketch does, reduced on an ILGPU backend's device (only summaries are
/// copied). Auto: exact whenever the run needs every path (antithetic or QMC sampling, uncertain inputs, a target
/// standard error); otherwise, on a GPU backend (cuda, opencl), device above <see cref="AutoDeviceMinPaths"/> paths; on
/// the other backends (cpu, ilgpu-cpu), sketch above <see cref="AutoExactMaxPaths"/> paths; else exact.
/// </summary>
public static class StatisticsChoice
{
    /// <summary>The values of the option.</summary>
    public static readonly string[] Modes = { "exact", "sketch", "device", "auto" };

    /// <summary>Auto streams above this many paths (on the host when the backend is not a GPU).</summary>
    public const long AutoExactMaxPaths = 5_000_000;

    /// <summary>
    /// Auto reduces on a GPU above this many paths: one chunk of the device reduction (2^20). Below it the per-path
    /// copy is small (8 bytes x metrics x paths: 264 MiB for the default scenario's 33 metrics at 2^20 paths, about a
    /// hundredth of a second over PCIe) and the run keeps exact quantiles.
    /// </summary>
    public const long AutoDeviceMinPaths = StreamingStatistics.DefaultChunkPaths;

    /// <summary>The backends on which auto may choose device: the GPUs, where the per-path copy and the host's statistics limit the rate.</summary>
    public static bool IsGpu(string backend) => backend is "cuda" or "opencl";

    /// <summary>
    /// Whether the run streams (true) or keeps every path (false). <paramref name="needsEveryPath"/> names why the run
    /// needs every path (null when it does not); asking for a sketch then is refused naming the option.
    /// </summary>
    public static bool Streams(string mode, long paths, string? needsEveryPath) => Choose(mode, paths, needsEveryPath, "cpu") != "exact";

    /// <summary>
    /// The statistics of a run on <paramref name="backend"/> (a backend's name): exact, sketch or device.
    /// <paramref name="needsEveryPath"/> names why the run needs every path (null when it does not); asking for sketch or
    /// device then is refused naming the option. Device on a backend that cannot reduce is refused by the simulator.
    /// </summary>
    /// <param name="mode">The option's value.</param>
    /// <param name="paths">Paths of the run.</param>
    /// <param name="needsEveryPath">Why the run needs every path, or null.</param>
    /// <param name="backend">The backend's name.</param>
    /// <param name="deviceFits">Whether a chunk fits one device launch (<see cref="DeviceChunkFits"/>); auto does not choose device when not.</param>
    public static string Choose(string mode, long paths, string? needsEveryPath, string backend, bool deviceFits = true)
    {
        switch (mode)
        {
            case "exact":
                return "exact";
            case "sketch" or "device":
                if (needsEveryPath != null)
                    throw new InputException("--statistics", mode, $"cannot be used with {needsEveryPath}, which needs every path's metrics: use --statistics exact");
                return mode;
            case "auto":
                if (needsEveryPath != null) return "exact";
                if (IsGpu(backend) && deviceFits) return paths > AutoDeviceMinPaths ? "device" : "exact";
                return paths > AutoExactMaxPaths ? "sketch" : "exact";
            default:
                throw new InputException("--statistics", mode, $"must be one of {string.Join(", ", Modes)}");
        }
    }

    /// <summary>
    /// Whether a chunk of <paramref name="chunkPaths"/> paths of <paramref name="job"/> fits one device launch: the
    /// kernels index a batch's scratch and metrics with 32-bit offsets (chunk x (scratch + metrics) &lt;= 2^31 - 1).
    /// </summary>
    public static bool DeviceChunkFits(IModelJob job, int chunkPaths = StreamingStatistics.DefaultChunkPaths) =>
        (long)chunkPaths * (job.ScratchPerPath + job.MetricNames.Count) <= int.MaxValue;

    /// <summary>Why a run of <paramref name="job"/> needs every path's metrics, or null.</summary>
    public static string? NeedsEveryPath(IModelJob job, bool uncertainInputs, bool targetStdError)
    {
        if (job.Scenario.Sampling is "antithetic" or "qmc") return $"sampling: {job.Scenario.Sampling}";
        if (uncertainInputs) return "uncertain inputs";
        if (targetStdError) return "--target-stderr";
        return null;
    }

    /// <summary>The console line of a streamed run: the method and its bound.</summary>
    public static string Describe(long paths, double relativeRankError, bool onDevice = false) =>
        string.Create(CultureInfo.InvariantCulture,
            $"statistics: sketch{(onDevice ? ", reduced on the device" : "")} (moments and probabilities exact; quantiles within a rank error of {relativeRankError:0.####%} of {paths:N0} paths, about {Math.Ceiling(relativeRankError * paths):N0} paths)");
}
