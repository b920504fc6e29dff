using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using ComputeEconomics.Uncertainty;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ComputeEconomics.Scenarios;

/// <summary>
/// Maps a YAML node tree onto the immutable scenario records by reflection, collecting every error
/// (unknown key, wrong type, rule broken) with its field path instead of stopping at the first.
/// YAML keys are the snake_case form of the property names.
/// </summary>
public static class YamlBinder
{
    /// <summary>Parse YAML text into a node tree; syntax errors (including duplicate keys) become validation errors.</summary>
    public static YamlNode? Parse(string text, string source, List<ValidationError> errors)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0) return new YamlMappingNode();
            return stream.Documents[0].RootNode;
        }
        catch (YamlException ex)
        {
            string msg = ex.InnerException?.Message ?? ex.Message;
            errors.Add(new ValidationError(source, $"(line {ex.Start.Line}, column {ex.Start.Column})", $"is not valid YAML: {Trim(msg)}"));
            return null;
        }
    }

    /// <summary>Decode file bytes as strict UTF-8.</summary>
    public static string? DecodeUtf8(byte[] bytes, string source, List<ValidationError> errors)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            errors.Add(new ValidationError(source, $"(byte {ex.Index})", "must be UTF-8 text"));
            return null;
        }
    }

    /// <summary>snake_case of a PascalCase name.</summary>
    public static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]))) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>The bindable properties of a record type, by YAML key.</summary>
    public static IReadOnlyList<(string Key, PropertyInfo Property)> Fields(Type t) =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
         .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
         .Select(p => (SnakeCase(p.Name), p)).ToList();

    /// <summary>Bind <paramref name="node"/> to a new instance of <typeparamref name="T"/>.</summary>
    public static T Bind<T>(YamlNode node, List<ValidationError> errors) where T : new()
        => (T)BindRecord(typeof(T), node, "", errors, null)!;

    /// <summary>
    /// Bind <paramref name="node"/>, accepting a distribution (a mapping) where a scalar number is expected: the field gets the
    /// distribution's median and the distribution is added to <paramref name="uncertain"/> (docs/uncertainty.md). The draws'
    /// whole span must satisfy the field's range rule.
    /// </summary>
    public static T Bind<T>(YamlNode node, List<ValidationError> errors, List<UncertainField> uncertain) where T : new()
        => (T)BindRecord(typeof(T), node, "", errors, uncertain)!;

    /// <summary>Fields that can never be uncertain: they fix the run itself (paths, seed, horizon) or describe a sweep.</summary>
    private static readonly string[] Fixed = { "seed", "paths", "band_paths", "horizon_months" };

    private static object? BindRecord(Type t, YamlNode node, string path, List<ValidationError> errors, List<UncertainField>? uncertain)
    {
        object instance = Activator.CreateInstance(t)!;
        if (node is YamlScalarNode s && IsNull(s)) return instance;
        if (node is not YamlMappingNode map)
        {
            errors.Add(new ValidationError(Label(path), Show(node), "must be a mapping of keys to values"));
            return instance;
        }
        var fields = Fields(t).ToDictionary(f => f.Key, f => f.Property, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in map.Children)
        {
            string key = keyNode is YamlScalarNode ks ? ks.Value ?? "" : Show(keyNode);
            string fieldPath = Join(path, key);
            if (!seen.Add(key))
            {
                errors.Add(new ValidationError(fieldPath, "(duplicate)", "must appear only once"));
                continue;
            }
            if (!fields.TryGetValue(key, out var prop))
            {
                string hint = Suggest(key, fields.Keys);
                errors.Add(new ValidationError(fieldPath, Show(keyNode), $"is not a known key{hint}"));
                continue;
            }
            object? value = BindValue(prop.PropertyType, valueNode, fieldPath, errors, prop, uncertain);
            if (value != null || Nullable.GetUnderlyingType(prop.PropertyType) != null || !prop.PropertyType.IsValueType)
            {
                if (value != null || IsNullable(prop)) prop.SetValue(instance, value);
            }
        }
        foreach (var (key, prop) in Fields(t))
            if (prop.GetCustomAttribute<RequiredAttribute>() != null && !seen.Contains(key))
                errors.Add(new ValidationError(Join(path, key), "(missing)", "is required"));
        return instance;
    }

    private static bool IsNullable(PropertyInfo p)
        => Nullable.GetUnderlyingType(p.PropertyType) != null
           || new NullabilityInfoContext().Create(p).WriteState == NullabilityState.Nullable;

    private static object? BindValue(Type type, YamlNode node, string path, List<ValidationError> errors, PropertyInfo? prop,
        List<UncertainField>? uncertain)
    {
        Type? under = Nullable.GetUnderlyingType(type);
        if (under != null)
        {
            if (node is YamlScalarNode ns && IsNull(ns)) return null;
            type = under;
        }
        if (type == typeof(double) || type == typeof(int) || type == typeof(long))
        {
            if (node is YamlMappingNode dist)
                return BindDistribution(type, dist, path, errors, prop, uncertain);
            return BindNumber(type, node, path, errors, prop);
        }
        if (type == typeof(bool))
        {
            if (node is YamlScalarNode b && b.Style == ScalarStyle.Plain && (b.Value == "true" || b.Value == "false"))
                return b.Value == "true";
            errors.Add(new ValidationError(Label(path), Show(node), "must be true or false"));
            return null;
        }
        if (type == typeof(string))
        {
            if (node is not YamlScalarNode str || IsNull(str) && prop != null && prop.GetCustomAttribute<RequiredAttribute>() != null)
            {
                errors.Add(new ValidationError(Label(path), Show(node), "must be a text value"));
                return null;
            }
            if (IsNull(str)) return null;
            string v = str.Value ?? "";
            if (v.Length > 10_000)
            {
                errors.Add(new ValidationError(Label(path), $"({v.Length} characters)", "must be at most 10000 characters"));
                return null;
            }
            var oneOf = prop?.GetCustomAttribute<OneOfAttribute>();
            if (oneOf != null && !oneOf.Values.Contains(v))
            {
                errors.Add(new ValidationError(Label(path), Quote(v), $"must be one of: {string.Join(", ", oneOf.Values)}"));
                return null;
            }
            return v;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            Type item = type.GetGenericArguments()[0];
            if (node is YamlScalarNode ls && IsNull(ls)) return null;
            if (node is not YamlSequenceNode seq)
            {
                errors.Add(new ValidationError(Label(path), Show(node), "must be a list"));
                return null;
            }
            var list = (IList)Activator.CreateInstance(type)!;
            int i = 0;
            foreach (var child in seq.Children)
            {
                object? v = BindValue(item, child, $"{path}[{i}]", errors, null, uncertain);
                if (v != null) list.Add(v);
                i++;
            }
            return list;
        }
        if (type.IsClass)
            return BindRecord(type, node, path, errors, uncertain);
        errors.Add(new ValidationError(Label(path), Show(node), $"has an unsupported type {type.Name}"));
        return null;
    }

    private static object? BindDistribution(Type type, YamlMappingNode node, string path, List<ValidationError> errors,
        PropertyInfo? prop, List<UncertainField>? uncertain)
    {
        string expected = type == typeof(double) ? "must be a number" : "must be a whole number";
        if (uncertain == null)
        {
            errors.Add(new ValidationError(Label(path), Show(node), $"{expected} (a distribution is accepted by ce run and ce validate, not here)"));
            return null;
        }
        if (prop == null || Fixed.Contains(path) || path.StartsWith("sweep.", StringComparison.Ordinal))
        {
            errors.Add(new ValidationError(Label(path), Show(node),
                $"{expected}: a distribution is allowed on scalar scenario fields except {string.Join(", ", Fixed)}, list elements and sweep settings"));
            return null;
        }
        var d = Distribution.Parse(node, path, errors);
        if (d == null) return null;
        bool whole = type != typeof(double);
        double Round(double x) => whole ? Math.Round(x, MidpointRounding.AwayFromZero) : x;
        var (lo, hi) = d.Span;
        lo = Round(lo); hi = Round(hi);
        var range = prop.GetCustomAttribute<RangeAttribute>();
        string? rule = range == null
            ? (double.IsFinite(lo) && double.IsFinite(hi) ? null : "must be a finite number")
            : range.Check(lo) ?? range.Check(hi);
        if (rule != null)
        {
            errors.Add(new ValidationError(Label(path), d.Describe(),
                $"draws values from {lo.ToString("G6", CultureInfo.InvariantCulture)} to {hi.ToString("G6", CultureInfo.InvariantCulture)}, " +
                $"and every value {rule} (narrow it or add min:/max: bounds)"));
            return null;
        }
        if (type == typeof(int) && (lo < int.MinValue || hi > int.MaxValue))
        {
            errors.Add(new ValidationError(Label(path), d.Describe(), "must fit in 32 bits"));
            return null;
        }
        uncertain.Add(new UncertainField(path, d, whole, node));
        double median = Round(d.Median);
        return type == typeof(double) ? median : type == typeof(int) ? (object)(int)median : (object)(long)median;
    }

    private static object? BindNumber(Type type, YamlNode node, string path, List<ValidationError> errors, PropertyInfo? prop)
    {
        if (node is not YamlScalarNode s || s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted || s.Value is null)
        {
            errors.Add(new ValidationError(Label(path), Show(node), type == typeof(double) ? "must be a number" : "must be a whole number"));
            return null;
        }
        string text = s.Value.Trim().Replace("_", "");
        double x;
        if (text is ".nan" or ".NaN" or ".NAN") x = double.NaN;
        else if (text is ".inf" or ".Inf" or ".INF" or "+.inf") x = double.PositiveInfinity;
        else if (text is "-.inf" or "-.Inf" or "-.INF") x = double.NegativeInfinity;
        else if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out x))
        {
            errors.Add(new ValidationError(Label(path), Quote(s.Value), type == typeof(double) ? "must be a number" : "must be a whole number"));
            return null;
        }
        var range = prop?.GetCustomAttribute<RangeAttribute>();
        string? rule = range?.Check(x) ?? (double.IsFinite(x) ? null : "must be a finite number");
        if (rule != null)
        {
            errors.Add(new ValidationError(Label(path), s.Value, rule));
            return null;
        }
        if (type == typeof(double)) return x;
        if (Math.Floor(x) != x || Math.Abs(x) > 9.2e18)
        {
            errors.Add(new ValidationError(Label(path), s.Value, "must be a whole number"));
            return null;
        }
        if (type == typeof(int))
        {
            if (x < int.MinValue || x > int.MaxValue)
            {
                errors.Add(new ValidationError(Label(path), s.Value, "must fit in 32 bits"));
                return null;
            }
            return (int)x;
        }
        return (long)x;
    }

    /// <summary>Apply <c>a.b[2].c=value</c> overrides to the node tree (missing mappings are created).</summary>
    public static YamlNode ApplyOverride(YamlNode root, string assignment, List<ValidationError> errors)
    {
        int eq = assignment.IndexOf('=');
        if (eq <= 0)
        {
            errors.Add(new ValidationError("--set", Quote(assignment), "must have the form path=value"));
            return root;
        }
        string path = assignment[..eq].Trim();
        string valueText = assignment[(eq + 1)..];
        var valueErrors = new List<ValidationError>();
        YamlNode? value = Parse(valueText, $"--set {path}", valueErrors);
        if (value == null) { errors.AddRange(valueErrors); return root; }
        if (value is YamlScalarNode vs && vs.Value == "" && valueText.Length == 0) value = new YamlScalarNode("");
        if (root is not YamlMappingNode) root = new YamlMappingNode();
        var segments = SplitPath(path);
        if (segments.Count == 0 || segments.Any(string.IsNullOrEmpty))
        {
            errors.Add(new ValidationError("--set", Quote(assignment), "must name a field path such as market.price.volatility"));
            return root;
        }
        YamlNode current = root;
        for (int i = 0; i < segments.Count; i++)
        {
            bool last = i == segments.Count - 1;
            string seg = segments[i];
            if (current is YamlMappingNode m)
            {
                var key = new YamlScalarNode(seg);
                if (last) { m.Children[key] = value; break; }
                if (!m.Children.TryGetValue(key, out var next) || next is YamlScalarNode)
                {
                    next = int.TryParse(segments[i + 1], out _) ? new YamlSequenceNode() : new YamlMappingNode();
                    m.Children[key] = next;
                }
                current = next;
            }
            else if (current is YamlSequenceNode seq && int.TryParse(seg, out int idx) && idx >= 0 && idx < seq.Children.Count)
            {
                if (last) { seq.Children[idx] = value; break; }
                current = seq.Children[idx];
            }
            else
            {
                errors.Add(new ValidationError(path, Quote(seg), "is not an index of an existing list element"));
                break;
            }
        }
        return root;
    }

    private static List<string> SplitPath(string path)
        => path.Replace("[", ".").Replace("]", "").Split('.').ToList();

    private static bool IsNull(YamlScalarNode s)
        => s.Style == ScalarStyle.Plain && (s.Value is null or "" or "~" or "null" or "Null" or "NULL");

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
    private static string Label(string path) => path.Length == 0 ? "(scenario)" : path;

    /// <summary>A short rendering of a node for error messages.</summary>
    public static string Show(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value is null ? "null" : Quote(s.Value),
        YamlSequenceNode q => $"(a list of {q.Children.Count})",
        YamlMappingNode m => $"(a mapping of {m.Children.Count} keys)",
        _ => "(?)",
    };

    private static string Quote(string v)
    {
        string t = v.Length > 60 ? v[..57] + "..." : v;
        return t.Any(ch => char.IsWhiteSpace(ch) || char.IsControl(ch)) || t.Length == 0 ? $"\"{Escape(t)}\"" : t;
    }

    private static string Escape(string s)
    {
        var sb = new StringBuilder();
        foreach (char c in s) sb.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        return sb.ToString();
    }

    private static string Trim(string m) => m.Length > 200 ? m[..200] : m;

    private static string Suggest(string key, IEnumerable<string> known)
    {
        string? best = null; int bestD = int.MaxValue;
        foreach (var k in known)
        {
            int d = Levenshtein(key, k);
            if (d < bestD) { bestD = d; best = k; }
        }
        string list = string.Join(", ", known);
        return best != null && bestD <= Math.Max(2, key.Length / 3) ? $" (did you mean {best}?)" : $" (known: {list})";
    }

    private static int Levenshtein(string a, string b)
    {
        if (a.Length > 64 || b.Length > 64) return int.MaxValue / 2;
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
