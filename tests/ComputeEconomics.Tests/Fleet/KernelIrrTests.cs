using ComputeEconomics.Kernels;
using ComputeEconomics.Kernels.Finance;

namespace ComputeEconomics.Tests.Fleet;

/// <summary>The kernel's IRR (per path, no allocation) against numpy-financial's documented values (tests/TestData/numpy-financial.csv).</summary>
public class KernelIrrTests
{
    // numpy-financial documentation, irr examples (cash flow at t = 0 undiscounted).
    [Theory]
    [InlineData(new[] { -100.0, 39, 59, 55, 20 }, 0.2809484211599611, 1e-12)]
    [InlineData(new[] { -100.0, 0, 0, 74 }, -0.0955, 5e-5)]
    [InlineData(new[] { -100.0, 100, 0, -7 }, -0.0833, 5e-5)]
    [InlineData(new[] { -100.0, 100, 0, 7 }, 0.0621, 5e-5)]
    [InlineData(new[] { -5.0, 10.5, 1, -8, 1 }, 0.0886, 5e-5)]
    public unsafe void KernelIrrEqualsNumpyFinancial(double[] flows, double expected, double tolerance)
    {
        fixed (double* p = flows)
        {
            double annual = Irr.Annual(new PtrVec<double>(p), 0, 1, flows.Length);
            double perPeriod = Math.Pow(1 + annual, 1.0 / 12) - 1;
            Assert.True(Math.Abs(perPeriod - expected) <= tolerance, $"irr {perPeriod:R} vs {expected}");
        }
    }

    [Theory]
    [InlineData(0.8)]     // +80% a period: beyond the last doubling step, found at the +100% limit of the grid
    [InlineData(-0.45)]   // -45% a period: found at the -50% limit
    public unsafe void KernelIrrFindsRootsUpToTheGridLimits(double rate)
    {
        var flows = new[] { -1.0, 1.0 + rate };   // closed form: the IRR of (-1, 1+r) is r
        fixed (double* p = flows)
        {
            double annual = Irr.Annual(new PtrVec<double>(p), 0, 1, flows.Length);
            Assert.True(Math.Abs(Math.Pow(1 + annual, 1.0 / 12) - 1 - rate) < 1e-10, $"annual {annual}");
        }
    }

    [Fact]
    public unsafe void KernelIrrIsAbsentWithoutSignChange()
    {
        var flows = new[] { 100.0, 20, 30 };
        fixed (double* p = flows)
            Assert.True(double.IsNaN(Irr.Annual(new PtrVec<double>(p), 0, 1, flows.Length)));
    }
}
