using System.Collections.Concurrent;
using ComputeEconomics.Kernels;
using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Models.Fleet;

/// <summary>
/// The counterparty coupled to the lab model (fleet.operations.contract.counterparty.lab_scenario, docs/model.md 3,
/// "Counterparty default"): the lab scenario run on the host with the fleet's seed and path count (at most
/// <see cref="MaxPaths"/>), the per-path lab function called directly in IEEE double as the cpu backend does, and its
/// insolvency hazard by month h_t = (paths insolvent in month t) / (paths solvent at the end of month t - 1). The
/// counterparty then follows the lab's insolvency in distribution, not path by path.
/// </summary>
public static class LabHazard
{
    /// <summary>Lab paths run at most.</summary>
    public const long MaxPaths = 20_000;

    private const string Field = "fleet.operations.contract.counterparty.lab_scenario";

    private static readonly ConcurrentDictionary<(string, long, long, int), double[]> Cache = new();

    /// <summary>The lab scenario named by <paramref name="source"/> (built-in name or file) with the run's seed and paths;
    /// an <see cref="InputException"/> naming the field when it cannot be loaded or is not of kind lab.</summary>
    public static Scenario Load(string source, long seed, long paths)
    {
        Scenario lab;
        try
        {
            lab = ScenarioLoader.Load(source, new[] { $"seed={seed}", $"paths={Math.Min(paths, MaxPaths)}", "band_paths=0" });
        }
        catch (InputException e)
        {
            throw new InputException(Field, source, $"could not be loaded as a scenario: {e.Message}");
        }
        if (ModelKinds.For(lab.Model) is not Lab.LabKind)
            throw new InputException(Field, source, $"is a scenario of kind {lab.Model}; it must be of kind lab");
        return lab;
    }

    /// <summary>h_t for t = 0..months-1 (cached per source, seed, paths and months): past the lab's horizon its last
    /// month's hazard; 1 once no lab path is solvent.</summary>
    public static double[] Table(string source, long seed, long paths, int months)
        => Cache.GetOrAdd((source, seed, Math.Min(paths, MaxPaths), months), k => Compute(k.Item1, k.Item2, k.Item3, k.Item4));

    private static double[] Compute(string source, long seed, long paths, int months)
    {
        var lab = Load(source, seed, paths);
        var job = ModelKinds.For(lab.Model).Compile(lab);
        double[] insolvencyMonth = job.Accept(new InsolvencyMonths(paths));
        return FromInsolvencyMonths(insolvencyMonth, lab.HorizonMonths, months);
    }

    /// <summary>The hazard by month from each path's insolvency month (NaN = solvent to the end): the share of the paths
    /// solvent before month t that become insolvent in it.</summary>
    public static double[] FromInsolvencyMonths(IReadOnlyList<double> insolvencyMonth, int labMonths, int months)
    {
        var table = new double[months];
        double last = 0;
        for (int t = 0; t < months; t++)
        {
            if (t < labMonths)
            {
                int atRisk = insolvencyMonth.Count(m => double.IsNaN(m) || m >= t);
                int failing = insolvencyMonth.Count(m => m == t);
                last = atRisk > 0 ? (double)failing / atRisk : 1.0;
            }
            table[t] = last;
        }
        return table;
    }

    /// <summary>Runs paths 0..n-1 of a lab job one after another and returns each path's insolvency_month.</summary>
    private sealed class InsolvencyMonths : IModelVisitor<double[]>
    {
        private readonly long _paths;

        public InsolvencyMonths(long paths) { _paths = paths; }

        public unsafe double[] Visit<TModel>(ModelJob<TModel> job) where TModel : unmanaged, IPathModel
        {
            int column = job.MetricNames.ToList().IndexOf("insolvency_month");
            var result = new double[_paths];
            var metrics = new double[job.MetricNames.Count];
            var scratch = new double[job.ScratchPerPath];
            var bands = new float[1];
            TModel model = job.Model;
            fixed (double* pData = job.Data)
            fixed (double* pScratch = scratch)
            fixed (double* pMetrics = metrics)
            fixed (float* pBands = bands)
            {
                for (long i = 0; i < _paths; i++)
                {
                    var slot = new PathSlot { Path = i, MetricBase = 0, MetricStride = 1, BandBase = -1, ScratchBase = 0, ScratchStride = 1 };
                    model.Simulate<DoubleMath, PtrVec<double>, PtrVec<float>>(slot, new PtrVec<double>(pData), new PtrVec<double>(pScratch),
                        new PtrVec<double>(pMetrics), new PtrVec<float>(pBands));
                    result[i] = metrics[column];
                }
            }
            return result;
        }
    }
}
