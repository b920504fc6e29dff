using ComputeEconomics.Backends;
using ComputeEconomics.Running;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Engine;

/// <summary>
/// Checks run in a child process by <see cref="IsolatedProcess"/> (their failure can crash the process).
/// No xunit here: each prints what differs and returns the exit code (0 = pass).
/// </summary>
internal static class IsolatedBackendChecks
{
    /// <summary>
    /// One ilgpu-cpu backend reused for runs of the same job with 10, 300, 0 and 50 band paths must give what the
    /// cpu backend gives for each run.
    /// </summary>
    public static int ReusedIlgpuBackendWithMoreBandPaths()
    {
        var job = new MarketYaml
        {
            Horizon = 48, P01 = 0.04, P10 = 0.1, PriceVol = 0.35, UtilVol = 0.4, ElecVol = 0.15,
        }.Compile();
        using var cpu = new CpuBackend();
        using var ilgpu = IlgpuBackend.CreateCpu();
        foreach (long bandPaths in new long[] { 10, 300, 0, 50 })
        {
            var options = new RunOptions { Paths = 300, BandPaths = bandPaths };
            Console.WriteLine($"run with {bandPaths} band paths");
            string? diff = FirstDifference(Simulator.Run(job, cpu, options), Simulator.Run(job, ilgpu, options));
            if (diff != null)
            {
                Console.WriteLine($"band paths {bandPaths}: {diff}");
                return 3;
            }
        }
        Console.WriteLine("identical");
        return 0;
    }

    private static string? FirstDifference(RunResult a, RunResult b)
    {
        for (int k = 0; k < a.Columns.Length; k++)
            for (int p = 0; p < a.Columns[k].Length; p++)
                if (BitConverter.DoubleToInt64Bits(a.Columns[k][p]) != BitConverter.DoubleToInt64Bits(b.Columns[k][p]))
                    return $"metric {a.Job.MetricNames[k]} of path {p}: {a.Columns[k][p]:R} vs {b.Columns[k][p]:R}";
        if (a.Bands.Length != b.Bands.Length) return $"band lengths {a.Bands.Length} vs {b.Bands.Length}";
        for (int i = 0; i < a.Bands.Length; i++)
            if (BitConverter.SingleToInt32Bits(a.Bands[i]) != BitConverter.SingleToInt32Bits(b.Bands[i]))
                return $"band value {i}: {a.Bands[i]:R} vs {b.Bands[i]:R}";
        return null;
    }
}
