using ComputeEconomics.Sweeps;
using ComputeEconomics.Tests.Sweeps;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Faults;

/// <summary>`ce merge` on shards that are not one split of one sweep.</summary>
public sealed class MergeFaultTests : TempFolderTest
{
    public MergeFaultTests() : base("ce-merge-faults-") { }

    private string Shard(SweepPlan plan, int k, int n)
    {
        var o = SweepTestData.Run(plan, new SweepRunOptions { Shard = new Shard(k, n) });
        string dir = Path.Combine(Dir, $"shard{k}of{n}");
        SweepOutput.WriteAll(dir, SweepOutput.Files(plan, o.Table, o.Rows, o.Shard, o.Backend, o.Device, o.MathPath, SweepOutput.Timings(o)));
        return dir;
    }

    /// <summary>0/2 with 1/3: it used to be refused only as "1 points missing" under "DIR...", naming no shard.</summary>
    [Fact]
    public void ShardsOfTwoSplitsAreRefusedNamingTheShardAndTheRule()
    {
        var plan = SweepTestData.Plan(SweepTestData.Grid);
        string half = Shard(plan, 0, 2), third = Shard(plan, 1, 3);
        var ex = Assert.Throws<InputException>(() => SweepMerge.Merge(new[] { half, third }));
        var e = Assert.Single(ex.Errors);
        Assert.Equal($"{third}: shard", e.Field);
        Assert.Equal("1/3", e.Value);
        Assert.Contains($"must be of the split of {half} (0/2)", e.Rule, StringComparison.Ordinal);
    }
}
