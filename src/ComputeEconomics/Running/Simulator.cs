using System.Diagnostics;
using ComputeEconomics.Backends;

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
}

/// <summary>The one model loop: batches of paths through a backend into per-metric columns.</summary>
public static class Simulator
{
    /// <summary>Run <paramref name="job"/> on <paramref name="backend"/>. Results do not depend on the batch size.</summary>
    public static RunResult Run(IModelJob job, IBackend backend, RunOptions options)
    {
        var total = Stopwatch.StartNew();
        long paths = options.Paths;
        MemoryEstimate.For(job, backend, options).ThrowIfTooLarge();
        int k = job.MetricNames.Count;
        long bandPaths = Math.Min(options.BandPaths, paths);
        long bandStride = (long)job.Months * job.SeriesNames.Count;
        var columns = new double[k][];
        for (int j = 0; j < k; j++) columns[j] = new double[paths];
        var bands = new float[bandPaths * bandStride];
        bands.AsSpan().Fill(float.NaN);
        long batch = Math.Clamp(options.BatchSize ?? backend.MaxBatch(job), 1, Math.Max(1, paths));
        var buffer = new double[batch * k];
        var kernelTime = new Stopwatch();
        var transferBefore = backend.TransferTime;
        int batches = 0;
        long offset = 0;
        while (offset < paths)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            int count = (int)Math.Min(batch, paths - offset);
            buffer.AsSpan(0, count * k).Fill(double.NaN);
            kernelTime.Start();
            try
            {
                backend.Run(job, offset, count, buffer, bands, bandPaths, options.Cancellation);
            }
            catch (DeviceOutOfMemoryException) when (count > 1)
            {
                // Shrink and retry the same paths: per-path results do not depend on the batch size.
                kernelTime.Stop();
                batch = Math.Max(1, count / 2);
                options.Warning?.Invoke($"device out of memory for {count} paths; retrying with batches of {batch}");
                continue;
            }
            catch (Exception ex) when (ex is not (InputException or OperationCanceledException or OutOfMemoryException))
            {
                throw new SimulationException(
                    $"{backend.Name} on {backend.Device} failed on the batch of paths {offset}..{offset + count - 1} " +
                    $"(seed {job.Scenario.Seed}, scenario {job.Scenario.Name}): {ex.GetType().Name}: {ex.Message}", ex);
            }
            kernelTime.Stop();
            for (int i = 0; i < count; i++)
                for (int j = 0; j < k; j++)
                    columns[j][offset + i] = buffer[(long)i * k + j];
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
            Elapsed = total.Elapsed,
            KernelTime = kernelTime.Elapsed - (backend.TransferTime - transferBefore),
            TransferTime = backend.TransferTime - transferBefore,
            Batches = batches,
        };
    }
}
