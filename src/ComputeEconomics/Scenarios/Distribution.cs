using System.Globalization;
using ComputeEconomics.Kernels;
using ComputeEconomics.Scenarios;
using MathNet.Numerics.Distributions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ComputeEconomics.Scenarios;

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

    /// <summary>Largest shape parameter (beta's alpha and beta, PERT's lambda): beyond it the inverse CDF has no double precision left.</summary>
    public const double MaxShape = 1e6;

    /// <summary>
    /// Parse a distribution mapping (the value of a numeric field). Keys: dist (normal | lognormal | uniform | triangular |
    /// beta | pert; omitted for a 90% interval {p5, p95}), the distribution's parameters, optional min and max.
    /// Every error names <paramref name="path"/>.key, the value and the rule. Null when there were errors.
    /// </summary>
    public static Distribution? Parse(YamlMappingNode map, string path, List<ValidationError> errors)
    {
        int before = errors.Count;
        var p = new Params(path, errors);
        string? dist = p.Read(map);
        if (errors.Count > before) return null;
        dist ??= p.Has("p5") || p.Has("p95") ? "interval" : null;
        if (dist == null)
        {
            errors.Add(new ValidationError(path, YamlBinder.Show(map),
                $"a distribution needs dist: ({string.Join(", ", Kinds)}) or a 90% interval {{p5: .., p95: ..}}"));
            return null;
        }
        p.CheckKeys(dist);
        if (errors.Count > before) return null;
        if (p.Min != null && p.Max != null) p.Rule(p.Min < p.Max, "max", $"must be > min ({F(p.Min.Value)})");
        Distribution? d;
        try
        {
            d = Build(dist, p);
        }
        catch (Exception ex) when (ex is ArithmeticException or ArgumentException)
        {
            errors.Add(new ValidationError(path, YamlBinder.Show(map), $"has parameters its {dist} CDF cannot evaluate in double precision: narrow them"));
            return null;
        }
        if (d == null || errors.Count > before) return null;
        string? rule = d.SupportRule();
        if (rule == null) return d;
        errors.Add(new ValidationError(path, d.Describe(), rule));
        return null;
    }

    /// <summary>Null when every path can draw a finite value inside min/max; else the rule broken.</summary>
    private string? SupportRule()
    {
        if (!IsFixed && _fMax - _fMin <= 0) return "the bounds min/max leave no probability: widen them";
        if (IsFixed && ((Min is { } a && _fixed < a) || (Max is { } b && _fixed > b))) return "the fixed value lies outside min/max";
        try
        {
            var (lo, hi) = Span;
            if (!double.IsNaN(lo) && !double.IsNaN(hi) && !double.IsNaN(Median)) return null;
        }
        catch (ArithmeticException)
        {
            // MathNet's inverse CDF fails on parameters it cannot represent: reported below like a non-finite quantile.
        }
        catch (ArgumentException)
        {
        }
        return "has no computable quantiles (parameters too large or too far apart for double precision): narrow them";
    }

    private static Distribution? Build(string dist, Params p) => dist switch
    {
        "normal" => p.Rule(p.V("sd") >= 0, "sd", "must be >= 0")
            ? new Distribution(dist, "normal", p.V("mean"), p.V("sd"), 0, 0, p.Min, p.Max, p.Given) : null,
        "lognormal" when p.Has("median") => LognormalByMedian(p),
        "lognormal" => LognormalByMoments(p),
        "uniform" => p.Rule(p.V("low") <= p.V("high"), "high", $"must be >= low ({F(p.V("low"))})")
            ? new Distribution(dist, "uniform", p.V("low"), p.V("high"), 0, 0, p.Min, p.Max, p.Given) : null,
        "triangular" or "pert" => TriangularOrPert(dist, p),
        "beta" => BetaOn(p),
        _ => Interval(p),
    };

    private static Distribution? LognormalByMedian(Params p)
    {
        bool ok = p.Rule(p.V("median") > 0, "median", "must be > 0") & p.Rule(p.V("sigma") >= 0, "sigma", "must be >= 0");
        return ok ? new Distribution("lognormal", "lognormal", Math.Log(p.V("median")), p.V("sigma"), p.V("median"), 0, p.Min, p.Max, p.Given) : null;
    }

    private static Distribution? LognormalByMoments(Params p)
    {
        bool ok = p.Rule(p.V("mean") > 0, "mean", "must be > 0") & p.Rule(p.V("sd") >= 0, "sd", "must be >= 0");
        if (!ok) return null;
        double m = p.V("mean"), s = p.V("sd");
        double s2 = Math.Log(1 + s * s / (m * m));   // moments of the lognormal: E = exp(mu + s2/2), Var = (exp(s2)-1) E^2
        return new Distribution("lognormal", "lognormal", Math.Log(m) - s2 / 2, Math.Sqrt(s2), s == 0 ? m : Math.Exp(Math.Log(m) - s2 / 2), 0, p.Min, p.Max, p.Given);
    }

    private static Distribution? TriangularOrPert(string dist, Params p)
    {
        double lo = p.V("low"), hi = p.V("high"), mode = p.V("mode"), lambda = p.V("lambda", 4);
        bool ok = p.Rule(lo <= mode, "mode", $"must be >= low ({F(lo)})") & p.Rule(mode <= hi, "mode", $"must be <= high ({F(hi)})");
        if (dist == "pert") ok &= p.Rule(lambda > 0 && lambda <= MaxShape, "lambda", $"must be in (0, {MaxShape.ToString("0", CultureInfo.InvariantCulture)}]");
        if (!ok) return null;
        if (dist == "triangular" || lo == hi)
            return new Distribution(dist, lo == hi ? "uniform" : "triangular", lo, hi, mode, 0, p.Min, p.Max, p.Given);
        // PERT (Malcolm et al. 1959; Vose 2008): Beta(1 + lambda (mode-low)/(high-low), 1 + lambda (high-mode)/(high-low)) on [low, high].
        return new Distribution(dist, "beta", lo, hi, 1 + lambda * (mode - lo) / (hi - lo), 1 + lambda * (hi - mode) / (hi - lo), p.Min, p.Max, p.Given);
    }

    private static Distribution? BetaOn(Params p)
    {
        string shape = $"must be in (0, {MaxShape.ToString("0", CultureInfo.InvariantCulture)}]";
        bool ok = p.Rule(p.V("alpha") > 0 && p.V("alpha") <= MaxShape, "alpha", shape)
            & p.Rule(p.V("beta") > 0 && p.V("beta") <= MaxShape, "beta", shape)
            & p.Rule(p.V("low", 0) <= p.V("high", 1), "high", $"must be >= low ({F(p.V("low", 0))})");
        return ok ? new Distribution("beta", "beta", p.V("low", 0), p.V("high", 1), p.V("alpha"), p.V("beta"), p.Min, p.Max, p.Given) : null;
    }

    private static Distribution? Interval(Params p)
    {
        double p5 = p.V("p5"), p95 = p.V("p95");
        if (!p.Rule(p5 <= p95, "p95", $"must be >= p5 ({F(p5)})")) return null;
        // Lognormal when both bounds are positive (ln p5, ln p95 symmetric about ln median), else normal.
        return p5 > 0
            ? new Distribution("interval", "lognormal", (Math.Log(p5) + Math.Log(p95)) / 2, (Math.Log(p95) - Math.Log(p5)) / (2 * Z95),
                p5 == p95 ? p5 : Math.Sqrt(p5 * p95), 0, p.Min, p.Max, p.Given)
            : new Distribution("interval", "normal", (p5 + p95) / 2, (p95 - p5) / (2 * Z95), 0, 0, p.Min, p.Max, p.Given);
    }

    /// <summary>The parameters of one distribution mapping as written, and the checks on them.</summary>
    private sealed class Params(string path, List<ValidationError> errors)
    {
        private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);
        private readonly List<string> _order = new();

        public double? Min => _values.TryGetValue("min", out double x) ? x : null;
        public double? Max => _values.TryGetValue("max", out double x) ? x : null;
        public List<(string Key, double Value)> Given => _order.Where(k => k is not ("min" or "max")).Select(k => (k, _values[k])).ToList();
        public bool Has(string key) => _values.ContainsKey(key);
        public double V(string key, double fallback = double.NaN) => _values.TryGetValue(key, out double x) ? x : fallback;

        /// <summary>Adds the error (field, value, rule) when <paramref name="ok"/> is false; returns <paramref name="ok"/>.</summary>
        public bool Rule(bool ok, string key, string rule)
        {
            if (!ok) errors.Add(new ValidationError($"{path}.{key}", F(V(key)), rule));
            return ok;
        }

        /// <summary>Read every key: the dist name (returned) and the numbers.</summary>
        public string? Read(YamlMappingNode map)
        {
            string? dist = null;
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
                _values[key] = x;
                _order.Add(key);
            }
            return dist;
        }

        /// <summary>Every key must be a parameter of <paramref name="dist"/> or a bound; every required parameter present.</summary>
        public void CheckKeys(string dist)
        {
            var (allowed, optional) = Parameters(dist, Has("median") || Has("sigma"));
            foreach (var key in _order)
                if (!allowed.Contains(key) && key is not ("min" or "max"))
                    errors.Add(new ValidationError($"{path}.{key}", F(_values[key]),
                        $"is not a parameter of {dist} (parameters: {string.Join(", ", allowed)}; bounds: min, max)"));
            foreach (var key in allowed)
                if (!Has(key) && !optional.Contains(key))
                    errors.Add(new ValidationError($"{path}.{key}", "(missing)", $"is required by {dist}"));
        }
    }

    /// <summary>
    /// The parameters of each distribution and which of them may be omitted (lognormal by median and sigma when
    /// <paramref name="lognormalByMedian"/>): the parser and the JSON Schema read this one list.
    /// </summary>
    public static (string[] Allowed, string[] Optional) Parameters(string dist, bool lognormalByMedian = false) => dist switch
    {
        "normal" => (new[] { "mean", "sd" }, Array.Empty<string>()),
        "lognormal" => (lognormalByMedian ? new[] { "median", "sigma" } : new[] { "mean", "sd" }, Array.Empty<string>()),
        "uniform" => (new[] { "low", "high" }, Array.Empty<string>()),
        "triangular" => (new[] { "low", "mode", "high" }, Array.Empty<string>()),
        "beta" => (new[] { "alpha", "beta", "low", "high" }, new[] { "low", "high" }),
        "pert" => (new[] { "low", "mode", "high", "lambda" }, new[] { "lambda" }),
        _ => (new[] { "p5", "p95" }, Array.Empty<string>()),
    };

    /// <summary>The distribution names accepted in <c>dist:</c>.</summary>
    public static readonly string[] Kinds = { "normal", "lognormal", "uniform", "triangular", "beta", "pert" };
}
