using ComputeEconomics.Compare;
using ComputeEconomics.Models;

namespace ComputeEconomics.Tests.Compare;

/// <summary>The paired statistics against closed forms on per-path values the test chooses.</summary>
public class PairedDifferenceTests
{
    private static double[] Draws(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => 100 + 30 * (rng.NextDouble() - 0.5) + rng.NextDouble() * rng.NextDouble() * 50).ToArray();
    }

    /// <summary>Two-pass sample variance (n - 1), written out so the test does not use the code under test.</summary>
    private static double Variance(IReadOnlyList<double> x)
    {
        double mean = x.Sum() / x.Count;
        return x.Sum(v => (v - mean) * (v - mean)) / (x.Count - 1);
    }

    [Fact]
    public void A_scenario_against_itself_differs_by_exactly_zero_with_zero_standard_error()
    {
        var a = Draws(5000, 1);
        var r = PairedDifference.Of("same", "npv", "mean", "USD", a, a);
        Assert.Equal(0.0, r.Diff);
        Assert.Equal(0.0, r.DiffStdError);
        Assert.Equal(0.0, r.CiLow);
        Assert.Equal(0.0, r.CiHigh);
        Assert.Equal(r.MeanBase, r.Mean);
        Assert.True(double.IsNaN(r.VarianceReduction), "no finite factor when the paired s.e. is 0");
        Assert.Equal(Math.Sqrt(2 * Variance(a) / a.Length), r.UnpairedStdError, 1e-12);
        Assert.Equal(5000, r.Pairs);
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(0.8)]
    public void Scaling_every_path_by_c_gives_the_closed_form_difference_error_and_variance_reduction(double c)
    {
        // x_i = c a_i: d_i = (c - 1) a_i, so diff = (c - 1) mean(a), s.e. = |c - 1| sd(a)/sqrt(n),
        // unpaired s.e. = sqrt(1 + c²) sd(a)/sqrt(n), VR = (1 + c²)/(c - 1)².
        var a = Draws(4000, 2);
        var x = a.Select(v => c * v).ToArray();
        var r = PairedDifference.Of("scaled", "npv", "mean", "USD", a, x);
        double sd = Math.Sqrt(Variance(a)), n = a.Length;
        Assert.Equal((c - 1) * a.Average(), r.Diff, 1e-9);
        Assert.Equal(Math.Abs(c - 1) * sd / Math.Sqrt(n), r.DiffStdError, 1e-9);
        Assert.Equal(Math.Sqrt(1 + c * c) * sd / Math.Sqrt(n), r.UnpairedStdError, 1e-9);
        Assert.Equal((1 + c * c) / ((c - 1) * (c - 1)), r.VarianceReduction, 1e-9);
        Assert.Equal(r.Diff - 1.959963984540054 * r.DiffStdError, r.CiLow, 1e-12);
        Assert.Equal(r.Diff + 1.959963984540054 * r.DiffStdError, r.CiHigh, 1e-12);
    }

    [Fact]
    public void A_constant_shift_has_zero_paired_error_and_the_shift_as_difference()
    {
        var a = Draws(3000, 3);
        var r = PairedDifference.Of("shift", "cost", "mean", "USD", a, a.Select(v => v + 7.25).ToArray());
        Assert.Equal(7.25, r.Diff, 1e-10);
        Assert.True(r.DiffStdError < 1e-12, $"paired s.e. {r.DiffStdError} of a constant shift");
    }

    [Fact]
    public void The_paired_error_of_independent_noise_is_sqrt_var_d_over_n()
    {
        var a = Draws(6000, 4);
        var noise = Draws(6000, 5);
        var x = a.Select((v, i) => v + 0.3 * noise[i]).ToArray();
        var d = x.Select((v, i) => v - a[i]).ToArray();
        var r = PairedDifference.Of("noisy", "npv", "mean", "USD", a, x);
        Assert.Equal(d.Average(), r.Diff, 1e-10);
        Assert.Equal(Math.Sqrt(Variance(d) / d.Length), r.DiffStdError, 1e-12);
        Assert.Equal(Math.Sqrt(Variance(a) / a.Length + Variance(x) / x.Length), r.UnpairedStdError, 1e-12);
    }

    [Fact]
    public void A_path_absent_on_either_side_is_left_out_of_the_means_and_the_difference()
    {
        double[] a = { 1, 2, double.NaN, 4, 5, 6 };
        double[] x = { 2, 4, 9, double.NaN, 7, 9 };
        var r = PairedDifference.Of("gaps", "irr", "mean", "fraction/yr", a, x);
        // Pairs 0, 1, 4, 5: d = 1, 2, 2, 3.
        Assert.Equal(4, r.Pairs);
        Assert.Equal(2.0, r.Diff, 1e-15);
        Assert.Equal((1 + 2 + 5 + 6) / 4.0, r.MeanBase, 1e-15);
        Assert.Equal((2 + 4 + 7 + 9) / 4.0, r.Mean, 1e-15);
        Assert.Equal(Math.Sqrt(Variance(new double[] { 1, 2, 2, 3 }) / 4), r.DiffStdError, 1e-15);
    }

    [Fact]
    public void Event_flags_give_the_difference_of_probabilities_with_its_paired_error()
    {
        // 10 paths: default in the baseline on paths 0-3, in the scenario on paths 0-5; d = 1 on paths 4, 5.
        var a = Enumerable.Range(0, 10).Select(i => i < 4 ? 1.0 : 0.0).ToArray();
        var x = Enumerable.Range(0, 10).Select(i => i < 6 ? 1.0 : 0.0).ToArray();
        var r = PairedDifference.Of("worse", "default", "probability", "probability", a, x);
        Assert.Equal(0.2, r.Diff, 1e-15);
        // var(d) = (2 * 0.8² + 8 * 0.2²)/9 = 1.6/9.
        Assert.Equal(Math.Sqrt(1.6 / 9 / 10), r.DiffStdError, 1e-15);
        Assert.Equal(new[] { 1.0, 0, 1, double.NaN }, PairedDifference.Negative(new[] { -1.0, 2, -0.5, double.NaN }));
    }

    [Fact]
    public void Antithetic_sampling_takes_the_paired_error_from_pair_averages()
    {
        var a = Draws(2000, 6);
        var noise = Draws(2000, 7);
        var x = a.Select((v, i) => v + noise[i]).ToArray();
        var pairs = Enumerable.Range(0, 1000).Select(k => 0.5 * (noise[2 * k] + noise[2 * k + 1])).ToArray();
        var r = PairedDifference.Of("anti", "npv", "mean", "USD", a, x, "antithetic");
        Assert.Equal(Math.Sqrt(Variance(pairs) / pairs.Length), r.DiffStdError, 1e-12);
    }
}
