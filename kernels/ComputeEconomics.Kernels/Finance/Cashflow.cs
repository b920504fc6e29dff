namespace ComputeEconomics.Kernels.Finance;

/// <summary>
/// Discounting helpers usable inside ILGPU kernels: pure static functions of doubles, no allocation,
/// no exceptions. Rates are decimal fractions (0.08 = 8%); arguments are validated by the host.
/// </summary>
public static class CashflowMath
{
    /// <summary>
    /// Monthly rate equivalent to an effective annual rate under monthly compounding:
    /// (1 + annualRate)^(1/12) - 1, so that twelve months compound to exactly the annual rate.
    /// </summary>
    /// <param name="annualRate">Effective annual rate, &gt; -1.</param>
    public static double MonthlyRate(double annualRate) => Math.Pow(1.0 + annualRate, 1.0 / 12.0) - 1.0;

    /// <summary>
    /// Discount factor (1 + rate)^(-periods) for a cash flow <paramref name="periods"/> periods from now
    /// (0 gives 1: the numpy-financial convention that the first cash flow is not discounted).
    /// </summary>
    /// <param name="rate">Rate per period, &gt; -1.</param>
    /// <param name="periods">Number of periods from now, &gt;= 0 (fractional allowed).</param>
    public static double DiscountFactor(double rate, double periods) => Math.Pow(1.0 + rate, -periods);
}
