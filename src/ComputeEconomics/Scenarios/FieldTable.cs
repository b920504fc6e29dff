using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;

namespace ComputeEconomics.Scenarios;

/// <summary>
/// One field of a scenario record, with every rule about it, read once from the record's attributes: the YAML binder,
/// <c>--set</c>, the JSON Schema, sweep axes, uncertain inputs, patching and the docs all read this and nothing else.
/// </summary>
/// <param name="Key">YAML key (snake_case of the property name).</param>
/// <param name="Property">The record property.</param>
public sealed record Field(string Key, PropertyInfo Property)
{
    /// <summary>The value type, with Nullable&lt;T&gt; unwrapped.</summary>
    public Type Type { get; } = System.Nullable.GetUnderlyingType(Property.PropertyType) ?? Property.PropertyType;
    /// <summary>True when the key may be given as null (nullable numbers, optional text, lists, sections).</summary>
    public bool Nullable { get; } = System.Nullable.GetUnderlyingType(Property.PropertyType) != null
        || new NullabilityInfoContext().Create(Property).WriteState == NullabilityState.Nullable;
    public string? Doc { get; } = Property.GetCustomAttribute<DocAttribute>()?.Text;
    public RangeAttribute? Range { get; } = Property.GetCustomAttribute<RangeAttribute>();
    public string[]? OneOf { get; } = Property.GetCustomAttribute<ModelKindAttribute>() != null ? KindRules.Names.ToArray()
        : Property.GetCustomAttribute<OneOfAttribute>()?.Values;
    public PatternAttribute? Pattern { get; } = Property.GetCustomAttribute<PatternAttribute>();
    public bool Required { get; } = Property.GetCustomAttribute<RequiredAttribute>() != null;
    /// <summary>A whole number: an int or long, or a double marked [Whole].</summary>
    public bool Whole { get; } = Property.GetCustomAttribute<WholeAttribute>() != null
        || (System.Nullable.GetUnderlyingType(Property.PropertyType) ?? Property.PropertyType) is var t && (t == typeof(int) || t == typeof(long));
    /// <summary>A setting of the run (seed, paths, horizon, ...): never swept, never uncertain.</summary>
    public bool RunSetting { get; } = Property.GetCustomAttribute<RunSettingAttribute>() != null;

    /// <summary>True for double, int and long fields.</summary>
    public bool IsNumber => Type == typeof(double) || Type == typeof(int) || Type == typeof(long);
    /// <summary>True for a nested record (a section).</summary>
    public bool IsRecord => Type.IsClass && Type != typeof(string) && !IsList;
    /// <summary>True for List&lt;T&gt;.</summary>
    public bool IsList => Type.IsGenericType && Type.GetGenericTypeDefinition() == typeof(List<>);
    /// <summary>The element type of a list field.</summary>
    public Type? ItemType => IsList ? Type.GetGenericArguments()[0] : null;
}

/// <summary>
/// The table of scenario fields, built once by reflection over the records (<see cref="Scenario"/> and the records it
/// holds). Adding a scalar field to a record adds it here, and so to the binder, the schema, <c>--set</c>, sweep axes,
/// uncertain inputs and patching, with no other edit.
/// </summary>
public static class FieldTable
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<Field>> ByType = new();
    private static readonly ConcurrentDictionary<Type, Func<object, object>> Copiers = new();

    /// <summary>The fields of a record type, in declaration order.</summary>
    public static IReadOnlyList<Field> Of(Type recordType) => ByType.GetOrAdd(recordType, t =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
         .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
         .OrderBy(p => p.MetadataToken)
         .Select(p => new Field(SnakeCase(p.Name), p)).ToList());

    /// <summary>The field of <paramref name="recordType"/> with YAML key <paramref name="key"/>, or null.</summary>
    public static Field? Find(Type recordType, string key)
    {
        foreach (var f in Of(recordType)) if (f.Key == key) return f;
        return null;
    }

    /// <summary>
    /// Every scalar field (number, text, flag) of the scenario by dotted path; fields inside list elements are written
    /// with <c>[]</c> (catalog[].unit_capex).
    /// </summary>
    public static IReadOnlyList<(string Path, Field Field)> Scalars() => ScalarList.Value;

    private static readonly Lazy<IReadOnlyList<(string, Field)>> ScalarList = new(() =>
    {
        var list = new List<(string, Field)>();
        void Walk(Type t, string prefix)
        {
            foreach (var f in Of(t))
            {
                string path = prefix.Length == 0 ? f.Key : $"{prefix}.{f.Key}";
                if (f.IsRecord) Walk(f.Type, path);
                else if (f.IsList && IsRecordType(f.ItemType!)) Walk(f.ItemType!, path + "[]");
                else if (!f.IsList) list.Add((path, f));
            }
        }
        Walk(typeof(Scenario), "");
        return list;
    });

    /// <summary>
    /// Resolve a dotted path (market.price.volatility, catalog[0].unit_capex) to its steps: each step's field and list
    /// index. Null with <paramref name="rule"/> set when a step names no field or indexes what is not a list.
    /// </summary>
    public static List<(Field Field, int? Index)>? Resolve(string path, out string? rule)
    {
        rule = null;
        var steps = new List<(Field, int?)>();
        Type t = typeof(Scenario);
        var segments = FieldPath.Parse(path, out rule);
        if (segments == null) return null;
        foreach (var (name, indices) in segments)
        {
            if (indices.Length > 1) { rule = $"indexes {name} twice: a list of lists holds no named fields"; return null; }
            int? index = indices.Length == 1 ? indices[0] : null;
            if (!IsRecordType(t)) { rule = $"cannot go inside {steps[^1].Item1.Key}: it is not a section"; return null; }
            var f = Find(t, name);
            if (f == null) { rule = $"has no field {name} (known: {string.Join(", ", Of(t).Select(x => x.Key))})"; return null; }
            if (index != null && !f.IsList) { rule = $"indexes {name}, which is not a list"; return null; }
            steps.Add((f, index));
            t = index != null ? f.ItemType! : f.Type;
        }
        return steps;
    }

    /// <summary>True for a scenario record type (a section of the file).</summary>
    public static bool IsRecordType(Type t) => t.IsClass && t != typeof(string) && t.Namespace == typeof(Scenario).Namespace
        && t.GetConstructor(Type.EmptyTypes) != null;

    /// <summary>
    /// A copy of record <paramref name="record"/> with <paramref name="field"/> set to <paramref name="value"/>: the
    /// record's copy constructor (what <c>with</c> calls), compiled once per type, then the init-only setter.
    /// </summary>
    public static object With(object record, Field field, object? value)
    {
        var copy = Copiers.GetOrAdd(record.GetType(), CompileCopier)(record);
        field.Property.SetValue(copy, value);
        return copy;
    }

    private static Func<object, object> CompileCopier(Type t)
    {
        var ctor = t.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, new[] { t })
                   ?? throw new InvalidOperationException($"{t.Name} is not a record (no copy constructor)");
        var p = Expression.Parameter(typeof(object), "record");
        var body = Expression.Convert(Expression.New(ctor, Expression.Convert(p, t)), typeof(object));
        return Expression.Lambda<Func<object, object>>(body, p).Compile();
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
}

/// <summary>Field paths as written on the command line and in sweeps: <c>name([index])*(.name([index])*)*</c>.</summary>
public static class FieldPath
{
    private static readonly System.Text.RegularExpressions.Regex Segment =
        new(@"\G(?:^|\.)([A-Za-z_][A-Za-z0-9_]*)((?:\[[0-9]+\])*)", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// The segments of <paramref name="path"/> (each a key and its list indices, outermost first), or null with
    /// <paramref name="rule"/> set when the path is malformed (an unclosed bracket, an empty key, a number as a key).
    /// </summary>
    public static List<(string Key, int[] Indices)>? Parse(string path, out string? rule)
    {
        rule = null;
        var list = new List<(string, int[])>();
        int at = 0;
        while (at < path.Length)
        {
            var m = Segment.Match(path, at);
            if (!m.Success || m.Length == 0)
            {
                rule = $"must be a field path such as market.price.volatility or catalog[0].unit_capex (bad text at character {at + 1})";
                return null;
            }
            var indices = System.Text.RegularExpressions.Regex.Matches(m.Groups[2].Value, "[0-9]+")
                .Select(x => int.TryParse(x.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int i) ? i : int.MaxValue)
                .ToArray();
            list.Add((m.Groups[1].Value, indices));
            at += m.Length;
        }
        if (list.Count == 0) rule = "must be a field path such as market.price.volatility or catalog[0].unit_capex";
        return list.Count == 0 ? null : list;
    }
}
