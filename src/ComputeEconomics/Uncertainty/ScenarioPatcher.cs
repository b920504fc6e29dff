using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Uncertainty;

/// <summary>
/// Sets scalar fields of an immutable <see cref="Scenario"/> by field path (market.price.volatility, catalog[0].unit_capex):
/// every record on the way is copied with the compiler-generated clone (a non-destructive <c>with</c> by reflection) and
/// lists are copied, so the original scenario is never changed. The path is resolved once.
/// </summary>
public sealed class ScenarioPatcher
{
    private readonly List<(PropertyInfo Property, int? Index)> _steps = new();
    private readonly Type _leaf;

    public ScenarioPatcher(string path)
    {
        Type t = typeof(Scenario);
        var segments = Regex.Matches(path, @"([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)");
        PropertyInfo? last = null;
        foreach (Match m in segments)
        {
            var prop = YamlBinder.Fields(t).FirstOrDefault(f => f.Key == m.Groups[1].Value).Property
                       ?? throw new InvalidOperationException($"{path}: no field {m.Groups[1].Value} on {t.Name}");
            var indices = Regex.Matches(m.Groups[2].Value, @"\d+").Select(x => int.Parse(x.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            if (indices.Count > 1) throw new InvalidOperationException($"{path}: nested lists are not patchable");
            _steps.Add((prop, indices.Count == 1 ? indices[0] : null));
            t = indices.Count == 1 ? prop.PropertyType.GetGenericArguments()[0] : prop.PropertyType;
            last = prop;
        }
        if (last == null) throw new InvalidOperationException($"{path}: empty path");
        _leaf = Nullable.GetUnderlyingType(t) ?? t;
    }

    /// <summary>A copy of <paramref name="s"/> with the field set to <paramref name="value"/> (whole-number fields get the rounded value).</summary>
    public Scenario Apply(Scenario s, double value)
    {
        // Clamped before the cast, so a draw beyond the type's range is reported by the validator as a huge value, not a wrapped one.
        object boxed = _leaf == typeof(int) ? (object)(int)Math.Clamp(Math.Round(value, MidpointRounding.AwayFromZero), int.MinValue, int.MaxValue)
            : _leaf == typeof(long) ? (object)(long)Math.Clamp(Math.Round(value, MidpointRounding.AwayFromZero), -9.2e18, 9.2e18)
            : (object)value;
        return (Scenario)Set(s, 0, boxed);
    }

    private object Set(object record, int step, object value)
    {
        var (prop, index) = _steps[step];
        object copy = Clone(record);
        if (step == _steps.Count - 1 && index == null)
        {
            prop.SetValue(copy, value);
            return copy;
        }
        object child = prop.GetValue(record) ?? throw new InvalidOperationException($"{prop.Name} is null");
        if (index is { } i)
        {
            var list = (IList)Activator.CreateInstance(child.GetType(), child)!;
            list[i] = step == _steps.Count - 1 ? value : Set(list[i]!, step + 1, value);
            prop.SetValue(copy, list);
        }
        else prop.SetValue(copy, Set(child, step + 1, value));
        return copy;
    }

    private static readonly Dictionary<Type, MethodInfo> CloneMethods = new();

    private static object Clone(object record)
    {
        MethodInfo? m;
        lock (CloneMethods)
        {
            if (!CloneMethods.TryGetValue(record.GetType(), out m))
                CloneMethods[record.GetType()] = m = record.GetType().GetMethod("<Clone>$")
                    ?? throw new InvalidOperationException($"{record.GetType().Name} is not a record");
        }
        return m.Invoke(record, null)!;
    }
}
