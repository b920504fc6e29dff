namespace ComputeEconomics;

/// <summary>One problem with user input: the field path, the offending value and the rule it breaks.</summary>
/// <param name="Field">Dotted path of the field, e.g. <c>market.price.volatility</c>.</param>
/// <param name="Value">The value as written by the user (or "(missing)").</param>
/// <param name="Rule">The rule, e.g. <c>must be &gt;= 0</c>.</param>
public sealed record ValidationError(string Field, string Value, string Rule)
{
    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Value} {Rule}";
}

/// <summary>
/// Bad input: the CLI prints every error and exits with code 2. Never carries a stack trace to the user.
/// </summary>
public sealed class InputException : Exception
{
    /// <summary>All errors found, in the order they were found.</summary>
    public IReadOnlyList<ValidationError> Errors { get; }

    public InputException(IReadOnlyList<ValidationError> errors)
        : base(string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
    {
        Errors = errors;
    }

    public InputException(string field, string value, string rule)
        : this(new[] { new ValidationError(field, value, rule) })
    {
    }
}
