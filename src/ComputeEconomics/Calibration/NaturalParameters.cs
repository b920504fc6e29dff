using MathNet.Numerics.Differentiation;

namespace ComputeEconomics.Calibration;

/// <summary>
/// The reported parameters of each process on their natural, annual scale, with delta-method standard errors and 95%
/// intervals computed on a scale where the estimate is closer to normal (log for positive quantities, logit for
/// probabilities) and mapped back.
/// </summary>
public static class NaturalParameters
{
    private enum Scale { Linear, Log, Logit }

    private sealed record Def(string Name, string Meaning, Scale Scale, Func<double[], double> Value);

    /// <summary>The estimates of <paramref name="process"/> at <paramref name="theta"/> with covariance <paramref name="cov"/>.</summary>
    /// <remarks>A parameter that moves along an unidentified direction (<paramref name="nullDirections"/>) gets no interval (NaN).</remarks>
    public static IReadOnlyList<ParameterEstimate> For(PriceProcess process, IReadOnlyList<string> contracts, double[] theta, double[,] cov,
                                                       double[][] nullDirections) =>
        Definitions(process, contracts).Select(d => Evaluate(d, theta, cov, nullDirections)).ToList();

    private static ParameterEstimate Evaluate(Def d, double[] theta, double[,] cov, double[][] nullDirections)
    {
        double value = d.Value(theta);
        Func<double[], double> transformed = d.Scale switch
        {
            Scale.Log => th => Math.Log(d.Value(th)),
            Scale.Logit => th => { double p = d.Value(th); return Math.Log(p / (1 - p)); }
            ,
            _ => d.Value,
        };
        var jac = new NumericalJacobian();
        var grad = jac.Evaluate(transformed, theta);
        double norm = Math.Sqrt(grad.Sum(g => g * g));
        bool unidentified = nullDirections.Any(v => Math.Abs(grad.Select((g, i) => g * v[i]).Sum()) > 1e-6 * norm);
        double seT = unidentified ? double.NaN : Math.Sqrt(Quadratic(grad, cov));
        double se = Math.Sqrt(Quadratic(jac.Evaluate(d.Value, theta), cov));
        double centre = transformed(theta), lo = centre - 1.959964 * seT, hi = centre + 1.959964 * seT;
        double Back(double t) => d.Scale switch
        {
            Scale.Log => Math.Exp(t),
            Scale.Logit => 1 / (1 + Math.Exp(-t)),
            _ => t,
        };
        return double.IsFinite(seT)
            ? new ParameterEstimate(d.Name, value, se, Back(lo), Back(hi), d.Meaning, ScaleName(d.Scale), seT)
            : new ParameterEstimate(d.Name, value, double.NaN, double.NaN, double.NaN, d.Meaning, ScaleName(d.Scale), double.NaN);
    }

    private static string ScaleName(Scale s) => s switch
    {
        Scale.Log => "log",
        Scale.Logit => "logit",
        _ => "linear",
    };

    private static double Quadratic(double[] g, double[,] cov)
    {
        double s = 0;
        for (int i = 0; i < g.Length; i++)
            for (int j = 0; j < g.Length; j++) s += g[i] * cov[i, j] * g[j];
        return s;
    }

    private static IEnumerable<Def> Definitions(PriceProcess process, IReadOnlyList<string> contracts)
    {
        int k = process.ProcessParameters.Count;
        foreach (var d in ProcessDefinitions(process)) yield return d;
        yield return new Def("level_first_month", "market level in the first month of the data, USD per GPU-hour (reference contract, typical vendor)", Scale.Log, th => Math.Exp(th[k]));
        yield return new Def("obs_noise_sd", $"sd of an observation's log around its vendor's level (tau, at least {process.MinTau})", Scale.Log, th => process.MinTau + Math.Exp(th[k + 1]));
        yield return new Def("vendor_sd", "sd of the vendor/product effects on the log price (omega): cross-vendor dispersion", Scale.Log, th => Math.Exp(th[k + 2]));
        for (int c = 1; c < contracts.Count; c++)
        {
            int i = k + 2 + c;
            yield return new Def($"contract_ratio_{contracts[c]}", $"price of {contracts[c]} over {contracts[0]} (exp of the log offset)", Scale.Log, th => Math.Exp(th[i]));
        }
    }

    private static IEnumerable<Def> ProcessDefinitions(PriceProcess process)
    {
        const string vol = "annual volatility of the log level, sigma = q sqrt(12)";
        switch (process.Kind)
        {
            case ProcessKind.RandomWalk:
                yield return new Def("log_drift", "annual drift of the log level, 12 d (ln P_t+12 - ln P_t expected)", Scale.Linear, th => 12 * th[0]);
                yield return new Def("volatility", vol, Scale.Log, th => Math.Exp(th[1]) * Math.Sqrt(12));
                yield return new Def("engine_drift", "the engine's market.price.drift mu = 12 d + sigma^2/2 (docs/model.md section 1)", Scale.Linear, th => 12 * th[0] + 6 * Math.Exp(2 * th[1]));
                break;
            case ProcessKind.MeanReversion:
                yield return new Def("long_run_level", "level the log price reverts to, exp(m), USD per GPU-hour", Scale.Log, th => Math.Exp(th[0]));
                yield return new Def("reversion", "speed of reversion kappa, per year", Scale.Log, th => Math.Exp(th[1]));
                yield return new Def("half_life_months", "months for half of a gap to close, 12 ln 2 / kappa", Scale.Log, th => 12 * Math.Log(2) / Math.Exp(th[1]));
                yield return new Def("volatility", vol, Scale.Log, th => Math.Exp(th[2]) * Math.Sqrt(12));
                break;
            case ProcessKind.FloorDecay:
                yield return new Def("floor", "the floor F the level decays toward, USD per GPU-hour", Scale.Log, th => PriceProcess.Logistic(th[2]) * Math.Exp(th[3]));
                yield return new Def("excess_log_drift", "annual drift of ln(P - F), 12 d", Scale.Linear, th => 12 * th[0]);
                yield return new Def("volatility", "annual volatility of ln(P - F), q sqrt(12)", Scale.Log, th => Math.Exp(th[1]) * Math.Sqrt(12));
                break;
            default:
                yield return new Def("log_drift", "annual drift of the log level in the normal regime, 12 d0", Scale.Linear, th => 12 * th[0]);
                yield return new Def("log_drift_bust", "annual drift of the log level in the bust regime, 12 d1", Scale.Linear, th => 12 * (th[0] - Math.Exp(th[1])));
                yield return new Def("normal_to_bust", "monthly probability of a switch from normal to bust", Scale.Logit, th => PriceProcess.Logistic(th[2]));
                yield return new Def("bust_to_normal", "monthly probability of a switch from bust to normal", Scale.Logit, th => PriceProcess.Logistic(th[3]));
                yield return new Def("volatility", vol, Scale.Log, th => Math.Exp(th[4]) * Math.Sqrt(12));
                yield return new Def("engine_drift", "the engine's market.price.drift, 12 d0 + sigma^2/2", Scale.Linear, th => 12 * th[0] + 6 * Math.Exp(2 * th[4]));
                yield return new Def("engine_drift_bust", "the engine's market.price.drift_bust, 12 d1 + sigma^2/2", Scale.Linear, th => 12 * (th[0] - Math.Exp(th[1])) + 6 * Math.Exp(2 * th[4]));
                break;
        }
    }
}
