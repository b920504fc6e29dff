using ComputeEconomics.Tests.Reports;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Faults;

/// <summary>What a SIGKILL can leave in a sweep's folder is taken over by the next sweep.</summary>
public sealed class KilledSweepFolderTests : TempFolderTest
{
    public KilledSweepFolderTests() : base("ce-killed-sweep-") { }

    /// <summary>
    /// A sweep killed while it wrote its first checkpoint (through .checkpoint.csv.tmp, renamed when complete) leaves a
    /// folder holding only that copy; the next `ce sweep --out` into it used to be refused as "holds other files".
    /// </summary>
    [Fact]
    public void AFolderHoldingOnlyAPartialFirstCheckpointIsWrittenByTheNextSweep()
    {
        string dir = Path.Combine(Dir, "sweep");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, ".checkpoint.csv.tmp"), "# ce sweep checkpoint v2 plan=");
        string sweep = Path.Combine(SchemaTests.RepoRoot(), "scenarios", "useful-life-debate.yaml");
        var r = CeProcess.Run(new[] { "sweep", sweep, "--paths", "50", "--backend", "cpu", "--quiet", "--out", dir }, timeoutSeconds: 120);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.True(File.Exists(Path.Combine(dir, "manifest.json")));
        Assert.False(File.Exists(Path.Combine(dir, ".checkpoint.csv.tmp")));
    }
}
