namespace ComputeEconomics.Scenarios;

/// <summary>Numeric range rule checked by the binder: the message names the field, the value and the rule.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeAttribute : Attribute
{
    public double Min { get; }
    public double Max { get; }
    /// <summary>When true the minimum itself is not allowed (x &gt; Min).</summary>
    public bool MinExclusive { get; init; }
    /// <summary>When true the maximum itself is not allowed (x &lt; Max).</summary>
    public bool MaxExclusive { get; init; }

    public RangeAttribute(double min, double max) { Min = min; Max = max; }

    /// <summary>The rule as text, or null when <paramref name="x"/> satisfies it.</summary>
    public string? Check(double x)
    {
        if (double.IsNaN(x) || double.IsInfinity(x)) return "must be a finite number";
        bool lowOk = MinExclusive ? x > Min : x >= Min;
        bool highOk = MaxExclusive ? x < Max : x <= Max;
        if (lowOk && highOk) return null;
        if (!lowOk && double.IsPositiveInfinity(Max) || (!lowOk && Max >= 1e300))
            return MinExclusive ? $"must be > {Fmt(Min)}" : $"must be >= {Fmt(Min)}";
        if (!highOk && Min <= -1e300)
            return MaxExclusive ? $"must be < {Fmt(Max)}" : $"must be <= {Fmt(Max)}";
        string lo = MinExclusive ? "(" : "[";
        string hi = MaxExclusive ? ")" : "]";
        return $"must be in {lo}{Fmt(Min)}, {Fmt(Max)}{hi}";
    }

    private static string Fmt(double v) => v.ToString("G", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The value must be one of the listed words.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OneOfAttribute : Attribute
{
    public string[] Values { get; }
    public OneOfAttribute(params string[] values) { Values = values; }
}

/// <summary>The key must be present.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredAttribute : Attribute { }

/// <summary>Human description, used by `ce schema` and docs.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class)]
public sealed class DocAttribute : Attribute
{
    public string Text { get; }
    public DocAttribute(string text) { Text = text; }
}

/// <summary>A number that must be whole although it is stored as a double (a count of accelerators).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class WholeAttribute : Attribute { }

/// <summary>Text that must match a regular expression (anchored); <see cref="Rule"/> is the message when it does not.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute : Attribute
{
    public string Regex { get; }
    public string Rule { get; }
    public PatternAttribute(string regex, string rule) { Regex = regex; Rule = rule; }

    /// <summary>True when <paramref name="text"/> matches the whole pattern.</summary>
    public bool Matches(string text) => System.Text.RegularExpressions.Regex.IsMatch(text, Regex);
}

/// <summary>
/// A setting of the run itself (paths, seed, horizon, model kind, sampling): the same at every point of a sweep (common
/// random numbers) and never an uncertain input.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RunSettingAttribute : Attribute { }
