using ComputeEconomics.Kernels;
using ComputeEconomics.Kernels.Finance;

namespace ComputeEconomics.Tests.Kernels;

/// <summary>
/// The kernels' IRR (Finance/Irr.cs) against closed forms and numpy-financial's documented values. It returns the
/// annual rate (1 + r)^12 - 1 of the monthly rate r; the tests compare monthly rates.
/// </summary>
public class IrrTests
{
    private static unsafe double Monthly(double[] flows, int b = 0, int stride = 1, int? months = null)
    {
        fixed (double* p = flows)
        {
            double annual = Irr.Annual(new PtrVec<double>(p), b, stride, months ?? flows.Length);
            return Math.Pow(1 + annual, 1.0 / 12) - 1;
        }
    }

    [Fact]
    public void NumpyFinancialDocumentedExample()
    {
        // numpy-financial irr docstring: round(npf.irr([-100, 39, 59, 55, 20]), 5) = 0.28095; full value 0.28094842115996.
        Assert.Equal(0.28094842115996, Monthly(new[] { -100.0, 39, 59, 55, 20 }), 1e-12);
    }

    [Theory]
    [InlineData(0.01, 36)]
    [InlineData(0.004, 120)]
    [InlineData(-0.02, 24)]
    public void LevelAnnuityYieldsItsRate(double r, int n)
    {
        // Closed form: a price of (1 - (1 + r)^-n) / r for n payments of 1 has IRR r.
        var flows = new double[n + 1];
        flows[0] = -(1 - Math.Pow(1 + r, -n)) / r;
        for (int t = 1; t <= n; t++) flows[t] = 1;
        Assert.Equal(r, Monthly(flows), 1e-12);
    }

    [Fact]
    public void BondAtParYieldsItsCoupon()
    {
        // Price 100, coupon 0.5 a month for 60 months, principal 100 at the end: the yield of a par bond is its coupon.
        var flows = new double[61];
        flows[0] = -100;
        for (int t = 1; t <= 60; t++) flows[t] = 0.5;
        flows[60] += 100;
        Assert.Equal(0.005, Monthly(flows), 1e-12);
    }

    [Fact]
    public void FlowsSummingToZeroHaveIrrZero()
    {
        Assert.Equal(0.0, Monthly(new[] { -100.0, 30, 30, 40 }));
    }

    [Theory]
    // -(1+r1)(1+r2) v^2 + (2 + r1 + r2) v - 1 (times -1) has the roots r1 and r2: (x - (1+r1))(x - (1+r2)) = 0, x = 1/v.
    [InlineData(0.10, 0.20, 0.10)]    // two positive roots: the smallest
    [InlineData(-0.10, 0.05, 0.05)]   // one of each sign: the non-negative one
    [InlineData(-0.10, -0.20, -0.10)] // two negative roots: the one closest to 0
    public void SeveralRootsFollowNumpyFinancialsRule(double r1, double r2, double expected)
    {
        var flows = new[] { -1.0, 2 + r1 + r2, -(1 + r1) * (1 + r2) };
        Assert.Equal(expected, Monthly(flows), 1e-12);
    }

    [Fact]
    public void StridedFlowsAreReadAtTheirStride()
    {
        // The kernel keeps a path's cash flows at base + t x stride; the values in between belong to other paths.
        var contiguous = new[] { -100.0, 39, 59, 55, 20 };
        var strided = new double[1 + 3 * contiguous.Length];
        for (int i = 0; i < strided.Length; i++) strided[i] = 1e6 * (i % 2 == 0 ? 1 : -1);
        for (int t = 0; t < contiguous.Length; t++) strided[1 + 3 * t] = contiguous[t];
        Assert.Equal(Monthly(contiguous), Monthly(strided, b: 1, stride: 3, months: contiguous.Length));
    }

    [Fact]
    public void NoRootInTheSearchedRangeIsNaN()
    {
        Assert.True(double.IsNaN(Monthly(new[] { -1.0, 3.5 })));    // +250% a month, beyond +100%
        Assert.True(double.IsNaN(Monthly(new[] { -1.0, 0.4 })));    // -60% a month, beyond -50%
        Assert.True(double.IsNaN(Monthly(new[] { -1.0, -2.0 })));   // no sign change
    }

    [Fact]
    public unsafe void PolyIsTheNpvPolynomialAndItsDerivative()
    {
        // f(v) = 1 + 2 v + 3 v^2, f'(v) = 2 + 6 v: at v = 0.5, 2.75 and 5.
        var flows = new[] { 1.0, 2, 3 };
        fixed (double* p = flows)
        {
            double f = Irr.Poly(new PtrVec<double>(p), 0, 1, 3, 0.5, out double df);
            Assert.Equal(2.75, f);
            Assert.Equal(5.0, df);
        }
    }

    private static unsafe (double Annual, int Status) WithStatus(double[] flows)
    {
        fixed (double* p = flows)
        {
            double annual = Irr.Annual(new PtrVec<double>(p), 0, 1, flows.Length, out int status);
            return (annual, status);
        }
    }

    [Theory]
    [InlineData(new[] { 10.0, 20 }, IrrStatus.NeverNegative)]          // nothing invested
    [InlineData(new[] { -5.0, -1 }, IrrStatus.NeverPositive)]          // nothing earned
    [InlineData(new[] { -100.0, 10, 10 }, IrrStatus.NegativeAtEveryRate)]   // f(v) = -100 + 10v + 10v^2 rises in v and f(2) = -40: < 0 from -50% to +100% a month
    [InlineData(new[] { -1.0, 10 }, IrrStatus.PositiveAtEveryRate)]    // root v = 0.1, r = 900% a month, beyond the grid
    public void AnAbsentIrrSaysWhy(double[] flows, int expected)
    {
        var (annual, status) = WithStatus(flows);
        Assert.True(double.IsNaN(annual));
        Assert.Equal(expected, status);
    }

    [Fact]
    public void AnIrrThatExistsHasStatusExists()
    {
        // -100 + 60 v + 60 v^2 = 0: v = (-60 + sqrt(60^2 + 4 x 60 x 100)) / 120, r = 1/v - 1 a month.
        double v = (-60 + Math.Sqrt(3600 + 24000)) / 120;
        var (annual, status) = WithStatus(new[] { -100.0, 60, 60 });
        Assert.Equal(IrrStatus.Exists, status);
        Assert.Equal(Math.Pow(1 / v, 12) - 1, annual, 1e-10);
    }
}
