using System.Diagnostics;
using ComputeEconomics.Backends;
using ComputeEconomics.Models;

namespace ComputeEconomics.Running;

/// <summary>Options of one Monte Carlo run.</summary>
public sealed record RunOptions
{
    /// <summary>Paths to simulate (path indices 0 .. Paths-1).</summary>
    public long Paths { get; init; } = 10_000;
    /// <summary>Paths per batch; null = sized to the device.</summary>
    public int? BatchSize { get; init; }
    /// <summary>Paths whose monthly series are kept for bands (the first ones by index).</summary>
    public long BandPaths { get; init; } = 20_000;
    /// <summary>Called after each batch with the paths done so far.</summary>
    public Action<long>? Progress { get; init; }
    /// <summary>Called with a one-line warning (e.g. a batch shrunk after a device out-of-memory).</summary>
    public Action<string>? Warning { get; init; }
    public CancellationToken Cancellation { get; init; }
    /// <summary>
    /// Per-path parameters (uncertain inputs): when set, each batch's job is built by this source, path by path,
    /// and the drawn inputs are kept in <see cref="RunResult.Inputs"/>. Null = every path uses the job's parameters.
    /// </summary>
    public IPathJobSource? PerPathJobs { get; init; }
    /// <summary>
    /// Where each finished batch goes when the statistics stream (<see cref="StreamingStatistics"/>): then no per-path
    /// column is kept (<see cref="RunResult.Columns"/> are empty) and host memory does not grow with the paths.
    /// Null = every path's metrics are kept for exact statistics.
    /// </summary>
    public IBatchSink? Sink { get; init; }
    /// <summary>
    /// Also receives every finished batch's per-path metrics, in path order, whatever the statistics (<c>--per-path</c>:
    /// paths.parquet). With a device reduction the metrics are then copied to the host as well. Null = none.
    /// </summary>
    public IBatchSink? PerPath { get; init; }
}

/// <summary>Builds the job of a batch of paths that each have their own parameters (see Uncertainty/).</summary>
public interface IPathJobSource
{
    /// <summary>Names of the per-path inputs (the uncertain fields' paths), in column order.</summary>
    IReadOnlyList<string> InputNames { get; }
    /// <summary>Largest batch whose per-path jobs keep host memory bounded.</summary>
    long MaxBatch(IModelJob template);
    /// <summary>
    /// The job for global paths [firstPath, firstPath + count); writes path firstPath + i's input f to
    /// inputs[f][firstPath + i]. Must depend only on the path indices, never on the batch.
    /// </summary>
    IModelJob ForPaths(IModelJob template, long firstPath, int count, double[][] inputs);
}

/// <summary>The raw per-path results of a run (the statistics are computed from these).</summary>
public sealed class RunResult
{
    public required IModelJob Job { get; init; }
    public required long Paths { get; init; }
    /// <summary>Per-metric columns: Columns[k][path].</summary>
    public required double[][] Columns { get; init; }
    /// <summary>Monthly series of the first BandPaths paths: [(path * months + t) * series + s].</summary>
    public required float[] Bands { get; init; }
    public required long BandPaths { get; init; }
    public required string Backend { get; init; }
    public required string Device { get; init; }
    public required string MathPath { get; init; }
    public required TimeSpan Elapsed { get; init; }
    /// <summary>Time inside backend.Run less the device-to-host copies.</summary>
    public required TimeSpan KernelTime { get; init; }
    /// <summary>Device-to-host copies (zero on the cpu backend).</summary>
    public required TimeSpan TransferTime { get; init; }
    public required int Batches { get; init; }
    /// <summary>Names of the per-path uncertain inputs (empty when the scenario has none).</summary>
    public IReadOnlyList<string> InputNames { get; init; } = Array.Empty<string>();
    /// <summary>The drawn value of each uncertain input on each path: Inputs[f][path].</summary>
    public double[][] Inputs { get; init; } = Array.Empty<double[]>();
    /// <summary>The streamed statistics when the run had a <see cref="RunOptions.Sink"/> of that type (Columns are then empty).</summary>
    public StreamingStatistics? Streamed { get; init; }
}

/// <summary>The one model loop: batches of paths through a backend into per-metric columns.</summary>
public static class Simulator
{
    /// <summary>Run <paramref name="job"/> on <paramref name="backend"/>. Results do not depend on the batch size.</summary>
    /// <param name="job">The compiled scenario (with per-path variants from <see cref="RunOptions.PerPathJobs"/>: the template).</param>
    /// <param name="backend">Where the paths run.</param>
    /// <param name="options">Paths, batch size, bands, callbacks.</param>
    /// <param name="resume">
    /// A previous run of the same job with fewer paths: its paths are kept and only paths resume.Paths .. Paths-1 are
    /// simulated (the result equals a run of all the paths at once, bit for bit, because path indices are fixed).
    /// </param>
    public static RunResult Run(IModelJob job, IBackend backend, RunOptions options, RunResult? resume = null)
    {
        var total = Stopwatch.StartNew();
        long paths = options.Paths;
        CheckLimits(job, backend, options, resume);
        int k = job.MetricNames.Count;
        long bandPaths = Math.Min(options.BandPaths, paths);
        long bandStride = (long)job.Months * job.SeriesNames.Count;
        var columns = new double[k][];
        var sink = options.Sink;
        if (sink != null && resume != null) throw new InvalidOperationException("a streamed run cannot resume one kept in columns");
        // Not zeroed: every path's value of every metric is copied in below (or from the resumed run).
        for (int j = 0; j < k; j++) columns[j] = sink != null ? Array.Empty<double>() : GC.AllocateUninitializedArray<double>(checked((int)paths));
        var bands = new float[bandPaths * bandStride];
        bands.AsSpan().Fill(float.NaN);
        var source = options.PerPathJobs;
        var inputNames = source?.InputNames ?? Array.Empty<string>();
        var inputs = new double[inputNames.Count][];
        for (int f = 0; f < inputs.Length; f++) inputs[f] = new double[paths];
        long offset = resume != null ? CopyResumed(resume, columns, bands, inputs) : 0;
        long maxBatch = backend.MaxBatch(job);
        if (source != null) maxBatch = Math.Min(maxBatch, source.MaxBatch(job));
        long batch = Math.Clamp(options.BatchSize ?? maxBatch, 1, Math.Max(1, paths));
        var reducer = DeviceReducer(sink, backend);
        if (reducer != null) batch = Math.Max(1, (batch + ChunkOf(sink) - 1) / ChunkOf(sink)) * ChunkOf(sink);   // whole chunks: no result depends on the batch
        var buffer = reducer != null && options.PerPath == null ? Array.Empty<double>() : GC.AllocateUninitializedArray<double>(checked((int)(batch * k)));
        var kernelTime = new Stopwatch();
        var transferBefore = backend.TransferTime;
        int batches = resume?.Batches ?? 0;
        while (offset < paths)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            int count = (int)Math.Min(batch, paths - offset);
            if (buffer.Length > 0) Parallel.For(0, k, j => buffer.AsSpan(j * count, count).Fill(double.NaN));   // a metric left unwritten shows as NaN
            IModelJob batchJob = source == null ? job : source.ForPaths(job, offset, count, inputs);
            kernelTime.Start();
            var (outOfMemory, summary) = TryBatch(job, batchJob, backend, options, offset, count, buffer, bands, bandPaths);
            kernelTime.Stop();
            if (outOfMemory != null)
            {
                // shrink and retry the same paths: results do not depend on the batch size (whole chunks on a device reduction)
                batch = reducer == null ? Math.Max(1, count / 2) : Math.Max(1, count / 2 / ChunkOf(sink)) * ChunkOf(sink);
                options.Warning?.Invoke($"{outOfMemory}; retrying with batches of {batch}");
                continue;
            }
            long at = offset;
            if (summary != null) ((StreamingStatistics)sink!).AddSummary(summary, at);
            else if (sink != null) sink.Add(buffer, count, at);
            else Parallel.For(0, k, j => Array.Copy(buffer, (long)j * count, columns[j], at, count));   // metric-major: one piece each
            options.PerPath?.Add(buffer, count, at);
            batches++;
            offset += count;
            options.Progress?.Invoke(offset);
        }
        return new RunResult
        {
            Job = job,
            Paths = paths,
            Columns = columns,
            Bands = bands,
            BandPaths = bandPaths,
            Backend = backend.Name,
            Device = backend.Device,
            MathPath = backend.MathPath,
            Elapsed = total.Elapsed + (resume?.Elapsed ?? TimeSpan.Zero),
            KernelTime = kernelTime.Elapsed - (backend.TransferTime - transferBefore) + (resume?.KernelTime ?? TimeSpan.Zero),
            TransferTime = backend.TransferTime - transferBefore + (resume?.TransferTime ?? TimeSpan.Zero),
            Batches = batches,
            InputNames = inputNames,
            Inputs = inputs,
            Streamed = sink as StreamingStatistics,
        };
    }

    /// <summary>A resumed run's per-path columns, bands and drawn inputs copied into the new run's; returns the next path to simulate.</summary>
    private static long CopyResumed(RunResult resume, double[][] columns, float[] bands, double[][] inputs)
    {
        for (int j = 0; j < columns.Length; j++) resume.Columns[j].AsSpan().CopyTo(columns[j]);
        resume.Bands.AsSpan(0, (int)Math.Min(resume.Bands.Length, bands.Length)).CopyTo(bands);
        for (int f = 0; f < inputs.Length && f < resume.Inputs.Length; f++) resume.Inputs[f].AsSpan().CopyTo(inputs[f]);
        return resume.Paths;
    }

    /// <summary>The run's sizes must fit one array per metric, one host buffer per batch and the memory there is.</summary>
    private static void CheckLimits(IModelJob job, IBackend backend, RunOptions options, RunResult? resume)
    {
        long paths = options.Paths;
        if (resume != null && (!ReferenceEquals(resume.Job, job) || resume.Paths > paths))
            throw new InvalidOperationException("a resumed run must have the same job and no more paths than the new run");
        if (paths > Array.MaxLength && options.Sink == null)
            throw new InputException("paths", paths.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"must be at most {Array.MaxLength} in one run (one array of per-path values per metric)");
        if (options.BatchSize is int requested && (long)requested * job.MetricNames.Count > Array.MaxLength)
            throw new InputException("--batch", requested.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"must be at most {Array.MaxLength / job.MetricNames.Count} for this model ({job.MetricNames.Count} metrics a path in one host buffer)");
        if (options.Sink is StreamingStatistics { OnDevice: true } s && !StatisticsChoice.DeviceChunkFits(job, s.ChunkPaths))
            throw new InputException("--statistics", "device", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"needs a chunk of {s.ChunkPaths:N0} paths in one launch: {job.ScratchPerPath + job.MetricNames.Count:N0} doubles a path for this scenario, above the 2^31 elements the kernels index; use --statistics sketch"));
        MemoryEstimate.For(job, backend, options).ThrowIfTooLarge();
    }

    /// <summary>The backend that reduces the batches of <paramref name="sink"/> on the device, or null when they come to the host.</summary>
    private static IDeviceReduction? DeviceReducer(IBatchSink? sink, IBackend backend)
    {
        if (sink is not StreamingStatistics { OnDevice: true }) return null;
        return backend as IDeviceReduction
            ?? throw new InputException("--statistics", "device", $"needs an ILGPU backend (ilgpu-cpu, cuda, opencl), not {backend.Name}");
    }

    /// <summary>Paths per chunk of a device reduction (its batches are whole chunks).</summary>
    private static int ChunkOf(IBatchSink? sink) => (sink as StreamingStatistics)?.ChunkPaths ?? 1;

    /// <summary>
    /// One batch on the backend (reduced on the device when the sink asks for it: then its summary): no message, or the
    /// message when the device ran out of memory on a batch of more than one path (more than one chunk when reduced on the device).
    /// </summary>
    private static (string? OutOfMemory, DeviceBatchSummary? Summary) TryBatch(IModelJob job, IModelJob batchJob, IBackend backend,
        RunOptions options, long offset, int count, double[] buffer, float[] bands, long bandPaths)
    {
        var reducer = DeviceReducer(options.Sink, backend);
        try
        {
            if (reducer != null && options.Sink is StreamingStatistics s)
                return (null, reducer.RunReduced(batchJob, offset, count, bands, bandPaths, s.DeviceShape, options.Cancellation,
                    options.PerPath != null ? buffer : null));
            backend.Run(batchJob, offset, count, buffer, bands, bandPaths, options.Cancellation);
            return (null, null);
        }
        catch (DeviceOutOfMemoryException ex) when (count > (reducer != null ? ChunkOf(options.Sink) : 1))   // a device reduction needs whole chunks
        {
            return (ex.Message, null);
        }
        catch (Exception ex) when (ex is not (InputException or OperationCanceledException or OutOfMemoryException))
        {
            throw new SimulationException(
                $"{backend.Name} on {backend.Device} failed on the batch of paths {offset}..{offset + count - 1} " +
                $"(seed {job.Scenario.Seed}, scenario {job.Scenario.Name}): {ex.GetType().Name}: {ex.Message}", ex);
        }
    }
}
