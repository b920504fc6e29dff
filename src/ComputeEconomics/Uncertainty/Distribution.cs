using System.Globalization;
using ComputeEconomics.Kernels;
using ComputeEconomics.Scenarios;
using MathNet.Numerics.Distributions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ComputeEconomics.Uncertainty;

/// <summary>
/// A probability distribution on one scalar scenario field (parameter uncertainty), sampled by inversion:
/// x = Q(u) for one uniform u per path, so one uniform gives one value, correlation can be imposed on the
/// uniforms (Gaussian copula) and a zero-spread distribution returns its fixed value exactly.
/// Optional bounds truncate it: u is mapped into [F(min), F(max)] before inversion (the conditional
/// distribution given min &lt;= x &lt;= max, not a clamp).
/// </summary>
public sealed class Distribution
{
    /// <summary>z_0.95 = Phi^-1(0.95): a 90% interval is mean +- 1.6449 sd.</summary>
    public const double Z95 = 1.6448536269514722;
    /// <summary>Smallest and largest uniform the Philox mapping produces: 2^-33 and 1 - 2^-33.</summary>
    public const double UMin = 1.0 / 8589934592.0, UMax = 1.0 - 1.0 / 8589934592.0;

    private readonly string _base;          // normal | lognormal | uniform | triangular | beta
    private readonly double _a, _b, _c, _d; // parameters of the base (see Create)
    private readonly double _fMin, _fMax;   // CDF at the truncation bounds
    private readonly double? _fixed;        // zero spread: the value itself

    private Distribution(string kind, string @base, double a, double b, double c, double d,
        double? min, double? max, IReadOnlyList<(string Key, double Value)> given)
    {
        Kind = kind; _base = @base; _a = a; _b = b; _c = c; _d = d; Min = min; Max = max; Given = given;
        _fixed = @base switch
        {
            "normal" => b == 0 ? a : null,
            "lognormal" => b == 0 ? c : null,
            "uniform" or "triangular" or "beta" => a == b ? a : null,
            _ => null,
        };
        _fMin = min is { } lo && _fixed == null ? BaseCdf(lo) : 0.0;
        _fMax = max is { } hi && _fixed == null ? BaseCdf(hi) : 1.0;
    }

    /// <summary>As written: normal, lognormal, uniform, triangular, beta, pert, or interval (a 90% interval {p5, p95}).</summary>
    public string Kind { get; }
    /// <summary>Lower truncation bound, or null.</summary>
    public double? Min { get; }
    /// <summary>Upper truncation bound, or null.</summary>
    public double? Max { get; }
    /// <summary>The parameters as written (for reports).</summary>
    public IReadOnlyList<(string Key, double Value)> Given { get; }
    /// <summary>True when every draw is the same value.</summary>
    public bool IsFixed => _fixed != null;

    /// <summary>The value for uniform <paramref name="u"/> in (0,1); monotone non-decreasing in u.</summary>
    public double Quantile(double u)
    {
        if (_fixed is { } v) return v;
        double w = _fMin + u * (_fMax - _fMin);
        double x = BaseQuantile(w);
        if (Min is { } lo && x < lo) x = lo;
        if (Max is { } hi && x > hi) x = hi;
        return x;
    }

    /// <summary>The median Q(0.5): the value bound to the field for validation and for non-sampling uses.</summary>
    public double Median => Quantile(0.5);

    /// <summary>The smallest and largest value any path can draw (the quantiles of the extreme Philox uniforms).</summary>
    public (double Low, double High) Span => (Quantile(UMin), Quantile(UMax));

    private double BaseQuantile(double u) => _base switch
    {
        "normal" => _a + _b * Kernels.Random.Normal.InvCdf<DoubleMath>(u),
        "lognormal" => Math.Exp(_a + _b * Kernels.Random.Normal.InvCdf<DoubleMath>(u)),
        "uniform" => _a + u * (_b - _a),
        "triangular" => TriangularQuantile(u),
        "beta" => _a + (_b - _a) * Beta.InvCDF(_c, _d, u),
        _ => throw new InvalidOperationException(_base),
    };

    private double BaseCdf(double x) => _base switch
    {
        "normal" => Normal.CDF(_a, _b, x),
        "lognormal" => x <= 0 ? 0.0 : Normal.CDF(_a, _b, Math.Log(x)),
        "uniform" => Math.Clamp((x - _a) / (_b - _a), 0.0, 1.0),
        "triangular" => TriangularCdf(x),
        "beta" => x <= _a ? 0.0 : x >= _b ? 1.0 : Beta.CDF(_c, _d, (x - _a) / (_b - _a)),
        _ => throw new InvalidOperationException(_base),
    };

    // Triangular (low _a, high _b, mode _c): closed-form inverse of the piecewise-quadratic CDF.
    private double TriangularQuantile(double u)
    {
        double width = _b - _a, f = (_c - _a) / width;
        return u < f ? _a + Math.Sqrt(u * width * (_c - _a)) : _b - Math.Sqrt((1 - u) * width * (_b - _c));
    }

    private double TriangularCdf(double x)
    {
        if (x <= _a) return 0.0;
        if (x >= _b) return 1.0;
        double width = _b - _a;
        return x <= _c ? (x - _a) * (x - _a) / (width * (_c - _a)) : 1 - (_b - x) * (_b - x) / (width * (_b - _c));
    }

    /// <summary>One line for reports and errors, e.g. "lognormal(median 0.05, sigma 0.3) in [0.01, 0.2]".</summary>
    public string Describe()
    {
        string args = string.Join(", ", Given.Select(g => $"{g.Key} {F(g.Value)}"));
        string bounds = Min != null || Max != null ? $" in [{(Min is { } lo ? F(lo) : "-inf")}, {(Max is { } hi ? F(hi) : "inf")}]" : "";
        return $"{Kind}({args}){bounds}";
    }

    private static string F(double x) => x.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>
    /// Parse a distribution mapping (the value of a numeric field). Keys: dist (normal | lognormal | uniform | triangular |
    /// beta | pert; omitted for a 90% interval {p5, p95}), the distribution's parameters, optional min and max.
    /// Every error names <paramref name="path"/>.key, the value and the rule. Null when there were errors.
    /// </summary>
    public static Distribution? Parse(YamlMappingNode map, string path, List<ValidationError> errors)
    {
        int before = errors.Count;
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        string? dist = null;
        var order = new List<string>();
        foreach (var (k, v) in map.Children)
        {
            string key = k is YamlScalarNode ks ? ks.Value ?? "" : YamlBinder.Show(k);
            if (key == "dist")
            {
                dist = v is YamlScalarNode ds ? ds.Value : null;
                if (dist is null or "" || !Kinds.Contains(dist))
                    errors.Add(new ValidationError($"{path}.dist", YamlBinder.Show(v), $"must be one of: {string.Join(", ", Kinds)}"));
                continue;
            }
            if (v is not YamlScalarNode s || s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted
                || !double.TryParse((s.Value ?? "").Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out double x)
                || !double.IsFinite(x))
            {
                errors.Add(new ValidationError($"{path}.{key}", YamlBinder.Show(v), "must be a finite number"));
                continue;
            }
            values[key] = x;
            order.Add(key);
        }
        if (errors.Count > before) return null;
        dist ??= values.ContainsKey("p5") || values.ContainsKey("p95") ? "interval" : null;
        if (dist == null)
        {
            errors.Add(new ValidationError(path, YamlBinder.Show(map),
                $"a distribution needs dist: ({string.Join(", ", Kinds)}) or a 90% interval {{p5: .., p95: ..}}"));
            return null;
        }
        string[] allowed = dist switch
        {
            "normal" => new[] { "mean", "sd" },
            "lognormal" => values.ContainsKey("median") || values.ContainsKey("sigma") ? new[] { "median", "sigma" } : new[] { "mean", "sd" },
            "uniform" => new[] { "low", "high" },
            "triangular" => new[] { "low", "mode", "high" },
            "beta" => new[] { "alpha", "beta", "low", "high" },
            "pert" => new[] { "low", "mode", "high", "lambda" },
            _ => new[] { "p5", "p95" },
        };
        string[] optional = dist switch { "beta" => new[] { "low", "high" }, "pert" => new[] { "lambda" }, _ => Array.Empty<string>() };
        foreach (var key in order)
            if (!allowed.Contains(key) && key is not ("min" or "max"))
                errors.Add(new ValidationError($"{path}.{key}", F(values[key]),
                    $"is not a parameter of {dist} (parameters: {string.Join(", ", allowed)}; bounds: min, max)"));
        foreach (var key in allowed)
            if (!values.ContainsKey(key) && !optional.Contains(key))
                errors.Add(new ValidationError($"{path}.{key}", "(missing)", $"is required by {dist}"));
        if (errors.Count > before) return null;

        double V(string key, double fallback = double.NaN) => values.TryGetValue(key, out double x) ? x : fallback;
        void Rule(bool ok, string key, string rule)
        {
            if (!ok) errors.Add(new ValidationError($"{path}.{key}", F(V(key)), rule));
        }
        double? min = values.TryGetValue("min", out double mn) ? mn : null;
        double? max = values.TryGetValue("max", out double mx) ? mx : null;
        if (min != null && max != null) Rule(min < max, "max", $"must be > min ({F(min.Value)})");
        var given = order.Where(k => k is not ("min" or "max")).Select(k => (k, values[k])).ToList();
        Distribution? d = null;
        switch (dist)
        {
            case "normal":
                Rule(V("sd") >= 0, "sd", "must be >= 0");
                if (errors.Count == before) d = new Distribution(dist, "normal", V("mean"), V("sd"), 0, 0, min, max, given);
                break;
            case "lognormal" when values.ContainsKey("median"):
                Rule(V("median") > 0, "median", "must be > 0");
                Rule(V("sigma") >= 0, "sigma", "must be >= 0");
                if (errors.Count == before) d = new Distribution(dist, "lognormal", Math.Log(V("median")), V("sigma"), V("median"), 0, min, max, given);
                break;
            case "lognormal":
            {
                Rule(V("mean") > 0, "mean", "must be > 0");
                Rule(V("sd") >= 0, "sd", "must be >= 0");
                if (errors.Count > before) break;
                double m = V("mean"), s = V("sd");
                double s2 = Math.Log(1 + s * s / (m * m));   // moments of the lognormal: E = exp(mu + s2/2), Var = (exp(s2)-1) E^2
                d = new Distribution(dist, "lognormal", Math.Log(m) - s2 / 2, Math.Sqrt(s2), s == 0 ? m : Math.Exp(Math.Log(m) - s2 / 2), 0, min, max, given);
                break;
            }
            case "uniform":
                Rule(V("low") <= V("high"), "high", $"must be >= low ({F(V("low"))})");
                if (errors.Count == before) d = new Distribution(dist, "uniform", V("low"), V("high"), 0, 0, min, max, given);
                break;
            case "triangular":
            case "pert":
                Rule(V("low") <= V("mode"), "mode", $"must be >= low ({F(V("low"))})");
                Rule(V("mode") <= V("high"), "mode", $"must be <= high ({F(V("high"))})");
                if (dist == "pert") Rule(V("lambda", 4) > 0, "lambda", "must be > 0");
                if (errors.Count > before) break;
                if (dist == "triangular" || V("low") == V("high"))
                    d = new Distribution(dist, V("low") == V("high") ? "uniform" : "triangular", V("low"), V("high"), V("mode"), 0, min, max, given);
                else
                {
                    // PERT (Malcolm et al. 1959; Vose 2008): Beta(1 + lambda (mode-low)/(high-low), 1 + lambda (high-mode)/(high-low)) on [low, high].
                    double lo = V("low"), hi = V("high"), mode = V("mode"), lambda = V("lambda", 4);
                    d = new Distribution(dist, "beta", lo, hi, 1 + lambda * (mode - lo) / (hi - lo), 1 + lambda * (hi - mode) / (hi - lo), min, max, given);
                }
                break;
            case "beta":
                Rule(V("alpha") > 0, "alpha", "must be > 0");
                Rule(V("beta") > 0, "beta", "must be > 0");
                Rule(V("low", 0) <= V("high", 1), "high", $"must be >= low ({F(V("low", 0))})");
                if (errors.Count == before) d = new Distribution(dist, "beta", V("low", 0), V("high", 1), V("alpha"), V("beta"), min, max, given);
                break;
            default:
            {
                double p5 = V("p5"), p95 = V("p95");
                Rule(p5 <= p95, "p95", $"must be >= p5 ({F(p5)})");
                if (errors.Count > before) break;
                // Lognormal when both bounds are positive (ln p5, ln p95 symmetric about ln median), else normal.
                d = p5 > 0
                    ? new Distribution("interval", "lognormal", (Math.Log(p5) + Math.Log(p95)) / 2, (Math.Log(p95) - Math.Log(p5)) / (2 * Z95),
                        p5 == p95 ? p5 : Math.Sqrt(p5 * p95), 0, min, max, given)
                    : new Distribution("interval", "normal", (p5 + p95) / 2, (p95 - p5) / (2 * Z95), 0, 0, min, max, given);
                break;
            }
        }
        if (d == null) return null;
        if (!d.IsFixed && d._fMax - d._fMin <= 0)
        {
            errors.Add(new ValidationError(path, d.Describe(), "the bounds min/max leave no probability: widen them"));
            return null;
        }
        if (d.IsFixed && ((min is { } a && d._fixed < a) || (max is { } b && d._fixed > b)))
        {
            errors.Add(new ValidationError(path, d.Describe(), "the fixed value lies outside min/max"));
            return null;
        }
        return d;
    }

    /// <summary>The distribution names accepted in <c>dist:</c>.</summary>
    public static readonly string[] Kinds = { "normal", "lognormal", "uniform", "triangular", "beta", "pert" };
}
