using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
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
            var (line, column) = YamlErrorLocation.Find(text, ex);
            errors.Add(new ValidationError(source, $"(line {line}, column {column})", $"is not valid YAML: {Trim(msg)}"));
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
    public static string SnakeCase(string name) => FieldTable.SnakeCase(name);

    /// <summary>The bindable properties of a record type, by YAML key (the field table's rows).</summary>
    public static IReadOnlyList<(string Key, PropertyInfo Property)> Fields(Type t) =>
        FieldTable.Of(t).Select(f => (f.Key, f.Property)).ToList();

    /// <summary>Bind <paramref name="node"/> to a new instance of <typeparamref name="T"/>.</summary>
    public static T Bind<T>(YamlNode node, List<ValidationError> errors) where T : new()
        => (T)BindAndCheckOverridden(typeof(T), node, errors, null);

    /// <summary>
    /// Bind <paramref name="node"/>, accepting a distribution (a mapping) where a scalar number is expected: the field gets the
    /// distribution's median and the distribution is added to <paramref name="uncertain"/> (docs/uncertainty.md). The draws'
    /// whole span must satisfy the field's range rule.
    /// </summary>
    public static T Bind<T>(YamlNode node, List<ValidationError> errors, List<UncertainField> uncertain) where T : new()
        => (T)BindAndCheckOverridden(typeof(T), node, errors, uncertain);

    private static object BindAndCheckOverridden(Type t, YamlNode node, List<ValidationError> errors, List<UncertainField>? uncertain)
    {
        object result = BindRecord(t, node, "", errors, uncertain)!;
        if (t == typeof(Scenario) && Overridden.TryGetValue(node, out var replaced))
            foreach (var (path, old) in replaced) CheckOverridden(path, old, errors, uncertain != null);
        return result;
    }

    /// <summary>
    /// A value of the file that a <c>--set</c> (or --paths, --seed) replaced is still checked: a bad value in the file is an
    /// error even when the command line overrides it, so the file is never silently wrong.
    /// </summary>
    private static void CheckOverridden(string path, YamlNode old, List<ValidationError> errors, bool allowDistribution)
    {
        var steps = FieldTable.Resolve(path, out _);
        if (steps == null || steps[^1].Index != null) return;   // not a field: the override itself reports that
        var field = steps[^1].Field;
        var local = new List<ValidationError>();
        BindValue(field.Property.PropertyType, old, path, local, field, allowDistribution ? new List<UncertainField>() : null);
        foreach (var e in local)
            ErrorList.Add(errors, e with { Rule = $"{e.Rule} (the file's value, overridden on the command line)" });
    }

    private static object? BindRecord(Type t, YamlNode node, string path, List<ValidationError> errors, List<UncertainField>? uncertain)
    {
        object instance = Activator.CreateInstance(t)!;
        if (node is YamlScalarNode s && IsNull(s)) return instance;
        if (node is not YamlMappingNode map)
        {
            ErrorList.Add(errors, new ValidationError(Label(path), Show(node), "must be a mapping of keys to values"));
            return instance;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in map.Children)
        {
            string key = keyNode is YamlScalarNode ks ? ks.Value ?? "" : Show(keyNode);
            var field = KnownKey(t, key, keyNode, path, seen, errors);
            if (field == null) continue;
            object? value = BindValue(field.Property.PropertyType, valueNode, Join(path, key), errors, field, uncertain);
            if (value != null || field.Nullable) field.Property.SetValue(instance, value);
        }
        foreach (var f in FieldTable.Of(t))
            if (f.Required && !seen.Contains(f.Key))
                ErrorList.Add(errors, new ValidationError(Join(path, f.Key), "(missing)", "is required"));
        return instance;
    }

    /// <summary>The field of <paramref name="t"/> called <paramref name="key"/>; null (with the error) for a duplicate or unknown key.</summary>
    private static Field? KnownKey(Type t, string key, YamlNode keyNode, string path, HashSet<string> seen, List<ValidationError> errors)
    {
        string fieldPath = Join(path, key);
        if (!seen.Add(key))
        {
            ErrorList.Add(errors, new ValidationError(fieldPath, "(duplicate)", "must appear only once"));
            return null;
        }
        var field = FieldTable.Find(t, key);
        if (field != null) return field;
        if (ErrorList.Full(errors)) ErrorList.CountMore(errors);   // past the cap: count it, build no message
        else errors.Add(new ValidationError(fieldPath, Show(keyNode), $"is not a known key{Suggest(key, FieldTable.Of(t).Select(f => f.Key))}"));
        return null;
    }

    private static object? BindValue(Type type, YamlNode node, string path, List<ValidationError> errors, Field? field,
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
                return BindDistribution(type, dist, path, errors, field, uncertain);
            return BindNumber(type, node, path, errors, field);
        }
        if (type == typeof(bool))
        {
            if (node is YamlScalarNode b && b.Style == ScalarStyle.Plain && (b.Value == "true" || b.Value == "false"))
                return b.Value == "true";
            ErrorList.Add(errors, new ValidationError(Label(path), Show(node), "must be true or false"));
            return null;
        }
        if (type == typeof(string)) return BindText(node, path, errors, field);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
            return BindList(type, node, path, errors, uncertain);
        if (type.IsClass)
            return BindRecord(type, node, path, errors, uncertain);
        ErrorList.Add(errors, new ValidationError(Label(path), Show(node), $"has an unsupported type {type.Name}"));
        return null;
    }

    private static string? BindText(YamlNode node, string path, List<ValidationError> errors, Field? field)
    {
        if (node is not YamlScalarNode str || IsNull(str) && field is { Required: true })
        {
            ErrorList.Add(errors, new ValidationError(Label(path), Show(node), "must be a text value"));
            return null;
        }
        if (IsNull(str)) return null;
        string v = str.Value ?? "";
        string? rule = v.Length > 10_000 ? "must be at most 10000 characters"
            : field?.OneOf is { } oneOf && !oneOf.Contains(v) ? $"must be one of: {string.Join(", ", oneOf)}"
            : field?.Pattern is { } pattern && !pattern.Matches(v) ? pattern.Rule
            : null;
        if (rule == null) return v;
        ErrorList.Add(errors, new ValidationError(Label(path), v.Length > 10_000 ? $"({v.Length} characters)" : Show(str), rule));
        return null;
    }

    private static object? BindList(Type type, YamlNode node, string path, List<ValidationError> errors, List<UncertainField>? uncertain)
    {
        Type item = type.GetGenericArguments()[0];
        if (node is YamlScalarNode ls && IsNull(ls)) return null;
        if (node is not YamlSequenceNode seq)
        {
            ErrorList.Add(errors, new ValidationError(Label(path), Show(node), "must be a list"));
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

    private static object? BindDistribution(Type type, YamlMappingNode node, string path, List<ValidationError> errors,
        Field? field, List<UncertainField>? uncertain)
    {
        bool whole = type != typeof(double) || field is { Whole: true };
        string expected = whole ? "must be a whole number" : "must be a number";
        if (uncertain == null)
        {
            ErrorList.Add(errors, new ValidationError(Label(path), Show(node), $"{expected} (a distribution is accepted by ce run and ce validate, not here)"));
            return null;
        }
        if (field == null || field.RunSetting || path.StartsWith("sweep.", StringComparison.Ordinal))
        {
            ErrorList.Add(errors, new ValidationError(Label(path), Show(node),
                $"{expected}: a distribution is allowed on scalar scenario fields except {string.Join(", ", RunSettings)}, list elements and sweep settings"));
            return null;
        }
        var d = Distribution.Parse(node, path, errors);
        if (d == null) return null;
        double Round(double x) => whole ? Math.Round(x, MidpointRounding.AwayFromZero) : x;
        var (lo, hi) = d.Span;
        lo = Round(lo); hi = Round(hi);
        string? rule = field.Range == null
            ? (double.IsFinite(lo) && double.IsFinite(hi) ? null : "must be a finite number")
            : field.Range.Check(lo) ?? field.Range.Check(hi);
        if (rule != null)
        {
            ErrorList.Add(errors, new ValidationError(Label(path), d.Describe(),
                $"draws values from {lo.ToString("G6", CultureInfo.InvariantCulture)} to {hi.ToString("G6", CultureInfo.InvariantCulture)}, " +
                $"and every value {rule} (narrow it or add min:/max: bounds)"));
            return null;
        }
        if (type == typeof(int) && (lo < int.MinValue || hi > int.MaxValue))
        {
            ErrorList.Add(errors, new ValidationError(Label(path), d.Describe(), "must fit in 32 bits"));
            return null;
        }
        uncertain.Add(new UncertainField(path, d, whole, node));
        double median = Round(d.Median);
        return type == typeof(double) ? median : type == typeof(int) ? (object)(int)median : (object)(long)median;
    }

    /// <summary>The run settings (never uncertain, never swept), from the field table.</summary>
    public static IReadOnlyList<string> RunSettings { get; } =
        FieldTable.Of(typeof(Scenario)).Where(f => f.RunSetting).Select(f => f.Key).ToList();

    private static object? BindNumber(Type type, YamlNode node, string path, List<ValidationError> errors, Field? field)
    {
        bool whole = type != typeof(double) || field is { Whole: true };
        string expected = whole ? "must be a whole number" : "must be a number";
        if (node is not YamlScalarNode s || s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted || s.Value is null)
        {
            ErrorList.Add(errors, new ValidationError(Label(path), Show(node), expected));
            return null;
        }
        if (!TryParseNumber(s.Value, out double x))
        {
            ErrorList.Add(errors, new ValidationError(Label(path), Show(s), expected));
            return null;
        }
        string? rule = field?.Range?.Check(x) ?? (double.IsFinite(x) ? null : "must be a finite number");
        if (rule == null && whole && (Math.Floor(x) != x || Math.Abs(x) > 9.2e18)) rule = "must be a whole number";
        if (rule == null && type == typeof(int) && (x < int.MinValue || x > int.MaxValue)) rule = "must fit in 32 bits";
        if (rule != null)
        {
            ErrorList.Add(errors, new ValidationError(Label(path), s.Value, rule));
            return null;
        }
        return type == typeof(double) ? x : type == typeof(int) ? (int)x : (object)(long)x;
    }

    private static bool TryParseNumber(string value, out double x)
    {
        string text = value.Trim().Replace("_", "");
        x = text switch
        {
            ".nan" or ".NaN" or ".NAN" => double.NaN,
            ".inf" or ".Inf" or ".INF" or "+.inf" => double.PositiveInfinity,
            "-.inf" or "-.Inf" or "-.INF" => double.NegativeInfinity,
            _ => 0,
        };
        return x != 0 || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out x);
    }

    /// <summary>Per tree, the values that overrides replaced (path, old node): still checked when the tree is bound.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<YamlNode, List<(string Path, YamlNode Old)>> Overridden = new();

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
        var segments = FieldPath.Parse(path, out string? pathRule);
        if (segments == null)
        {
            errors.Add(new ValidationError("--set", Quote(assignment), pathRule!));
            return root;
        }
        var valueErrors = new List<ValidationError>();
        YamlNode? value = Parse(valueText, $"--set {path}", valueErrors);
        if (value == null) { errors.AddRange(valueErrors); return root; }
        if (value is YamlScalarNode vs && vs.Value == "" && valueText.Length == 0) value = new YamlScalarNode("");
        if (root is YamlScalarNode empty && IsNull(empty)) root = new YamlMappingNode();
        // A document that is a text or a list is not a scenario: overriding a field must not turn it into the default one.
        // It is left as it is, and binding it reports "must be a mapping of keys to values" once.
        if (root is not YamlMappingNode) return root;
        var replaced = Overridden.GetOrCreateValue(root);
        SetAt(root, segments, value, path, errors, replaced);
        return root;
    }

    /// <summary>Put <paramref name="value"/> at the path, creating mappings on the way; what it replaces goes to <paramref name="replaced"/>.</summary>
    private static void SetAt(YamlNode root, List<(string Key, int[] Indices)> segments, YamlNode value, string path, List<ValidationError> errors,
        List<(string Path, YamlNode Old)> replaced)
    {
        YamlNode current = root;
        string at = "";
        for (int i = 0; i < segments.Count; i++)
        {
            var (key, indices) = segments[i];
            bool last = i == segments.Count - 1;
            at = at.Length == 0 ? key : $"{at}.{key}";
            if (current is not YamlMappingNode m)
            {
                errors.Add(new ValidationError(path, Quote(key), "cannot be set: its parent in the file is not a mapping"));
                return;
            }
            var keyNode = new YamlScalarNode(key);
            m.Children.TryGetValue(keyNode, out var next);
            if (indices.Length == 0)
            {
                if (next is YamlScalarNode old && (last || !IsNull(old))) replaced.Add((at, old));
                if (last) { m.Children[keyNode] = value; return; }
                if (next is null or YamlScalarNode) m.Children[keyNode] = next = new YamlMappingNode();
                current = next;
                continue;
            }
            for (int k = 0; k < indices.Length; k++)
            {
                int index = indices[k];
                if (next is not YamlSequenceNode seq || index >= seq.Children.Count)
                {
                    errors.Add(new ValidationError(path, $"[{index}]", "is not an index of an existing list element"));
                    return;
                }
                if (last && k == indices.Length - 1) { seq.Children[index] = value; return; }
                next = seq.Children[index];
                at = $"{at}[{index}]";
            }
            current = next!;
        }
    }

    private static bool IsNull(YamlScalarNode s)
        => s.Style == ScalarStyle.Plain && (s.Value is null or "" or "~" or "null" or "Null" or "NULL");

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
    private static string Label(string path) => path.Length == 0 ? "(scenario)" : path;

    /// <summary>A short rendering of a node for error messages.</summary>
    public static string Show(YamlNode node) => node switch
    {
        YamlScalarNode { Value: null } => "null",
        YamlScalarNode { Style: ScalarStyle.SingleQuoted } s => $"'{Escape(Cut(s.Value!))}'",
        YamlScalarNode { Style: ScalarStyle.DoubleQuoted } s => $"\"{Escape(Cut(s.Value!))}\"",
        YamlScalarNode s => Quote(s.Value!),
        YamlSequenceNode q => $"(a list of {q.Children.Count})",
        YamlMappingNode m => $"(a mapping of {m.Children.Count} keys)",
        _ => "(?)",
    };

    private static string Cut(string v) => v.Length > 60 ? v[..57] + "..." : v;

    private static string Quote(string v)
    {
        string t = Cut(v);
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
