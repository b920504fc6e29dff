using System.Runtime.Intrinsics;
using ComputeEconomics.Backends;
using ComputeEconomics.Kernels;
using ComputeEconomics.Kernels.Finance;
using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Kernels.Random;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Sweeps;
using ComputeEconomics.Tests.Sweeps;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Fleet;

/// <summary>
/// The cpu backend's lockstep (CE_CPU_KERNEL=lockstep, FleetModel.SimulateLockstep: four paths side by side, the operating
/// pass and the market step in 256-bit vectors) must give every path the scalar kernel's results bit for bit, whatever the
/// grouping: path counts that are not a multiple of four (a scalar remainder), batches and sweep points that split a group,
/// per-path parameter sets (scalar), parameter sets the lockstep does not cover (scalar). Each case runs the same job on
/// CpuBackend(lockstep: true) and CpuBackend(lockstep: false) and compares every metric of every path and every band value.
/// The building blocks are checked against the scalar functions on their own: Philox4x32-10 blocks (Random123's algorithm,
/// whose scalar form KernelRandomTests checks against the published known-answer vectors) and the inverse normal.
/// </summary>
public class LockstepTests
{
    public static TheoryData<string, string[]> Cases() => new()
    {
        // Expansions into newer generations, failures replaced past the warranty (ReplaceFailed, AddLoan), MACRS tax.
        { "benchmark-fleet", Array.Empty<string>() },
        // Failures written off (WriteOffFailed changes units, basis and the previous market value inside the pass).
        { "neocloud-h100", new[] { "fleet.failures.policy=retire" } },
        // Fixed-age replacement with rebuys; the option to idle off (the forward margin only), a scrap value floor.
        { "neocloud-h100", new[] { "fleet.replacement.policy=fixed_age", "fleet.valuation.option_to_idle=false", "fleet.valuation.scrap_usd=500" } },
        // A change in the book life part way (the new share table from its month), a covenant, fiscal-year metrics.
        { "neocloud-h100", new[] { "fleet.depreciation.book.life_change.month=24", "fleet.depreciation.book.life_change.useful_life_months=36",
            "fleet.financing.ltv_max=0.9", "fleet.depreciation.fiscal_year_metrics=true" } },
        // Antithetic pairs: the odd paths' mirrored uniforms in the vector market step.
        { "benchmark-fleet", new[] { "sampling=antithetic" } },
        // QMC: the market step per lane (scalar), the pass in vectors.
        { "benchmark-fleet", new[] { "sampling=qmc" } },
        // The opening book (cohorts bought before month 0) and scheduled purchases.
        { "coreweave", Array.Empty<string>() },
        { "oracle", Array.Empty<string>() },
        // A counterparty that defaults often (its obligation and recovery in the month of default) and renewals at spot.
        { "neocloud-h100", new[] { "fleet.operations.contract.counterparty.annual_default_probability=0.3",
            "fleet.operations.contract.counterparty.recovery_share=0.4", "fleet.operations.contract.renewal.policy=spot",
            "fleet.operations.contract.renewal.probability=0.7", "fleet.depreciation.fiscal_year_metrics=true", "band_paths=40" } },
        // No contract (the default scenario has one).
        { "neocloud-h100", new[] { "fleet.operations.contract=null" } },
        // The impairment test at fiscal year ends (a company scenario's, and the default scenario's with it on).
        { "meta", Array.Empty<string>() },
        { "neocloud-h100", new[] { "fleet.depreciation.impairment_test=true", "fleet.depreciation.fiscal_year_metrics=true" } },
        // The margin policy (its streaks retire cohorts in any month) and units-of-production depreciation.
        { "neocloud-h100", new[] { "fleet.replacement.policy=margin", "fleet.replacement.margin_months=3" } },
        { "neocloud-h100", new[] { "fleet.depreciation.book.method=units_of_production" } },
        // Asset classes bought with each cohort (their purchases inside the pass, their months a path stage).
        { "neocloud-h100", new[] { "fleet.depreciation.asset_classes.network.share=0.1",
            "fleet.depreciation.asset_classes.buildings.share=0.2" } },
    };

    /// <summary>The job on the cpu backend; with the lockstep asked for (on a CPU with AVX2), at least half the paths must have
    /// run in it, so a silent fallback to the scalar kernel cannot pass a comparison.</summary>
    private static RunResult Run(IModelJob job, bool lockstep, int paths, bool floatMath = false, int batch = 0)
    {
        using var cpu = new CpuBackend(threads: 2, floatMath: floatMath, lockstep: lockstep);
        var options = new RunOptions { Paths = paths, BandPaths = Math.Min(paths, 21) };
        if (batch > 0) options = options with { BatchSize = batch };
        var result = Simulator.Run(job, cpu, options);
        if (!lockstep || !FleetModel.LockstepSupported) Assert.Equal(0, cpu.LockstepPaths);
        else Assert.True(cpu.LockstepPaths >= paths / 2, $"{cpu.LockstepPaths} of {paths} paths ran in lockstep");
        return result;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryPathIsTheScalarKernelsBitForBit(string scenario, string[] overrides)
    {
        IModelJob job = ScenarioCompiler.Compile(ScenarioLoader.Load(scenario, new[] { "paths=203" }.Concat(overrides)));
        var scalar = Run(job, lockstep: false, paths: 203);
        var lockstep = Run(job, lockstep: true, paths: 203);
        Assert.True(FleetFixture.Column(scalar, "total_capex").Any(x => x > 0), "the run must buy something");
        if (scenario == "meta" || overrides.Contains("fleet.depreciation.impairment_test=true"))   // a write-down must happen
            Assert.True(FleetFixture.Column(scalar, "impairment_charges").Any(x => x > 0), "no path was impaired");
        if (scalar.Job.MetricNames.Contains("counterparty_default"))   // the month of default must occur on some paths and not on others
            Assert.Equal(2, FleetFixture.Column(scalar, "counterparty_default").Distinct().Count());
        BitCompare.AssertIdentical(scalar, lockstep, $"{scenario} {string.Join(' ', overrides)}: lockstep vs scalar");
    }

    [Fact]
    public void BatchesThatSplitAGroupAndTheFloatPolicyChangeNothing()
    {
        IModelJob job = ScenarioCompiler.Compile(ScenarioLoader.Load("benchmark-fleet", new[] { "paths=150" }));
        var scalar = Run(job, lockstep: false, paths: 150, batch: 150);
        BitCompare.AssertIdentical(scalar, Run(job, lockstep: true, paths: 150, batch: 7), "batches of 7 (groups split across batches)");
        BitCompare.AssertIdentical(Run(job, lockstep: false, paths: 150, floatMath: true),
            Run(job, lockstep: true, paths: 150, floatMath: true), "float transcendentals (the GPU's policy)");
    }

    [Fact]
    public void SweepPointsThatSplitAGroupGiveTheScalarTable()
    {
        // 5 points of the grid, batches of 7 paths: groups straddle points (scalar there) and batches.
        var plan = SweepTestData.Plan(SweepTestData.Grid);
        var options = new SweepRunOptions { BatchSize = 7 };
        using var scalarCpu = new CpuBackend(2, lockstep: false);
        using var lockstepCpu = new CpuBackend(2, lockstep: true);
        var scalar = SweepRunner.Run(plan, scalarCpu, options);
        var lockstep = SweepRunner.Run(plan, lockstepCpu, options);
        Assert.Equal(scalar.Table.Csv(scalar.Rows), lockstep.Table.Csv(lockstep.Rows));
        if (FleetModel.LockstepSupported) Assert.True(lockstepCpu.LockstepPaths > 0, "no sweep path ran in lockstep");
    }

    [Fact]
    public void EveryShippedFleetScenarioRunsInLockstepWhereTheCpuHasAvx2()
    {
        // coreweave: financing tranches (path stages, lane by lane) and the impairment test; the others cover the rest.
        var fleet = Directory.GetFiles(Path.Combine(ComputeEconomics.Tests.Reports.SchemaTests.RepoRoot(), "scenarios"), "*.yaml")
            .Select(f => ScenarioCompiler.Compile(ScenarioLoader.Load(f, new[] { "horizon_months=12" }))).OfType<ModelJob<FleetModel>>().ToList();
        Assert.True(fleet.Count >= 8, $"{fleet.Count} fleet scenarios");
        foreach (var job in fleet)
        {
            using var cpu = new CpuBackend(threads: 1, lockstep: true);
            Simulator.Run(job, cpu, new RunOptions { Paths = 8, BandPaths = 0 });
            Assert.True(cpu.LockstepPaths == (FleetModel.LockstepSupported ? 8 : 0), $"{job.Scenario.Name}: {cpu.LockstepPaths} of 8 paths in lockstep");
        }
    }

    [Fact]
    public void PhiloxOnFourLanesIsTheScalarBlock()
    {
        var rng = new System.Random(17);
        for (int i = 0; i < 2000; i++)
        {
            // Paths above 2^32 too: the high word goes into the counter.
            long[] paths = Enumerable.Range(0, 4).Select(_ => rng.NextInt64(0, i % 2 == 0 ? 1L << 32 : 1L << 47)).ToArray();
            uint seed = (uint)rng.Next(), month = (uint)rng.Next(0, 1000), slot = (uint)rng.Next(0, 8), stream = (uint)rng.Next(0, 12);
            Lanes4.Block(seed, System.Runtime.Intrinsics.Vector256.Create(paths), month, slot, stream,
                out var x, out var y, out var z, out var w);
            for (int l = 0; l < 4; l++)
            {
                UInt4 b = Philox4x32.Block(seed, paths[l], month, slot, stream);
                Assert.Equal((b.X, b.Y, b.Z, b.W), ((uint)x[l], (uint)y[l], (uint)z[l], (uint)w[l]));
                Assert.Equal(BitConverter.DoubleToInt64Bits(Philox4x32.ToUniform(b.X)), BitConverter.DoubleToInt64Bits(Lanes4.ToUniform(x)[l]));
            }
        }
    }

    [Fact]
    public void TheInverseNormalOnFourLanesIsTheScalarOneInEveryRegion()
    {
        var rng = new System.Random(5);
        // Uniform draws, both tails near the branch points (0.075, 0.925) and far out (the smallest and largest uniforms of
        // a 32-bit word), and exactly 0.5.
        var us = Enumerable.Range(0, 4000).Select(_ => rng.NextDouble() * 0.999 + 0.0005)
            .Concat(new[] { 0.075, 0.0749999999, 0.0750000001, 0.925, 0.9250000001, 0.5, 0.5 / 4294967296.0, 1 - 0.5 / 4294967296.0,
                1e-300, 0.3, 0.01, 0.99 })
            .ToArray();
        for (int i = 0; i + 4 <= us.Length; i += 4)
        {
            var z = Lanes4.InvCdf<DoubleMath>(System.Runtime.Intrinsics.Vector256.Create(us[i], us[i + 1], us[i + 2], us[i + 3]));
            for (int l = 0; l < 4; l++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(Normal.InvCdf<DoubleMath>(us[i + l])), BitConverter.DoubleToInt64Bits(z[l]));
        }
    }

    [Fact]
    public void TheBinomialSearchOnFourLanesIsTheScalarOneBothWays()
    {
        var rng = new System.Random(11);
        // n from 1 to 20,000 units, monthly hazards from 1e-5 to 0.3, uniforms across (0,1) and at the ends of a 32-bit word:
        // lanes that search down, up, not at all, down to 0, up to n.
        double[] hs = { 1e-5, 0.0008, 0.0075, 0.05, 0.3 };
        for (int i = 0; i < 3000; i++)
        {
            var n = new double[4]; var odds = new double[4]; var mode = new double[4]; var pmf = new double[4]; var cdf = new double[4];
            var u = new double[4];
            for (int l = 0; l < 4; l++)
            {
                n[l] = rng.Next(1, i % 3 == 0 ? 20 : 20_000);
                double h = hs[rng.Next(hs.Length)];
                odds[l] = h / (1 - h);
                Binomial.ModeCache<DoubleMath>(n[l], h, odds[l], Math.Log(1 - h), out mode[l], out pmf[l], out cdf[l]);
                u[l] = (i % 7) switch { 0 => 0.5 / 4294967296.0, 1 => 1 - 0.5 / 4294967296.0, _ => rng.NextDouble() };
            }
            var lanes = System.Runtime.Intrinsics.Vector256.Create(-1L, -1L, i % 5 == 0 ? 0L : -1L, -1L).AsDouble();
            var k = Lanes4.FromMode(lanes, V(n), V(odds), V(mode), V(pmf), V(cdf), V(u));
            for (int l = 0; l < 4; l++)
            {
                if (l == 2 && i % 5 == 0) continue;   // a lane left out: unspecified
                double expected = Binomial.FromMode(n[l], odds[l], mode[l], pmf[l], cdf[l], u[l]);
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(k[l]));
            }
        }
    }

    private static System.Runtime.Intrinsics.Vector256<double> V(double[] x) => System.Runtime.Intrinsics.Vector256.Create(x);

    [Fact]
    public unsafe void TheIrrOfFourLanesIsTheScalarOneForEveryStatus()
    {
        var rng = new System.Random(23);
        const int Months = 120;
        var statuses = new HashSet<int>();
        Span<int> status = stackalloc int[4];
        for (int i = 0; i < 400; i++)
        {
            var cf = new double[4 * Months];
            for (int l = 0; l < 4; l++)
            {
                int shape = (i + l) % 6;
                for (int t = 0; t < Months; t++)
                {
                    double x = shape switch
                    {
                        0 => t == 0 ? -1000 : rng.NextDouble() * 30,                        // an investment paid back (or not)
                        1 => rng.NextDouble() * 10,                                          // never negative
                        2 => -rng.NextDouble() * 10,                                         // never positive
                        3 => t < 12 ? -100 : (t < 60 ? 40 : -60) + rng.NextDouble(),        // several sign changes
                        4 => t == 0 ? -1 : t == 1 ? 1 : 0,                                   // NPV 0 at r = 0
                        _ => t == 0 ? 100 : -rng.NextDouble() * 20,                          // a loan: negative at every rate
                    };
                    cf[4 * t + l] = x;
                }
            }
            Vector256<double> irr;
            fixed (double* p = cf) irr = IrrLanes.Annual(p, Months, status);
            for (int l = 0; l < 4; l++)
            {
                double expected = Irr.Annual(new ArrayVec(cf), l, 4, Months, out int expectedStatus);
                Assert.Equal(expectedStatus, status[l]);
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(irr[l]));
                statuses.Add(expectedStatus);
            }
        }
        Assert.True(statuses.Count >= 4, $"the cases must reach most statuses: {string.Join(",", statuses)}");
    }

    private readonly struct ArrayVec : IVec<double>
    {
        private readonly double[] _a;
        public ArrayVec(double[] a) { _a = a; }
        public double this[int index] { get => _a[index]; set => _a[index] = value; }
        public double this[long index] { get => _a[index]; set => _a[index] = value; }
    }
}
