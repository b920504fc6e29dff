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

    /// <summary>Environment variable: any batch of more than N paths fails with a device out-of-memory.</summary>
    public const string OomAboveVariable = "CE_INJECT_OOM_ABOVE";
    /// <summary>Environment variable: the batch that holds global path P fails with a device fault.</summary>
    public const string FaultAtPathVariable = "CE_INJECT_FAULT_AT_PATH";

    /// <summary>
    /// Wrap <paramref name="backend"/> when the fault-injection variables are set (every backend the factory creates
    /// goes through here); otherwise return it. A value that is not a whole number in range is refused by name.
    /// </summary>
    /// <exception cref="InputException">A variable is set to something other than its rule allows.</exception>
    public static IBackend FromEnvironment(IBackend backend, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        int oom = Read(environment, OomAboveVariable, 1, int.MaxValue, int.MaxValue, backend);
        long at = Read(environment, FaultAtPathVariable, 0, long.MaxValue, -1, backend);
        return oom == int.MaxValue && at < 0 ? backend : new FaultInjectingBackend(backend, oom, at);
    }

    private static T Read<T>(Func<string, string?> environment, string name, T min, T max, T unset, IBackend backend)
        where T : struct, System.Numerics.IBinaryInteger<T>
    {
        string? text = environment(name);
        if (string.IsNullOrEmpty(text)) return unset;
        if (T.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out T v)
            && v >= min && v <= max)
            return v;
        backend.Dispose();
        throw new InputException(name, text, $"must be a whole number from {min} to {max} (fault injection for tests; unset it for a normal run)");
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
