using ComputeEconomics.Running;

namespace ComputeEconomics.Tests.TestSupport;

/// <summary>Bit-for-bit comparison of run results (NaN equals NaN; +0 differs from -0).</summary>
public static class BitCompare
{
    /// <summary>Every metric of every path, and every band value, identical bit for bit.</summary>
    public static void AssertIdentical(RunResult expected, RunResult actual, string what)
    {
        Assert.Equal(expected.Paths, actual.Paths);
        Assert.Equal(expected.Columns.Length, actual.Columns.Length);
        var names = expected.Job.MetricNames;
        for (int k = 0; k < expected.Columns.Length; k++)
        {
            double[] a = expected.Columns[k], b = actual.Columns[k];
            Assert.Equal(a.Length, b.Length);
            for (int p = 0; p < a.Length; p++)
            {
                if (BitConverter.DoubleToInt64Bits(a[p]) != BitConverter.DoubleToInt64Bits(b[p]))
                    Assert.Fail($"{what}: metric {names[k]} of path {p} differs: {a[p]:R} vs {b[p]:R}");
            }
        }
        Assert.Equal(expected.BandPaths, actual.BandPaths);
        Assert.Equal(expected.Bands.Length, actual.Bands.Length);
        for (int i = 0; i < expected.Bands.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected.Bands[i]) != BitConverter.SingleToInt32Bits(actual.Bands[i]))
                Assert.Fail($"{what}: band value {i} differs: {expected.Bands[i]:R} vs {actual.Bands[i]:R}");
        }
    }
}
