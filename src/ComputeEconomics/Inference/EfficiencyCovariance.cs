using MathNet.Numerics.LinearAlgebra;

namespace ComputeEconomics.Inference;

/// <summary>
/// The fit's uncertainty: the covariance of the six fitted parameters in the space the fit works in (logits of the
/// five fractions, log of the time per layer over <see cref="EfficiencyFit.OverheadScaleS"/>), by the Gauss-Newton
/// approximation s^2 (J'J)^-1 with s^2 = sum of squared log errors / (rows - 6) and J the Jacobian of the log errors
/// (central differences; the model's setup choice is discrete, so the step is wide enough to average over its jumps).
/// </summary>
public static class EfficiencyCovariance
{
    /// <summary>Parameters, in the order of <see cref="ToVector"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "compute", "compute_fp4", "compute_amd", "bandwidth", "interconnect", "layer_overhead" };

    /// <summary>Central-difference step in the transformed space.</summary>
    public const double Step = 0.05;

    /// <summary>
    /// Covariance of the fit on the fitting rows of data/inference/published.csv at <see cref="Efficiencies.Fitted"/>
    /// (<see cref="Compute"/>; a test recomputes it from the file and checks these digits), row-major 6 x 6.
    /// </summary>
    public static double[,] Fitted { get; } = FittedValues();

    /// <summary><paramref name="e"/> in the transformed space: logit of each fraction, log(t_layer / 20 us).</summary>
    public static double[] ToVector(Efficiencies e) => new[]
    {
        Logit(e.Compute), Logit(e.ComputeFp4), Logit(e.ComputeAmd), Logit(e.Bandwidth), Logit(e.Interconnect),
        Math.Log(e.LayerOverheadS / EfficiencyFit.OverheadScaleS),
    };

    /// <summary>
    /// <paramref name="center"/> moved by <paramref name="delta"/> in the transformed space. A zero component leaves
    /// that parameter exactly as it is (no round trip through logit and sigmoid).
    /// </summary>
    public static Efficiencies Shift(Efficiencies center, IReadOnlyList<double> delta)
    {
        var x = ToVector(center);
        double F(int i, double value) => delta[i] == 0 ? value : Sigmoid(x[i] + delta[i]);
        return new Efficiencies(F(0, center.Compute), F(1, center.ComputeFp4), F(2, center.ComputeAmd), F(3, center.Bandwidth),
            F(4, center.Interconnect), delta[5] == 0 ? center.LayerOverheadS : EfficiencyFit.OverheadScaleS * Math.Exp(x[5] + delta[5]));
    }

    /// <summary>s^2 (J'J)^-1 of the log errors of <paramref name="rows"/> at <paramref name="at"/>.</summary>
    public static double[,] Compute(IReadOnlyList<PublishedRow> rows, Efficiencies at)
    {
        const int p = 6;
        if (rows.Count <= p)
            throw new InputException("published", rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), $"needs more than {p} fitting rows for a covariance");
        var j = Matrix<double>.Build.Dense(rows.Count, p);
        for (int k = 0; k < p; k++)
        {
            var up = new double[p];
            var down = new double[p];
            up[k] = Step;
            down[k] = -Step;
            var plus = LogErrors(rows, Shift(at, up));
            var minus = LogErrors(rows, Shift(at, down));
            for (int i = 0; i < rows.Count; i++)
                j[i, k] = (plus[i] - minus[i]) / (2 * Step);
        }
        var residuals = LogErrors(rows, at);
        double s2 = residuals.Sum(r => r * r) / (rows.Count - p);
        return ((j.TransposeThisAndMultiply(j)).Inverse() * s2).ToArray();
    }

    /// <summary>log(predicted / published) per row; a row no setup can serve counts as 3 (as in <see cref="EfficiencyFit.Loss"/>).</summary>
    private static double[] LogErrors(IReadOnlyList<PublishedRow> rows, Efficiencies e) => rows.Select(r =>
    {
        double predicted = EfficiencyFit.Predict(r, e).PredictedTokensPerS;
        return double.IsFinite(predicted) && predicted > 0 ? Math.Log(predicted / r.TokensPerS) : 3.0;
    }).ToArray();

    private static double Logit(double p) => Math.Log(p / (1 - p));

    private static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    private static double[,] FittedValues() => new double[,]
    {
        { 0.0633, 0.01917, 0.01323, -0.01566, 0.01452, 0.03207 },
        { 0.01917, 0.07777, 0.01409, -0.01023, 0.06323, 0.07566 },
        { 0.01323, 0.01409, 0.0193, 0.0003965, 0.0156, 0.03533 },
        { -0.01566, -0.01023, 0.0003965, 0.1277, -0.05401, 0.08761 },
        { 0.01452, 0.06323, 0.0156, -0.05401, 0.1789, 0.1217 },
        { 0.03207, 0.07566, 0.03533, 0.08761, 0.1217, 0.2745 },
    };
}
