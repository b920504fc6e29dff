using ComputeEconomics.Backends;
using ComputeEconomics.Sweeps;

namespace ComputeEconomics.Tests.Sweeps;

/// <summary>Small sweeps over the built-in default scenario (fast on two cores).</summary>
internal static class SweepTestData
{
    /// <summary>3 x 2 grid: debt share (linear range) x book life (list); 6 points.</summary>
    public const string Grid = """
        scenario: neocloud-h100
        sweep:
          axes:
            - field: fleet.financing.debt_share
              from: 0.3
              to: 0.7
              steps: 3
            - field: fleet.depreciation.book.useful_life_months
              name: book_life
              values: [48, 72]
        """;

    public static SweepPlan Plan(string yaml, long paths = 300, params string[] more)
    {
        string dir = Directory.CreateTempSubdirectory("ce-sweep-plan-").FullName;
        string file = Path.Combine(dir, "sweep.yaml");
        File.WriteAllText(file, yaml);
        try { return SweepPlan.Load(file, new[] { $"paths={paths}", "horizon_months=60" }.Concat(more)); }
        finally { Directory.Delete(dir, true); }
    }

    public static SweepOutcome Run(SweepPlan plan, SweepRunOptions? options = null, int threads = 0) =>
        SweepRunner.Run(plan, new CpuBackend(threads), options ?? new SweepRunOptions());

    public static InputException Errors(string yaml) => Assert.Throws<InputException>(() => Plan(yaml));
}
