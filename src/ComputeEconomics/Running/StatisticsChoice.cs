using System.Globalization;
using ComputeEconomics.Models;

namespace ComputeEconomics.Running;

/// <summary>
/// <c>--statistics exact|sketch|device|auto</c>: exact keeps every path's metrics and sorts them (memory grows with the paths);
/// sketch streams them into <see cref="StreamingStatistics"/> (exact moments and probabilities, quantiles within a
/// stated rank error). Auto takes exact up to <see cref="AutoExactMaxPaths"/> paths, and whenever the run needs every
/// path (antithetic or QMC sampling, uncertain inputs, a target standard error).
/// </summary>
public static class StatisticsChoice
{
    /// <summary>The values of the option.</summary>
    public static readonly string[] Modes = { "exact", "sketch", "device", "auto" };

    /// <summary>Auto streams above this many paths.</summary>
    public const long AutoExactMaxPaths = 5_000_000;

    /// <summary>
    /// Whether the run streams (true) or keeps every path (false). <paramref name="needsEveryPath"/> names why the run
    /// needs every path (null when it does not); asking for a sketch then is refused naming the option.
    /// </summary>
    public static bool Streams(string mode, long paths, string? needsEveryPath)
    {
        switch (mode)
        {
            case "exact":
                return false;
            case "sketch" or "device":
                if (needsEveryPath != null)
                    throw new InputException("--statistics", mode, $"cannot be used with {needsEveryPath}, which needs every path's metrics: use --statistics exact");
                return true;
            case "auto":
                return needsEveryPath == null && paths > AutoExactMaxPaths;
            default:
                throw new InputException("--statistics", mode, $"must be one of {string.Join(", ", Modes)}");
        }
    }

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
