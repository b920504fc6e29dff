using ComputeEconomics.Kernels;
using ComputeEconomics.Kernels.Random;

namespace ComputeEconomics.Tests.Kernels;

/// <summary>
/// The branch-free inverse normal (<see cref="Normal.InvCdfSelect{TMath}"/>, the lane kernel's) evaluates AS241's three
/// expressions and selects one; it must give the bits of <see cref="Normal.InvCdf{TMath}"/> for every u, under both
/// math policies. The expected values are InvCdf's own: the claim tested is bit-identity, not accuracy (accuracy:
/// RandomDistributionTests).
/// </summary>
public class InvCdfSelectTests
{
    /// <summary>A dense grid: every 1/2^20 step of (0,1), the branch edges (|q| = 0.425, r = 5: u = exp(-25)) with
    /// their neighbours, the far tails down to 1e-300 and the smallest and largest uniforms Philox gives.</summary>
    private static IEnumerable<double> Grid()
    {
        const int steps = 1 << 20;
        for (int k = 1; k < steps; k++) yield return k / (double)steps;
        foreach (double edge in new[] { 0.075, 0.925, Math.Exp(-25), 1 - Math.Exp(-25), 0.5 })
            for (int d = -64; d <= 64; d++)
                yield return BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(edge) + d);
        for (int e = 1; e <= 300; e++)
        {
            double tiny = Math.Pow(10, -e);
            yield return tiny;
            yield return 3.7 * tiny;
            if (1 - tiny < 1) yield return 1 - tiny;
        }
        yield return 1e-300;
        yield return Philox4x32.ToUniform(0u);
        yield return Philox4x32.ToUniform(uint.MaxValue);
        yield return double.Epsilon;
        yield return BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(1.0) - 1);
    }

    [Fact]
    public void SelectGivesTheBitsOfTheBranchedInverseForEveryU()
    {
        int checkedCount = 0;
        foreach (double u in Grid())
        {
            AssertSameBits(u, Normal.InvCdf<DoubleMath>(u), Normal.InvCdfSelect<DoubleMath>(u), "DoubleMath");
            AssertSameBits(u, Normal.InvCdf<FloatMath>(u), Normal.InvCdfSelect<FloatMath>(u), "FloatMath");
            checkedCount++;
        }
        Assert.True(checkedCount > 1_000_000, $"{checkedCount} points");
    }

    [Fact]
    public void BothTailBranchesAndTheCentreAreCovered()
    {
        // The grid reaches all three of AS241's branches: the centre (|q| <= 0.425), the near tail (r <= 5) and the far
        // tail (r > 5, u < exp(-25) = 1.39e-11), on both sides.
        double[] u = Grid().ToArray();
        Assert.Contains(u, x => Math.Abs(x - 0.5) <= 0.425);
        Assert.Contains(u, x => x < 0.075 && x > Math.Exp(-25));
        Assert.Contains(u, x => x < Math.Exp(-25));
        Assert.Contains(u, x => x > 1 - Math.Exp(-25) && x < 1);
    }

    private static void AssertSameBits(double u, double expected, double actual, string policy)
    {
        if (BitConverter.DoubleToInt64Bits(expected) != BitConverter.DoubleToInt64Bits(actual))
            Assert.Fail($"{policy}: InvCdf({u:R}) = {expected:R} but InvCdfSelect gives {actual:R}");
    }
}
