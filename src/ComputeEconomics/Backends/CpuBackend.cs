using System.Collections.Concurrent;
using ComputeEconomics.Kernels;
using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Models;

namespace ComputeEconomics.Backends;

/// <summary>
/// The cpu backend: the per-path functions called directly from .NET on all cores (JIT-compiled,
/// IEEE double math). Each worker thread owns its scratch, so the thread count never changes a result.
/// </summary>
public sealed class CpuBackend : IBackend
{
    private readonly int _threads;
    private readonly bool _floatMath;

    /// <param name="threads">Worker threads; 0 = all cores.</param>
    /// <param name="floatMath">Use the GPU's float transcendental policy (<see cref="FloatMath"/>) instead of
    /// IEEE double: lets the precision policy be measured on a machine without a GPU.</param>
    public CpuBackend(int threads = 0, bool floatMath = false)
    {
        _threads = threads > 0 ? threads : Environment.ProcessorCount;
        _floatMath = floatMath;
    }

    public string Name => "cpu";
    public string Device => $"{Environment.ProcessorCount}-core CPU ({_threads} threads), .NET {Environment.Version}";
    public string MathPath => _floatMath ? "float transcendentals (the GPU policy), money in double" : "double (IEEE, .NET System.Math)";
    public int Threads => _threads;

    public long MaxBatch(IModelJob job) => 1 << 14;

    /// <summary>Results are written straight into host memory: no transfers.</summary>
    public TimeSpan TransferTime => TimeSpan.Zero;

    public void Run(IModelJob job, long pathOffset, int count, double[] metrics, float[] bands, long bandPaths,
        CancellationToken cancellation = default)
        => job.Accept(new Runner(this, pathOffset, count, metrics, bands, bandPaths) { Cancellation = cancellation });

    private sealed class Runner : IModelVisitor<bool>
    {
        private readonly CpuBackend _b;
        private readonly long _offset, _bandPaths;
        private readonly int _count;
        private readonly double[] _metrics;
        private readonly float[] _bands;
        public CancellationToken Cancellation { get; init; }

        public Runner(CpuBackend b, long offset, int count, double[] metrics, float[] bands, long bandPaths)
        {
            _b = b; _offset = offset; _count = count; _metrics = metrics; _bands = bands; _bandPaths = bandPaths;
        }

        public unsafe bool Visit<TModel>(ModelJob<TModel> job) where TModel : unmanaged, IPathModel
        {
            TModel[] variants = job.Variants;
            long perVariant = job.PathsPerVariant;
            bool perPath = job.PerPathVariants;
            long firstVariantPath = job.FirstVariantPath;
            int k = job.MetricNames.Count;
            long bandStride = (long)job.Months * job.SeriesNames.Count;
            double[] data = job.Data;
            long scratchLen = job.ScratchPerPath;
            int chunk = Math.Max(1, Math.Min(256, _count / (_b._threads * 8) + 1));
            var ranges = Partitioner.Create(0, _count, chunk);
            var options = new ParallelOptions { MaxDegreeOfParallelism = _b._threads, CancellationToken = Cancellation };
            long offset = _offset, bandPaths = _bandPaths;
            bool floatMath = _b._floatMath;
            double[] metrics = _metrics;
            float[] bands = _bands.Length == 0 ? new float[1] : _bands;
            Parallel.ForEach(ranges, options, () => new double[scratchLen], (range, _, scratch) =>
            {
                fixed (double* pData = data)
                fixed (double* pScratch = scratch)
                fixed (double* pMetrics = metrics)
                fixed (float* pBands = bands)
                {
                    var vData = new PtrVec<double>(pData);
                    var vScratch = new PtrVec<double>(pScratch);
                    var vMetrics = new PtrVec<double>(pMetrics);
                    var vBands = new PtrVec<float>(pBands);
                    for (int i = range.Item1; i < range.Item2; i++)
                    {
                        long global = offset + i;
                        long variant, path;
                        bool ownBands;
                        if (perPath) { variant = global - firstVariantPath; path = global; ownBands = true; }
                        else { variant = global / perVariant; path = global - variant * perVariant; ownBands = variant == 0; }
                        TModel model = variants[variant];
                        var slot = new PathSlot
                        {
                            Path = path,
                            MetricBase = i,
                            MetricStride = _count,
                            BandBase = ownBands && path < bandPaths ? path * bandStride : -1,
                            ScratchBase = 0,
                            ScratchStride = 1,
                        };
                        if (floatMath) model.Simulate<FloatMath, PtrVec<double>, PtrVec<float>>(slot, vData, vScratch, vMetrics, vBands);
                        else model.Simulate<DoubleMath, PtrVec<double>, PtrVec<float>>(slot, vData, vScratch, vMetrics, vBands);
                    }
                }
                return scratch;
            }, _ => { });
            return true;
        }
    }

    public void Dispose() { }
}
