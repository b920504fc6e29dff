using System.Collections;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Uncertainty;

/// <summary>
/// Sets scalar fields of an immutable <see cref="Scenario"/> by field path (market.price.volatility, catalog[0].unit_capex):
/// every record on the way is copied by its copy constructor (what <c>with</c> does; <see cref="FieldTable.With"/>) and
/// lists are copied, so the original scenario is never changed. The path is resolved once, in the field table.
/// </summary>
public sealed class ScenarioPatcher
{
    private readonly List<(Field Field, int? Index)> _steps;
    private readonly Type _leaf;

    public ScenarioPatcher(string path)
    {
        _steps = FieldTable.Resolve(path, out string? rule) ?? throw new InvalidOperationException($"{path}: {rule}");
        var (last, index) = _steps[^1];
        _leaf = index != null ? last.ItemType! : last.Type;
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
        var (field, index) = _steps[step];
        bool last = step == _steps.Count - 1;
        if (index is not { } i) return FieldTable.With(record, field, last ? value : Set(Child(record, field), step + 1, value));
        var list = (IList)Activator.CreateInstance(field.Property.PropertyType, Child(record, field))!;
        list[i] = last ? value : Set(list[i]!, step + 1, value);
        return FieldTable.With(record, field, list);
    }

    private static object Child(object record, Field field) =>
        field.Property.GetValue(record) ?? throw new InvalidOperationException($"{field.Key} is null");
}
