using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ComputeEconomics.Models;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Statistics;
using YamlDotNet.RepresentationModel;

namespace ComputeEconomics.Sweeps;

/// <summary>What kind of scalar an axis sets: its Parquet type and how values are checked.</summary>
public enum AxisKind
{
    /// <summary>A double field: Parquet DOUBLE.</summary>
    Number,
    /// <summary>An int or long field: Parquet INT64; designs draw whole numbers.</summary>
    Integer,
    /// <summary>A text or true/false field: Parquet STRING; values must be listed.</summary>
    Text,
}

/// <summary>One validated axis: the field, its column name, its kind, and its grid values or its range.</summary>
public sealed record SweepAxis(int Index, string Name, string Field, AxisKind Kind, IReadOnlyList<string>? Values,
    double From, double To, bool Log)
{
    /// <summary>Label used in every error about this axis: <c>sweep.axes[i] (field)</c>.</summary>
    public string Label => $"sweep.axes[{Index}] ({Field})";

    /// <summary>The lowest and highest value of the axis (first and last listed value for a list).</summary>
    public (string Low, string High) Ends => Values is { Count: > 0 } v ? (v[0], v[^1]) : (Format(From, Kind), Format(To, Kind));

    /// <summary>The value at <paramref name="u"/> in [0, 1): a listed value with probability 1/n each, else a point of the range.</summary>
    public string FromUnit(double u)
    {
        if (Values is { Count: > 0 } v) return v[Math.Min(v.Count - 1, (int)(u * v.Count))];
        if (Kind == AxisKind.Integer && !Log)
            return Format(Math.Min(To, Math.Floor(From + u * (To - From + 1))), Kind);
        double x = Log ? Math.Exp(Math.Log(From) + u * (Math.Log(To) - Math.Log(From))) : From + u * (To - From);
        return Format(Kind == AxisKind.Integer ? Math.Round(x) : x, Kind);
    }

    /// <summary>Invariant round-trip text of a number (whole numbers without a decimal point).</summary>
    public static string Format(double x, AxisKind kind) =>
        kind == AxisKind.Integer ? ((long)x).ToString(CultureInfo.InvariantCulture) : x.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>
/// A validated sweep: the base scenario's YAML node tree (with the command-line overrides applied), its axes and
/// its points. A point's scenario is the base tree with each axis value applied as an override
/// (<see cref="YamlBinder.ApplyOverride"/>), then bound and validated by the scenario validator, so every rule of
/// a plain run holds at every point; errors name the axis: <c>sweep.axes[i] (field): value rule</c>.
/// </summary>
public sealed class SweepPlan
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly Regex ColumnName = new("^[a-z_][a-z0-9_]{0,63}$", RegexOptions.CultureInvariant);

    private readonly YamlMappingNode _pointBase;
    private readonly Func<int, string?[]> _pointValues;

    private SweepPlan(YamlMappingNode pointBase, string effectiveYaml, Scenario baseScenario, IReadOnlyList<SweepAxis> axes,
        int pointCount, Func<int, string?[]> pointValues, string design)
    {
        _pointBase = pointBase;
        EffectiveYaml = effectiveYaml;
        Base = baseScenario;
        Axes = axes;
        PointCount = pointCount;
        _pointValues = pointValues;
        Design = design;
        Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(effectiveYaml)));
    }

    /// <summary>The scenario with its sweep section, after the overrides: written as sweep.yaml, the input of <c>ce merge --optimize</c>.</summary>
    public string EffectiveYaml { get; }
    /// <summary>SHA-256 (hex) of <see cref="EffectiveYaml"/>: identifies the sweep in manifests and checkpoints.</summary>
    public string Hash { get; }
    /// <summary>The base scenario (sweep section included).</summary>
    public Scenario Base { get; }
    public IReadOnlyList<SweepAxis> Axes { get; }
    public int PointCount { get; }

    /// <summary>Most points one sweep may have (a grid's product, or a design's points); checked before anything runs.</summary>
    public const int MaxPoints = 1_000_000;
    /// <summary>grid, latin_hypercube, sobol, or the name of an explicit design (sensitivity).</summary>
    public string Design { get; }

    /// <summary>The axis values of point <paramref name="point"/>, as written in the results; null keeps the base value.</summary>
    public string?[] ValuesAt(int point) => _pointValues(point);

    /// <summary>
    /// Load a sweep: FILE is a scenario with a <c>sweep:</c> section, or a sweep file (<c>scenario: PATH-OR-NAME</c>
    /// plus <c>sweep:</c>; a relative path is taken from the sweep file's folder). Throws <see cref="InputException"/>
    /// with every error.
    /// </summary>
    public static SweepPlan Load(string fileOrName, IEnumerable<string>? overrides = null)
    {
        var (text, source) = ReadText(fileOrName);
        var errors = new List<ValidationError>();
        var root = YamlBinder.Parse(text, source, errors) ?? throw new InputException(errors);
        if (root is YamlMappingNode m && m.Children.ContainsKey(new YamlScalarNode("scenario")))
        {
            var unknown = m.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "").Where(k => k is not ("scenario" or "sweep")).ToList();
            foreach (var k in unknown) errors.Add(new ValidationError(k, "(key)", "is not a key of a sweep file (known: scenario, sweep)"));
            if (m.Children[new YamlScalarNode("scenario")] is not YamlScalarNode { Value: { Length: > 0 } baseName })
                errors.Add(new ValidationError("scenario", "(not a name)", "must name a scenario file or a built-in scenario"));
            else if (errors.Count == 0)
            {
                string dir = File.Exists(fileOrName) ? Path.GetDirectoryName(Path.GetFullPath(fileOrName)) ?? "." : ".";
                string candidate = Path.IsPathRooted(baseName) ? baseName : Path.Combine(dir, baseName);
                var (baseText, baseSource) = ReadText(File.Exists(candidate) ? candidate : baseName);
                var baseRoot = YamlBinder.Parse(baseText, baseSource, errors) ?? throw new InputException(errors);
                var baseMap = baseRoot as YamlMappingNode ?? new YamlMappingNode();
                baseMap.Children.Remove(new YamlScalarNode("sweep"));
                if (m.Children.TryGetValue(new YamlScalarNode("sweep"), out var sweepNode)) baseMap.Children[new YamlScalarNode("sweep")] = sweepNode;
                root = baseMap;
            }
            if (errors.Count > 0) throw new InputException(errors);
        }
        return FromNode(root, overrides);
    }

    /// <summary>A plan from YAML text (a scenario with a sweep section), e.g. a sweep.yaml written by a run.</summary>
    public static SweepPlan FromText(string text, string source, IEnumerable<string>? overrides = null)
    {
        var errors = new List<ValidationError>();
        var root = YamlBinder.Parse(text, source, errors) ?? throw new InputException(errors);
        return FromNode(root, overrides);
    }

    private static (string Text, string Source) ReadText(string fileOrName) => ScenarioLoader.ReadText(fileOrName);

    private static SweepPlan FromNode(YamlNode root, IEnumerable<string>? overrides)
    {
        var errors = new List<ValidationError>();
        if (root is YamlScalarNode { Value: null or "" }) root = new YamlMappingNode();
        foreach (var o in overrides ?? Array.Empty<string>())
            root = YamlBinder.ApplyOverride(root, o, errors);
        if (errors.Count > 0) throw new InputException(errors);
        string effective = Serialize(root);
        var scenario = YamlBinder.Bind<Scenario>(root, errors);
        errors.AddRange(ScenarioValidator.Validate(scenario, fieldErrors: errors.Count));
        if (errors.Count > 0) throw new InputException(errors);
        if (scenario.Sweep is not { } spec)
            throw new InputException("sweep", "(missing)", "is required: a sweep: section with axes (see docs/sweeps.md)");

        var axes = BuildAxes(spec, errors);
        int count = 0;
        Func<int, string?[]> values = _ => Array.Empty<string?>();
        if (errors.Count == 0)
        {
            if (spec.Design == "grid")
            {
                if (spec.Points != null)
                    errors.Add(new ValidationError("sweep.points", spec.Points.Value.ToString(Inv), "applies to latin_hypercube and sobol designs; a grid has the product of its axes' lengths"));
                double product = axes.Aggregate(1.0, (p, a) => p * a.Values!.Count);
                if (product > MaxPoints)
                    errors.Add(new ValidationError("sweep.axes", product.ToString("R", Inv) + " points", $"must give at most {MaxPoints} grid points"));
                count = (int)Math.Min(product, int.MaxValue);
                values = GridValues(axes);
            }
            else
            {
                if (spec.Points is not { } n)
                    errors.Add(new ValidationError("sweep.points", "(missing)", $"is required for a {spec.Design} design"));
                else if (spec.Design == "sobol" && axes.Count > Designs.SobolMaxDimensions)
                    errors.Add(new ValidationError("sweep.axes", axes.Count.ToString(Inv), $"must be at most {Designs.SobolMaxDimensions} for a sobol design"));
                else
                {
                    count = n;
                    uint seed = (uint)(spec.DesignSeed ?? scenario.Seed);
                    var unit = spec.Design == "sobol" ? Designs.Sobol(n, axes.Count, seed) : Designs.LatinHypercube(n, axes.Count, seed);
                    values = UnitValues(axes, unit);
                }
            }
        }
        if (errors.Count > 0) throw new InputException(errors);
        var plan = new SweepPlan(PointBase(root), effective, scenario, axes, count, values, spec.Design);
        plan.ValidateAxisEnds();
        return plan;
    }

    /// <summary>The same base and axes with explicit points (sensitivity designs): values[i][j], null = the base value.</summary>
    public SweepPlan WithPoints(string design, IReadOnlyList<string?[]> points) =>
        new(_pointBase, EffectiveYaml, Base, Axes, points.Count, i => points[i], design);

    private static Func<int, string?[]> GridValues(IReadOnlyList<SweepAxis> axes) => point =>
    {
        var v = new string?[axes.Count];
        long rest = point;
        for (int j = axes.Count - 1; j >= 0; j--)
        {
            int n = axes[j].Values!.Count;
            v[j] = axes[j].Values![(int)(rest % n)];
            rest /= n;
        }
        return v;
    };

    private static Func<int, string?[]> UnitValues(IReadOnlyList<SweepAxis> axes, double[][] unit) => point =>
    {
        var v = new string?[axes.Count];
        for (int j = 0; j < axes.Count; j++) v[j] = axes[j].FromUnit(unit[point][j]);
        return v;
    };

    private static List<SweepAxis> BuildAxes(SweepSpec spec, List<ValidationError> errors)
    {
        var axes = new List<SweepAxis>();
        if (spec.Axes is not { Count: > 0 } list)
        {
            errors.Add(new ValidationError("sweep.axes", "(missing)", "must list at least one axis"));
            return axes;
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        var fields = new HashSet<string>(StringComparer.Ordinal);
        bool grid = spec.Design == "grid";
        for (int i = 0; i < list.Count; i++)
        {
            var a = list[i];
            string label = $"sweep.axes[{i}] ({a.Field})";
            int before = errors.Count;
            var kind = ResolveKind(a.Field, label, errors);
            if (errors.Count > before || kind == null) continue;
            string canonical = a.Field.Replace("[", ".").Replace("]", "");
            if (!fields.Add(canonical)) errors.Add(new ValidationError(label, a.Field, "is swept by an earlier axis; each field may have one axis"));
            string name = a.Name ?? canonical.Split('.')[^1];
            if (!ColumnName.IsMatch(name) || name == "point" || SweepTable.IsStatColumnLike(name))
                errors.Add(new ValidationError(label, $"name = {name}", "must be lower case letters, digits and _ (at most 64), and not point or a metric column; give the axis a name"));
            else if (!names.Add(name))
                errors.Add(new ValidationError(label, $"name = {name}", "is the name of an earlier axis; give this axis a distinct name"));
            bool hasRange = a.From != null || a.To != null;
            if (a.Values != null && hasRange) { errors.Add(new ValidationError(label, "values and from/to", "must give either values or a range from .. to, not both")); continue; }
            if (a.Values == null && !hasRange) { errors.Add(new ValidationError(label, "(missing)", "must give values or a range from .. to")); continue; }
            bool log = a.Scale == "log";
            if (a.Values != null)
            {
                if (ListedAxis(i, a, label, name, kind.Value, errors) is { } listed) axes.Add(listed);
                continue;
            }
            if (kind == AxisKind.Text) { errors.Add(new ValidationError(label, "from/to", "is a range, but the field is not a number; list its values")); continue; }
            if (a.From is not { } from || a.To is not { } to) { errors.Add(new ValidationError(label, a.From == null ? "from (missing)" : "to (missing)", "must give both from and to")); continue; }
            if (!double.IsFinite(from) || !double.IsFinite(to)) { errors.Add(new ValidationError(label, $"from = {from:R}, to = {to:R}", "must be finite numbers")); continue; }
            if (!(from < to)) { errors.Add(new ValidationError(label, $"from = {from.ToString("R", Inv)}, to = {to.ToString("R", Inv)}", "must have from < to")); continue; }
            if (log && !(from > 0)) { errors.Add(new ValidationError(label, $"from = {from.ToString("R", Inv)}", "must be > 0 for scale log")); continue; }
            if (kind == AxisKind.Integer && (Math.Floor(from) != from || Math.Floor(to) != to))
            { errors.Add(new ValidationError(label, $"from = {from.ToString("R", Inv)}, to = {to.ToString("R", Inv)}", "must be whole numbers: the field is a whole number")); continue; }
            List<string>? gridValues = null;
            if (grid)
            {
                if (a.Steps is not { } steps) { errors.Add(new ValidationError(label, "steps (missing)", "is required for a range on a grid (number of values from .. to, inclusive)")); continue; }
                if (steps < 2) { errors.Add(new ValidationError(label, $"steps = {steps}", "must be >= 2 for a range with from < to")); continue; }
                gridValues = new List<string>();
                for (int k = 0; k < steps; k++)
                {
                    double f = (double)k / (steps - 1);
                    double x = k == 0 ? from : k == steps - 1 ? to
                        : log ? Math.Exp(Math.Log(from) + f * (Math.Log(to) - Math.Log(from))) : from + f * (to - from);
                    if (kind == AxisKind.Integer) x = Math.Round(x);
                    gridValues.Add(SweepAxis.Format(x, kind.Value));
                }
                if (gridValues.Distinct().Count() != gridValues.Count)
                { errors.Add(new ValidationError(label, $"steps = {steps}", $"gives repeated whole values ({string.Join(", ", gridValues)}); use fewer steps")); continue; }
            }
            axes.Add(new SweepAxis(i, name, a.Field, kind.Value, gridValues, from, to, log));
        }
        return axes;
    }

    /// <summary>An axis of listed values, each checked against the field's kind; null (with the errors) when none is usable.</summary>
    private static SweepAxis? ListedAxis(int i, SweepAxisSpec a, string label, string name, AxisKind kind, List<ValidationError> errors)
    {
        if (a.Values!.Count == 0) { errors.Add(new ValidationError(label, "values = []", "must list at least one value")); return null; }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var clean = new List<string>();
        for (int k = 0; k < a.Values.Count; k++)
        {
            string v = a.Values[k];
            string at = $"values[{k}] = {v}";
            if (kind != AxisKind.Text)
            {
                if (!double.TryParse(v.Replace("_", ""), NumberStyles.Float, Inv, out double x) || !double.IsFinite(x))
                { errors.Add(new ValidationError(label, at, "must be a finite number")); continue; }
                if (kind == AxisKind.Integer && Math.Floor(x) != x)
                { errors.Add(new ValidationError(label, at, "must be a whole number")); continue; }
                v = SweepAxis.Format(x, kind);
            }
            else if (v.Length == 0 || v.IndexOfAny(new[] { ',', '"', '\'', '\n', '\r' }) >= 0 || v.Length > 200)
            { errors.Add(new ValidationError(label, at, "must be 1 to 200 characters without commas, quotes or line breaks")); continue; }
            if (!seen.Add(v)) { errors.Add(new ValidationError(label, at, "must not repeat an earlier value")); continue; }
            clean.Add(v);
        }
        if (a.Steps != null) errors.Add(new ValidationError(label, $"steps = {a.Steps}", "applies to a range from .. to, not to listed values"));
        return new SweepAxis(i, name, a.Field, kind, clean, double.NaN, double.NaN, false);
    }

    /// <summary>The kind of the scalar field at <paramref name="field"/>, from the field table.</summary>
    private static AxisKind? ResolveKind(string field, string label, List<ValidationError> errors)
    {
        var segments = FieldPath.Parse(field, out string? rule);
        if (segments == null)
        {
            errors.Add(new ValidationError(label, Show(field), rule!));
            return null;
        }
        if (segments[0].Key == "sweep" || segments.Count == 1 && FieldTable.Find(typeof(Scenario), segments[0].Key) is { RunSetting: true })
        {
            errors.Add(new ValidationError(label, field, $"must not be swept: {string.Join(", ", YamlBinder.RunSettings)} and the sweep itself are the same at every point (common random numbers)"));
            return null;
        }
        Type type = typeof(Scenario);
        Field? leaf = null;
        for (int i = 0; i < segments.Count; i++)
        {
            var (key, indices) = segments[i];
            string parent = i == 0 ? "the scenario" : string.Join(".", segments.Take(i).Select(x => x.Key));
            leaf = FieldTable.IsRecordType(type) ? FieldTable.Find(type, key) : null;
            if (leaf == null)
            {
                string known = FieldTable.IsRecordType(type) ? string.Join(", ", FieldTable.Of(type).Select(k => k.Key)) : "none: it is not a section";
                errors.Add(new ValidationError(label, key, $"is not a key of {parent} (known: {known})"));
                return null;
            }
            type = leaf.Type;
            foreach (int _ in indices)
            {
                if (!(type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>)))
                {
                    errors.Add(new ValidationError(label, key, "is indexed but is not a list"));
                    return null;
                }
                type = type.GetGenericArguments()[0];
            }
            if (indices.Length == 0 && type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) && i < segments.Count - 1)
            {
                errors.Add(new ValidationError(label, segments[i + 1].Key, $"must be a list index: {key} is a list"));
                return null;
            }
        }
        if (type == typeof(double)) return leaf is { Whole: true } && leaf.Type == type ? AxisKind.Integer : AxisKind.Number;
        if (type == typeof(int) || type == typeof(long)) return AxisKind.Integer;
        if (type == typeof(string) || type == typeof(bool)) return AxisKind.Text;
        errors.Add(new ValidationError(label, field, "must name a scalar (a number, text or true/false), not a section or a list"));
        return null;
    }

    /// <summary>
    /// Every value of every axis checked against the field's rules, each alone on the base scenario (a grid's listed
    /// values, a range's two ends: the rules are intervals, so the ends cover the range).
    /// </summary>
    private void ValidateAxisEnds()
    {
        var errors = new List<ValidationError>();
        var values = Axes.Select(a => (IReadOnlyList<string>)(a.Values ?? new[] { a.Ends.Low, a.Ends.High })).ToList();
        for (int j = 0; j < Axes.Count; j++)
            foreach (var v in values[j])
            {
                var single = new string?[Axes.Count];
                single[j] = v;
                TryScenario(single, null, errors);
            }
        if (errors.Count > 0) throw new InputException(errors.Distinct().ToList());
        // Every axis value against the point of every axis's first value: the outputs (metric names, horizon) must agree.
        var first = values.Select(v => (string?)v[0]).ToArray();
        var reference = Outputs(TryScenario(first, null, errors)!);
        for (int j = 0; j < Axes.Count; j++)
            foreach (var v in values[j].Skip(1))
            {
                var point = (string?[])first.Clone();
                point[j] = v;
                if (TryScenario(point, null, errors) is { } s && SameOutputsRule(reference, Outputs(s)) is { } rule)
                    errors.Add(new ValidationError(Axes[j].Label, v, $"{rule} (against {Axes[j].Name}={values[j][0]})"));
            }
        if (errors.Count > 0) throw new InputException(errors.Distinct().ToList());
    }

    /// <summary>The outputs every point of one launch must share: the horizon and the metric names (an optional block of
    /// metrics, such as fiscal-year metrics or the fleet's financing, is switched on by a value).</summary>
    private static (int Horizon, IReadOnlyList<string> Metrics) Outputs(Scenario s) =>
        (s.HorizonMonths, ModelKinds.For(s.Model).MetricNames(s));

    /// <summary>Null when the outputs agree, else the rule the value breaks, naming the first metric that differs.</summary>
    private static string? SameOutputsRule((int Horizon, IReadOnlyList<string> Metrics) a, (int Horizon, IReadOnlyList<string> Metrics) b)
    {
        if (a.Horizon != b.Horizon)
            return $"changes the horizon ({a.Horizon} -> {b.Horizon} months): every sweep point runs the same months (set horizon_months in the scenario instead)";
        if (a.Metrics.SequenceEqual(b.Metrics)) return null;
        string? added = b.Metrics.Except(a.Metrics).FirstOrDefault(), removed = a.Metrics.Except(b.Metrics).FirstOrDefault();
        string what = added != null ? $"adds metric {added}" : removed != null ? $"removes metric {removed}" : "reorders the metrics";
        return $"switches an optional block of outputs on or off ({what}, {b.Metrics.Count} metrics against {a.Metrics.Count}): " +
            "every sweep point must report the same metrics; keep the axis on one side of the switch or set it in the scenario";
    }

    /// <summary>Scenario of point <paramref name="point"/>; throws <see cref="InputException"/> naming the axis and the point.</summary>
    public Scenario ScenarioAt(int point)
    {
        var errors = new List<ValidationError>();
        var s = TryScenario(ValuesAt(point), point, errors);
        if (errors.Count > 0 || s == null) throw new InputException(errors);
        return s;
    }

    /// <summary>Every point validated (bound and checked by the scenario validator); all errors at once (at most 50).</summary>
    public void ValidateAll(IEnumerable<int> points)
    {
        var errors = new List<ValidationError>();
        foreach (int p in points)
        {
            TryScenario(ValuesAt(p), p, errors);
            if (errors.Count >= 50) break;
        }
        if (errors.Count > 0) throw new InputException(errors);
    }

    private Scenario? TryScenario(string?[] values, int? point, List<ValidationError> errors)
    {
        YamlNode root = Clone(_pointBase);
        var local = new List<ValidationError>();
        for (int j = 0; j < Axes.Count; j++)
        {
            if (values[j] is not { } v) continue;
            var overrideErrors = new List<ValidationError>();
            root = YamlBinder.ApplyOverride(root, $"{Axes[j].Field}={YamlText(v, Axes[j].Kind)}", overrideErrors);
            foreach (var e in overrideErrors) local.Add(new ValidationError(Axes[j].Label, $"{v}{At(point)}", $"cannot be set: {e.Value} {e.Rule}"));
        }
        if (local.Count > 0) { errors.AddRange(local); return null; }
        var scenario = YamlBinder.Bind<Scenario>(root, local);
        local.AddRange(ScenarioValidator.Validate(scenario, fieldErrors: local.Count));
        foreach (var e in local)
        {
            int j = Axes.ToList().FindIndex(a => Canonical(e.Field) == Canonical(a.Field) || Canonical(e.Field).StartsWith(Canonical(a.Field) + ".", StringComparison.Ordinal));
            if (j >= 0) errors.Add(new ValidationError(Axes[j].Label, $"{e.Value}{At(point)}", e.Rule));
            else
            {
                string where = point is { } p ? $"sweep point {p} ({Describe(values)})" : $"sweep ({Describe(values)})";
                errors.Add(new ValidationError($"{where}: {e.Field}", e.Value, e.Rule));
            }
        }
        return local.Count == 0 ? scenario : null;
    }

    /// <summary>"name=value, ..." of the axes a point sets.</summary>
    public string Describe(string?[] values) =>
        string.Join(", ", Enumerable.Range(0, Axes.Count).Where(j => values[j] != null).Select(j => $"{Axes[j].Name}={values[j]}"));

    private static string At(int? point) => point is { } p ? $" (point {p})" : "";

    private static string Canonical(string field) => field.Replace("[", ".").Replace("]", "");

    private static string YamlText(string v, AxisKind kind) =>
        kind == AxisKind.Text && v is not ("true" or "false") ? "'" + v.Replace("'", "''") + "'" : v;

    private static string Show(string v) => v.Length == 0 ? "\"\"" : v;

    private static YamlMappingNode PointBase(YamlNode root)
    {
        var copy = (YamlMappingNode)Clone(root is YamlMappingNode ? root : new YamlMappingNode());
        copy.Children.Remove(new YamlScalarNode("sweep"));
        return copy;
    }

    /// <summary>A deep copy of a node tree (overrides mutate the tree they are applied to).</summary>
    public static YamlNode Clone(YamlNode node) => node switch
    {
        YamlScalarNode s => new YamlScalarNode(s.Value) { Style = s.Style, Tag = s.Tag },
        YamlSequenceNode q => new YamlSequenceNode(q.Children.Select(Clone)) { Style = q.Style },
        YamlMappingNode m => CloneMap(m),
        _ => node,
    };

    private static YamlMappingNode CloneMap(YamlMappingNode m)
    {
        var copy = new YamlMappingNode { Style = m.Style };
        foreach (var (k, v) in m.Children) copy.Children.Add(Clone(k), Clone(v));
        return copy;
    }

    /// <summary>YAML text of a node tree (no anchors), as written to sweep.yaml.</summary>
    public static string Serialize(YamlNode root)
    {
        var stream = new YamlStream(new YamlDocument(root));
        var sw = new StringWriter(Inv) { NewLine = "\n" };
        stream.Save(sw, assignAnchors: false);
        return sw.ToString();
    }
}
