using System.Reflection;

namespace ComputeEconomics.Scenarios;

/// <summary>
/// What the scenario layer knows of a model kind: its name, what it models and its cross-field rules. Each kind is one
/// class (Models/&lt;Kind&gt;/&lt;Kind&gt;Kind.cs) implementing this; <see cref="KindRules"/> finds them, so adding a kind
/// adds no name to any list.
/// </summary>
public interface IKindRules
{
    /// <summary>The value of <c>model:</c>.</summary>
    string Name { get; }
    /// <summary>One sentence for the schema and `ce scenarios`.</summary>
    string Description { get; }
    /// <summary>Position in lists (schema enum, docs): the default kind first.</summary>
    int Order { get; }
    /// <summary>
    /// Rules of this kind that involve more than one field; <paramref name="fieldsValid"/> is false when the binder found
    /// errors (checks that need a consistent scenario, such as compiling the catalog, are then skipped).
    /// </summary>
    IEnumerable<ValidationError> Validate(Scenario s, bool fieldsValid);
}

/// <summary>The registry of model kinds: every class of this assembly implementing <see cref="IKindRules"/>.</summary>
public static class KindRules
{
    private static readonly Lazy<IReadOnlyList<IKindRules>> Kinds = new(() =>
        typeof(KindRules).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && typeof(IKindRules).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) != null)
            .Select(t => (IKindRules)Activator.CreateInstance(t)!)
            .OrderBy(k => k.Order).ThenBy(k => k.Name, StringComparer.Ordinal).ToList());

    /// <summary>Every kind, in <see cref="IKindRules.Order"/>.</summary>
    public static IReadOnlyList<IKindRules> All => Kinds.Value;

    /// <summary>The names, in order (the values <c>model:</c> accepts).</summary>
    public static IReadOnlyList<string> Names => All.Select(k => k.Name).ToList();

    /// <summary>The kind called <paramref name="name"/>, or null.</summary>
    public static IKindRules? Find(string name) => All.FirstOrDefault(k => k.Name == name);
}

/// <summary>The value must name a model kind (<see cref="KindRules.Names"/>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ModelKindAttribute : Attribute { }
