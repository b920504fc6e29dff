using ComputeEconomics.Backends;

namespace ComputeEconomics.Tests.Fleet;

/// <summary>
/// The GPU precision policy (float transcendentals, money in double) must keep NPV percentiles within
/// 1e-4 relative of the all-double reference. Measured here by running the float policy on the CPU.
/// </summary>
public class PrecisionPolicyTests
{
    [Fact]
    public void FloatTranscendentalsKeepNpvPercentilesWithin1e4OfDouble()
    {
        string yaml = ComputeEconomics.Scenarios.ScenarioLoader.EmbeddedText("neocloud-h100")!;
        string[] o = { "paths=4000", "band_paths=0" };
        using var dbl = new CpuBackend();
        using var flt = new CpuBackend(floatMath: true);
        var a = FleetFixture.Run(yaml, o, dbl);
        var b = FleetFixture.Run(yaml, o, flt);
        var qa = ComputeEconomics.Statistics.Quantiles.Compute(FleetFixture.Column(a, "npv"), ComputeEconomics.Statistics.Quantiles.Standard);
        var qb = ComputeEconomics.Statistics.Quantiles.Compute(FleetFixture.Column(b, "npv"), ComputeEconomics.Statistics.Quantiles.Standard);
        double scale = Math.Abs(qa[3]) + 1;   // relative to the median's magnitude: percentiles near zero have no relative scale
        for (int i = 0; i < qa.Length; i++)
            Assert.True(Math.Abs(qa[i] - qb[i]) <= 1e-4 * Math.Max(Math.Abs(qa[i]), scale),
                $"NPV quantile {i}: double {qa[i]:R} vs float policy {qb[i]:R}");
        Assert.NotEqual(FleetFixture.Column(a, "npv"), FleetFixture.Column(b, "npv"));   // the policy really differs
    }
}
