namespace ComputeEconomics.Backends;

/// <summary>The device could not hold a batch: the simulator halves the batch and retries (results are identical).</summary>
public sealed class DeviceOutOfMemoryException : Exception
{
    public DeviceOutOfMemoryException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>A batch failed on a device for another reason: reported with the device, the batch and the seed (exit code 1).</summary>
public sealed class SimulationException : Exception
{
    public SimulationException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>
/// A backend wrapper that injects faults, for tests and for `CE_INJECT_OOM_ABOVE=N` (any batch larger than N
/// paths fails with <see cref="DeviceOutOfMemoryException"/>) or `CE_INJECT_FAULT_AT_PATH=P` (the batch that
/// contains path P fails with a device error).
/// </summary>
public sealed class FaultInjectingBackend : IBackend
{
    private readonly IBackend _inner;
    private readonly int _oomAbove;
    private readonly long _faultAtPath;

    public FaultInjectingBackend(IBackend inner, int oomAbove = int.MaxValue, long faultAtPath = -1)
    {
        _inner = inner; _oomAbove = oomAbove; _faultAtPath = faultAtPath;
    }

    /// <summary>Wrap <paramref name="backend"/> when the fault-injection variables are set; otherwise return it.</summary>
    public static IBackend FromEnvironment(IBackend backend)
    {
        int oom = int.TryParse(Environment.GetEnvironmentVariable("CE_INJECT_OOM_ABOVE"), out int o) ? o : int.MaxValue;
        long at = long.TryParse(Environment.GetEnvironmentVariable("CE_INJECT_FAULT_AT_PATH"), out long p) ? p : -1;
        return oom == int.MaxValue && at < 0 ? backend : new FaultInjectingBackend(backend, oom, at);
    }

    public string Name => _inner.Name;
    public string Device => _inner.Device;
    public string MathPath => _inner.MathPath;
    public TimeSpan TransferTime => _inner.TransferTime;
    public long MaxBatch(Models.IModelJob job) => _inner.MaxBatch(job);

    public void Run(Models.IModelJob job, long pathOffset, int count, double[] metrics, float[] bands, long bandPaths,
        CancellationToken cancellation = default)
    {
        if (count > _oomAbove)
            throw new DeviceOutOfMemoryException($"injected: device out of memory for a batch of {count} paths");
        if (_faultAtPath >= pathOffset && _faultAtPath < pathOffset + count)
            throw new InvalidOperationException("injected device fault (illegal address)");
        _inner.Run(job, pathOffset, count, metrics, bands, bandPaths, cancellation);
    }

    public void Dispose() => _inner.Dispose();
}
