using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace ComputeEconomics.Inference;

/// <summary>
/// One published throughput result (a row of data/inference/published.csv).
/// </summary>
/// <param name="Date">Publication date, yyyy-mm-dd.</param>
/// <param name="Round">MLPerf round (v4.1, v5.1) or the vendor table's name.</param>
/// <param name="Submitter">Who submitted or published it.</param>
/// <param name="System">System name as published.</param>
/// <param name="Accelerator">Catalog accelerator name.</param>
/// <param name="Count">Accelerators in the system.</param>
/// <param name="Model">Built-in model shape name.</param>
/// <param name="Scenario">offline, server or interactive.</param>
/// <param name="Precision">Weight precision used by the submission.</param>
/// <param name="TokensPerS">Output tokens per second of the whole system.</param>
/// <param name="InputLen">Mean prompt tokens of the benchmark.</param>
/// <param name="OutputLen">Mean output tokens of the benchmark.</param>
/// <param name="TtftLimitS">Time-to-first-token limit, s; 0 for none (offline).</param>
/// <param name="TpotLimitS">Time-per-output-token limit, s; 0 for none (offline).</param>
/// <param name="Source">Where the figure is published.</param>
public sealed record PublishedRow(
    string Date, string Round, string Submitter, string System, string Accelerator, int Count, string Model,
    string Scenario, Precision Precision, double TokensPerS, int InputLen, int OutputLen, double TtftLimitS,
    double TpotLimitS, string Source)
{
    /// <summary>
    /// The held-out check part: rows of the rack-scale generations GB200 and GB300, never used in the fit. The
    /// fitting part is every other row (H100, H200, MI300X, B200). A rule on the accelerator, so it is deterministic.
    /// </summary>
    public bool IsHeldOut => Accelerator is "GB200" or "GB300";
}

/// <summary>Model against published: one row's prediction and error.</summary>
public sealed record RowCheck(PublishedRow Row, double PredictedTokensPerS, ServingResult? Best)
{
    /// <summary>(predicted - published) / published, in percent; NaN when no setup meets the row's limits.</summary>
    public double ErrorPercent => 100.0 * (PredictedTokensPerS - Row.TokensPerS) / Row.TokensPerS;
}

/// <summary>Predicting published rows with <see cref="ServingModel"/> and fitting the <see cref="Efficiencies"/> to them.</summary>
public static class Calibration
{
    /// <summary>
    /// The model's tokens/s for <paramref name="row"/>'s system: the best setup whose replicas divide the system's GPUs,
    /// under the row's limits (1 / TPOT as the minimum tokens/s per user, the TTFT limit on time to first token).
    /// </summary>
    public static RowCheck Predict(PublishedRow row, Efficiencies efficiencies)
    {
        var shape = ModelShapes.Get(row.Model, "published.model");
        var acc = Accelerators.Get(row.Accelerator, "published.accelerator");
        var candidates = ServingModel.Candidates(shape, acc, new Workload(row.InputLen, row.OutputLen, row.Precision), row.Count, efficiencies);
        double minUser = row.TpotLimitS > 0 ? 1.0 / row.TpotLimitS : 0;
        double maxTtft = row.TtftLimitS > 0 ? row.TtftLimitS : double.PositiveInfinity;
        var best = ServingModel.BestAt(candidates, minUser, maxTtft);
        return new RowCheck(row, best is null ? double.NaN : best.TokensPerSPerGpu * row.Count, best);
    }

    /// <summary>Sum of squared log errors of <paramref name="rows"/> (a row no setup can serve counts as a log error of 3).</summary>
    public static double Loss(IEnumerable<PublishedRow> rows, Efficiencies efficiencies)
    {
        double sum = 0;
        foreach (var row in rows)
        {
            double predicted = Predict(row, efficiencies).PredictedTokensPerS;
            double log = double.IsFinite(predicted) && predicted > 0 ? Math.Log(predicted / row.TokensPerS) : 3.0;
            sum += log * log;
        }
        return sum;
    }

    /// <summary>Starting value of the fixed time per layer and step in the fit, s (fitted on a log scale from here).</summary>
    public const double OverheadScaleS = 20e-6;

    /// <summary>
    /// Fits the five efficiencies and the time per layer to <paramref name="rows"/>: least squares on log(predicted / published), minimised by
    /// Nelder-Mead over logits (each fraction stays in (0, 1)), from 0.5 each, and over the log of the time per layer.
    /// </summary>
    public static Efficiencies Fit(IReadOnlyList<PublishedRow> rows)
    {
        if (rows.Count == 0)
            throw new InputException("published", "(no rows)", "needs at least one fitting row");
        static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));
        static Efficiencies FromLogits(Vector<double> x) =>
            new(Sigmoid(x[0]), Sigmoid(x[1]), Sigmoid(x[2]), Sigmoid(x[3]), Sigmoid(x[4]), OverheadScaleS * Math.Exp(x[5]));
        var objective = ObjectiveFunction.Value(x => Loss(rows, FromLogits(x)));
        var solver = new NelderMeadSimplex(1e-6, 2000);
        var result = solver.FindMinimum(objective, Vector<double>.Build.Dense(6, 0.0));
        return FromLogits(result.MinimizingPoint);
    }

    /// <summary>Mean absolute error in percent and the worst row of <paramref name="checks"/> (rows without a prediction excluded from the mean).</summary>
    public static (double MeanAbsPercent, RowCheck? Worst) Summary(IEnumerable<RowCheck> checks)
    {
        var valid = checks.Where(c => double.IsFinite(c.ErrorPercent)).ToList();
        if (valid.Count == 0)
            return (double.NaN, null);
        return (valid.Average(c => Math.Abs(c.ErrorPercent)), valid.MaxBy(c => Math.Abs(c.ErrorPercent)));
    }
}

/// <summary>The model-against-published table of docs/inference.md.</summary>
public static class CalibrationReport
{
    /// <summary>The table's header lines.</summary>
    public static IReadOnlyList<string> Header { get; } = new[]
    {
        "| part | round | submitter | system | accelerator | GPUs | model | scenario | precision | published tok/s | model tok/s | error | model's setup |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    };

    /// <summary>One markdown row: fit (F) or held-out (H), the row, the prediction, the error and the setup chosen.</summary>
    public static string Row(RowCheck c)
    {
        var r = c.Row;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        string setup = c.Best is null ? "none meets the limits"
            : $"TP{c.Best.Setup.TensorParallel} PP{c.Best.Setup.PipelineParallel}, {c.Best.Setup.Concurrency} seqs, {c.Best.Bound}";
        return string.Format(inv, "| {0} | {1} | {2} | {3} | {4} | {5} | {6} | {7} | {8} | {9:N0} | {10:N0} | {11:+0.0;-0.0}% | {12} |",
            r.IsHeldOut ? "H" : "F", r.Round, r.Submitter, r.System, r.Accelerator, r.Count, r.Model, r.Scenario,
            Precisions.Name(r.Precision), r.TokensPerS, c.PredictedTokensPerS, c.ErrorPercent, setup);
    }

    /// <summary>The summary line of one part: rows, mean absolute error and the worst row.</summary>
    public static string SummaryLine(string part, IReadOnlyList<RowCheck> checks)
    {
        var (mean, worst) = Calibration.Summary(checks);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return worst is null ? $"{part}: {checks.Count} rows, no prediction"
            : string.Format(inv, "{0}: {1} rows, mean absolute error {2:0.0}%, worst {3:+0.0;-0.0}% ({4} {5} x{6} {7} {8}, {9})",
                part, checks.Count, mean, worst.ErrorPercent, worst.Row.Submitter, worst.Row.Accelerator, worst.Row.Count,
                worst.Row.Model, worst.Row.Scenario, worst.Row.Round);
    }
}
