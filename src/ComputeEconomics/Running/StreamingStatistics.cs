using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Statistics;

namespace ComputeEconomics.Running;

/// <summary>Receives each finished batch of per-path metrics (metric-major: metric k of path first + i at k x count + i), in path order.</summary>
public interface IBatchSink
{
    /// <summary>The batch of paths [firstPath, firstPath + count).</summary>
    void Add(double[] buffer, int count, long firstPath);
}

/// <summary>
/// Statistics that stream (<c>--statistics sketch</c>): each batch is reduced as it finishes, so host memory does not
/// grow with the paths. Per metric: exact moments (values pushed in path order into blocks of
/// <see cref="Moments.BlockSize"/> paths, the blocks of a chunk of <see cref="ChunkPaths"/> paths combined left to right,
/// then the chunks combined left to right: the hierarchy the device reduction of <c>--statistics device</c> computes, so
/// the two agree bit for bit where the device rounds as the host does), a <see cref="QuantileSketch"/> for the quantiles
/// and CVaR, the count of negative values and, for month-of-event metrics, exact counts per month. Every metric is fed
/// in global path order at fixed block and chunk positions, so the result is the same whatever the batch size or thread
/// count.
/// </summary>
public sealed class StreamingStatistics : IBatchSink
{
    /// <summary>Paths per chunk by default (2^20): the unit of the moment hierarchy and of a device reduction's sample.</summary>
    public const int DefaultChunkPaths = 1 << 20;

    /// <summary>Values a chunk's device sample holds per metric by default (2^14: every 64th value of a full chunk).</summary>
    public const int DefaultSampleSize = 1 << 14;

    private readonly Moments[] _total;
    private readonly Moments[] _chunk;
    private readonly Moments[] _block;
    private readonly long[] _negative;
    private readonly long[] _positive;
    private readonly long[]?[] _months;
    private readonly int _chunkPaths = DefaultChunkPaths;
    private readonly int _sampleSize = DefaultSampleSize;
    private long _next;

    /// <summary>Accumulators for <paramref name="job"/>'s metrics; <paramref name="monthMetrics"/> also get exact per-month counts.</summary>
    public StreamingStatistics(IModelJob job, IEnumerable<string> monthMetrics, int sketchCapacity = QuantileSketch.DefaultCapacity)
    {
        Job = job;
        int k = job.MetricNames.Count;
        _total = new Moments[k];
        _chunk = new Moments[k];
        _block = new Moments[k];
        _negative = new long[k];
        _positive = new long[k];
        _months = new long[k][];
        Sketches = new QuantileSketch[k];
        for (int j = 0; j < k; j++) Sketches[j] = new QuantileSketch(sketchCapacity);
        foreach (var name in monthMetrics)
        {
            int j = IndexOf(name);
            if (j >= 0) _months[j] = new long[job.Months];
        }
    }

    /// <summary>Paths per chunk of the moment hierarchy and of a device reduction: a power of two, a multiple of <see cref="Moments.BlockSize"/>.</summary>
    public int ChunkPaths
    {
        get => _chunkPaths;
        init => _chunkPaths = value >= Moments.BlockSize && value % Moments.BlockSize == 0 && (value & (value - 1)) == 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(ChunkPaths), value, $"must be a power of two and a multiple of {Moments.BlockSize}");
    }

    /// <summary>Values a device reduction sends per metric and chunk: a power of two, at least 2, at most <see cref="ChunkPaths"/>.</summary>
    public int SampleSize
    {
        get => _sampleSize;
        init => _sampleSize = value >= 2 && (value & (value - 1)) == 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(SampleSize), value, "must be a power of two, at least 2");
    }

    public IModelJob Job { get; }

    /// <summary>Paths reduced so far.</summary>
    public long Paths => _next;

    /// <summary>The quantile sketch of each metric, in metric order.</summary>
    public QuantileSketch[] Sketches { get; }

    /// <summary>Bytes a metric's accumulators may reach at <paramref name="paths"/> paths (its sketch's levels).</summary>
    public static long BytesPerMetric(long paths, int capacity = QuantileSketch.DefaultCapacity) =>
        (long)SketchLevels(paths, capacity) * capacity * sizeof(double) + 4096;

    /// <summary>
    /// Levels a sketch of <paramref name="capacity"/> values a level may reach at <paramref name="paths"/> values: the
    /// least L with capacity x 2^(L-1) at or above the paths (about log2(paths / capacity) + 1; 10 at 1e7 paths and the
    /// default capacity, 14 at 2e8). A sketch holds at most L x capacity values.
    /// </summary>
    public static int SketchLevels(long paths, int capacity = QuantileSketch.DefaultCapacity)
    {
        int levels = 1;
        for (long held = capacity; held < paths; held *= 2) levels++;
        return levels;
    }

    /// <inheritdoc />
    public void Add(double[] buffer, int count, long firstPath)
    {
        if (firstPath != _next)
            throw new InvalidOperationException($"batches must arrive in path order: expected path {_next}, got {firstPath}");
        Parallel.For(0, _total.Length, j => AddMetric(j, buffer.AsSpan(j * count, count)));
        _next += count;
    }

    /// <summary>True when the batches are reduced on the device (<c>--statistics device</c>) and arrive as <see cref="AddSummary"/>.</summary>
    public bool OnDevice { get; init; }

    /// <summary>Indices of the metrics with per-month counts (what a device reduction counts).</summary>
    public int[] MonthMetricIndices => Enumerable.Range(0, _months.Length).Where(j => _months[j] != null).ToArray();

    /// <summary>Months of the per-month counts.</summary>
    public int Months => Job.Months;

    /// <summary>What a device reduction feeding these statistics computes.</summary>
    public DeviceReductionShape DeviceShape => new(ChunkPaths, Math.Min(SampleSize, ChunkPaths), MonthMetricIndices, Months);

    /// <summary>
    /// A batch reduced on the device, paths [firstPath, firstPath + summary.Count): each chunk's moments are combined
    /// into the total as <see cref="Add"/> combines the chunks it pushes (so the moments equal the host's: the same
    /// pushes and merges in the same order, when the device rounds as the host does), its month counts and signs added,
    /// and each chunk's sample added to the metric's sketch (<see cref="QuantileSketch.AddSample"/>).
    /// </summary>
    public void AddSummary(DeviceBatchSummary summary, long firstPath)
    {
        if (firstPath != _next)
            throw new InvalidOperationException($"batches must arrive in path order: expected path {_next}, got {firstPath}");
        if (firstPath % ChunkPaths != 0)
            throw new InvalidOperationException($"a device-reduced batch must start on a chunk of {ChunkPaths} paths, not at {firstPath}");
        var monthIndex = MonthMetricIndices;
        Parallel.For(0, _total.Length, j => AddMetricSummary(j, summary, Array.IndexOf(monthIndex, j)));
        _next += summary.Count;
    }

    private void AddMetricSummary(int j, DeviceBatchSummary s, int monthSlot)
    {
        for (int c = 0; c < s.Chunks; c++)
        {
            int t = j * s.Chunks + c;
            var f = s.ChunkMoments.AsSpan(t * DeviceBatchSummary.MomentFields, DeviceBatchSummary.MomentFields);
            var chunk = Moments.FromParts((long)f[0], (long)f[1], f[2], f[3], f[4], f[5]);
            _negative[j] += (long)f[6];
            _positive[j] += (long)f[7];
            if (s.Count - (long)c * ChunkPaths >= ChunkPaths) _total[j] = Moments.Combine(_total[j], chunk);
            else _chunk[j] = chunk;   // the last, partial chunk: only the run's last batch has one
            long present = chunk.Count;
            int level = Kernels.ReductionKernels.SampleLevel(present, s.SampleSize);
            int taken = (int)((present + (1L << level) - 1) >> level);
            Sketches[j].AddSample(s.Samples.AsSpan(t * s.SampleSize, taken), level, present);
        }
        if (monthSlot >= 0)
        {
            var months = _months[j]!;
            for (int m = 0; m < months.Length; m++) months[m] += s.MonthCounts[monthSlot * months.Length + m];
        }
    }

    private void AddMetric(int j, ReadOnlySpan<double> values)
    {
        long at = _next;
        var months = _months[j];
        var sketch = Sketches[j];
        foreach (double x in values)
        {
            _block[j].Push(x);
            if (++at % Moments.BlockSize == 0)
            {
                _chunk[j] = Moments.Combine(_chunk[j], _block[j]);
                _block[j] = default;
                if (at % ChunkPaths == 0)
                {
                    _total[j] = Moments.Combine(_total[j], _chunk[j]);
                    _chunk[j] = default;
                }
            }
            sketch.Add(x);
            if (x < 0) _negative[j]++;
            else if (x > 0) _positive[j]++;
            if (months != null && !double.IsNaN(x)) months[(int)Math.Clamp(Math.Floor(x), 0, months.Length - 1)]++;
        }
    }

    /// <summary>The exact moments of metric <paramref name="j"/> over every path added.</summary>
    public Moments MomentsOf(int j) => Moments.Combine(_total[j], Moments.Combine(_chunk[j], _block[j]));

    /// <summary>Paths on which metric <paramref name="j"/> was below zero.</summary>
    public long NegativeCount(int j) => _negative[j];

    /// <summary>Paths on which metric <paramref name="j"/> was above zero (for a 0/1 flag: the events).</summary>
    public long PositiveCount(int j) => _positive[j];

    /// <summary>Paths whose month-of-event metric <paramref name="j"/> fell in each month (null when not counted).</summary>
    public long[]? MonthCounts(int j) => _months[j];

    /// <summary>Metric <paramref name="j"/>'s summary: exact moments, quantiles and CVaR5 from its sketch.</summary>
    public MetricSummary Summary(int j) => Summary(j, new SketchScratch(Sketches[j].Held));

    /// <summary>
    /// <see cref="Summary(int)"/> with the sketch sorted in <paramref name="scratch"/> (one scratch a thread for every
    /// metric: the final statistics then allocate nothing that grows with the sketches but that scratch).
    /// </summary>
    public MetricSummary Summary(int j, SketchScratch scratch)
    {
        string name = Job.MetricNames[j];
        var m = MomentsOf(j);
        var s = Sketches[j].Sorted(scratch);   // sorted once for the nine statistics
        bool upper = MetricInfo.UpperTail(name);
        return new MetricSummary(name, m.Count, m.Absent, m.Mean, m.StdDev, m.StdError, m.Min, m.Max,
            s.Quantile(0.01), s.Quantile(0.05), s.Quantile(0.25), s.Quantile(0.50), s.Quantile(0.75), s.Quantile(0.95),
            s.Quantile(0.99), s.TailMean(0.05, upper))
        { UpperTail = upper };
    }

    /// <summary>The most values any metric's sketch holds (the size of a scratch that serves them all).</summary>
    public int MaxHeld => Sketches.Length == 0 ? 0 : Sketches.Max(s => s.Held);

    /// <summary>The largest relative rank-error bound over the metrics' sketches.</summary>
    public double RelativeRankError => Sketches.Length == 0 ? 0.0 : Sketches.Max(s => s.RelativeRankError);

    private int IndexOf(string name)
    {
        for (int i = 0; i < Job.MetricNames.Count; i++) if (Job.MetricNames[i] == name) return i;
        return -1;
    }
}
