using System.Globalization;
using ComputeEconomics.Kernels;
using ComputeEconomics.Kernels.Random;

namespace ComputeEconomics.Inference;

/// <summary>
/// Uncertain inputs of the serving model: the fitted efficiencies as a multivariate normal in the fit's transformed
/// space (logits, log time per layer) with the fit's covariance times <see cref="EfficiencyScale"/>^2, and the model
/// shape scaled by one lognormal factor e^(ShapeSd x z) on its total and active parameters and KV elements per token
/// (a "70B-class" model whose exact size is not known).
/// </summary>
/// <param name="Covariance">6 x 6 covariance in the order of <see cref="EfficiencyCovariance.Names"/> (positive semi-definite).</param>
/// <param name="EfficiencyScale">Multiplies the standard deviations, >= 0: 0 fixes the efficiencies at their centre; 1 is the fit's own uncertainty.</param>
/// <param name="ShapeSd">sd of ln of the shape factor, 0..2: 0 keeps the published shape.</param>
public sealed record InputDistributions(double[,] Covariance, double EfficiencyScale, double ShapeSd)
{
    /// <summary>The fit's covariance (<see cref="EfficiencyCovariance.Fitted"/>) at scale <paramref name="scale"/> and the shape sd.</summary>
    public static InputDistributions Fitted(double scale = 1, double shapeSd = 0) => new(EfficiencyCovariance.Fitted, scale, shapeSd);

    /// <summary>Every broken rule, fields named as the CLI options.</summary>
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        if (!(EfficiencyScale >= 0) || !double.IsFinite(EfficiencyScale))
            errors.Add(new ValidationError("--efficiency-scale", EfficiencyScale.ToString(CultureInfo.InvariantCulture), "must be a finite number >= 0 (0: efficiencies fixed, 1: the fit's intervals)"));
        if (!(ShapeSd >= 0 && ShapeSd <= 2))
            errors.Add(new ValidationError("--shape-sd", ShapeSd.ToString(CultureInfo.InvariantCulture), "must be a number 0..2 (sd of ln of the model-size factor)"));
        if (Covariance.GetLength(0) != 6 || Covariance.GetLength(1) != 6)
            errors.Add(new ValidationError("covariance", $"{Covariance.GetLength(0)} x {Covariance.GetLength(1)}", "must be 6 x 6"));
        return errors;
    }
}

/// <summary>P5, median and P95 of a sample (nearest rank: each is one of the sampled values).</summary>
public sealed record Interval(double P5, double P50, double P95)
{
    /// <summary>
    /// Nearest-rank quantiles: the value at rank ceil(p x N) of the sorted sample, so a non-decreasing transform of the
    /// sample has exactly the transformed quantiles. NaN values are not allowed (use +infinity for "none").
    /// </summary>
    public static Interval Of(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0)
            return new Interval(double.NaN, double.NaN, double.NaN);
        double At(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Interval(At(0.05), At(0.50), At(0.95));
    }
}

/// <summary>One generation's intervals over the samples; a sample where no setup meets the floor counts 0 tokens/s and an infinite $/Mtok.</summary>
public sealed record GenerationInterval(string Name, Interval TokensPerSPerGpu, Interval TokensPerSPerUser, Interval UsdPerMtok, double ShareMeetingFloor);

/// <summary>A generation to sample: its accelerator and its hourly cost (fixed across samples).</summary>
public sealed record SampledGeneration(string Name, Accelerator Accelerator, double UsdPerGpuHour);

/// <summary>
/// Monte Carlo over <see cref="InputDistributions"/>: sample i draws its inputs from Philox4x32-10 with key = seed and
/// counter = (sample i, 0, block, <see cref="Streams.ServingInputs"/>), so the answer depends only on the seed and the
/// sample count (not on threads or order).
/// </summary>
public static class ServingSampler
{
    /// <summary>Standard normals drawn per sample: six efficiencies and the shape factor.</summary>
    public const int Draws = 7;

    /// <summary>Standard normals of sample <paramref name="sample"/>: inverse normal CDF of Philox words (two blocks of four).</summary>
    public static double[] Normals(uint seed, long sample)
    {
        var z = new double[Draws];
        for (uint block = 0; block * 4 < Draws; block++)
        {
            var w = Philox4x32.Block(seed, sample, 0u, block, Streams.ServingInputs);
            uint[] words = { w.X, w.Y, w.Z, w.W };
            for (int k = 0; k < 4 && block * 4 + k < Draws; k++)
                z[block * 4 + k] = Normal.InvCdf<DoubleMath>(Philox4x32.ToUniform(words[k]));
        }
        return z;
    }

    /// <summary>Lower-triangular L with L L' = <paramref name="covariance"/>; a zero (or negative rounding) pivot gives a zero column.</summary>
    public static double[,] Cholesky(double[,] covariance)
    {
        int n = covariance.GetLength(0);
        var l = new double[n, n];
        for (int j = 0; j < n; j++)
        {
            double d = covariance[j, j];
            for (int k = 0; k < j; k++)
                d -= l[j, k] * l[j, k];
            if (d <= 1e-300)
                continue;
            l[j, j] = Math.Sqrt(d);
            for (int i = j + 1; i < n; i++)
            {
                double s = covariance[i, j];
                for (int k = 0; k < j; k++)
                    s -= l[i, k] * l[j, k];
                l[i, j] = s / l[j, j];
            }
        }
        return l;
    }

    /// <summary>The efficiencies and shape of one sample (the centre and the shape itself when the distributions have zero width).</summary>
    public static (Efficiencies Efficiencies, ModelShape Shape) Draw(InputDistributions d, double[,] cholesky, Efficiencies center, ModelShape shape, uint seed, long sample)
    {
        var z = Normals(seed, sample);
        var delta = new double[6];
        if (d.EfficiencyScale > 0)
            for (int i = 0; i < 6; i++)
                for (int k = 0; k <= i; k++)
                    delta[i] += d.EfficiencyScale * cholesky[i, k] * z[k];
        var eff = EfficiencyCovariance.Shift(center, delta);
        if (d.ShapeSd == 0)
            return (eff, shape);
        double f = Math.Exp(d.ShapeSd * z[6]);
        return (eff, shape with { TotalParams = shape.TotalParams * f, ActiveParams = shape.ActiveParams * f, KvElementsPerTokenPerLayer = shape.KvElementsPerTokenPerLayer * f });
    }

    /// <summary>
    /// Tokens/s per GPU and per user and $/Mtok of every generation at <paramref name="level"/> over
    /// <paramref name="samples"/> draws; P5, P50, P95 of each. Throws <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellation"/> is cancelled.
    /// </summary>
    public static IReadOnlyList<GenerationInterval> Run(ModelShape shape, IReadOnlyList<SampledGeneration> generations, ServiceLevel level,
        InputDistributions d, int samples, uint seed, Efficiencies? center = null, CancellationToken cancellation = default)
    {
        var errors = d.Validate().ToList();
        if (samples < 1)
            errors.Add(new ValidationError("--samples", samples.ToString(CultureInfo.InvariantCulture), "must be a whole number >= 1"));
        if (errors.Count > 0)
            throw new InputException(errors);
        var c = center ?? Efficiencies.Fitted;
        var chol = Cholesky(d.Covariance);
        var gpu = new double[generations.Count, samples];
        var user = new double[generations.Count, samples];
        // Each sample is one search of the serving catalog (about 1 ms for 405B); SIGINT/SIGTERM stop the loop within one.
        Parallel.For(0, samples, new ParallelOptions { CancellationToken = cancellation }, i =>
        {
            cancellation.ThrowIfCancellationRequested();
            var (eff, s) = Draw(d, chol, c, shape, seed, i);
            for (int g = 0; g < generations.Count; g++)
            {
                var best = ServingCatalog.Best(s, generations[g].Accelerator, level, eff);
                gpu[g, i] = best?.TokensPerSPerGpu ?? 0;
                user[g, i] = best?.TokensPerSPerUser ?? 0;
            }
        });
        return generations.Select((gen, g) =>
        {
            var tps = Enumerable.Range(0, samples).Select(i => gpu[g, i]).ToArray();
            var cost = tps.Select(t => t > 0 ? ServingCost.UsdPerMtok(gen.UsdPerGpuHour, t) : double.PositiveInfinity);
            return new GenerationInterval(gen.Name, Interval.Of(tps), Interval.Of(Enumerable.Range(0, samples).Select(i => user[g, i])),
                Interval.Of(cost), tps.Count(t => t > 0) / (double)samples);
        }).ToList();
    }
}
