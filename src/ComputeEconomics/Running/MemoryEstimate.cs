using System.Globalization;
using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Statistics;

namespace ComputeEconomics.Running;

/// <summary>
/// Host and device memory a run needs, estimated before anything is allocated, so a run that cannot fit
/// is refused with the numbers instead of failing half way.
/// </summary>
public sealed partial record MemoryEstimate(long HostBytes, long DeviceBytes, long HostAvailableBytes, long Paths)
{
    /// <summary>The parts of <see cref="HostBytes"/> a user can shrink, each with its knob: the per-path columns of exact
    /// statistics (paths), the batch buffer (--batch) and the band paths' series (band_paths).</summary>
    public (long Columns, long Batch, long BatchPaths, long Bands, long BandPaths) Parts { get; init; }

    /// <summary>The process before any path: the .NET runtime, the loaded assemblies, the scenario and the console
    /// (66 MiB resident measured for 1,000 paths of the default scenario).</summary>
    public const long RuntimeBytes = 64L << 20;

    /// <summary>
    /// Resident bytes per byte of data the estimate counts (what the simulation holds and the final statistics' sort
    /// scratch): the collector's headroom over them. Fitted to the default scenario's maximum resident set at 1e5 and
    /// 1e6 paths, exact and streamed, once the final statistics reused their sort scratch (docs/performance.md, "Host
    /// memory": 1.17 to 1.28 over those four runs); the printed estimate was then within 4-16 % above the measured
    /// maximum at 1e5, 1e6, 1e7 and 3e7 paths. Beyond 3e7 (up to 2e8) the model is an extrapolation.
    /// </summary>
    public const double HeapOverhead = 1.25;

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
        int capacity = options.Sink is StreamingStatistics { Sketches: [var first, ..] } ? first.Capacity : QuantileSketch.DefaultCapacity;
        // Held through the simulation: per-metric columns when exact, each metric's sketch when streamed; the batch
        // buffer, the bands and the per-path file's row group. Then, for a moment, the final statistics' scratch.
        long columns = options.Sink != null ? 0 : options.Paths * k * sizeof(double);
        long batchBytes = reduced != null && options.PerPath == null ? 0 : batch * k * sizeof(double);
        long live = (options.Sink != null ? k * StreamingStatistics.BytesPerMetric(options.Paths, capacity) : columns)
            + batchBytes + bandBytes + (options.PerPath != null ? PerPathBufferBytes(k) : 0);
        long host = RuntimeBytes + (long)(HeapOverhead * (live + EndOfRunBytes(job, options, capacity)));
        long device = backend is CpuBackend ? 0
            : batch * (job.ScratchPerPath + k + (reduced != null ? k : 0)) * sizeof(double) + bandBytes + job.Data.Length * sizeof(double);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return new MemoryEstimate(host, device, available, options.Paths) { Parts = (columns, batchBytes, batch, bandBytes, bandPaths) };
    }

    /// <summary>Refuse (exit code 2) a run whose host memory would exceed 80% of what the machine has, naming the part
    /// that takes most of it and its knob: the batch buffer (--batch), the band paths (band_paths), or the paths, whose
    /// exact statistics keep every path's metrics (ce run's --statistics sketch streams them instead).</summary>
    public void ThrowIfTooLarge()
    {
        if (HostBytes <= HostAvailableBytes * 0.8) return;
        string needs = $"needs about {Gib(HostBytes)} of host memory but {Gib(HostAvailableBytes)} is available";
        var (columns, batch, batchPaths, bands, bandPaths) = Parts;
        string Of(long n) => n.ToString(CultureInfo.InvariantCulture);
        if (batch > columns && batch >= bands && batch > HostAvailableBytes * 0.4)
            throw new InputException("--batch", Of(batchPaths), $"{needs}, {Gib(batch)} of it the batch buffer (8 bytes x metrics x batch paths): a smaller --batch");
        if (bands > columns && bands > HostAvailableBytes * 0.4)
            throw new InputException("band_paths", Of(bandPaths), $"{needs}, {Gib(bands)} of it the band paths' monthly series (4 bytes x series x months x band paths): fewer band_paths");
        throw new InputException("paths", Of(Paths), columns > 0
            ? $"{needs}, {Gib(columns)} of it every path's metrics kept for exact statistics (8 bytes x metrics x paths): fewer paths, or with ce run --statistics sketch (quantiles from a sketch, memory that does not grow with the paths)"
            : $"{needs}: fewer paths");
    }

    /// <summary>One line for the console.</summary>
    public override string ToString() =>
        $"memory estimate: host {Gib(HostBytes)}, device {Gib(DeviceBytes)} (host available {Gib(HostAvailableBytes)})";

    private static string Gib(long bytes) => (bytes / (double)(1L << 30)).ToString("0.00", CultureInfo.InvariantCulture) + " GiB";
}

/// <summary>The estimate's parts that scale with the run's shape (the end of the run, the per-path file's writer).</summary>
public sealed partial record MemoryEstimate
{
    /// <summary>
    /// The final statistics' sort scratch, allocated after the simulation and reused across the metrics (RunSummary,
    /// Distributions, Bands). Exact: each statistics thread's sort column and radix keys, 24 bytes a path, and one more
    /// such set for the histograms. Streamed: a sorted view of the largest sketch, 16 bytes a held value and at most
    /// levels x capacity values (what grows with the paths: about log2(paths / capacity) + 1 levels), for each summary
    /// worker and for the histograms. Both: the bands' gather block (8 bytes a band path and month, at most 2^22 doubles
    /// unless one month needs more) and a pair of radix keys a worker (16 bytes a band path).
    /// </summary>
    public static long EndOfRunBytes(IModelJob job, RunOptions options, int capacity = QuantileSketch.DefaultCapacity)
    {
        long paths = options.Paths;
        long bandPaths = Math.Min(options.BandPaths, paths);
        long statistics = options.Sink != null
            ? (RunSummary.SummaryThreads + 1L) * 16 * StreamingStatistics.SketchLevels(paths, capacity) * capacity
            : (RunSummary.StatisticsThreads(paths) + 1L) * RunSummary.StatisticsBytesPerPath * paths;
        long bands = bandPaths == 0 ? 0
            : bandPaths * Math.Clamp(Bands.DefaultMaxScratch / bandPaths, 1, job.Months) * sizeof(double)
              + Environment.ProcessorCount * 2L * sizeof(ulong) * bandPaths;
        return statistics + bands;
    }

    /// <summary>
    /// Host bytes of the per-path file's writer (<c>--per-path</c>, Output/PathsParquet, kept in step by a test): one row
    /// group of 65,536 paths (the metrics and the path index, 8 bytes each), the nullable copy of the column being
    /// written (16 bytes a path) and Parquet.Net's page and compression buffers of that column (about 16 bytes a path).
    /// </summary>
    public static long PerPathBufferBytes(long metricCount) => (1L << 16) * ((metricCount + 1) * sizeof(double) + 32);
}
