using System.Globalization;
using ComputeEconomics.Backends;
using ComputeEconomics.Models;

namespace ComputeEconomics.Running;

/// <summary>
/// Host and device memory a run needs, estimated before anything is allocated, so a run that cannot fit
/// is refused with the numbers instead of failing half way.
/// </summary>
public sealed record MemoryEstimate(long HostBytes, long DeviceBytes, long HostAvailableBytes, long Paths)
{
    /// <summary>The process before any path: the .NET runtime, the loaded assemblies, the scenario and the console
    /// (66 MiB resident measured for 1,000 paths of the default scenario).</summary>
    public const long RuntimeBytes = 64L << 20;

    /// <summary>
    /// Resident bytes per byte of live data: the garbage collector keeps the statistics phase's transient copies (sort
    /// buffers, histogram copies, per-series band scratch) until it collects. Measured (docs/performance.md, "Host
    /// memory"): 2.7 to 3.3 from 1e5 to 1e6 paths, exact and streamed.
    /// </summary>
    public const double HeapOverhead = 3.0;

    /// <summary>The estimate for <paramref name="job"/> on <paramref name="backend"/>.</summary>
    public static MemoryEstimate For(IModelJob job, IBackend backend, RunOptions options)
    {
        long k = job.MetricNames.Count;
        long bandPaths = Math.Min(options.BandPaths, options.Paths);
        long bandBytes = bandPaths * job.Months * job.SeriesNames.Count * sizeof(float);
        long batch = Math.Min(options.BatchSize ?? backend.MaxBatch(job), options.Paths);
        // A device reduction runs whole chunks (the simulator rounds the batch up), keeps a sort key per value on the
        // device and no batch buffer on the host.
        var reduced = options.Sink as StreamingStatistics is { OnDevice: true } s ? s : null;
        if (reduced != null) batch = Math.Min((batch + reduced.ChunkPaths - 1) / reduced.ChunkPaths * reduced.ChunkPaths, options.Paths);
        // Exact: per-metric columns and the statistics threads' sort buffers; streamed: each metric's sketch. Both: the
        // batch buffer, the bands and their per-month scratch, and the runtime itself.
        long perPath = options.Sink != null
            ? k * StreamingStatistics.BytesPerMetric(options.Paths)
            : options.Paths * k * sizeof(double)
              + (long)RunSummary.StatisticsThreads(options.Paths) * RunSummary.StatisticsBytesPerPath * options.Paths;
        long data = perPath + (reduced != null && options.PerPath == null ? 0 : batch * k * sizeof(double)) + bandBytes
            + Math.Max(bandPaths, 1) * job.Months * sizeof(double) + (options.PerPath != null ? PerPathBufferBytes(k) : 0);
        long host = RuntimeBytes + (long)(HeapOverhead * data);
        long device = backend is CpuBackend ? 0
            : batch * (job.ScratchPerPath + k + (reduced != null ? k : 0)) * sizeof(double) + bandBytes + job.Data.Length * sizeof(double);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return new MemoryEstimate(host, device, available, options.Paths);
    }

    /// <summary>
    /// Host bytes of the per-path file's writer (<c>--per-path</c>, Output/PathsParquet, kept in step by a test): one row
    /// group of 65,536 paths (the metrics and the path index, 8 bytes each), the nullable copy of the column being
    /// written (16 bytes a path) and Parquet.Net's page and compression buffers of that column (about 16 bytes a path).
    /// </summary>
    public static long PerPathBufferBytes(long metricCount) => (1L << 16) * ((metricCount + 1) * sizeof(double) + 32);

    /// <summary>Refuse (exit code 2) a run whose host memory would exceed 80% of what the machine has.</summary>
    public void ThrowIfTooLarge()
    {
        if (HostBytes > HostAvailableBytes * 0.8)
            throw new InputException("paths", Paths.ToString(CultureInfo.InvariantCulture),
                $"needs about {Gib(HostBytes)} of host memory but {Gib(HostAvailableBytes)} is available: use --statistics sketch " +
                "(quantiles from a sketch, memory that does not grow with paths) or fewer paths " +
                "(per-path metrics are kept for exact quantiles: 8 bytes x metrics x paths)");
    }

    /// <summary>One line for the console.</summary>
    public override string ToString() =>
        $"memory estimate: host {Gib(HostBytes)}, device {Gib(DeviceBytes)} (host available {Gib(HostAvailableBytes)})";

    private static string Gib(long bytes) => (bytes / (double)(1L << 30)).ToString("0.00", CultureInfo.InvariantCulture) + " GiB";
}
