using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Models;

/// <summary>Dispatch on the concrete model struct without boxing it into the kernels.</summary>
public interface IModelVisitor<out TResult>
{
    TResult Visit<TModel>(ModelJob<TModel> job) where TModel : unmanaged, IPathModel;
}

/// <summary>A compiled scenario, ready for a backend.</summary>
public interface IModelJob
{
    Scenario Scenario { get; }
    /// <summary>Read-only tables the kernel reads (catalog, depreciation shares, discount factors).</summary>
    double[] Data { get; }
    long ScratchPerPath { get; }
    IReadOnlyList<string> MetricNames { get; }
    IReadOnlyList<string> SeriesNames { get; }
    int Months { get; }
    /// <summary>Number of variants (sweep points packed into one job); 1 for a plain run.</summary>
    int VariantCount { get; }
    /// <summary>Metrics that are 0/1 event flags: reported as probabilities with their standard errors.</summary>
    IReadOnlyList<string> EventMetrics { get; }
    TResult Accept<TResult>(IModelVisitor<TResult> visitor);

    /// <summary>Pack this job and <paramref name="others"/> (same model kind) into one multi-variant job.</summary>
    IModelJob Pack(IReadOnlyList<IModelJob> others, long pathsPerVariant);

    /// <summary>
    /// One job for a batch of paths that each have their own parameters (uncertain inputs): <paramref name="pathJobs"/>[i]
    /// is global path <paramref name="firstPath"/> + i. This job supplies the scenario and metadata of the result.
    /// </summary>
    IModelJob PackPerPath(IReadOnlyList<IModelJob> pathJobs, long firstPath);
}

/// <summary>A compiled scenario of model type <typeparamref name="TModel"/>.</summary>
public sealed class ModelJob<TModel> : IModelJob where TModel : unmanaged, IPathModel
{
    public ModelJob(Scenario scenario, TModel model, double[] data, long scratchPerPath,
        IReadOnlyList<string> metricNames, IReadOnlyList<string> seriesNames)
    {
        Scenario = scenario;
        Variants = new[] { model };
        Data = data.Length == 0 ? new double[1] : data;
        ScratchPerPath = Math.Max(1, scratchPerPath);
        MetricNames = metricNames;
        SeriesNames = seriesNames;
    }

    public Scenario Scenario { get; }
    /// <summary>The model struct with its parameters (of the first variant).</summary>
    public TModel Model => Variants[0];
    /// <summary>One parameter struct per variant (sweep point); their data offsets point into <see cref="Data"/>.</summary>
    public TModel[] Variants { get; private init; }
    /// <summary>Paths per variant: global index g is path g % PathsPerVariant of variant g / PathsPerVariant.</summary>
    public long PathsPerVariant { get; private init; } = long.MaxValue;
    /// <summary>True when every path has its own variant: global path g uses Variants[g - FirstVariantPath].</summary>
    public bool PerPathVariants { get; private init; }
    /// <summary>Global index of the path whose parameters are Variants[0] (per-path variants only).</summary>
    public long FirstVariantPath { get; private init; }

    /// <summary>
    /// Pack per-path parameter sets (uncertain inputs) into one job: variant i is global path
    /// <paramref name="firstPath"/> + i, which keeps its own global index (so its random numbers are those of a plain run).
    /// Identical tables are stored once (most uncertain fields change a struct field, not a table), so a batch's data
    /// buffer grows only with the number of distinct tables.
    /// </summary>
    public static ModelJob<TModel> CombinePerPath(ModelJob<TModel> template, IReadOnlyList<ModelJob<TModel>> paths, long firstPath)
    {
        var data = new List<double>();
        var seen = new Dictionary<(int Length, int Hash), List<int>>();
        var variants = new TModel[paths.Count];
        long scratch = 1;
        for (int v = 0; v < paths.Count; v++)
        {
            var p = paths[v];
            if (!p.MetricNames.SequenceEqual(template.MetricNames) || p.Months != template.Months)
                throw new InvalidOperationException("per-path variants must share the model kind, metrics and horizon");
            double[] table = p.Data;
            var key = (table.Length, TableHash(table));
            int offset = -1;
            if (seen.TryGetValue(key, out var candidates))
                foreach (int c in candidates)
                    if (SameBits(data, c, table)) { offset = c; break; }
            if (offset < 0)
            {
                offset = data.Count;
                if (candidates == null) seen[key] = candidates = new List<int>();
                candidates.Add(offset);
                data.AddRange(table);
            }
            TModel m = p.Model;
            m.ShiftDataOffsets(offset);
            variants[v] = m;
            scratch = Math.Max(scratch, p.ScratchPerPath);
        }
        return new ModelJob<TModel>(template.Scenario, template.Model, data.ToArray(), scratch, template.MetricNames, template.SeriesNames)
        {
            Variants = variants,
            PerPathVariants = true,
            FirstVariantPath = firstPath,
            EventMetrics = template.EventMetrics,
            Catalog = template.Catalog,
        };
    }

    private static int TableHash(double[] table)
    {
        var h = new HashCode();
        foreach (double x in table) h.Add(BitConverter.DoubleToInt64Bits(x));
        return h.ToHashCode();
    }

    private static bool SameBits(List<double> data, int offset, double[] table)
    {
        for (int i = 0; i < table.Length; i++)
            if (BitConverter.DoubleToInt64Bits(data[offset + i]) != BitConverter.DoubleToInt64Bits(table[i])) return false;
        return true;
    }

    /// <summary>
    /// Pack several jobs of the same model kind (sweep points) into one, for one launch: their tables are
    /// concatenated and each variant's data offsets shifted; every variant simulates paths 0 .. pathsPerVariant-1
    /// with its own seed (common random numbers when the seeds agree).
    /// </summary>
    public static ModelJob<TModel> Combine(IReadOnlyList<ModelJob<TModel>> points, long pathsPerVariant)
    {
        var first = points[0];
        var data = new List<double>();
        var variants = new TModel[points.Count];
        long scratch = 1;
        for (int v = 0; v < points.Count; v++)
        {
            var p = points[v];
            if (!p.MetricNames.SequenceEqual(first.MetricNames) || p.Months != first.Months)
                throw new InvalidOperationException("sweep points must share the model kind, metrics and horizon");
            TModel m = p.Model;
            m.ShiftDataOffsets(data.Count);
            variants[v] = m;
            data.AddRange(p.Data);
            scratch = Math.Max(scratch, p.ScratchPerPath);
        }
        return new ModelJob<TModel>(first.Scenario, first.Model, data.ToArray(), scratch, first.MetricNames, first.SeriesNames)
        {
            Variants = variants,
            PathsPerVariant = pathsPerVariant,
            EventMetrics = first.EventMetrics,
            Catalog = first.Catalog,
        };
    }
    public double[] Data { get; }
    public long ScratchPerPath { get; }
    public IReadOnlyList<string> MetricNames { get; }
    public IReadOnlyList<string> SeriesNames { get; }
    public int Months => Scenario.HorizonMonths;
    public int VariantCount => Variants.Length;
    public IReadOnlyList<string> EventMetrics { get; init; } = Array.Empty<string>();
    /// <summary>The resolved catalog, for fleet jobs.</summary>
    public IReadOnlyList<GenerationSpec>? Catalog { get; init; }
    public TResult Accept<TResult>(IModelVisitor<TResult> visitor) => visitor.Visit(this);

    public IModelJob Pack(IReadOnlyList<IModelJob> others, long pathsPerVariant)
    {
        var all = new List<ModelJob<TModel>> { this };
        foreach (var o in others)
            all.Add(o as ModelJob<TModel> ?? throw new InvalidOperationException("sweep points must share the model kind"));
        return Combine(all, pathsPerVariant);
    }

    public IModelJob PackPerPath(IReadOnlyList<IModelJob> pathJobs, long firstPath)
        => CombinePerPath(this, pathJobs.Select(o => o as ModelJob<TModel>
            ?? throw new InvalidOperationException("per-path variants must share the model kind")).ToList(), firstPath);
}

/// <summary>Metric names in kernel order (the output keys of summary.json), from the kinds' metric tables.</summary>
public static class MetricNames
{
    public static readonly string[] Market = Models.Market.MarketKind.Table.Names();

    public static readonly string[] Fleet = Models.Fleet.FleetKind.Table.Names();
}
