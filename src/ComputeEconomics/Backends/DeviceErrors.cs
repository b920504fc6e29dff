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
/// contains path P fails with a device error). A backend that reduces on its device (<see cref="IDeviceReduction"/>)
/// is wrapped by <see cref="FaultInjectingDeviceBackend"/>, which injects the same faults into its reduced batches, so
/// <c>--statistics device</c> still runs under injection.
/// </summary>
public class FaultInjectingBackend : IBackend
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
        if (oom == int.MaxValue && at < 0) return backend;
        return backend is IDeviceReduction ? new FaultInjectingDeviceBackend(backend, oom, at) : new FaultInjectingBackend(backend, oom, at);
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

    /// <summary>The wrapped backend.</summary>
    private protected IBackend Inner => _inner;

    public string Name => _inner.Name;
    public string Device => _inner.Device;
    public string MathPath => _inner.MathPath;
    public TimeSpan TransferTime => _inner.TransferTime;
    public long MaxBatch(Models.IModelJob job) => _inner.MaxBatch(job);

    public void Run(Models.IModelJob job, long pathOffset, int count, double[] metrics, float[] bands, long bandPaths,
        CancellationToken cancellation = default)
    {
        Inject(pathOffset, count);
        _inner.Run(job, pathOffset, count, metrics, bands, bandPaths, cancellation);
    }

    /// <summary>Throw the injected fault of the batch [pathOffset, pathOffset + count), if it has one.</summary>
    private protected void Inject(long pathOffset, int count)
    {
        if (count > _oomAbove)
            throw new DeviceOutOfMemoryException($"injected: device out of memory for a batch of {count} paths");
        if (_faultAtPath >= pathOffset && _faultAtPath < pathOffset + count)
            throw new InvalidOperationException("injected device fault (illegal address)");
    }

    public void Dispose() => _inner.Dispose();
}

/// <summary>
/// <see cref="FaultInjectingBackend"/> of a backend that reduces on its device: its reduced batches
/// (<see cref="IDeviceReduction.RunReduced"/>) fail as its plain ones do.
/// </summary>
public sealed class FaultInjectingDeviceBackend : FaultInjectingBackend, IDeviceReduction
{
    /// <summary>Wrap <paramref name="inner"/>, which must implement <see cref="IDeviceReduction"/>.</summary>
    public FaultInjectingDeviceBackend(IBackend inner, int oomAbove = int.MaxValue, long faultAtPath = -1) : base(inner, oomAbove, faultAtPath)
    {
        if (inner is not IDeviceReduction)
            throw new ArgumentException($"{inner.Name} does not reduce on its device", nameof(inner));
    }

    private IDeviceReduction Reducer => (IDeviceReduction)Inner;

    public long BytesToHost => Reducer.BytesToHost;

    public TimeSpan ReductionTime => Reducer.ReductionTime;

    public DeviceBatchSummary RunReduced(Models.IModelJob job, long pathOffset, int count, float[] bands, long bandPaths,
        DeviceReductionShape shape, CancellationToken cancellation = default, double[]? hostMetrics = null)
    {
        Inject(pathOffset, count);
        return Reducer.RunReduced(job, pathOffset, count, bands, bandPaths, shape, cancellation, hostMetrics);
    }
}
