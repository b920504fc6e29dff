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
/// grow with the paths. Per metric: exact moments (values pushed in path order, blocks of <see cref="Moments.BlockSize"/>
/// paths at fixed global positions combined left to right), a <see cref="QuantileSketch"/> for the quantiles and CVaR,
/// the count of negative values and, for month-of-event metrics, exact counts per month. Every metric is fed in global
/// path order, so the result is the same whatever the batch size or thread count.
/// </summary>
public sealed class StreamingStatistics : IBatchSink
{
    private readonly Moments[] _total;
    private readonly Moments[] _block;
    private readonly long[] _negative;
    private readonly long[] _positive;
    private readonly long[]?[] _months;
    private long _next;

    /// <summary>Accumulators for <paramref name="job"/>'s metrics; <paramref name="monthMetrics"/> also get exact per-month counts.</summary>
    public StreamingStatistics(IModelJob job, IEnumerable<string> monthMetrics, int sketchCapacity = QuantileSketch.DefaultCapacity)
    {
        Job = job;
        int k = job.MetricNames.Count;
        _total = new Moments[k];
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

    public IModelJob Job { get; }

    /// <summary>Paths reduced so far.</summary>
    public long Paths => _next;

    /// <summary>The quantile sketch of each metric, in metric order.</summary>
    public QuantileSketch[] Sketches { get; }

    /// <summary>Bytes a metric's accumulators may reach at <paramref name="paths"/> paths (its sketch's levels).</summary>
    public static long BytesPerMetric(long paths, int capacity = QuantileSketch.DefaultCapacity)
    {
        int levels = 1;
        for (long held = capacity; held < paths; held *= 2) levels++;
        return (long)levels * capacity * sizeof(double) + 4096;
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

    /// <summary>
    /// A batch reduced on the device, paths [firstPath, firstPath + summary.Count): its moment blocks are combined left
    /// to right as <see cref="Add"/> combines the blocks it pushes (so the moments equal the host's: the same pushes, at
    /// the same block positions, when the device rounds as the host does), its month counts and signs added, and each
    /// chunk's sample added to the metric's sketch (<see cref="QuantileSketch.AddSample"/>).
    /// </summary>
    public void AddSummary(DeviceBatchSummary summary, long firstPath)
    {
        if (firstPath != _next)
            throw new InvalidOperationException($"batches must arrive in path order: expected path {_next}, got {firstPath}");
        if (firstPath % Moments.BlockSize != 0)
            throw new InvalidOperationException($"a device-reduced batch must start on a block of {Moments.BlockSize} paths, not at {firstPath}");
        var monthIndex = MonthMetricIndices;
        Parallel.For(0, _total.Length, j => AddMetricSummary(j, summary, Array.IndexOf(monthIndex, j)));
        _next += summary.Count;
    }

    private void AddMetricSummary(int j, DeviceBatchSummary s, int monthSlot)
    {
        for (int b = 0; b < s.Blocks; b++)
        {
            var f = s.BlockMoments.AsSpan((j * s.Blocks + b) * DeviceBatchSummary.MomentFields, DeviceBatchSummary.MomentFields);
            var block = Moments.FromParts((long)f[0], (long)f[1], f[2], f[3], f[4], f[5]);
            _negative[j] += (long)f[6];
            _positive[j] += (long)f[7];
            _total[j] = Moments.Combine(_total[j], _block[j]);   // a partial block only ends the run: _block is empty before
            _block[j] = default;
            if (Math.Min(Moments.BlockSize, s.Count - b * Moments.BlockSize) == Moments.BlockSize) _total[j] = Moments.Combine(_total[j], block);
            else _block[j] = block;
        }
        if (monthSlot >= 0)
        {
            var months = _months[j]!;
            for (int m = 0; m < months.Length; m++) months[m] += s.MonthCounts[monthSlot * months.Length + m];
        }
        for (int c = 0; c < s.Chunks; c++)
        {
            int t = j * s.Chunks + c;
            long count = s.SampleMeta[2 * t];
            int level = (int)s.SampleMeta[2 * t + 1];
            int taken = (int)((count + (1L << level) - 1) >> level);
            Sketches[j].AddSample(s.Samples.AsSpan(t * s.SampleSize, taken), level, count);
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
                _total[j] = Moments.Combine(_total[j], _block[j]);
                _block[j] = default;
            }
            sketch.Add(x);
            if (x < 0) _negative[j]++;
            else if (x > 0) _positive[j]++;
            if (months != null && !double.IsNaN(x)) months[(int)Math.Clamp(Math.Floor(x), 0, months.Length - 1)]++;
        }
    }

    /// <summary>The exact moments of metric <paramref name="j"/> over every path added.</summary>
    public Moments MomentsOf(int j) => Moments.Combine(_total[j], _block[j]);

    /// <summary>Paths on which metric <paramref name="j"/> was below zero.</summary>
    public long NegativeCount(int j) => _negative[j];

    /// <summary>Paths on which metric <paramref name="j"/> was above zero (for a 0/1 flag: the events).</summary>
    public long PositiveCount(int j) => _positive[j];

    /// <summary>Paths whose month-of-event metric <paramref name="j"/> fell in each month (null when not counted).</summary>
    public long[]? MonthCounts(int j) => _months[j];

    /// <summary>Metric <paramref name="j"/>'s summary: exact moments, quantiles and CVaR5 from its sketch.</summary>
    public MetricSummary Summary(int j)
    {
        string name = Job.MetricNames[j];
        var m = MomentsOf(j);
        var s = Sketches[j];
        bool upper = MetricInfo.UpperTail(name);
        return new MetricSummary(name, m.Count, m.Absent, m.Mean, m.StdDev, m.StdError, m.Min, m.Max,
            s.Quantile(0.01), s.Quantile(0.05), s.Quantile(0.25), s.Quantile(0.50), s.Quantile(0.75), s.Quantile(0.95),
            s.Quantile(0.99), s.TailMean(0.05, upper))
        { UpperTail = upper };
    }

    /// <summary>The largest relative rank-error bound over the metrics' sketches.</summary>
    public double RelativeRankError => Sketches.Length == 0 ? 0.0 : Sketches.Max(s => s.RelativeRankError);

    private int IndexOf(string name)
    {
        for (int i = 0; i < Job.MetricNames.Count; i++) if (Job.MetricNames[i] == name) return i;
        return -1;
    }
}
