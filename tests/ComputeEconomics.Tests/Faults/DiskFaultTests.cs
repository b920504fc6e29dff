using System.Diagnostics;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Faults;

/// <summary>A sweep's checkpoint on a disk that is full (a 16 KiB tmpfs, mounted as root).</summary>
public sealed class DiskFaultTests : TempFolderTest
{
    public DiskFaultTests() : base("ce-diskfault-") { }

    /// <summary>
    /// `--resume` on a full disk rewrites the checkpoint through a copy, which fails part way: the partial copy
    /// (.checkpoint.csv.tmp) used to stay, holding the space the user had to free; now it goes and the message says the
    /// checkpoint is kept.
    /// </summary>
    [RootFact]
    public void AResumeOnAFullDiskLeavesTheCheckpointAndNoPartialCopy()
    {
        string mount = Path.Combine(Dir, "tmpfs");
        Directory.CreateDirectory(mount);
        using (var p = Process.Start("mount", new[] { "-t", "tmpfs", "-o", "size=16k", "tmpfs", mount })) p.WaitForExit();
        try
        {
            string sweep = Path.Combine(Dir, "grid.yaml");
            File.WriteAllText(sweep, "scenario: neocloud-h100\nsweep:\n  axes:\n    - field: fleet.financing.debt_share\n      from: 0.1\n      to: 0.6\n      steps: 10\n");
            string dir = Path.Combine(mount, "s");
            string[] args = { "sweep", sweep, "--backend", "cpu", "--paths", "100", "--set", "horizon_months=12", "--out", dir };
            var filled = CeProcess.Run(args, timeoutSeconds: 120);
            Assert.True(filled.ExitCode == 1, filled.ToString());
            string checkpoint = Path.Combine(dir, ".checkpoint.csv");
            byte[] before = File.ReadAllBytes(checkpoint);
            var resumed = CeProcess.Run(args.Append("--resume"), timeoutSeconds: 120);
            Assert.True(resumed.ExitCode == 1, resumed.ToString());
            Assert.False(File.Exists(checkpoint + ".tmp"), "the partial copy of the checkpoint is left");
            Assert.Contains("the checkpoint is kept", resumed.StdErr, StringComparison.Ordinal);
            Assert.Equal(before, File.ReadAllBytes(checkpoint));
        }
        finally
        {
            using (var p = Process.Start("umount", new[] { mount })) p.WaitForExit();
        }
    }
}
