namespace ComputeEconomics;

/// <summary>One problem with user input: the field path, the offending value and the rule it breaks.</summary>
/// <param name="Field">Dotted path of the field, e.g. <c>market.price.volatility</c>.</param>
/// <param name="Value">The value as written by the user (or "(missing)").</param>
/// <param name="Rule">The rule, e.g. <c>must be &gt;= 0</c>.</param>
public sealed record ValidationError(string Field, string Value, string Rule)
{
    /// <summary>"field: value rule" on one line: control characters (a NUL-filled checkpoint quoted in the rule, a
    /// newline in an --out path) are written as \uXXXX escapes, so the error is one line a terminal shows as it is.</summary>
    public override string ToString() => $"{Visible(Field)}: {Visible(Value)} {Visible(Rule)}";

    /// <summary><paramref name="text"/> with each control character replaced by its \uXXXX escape.</summary>
    public static string Visible(string text) =>
        text.Any(char.IsControl) ? string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())) : text;
}

/// <summary>
/// Bad input: the CLI prints every error and exits with code 2. Never carries a stack trace to the user.
/// </summary>
public sealed class InputException : Exception
{
    /// <summary>All errors found, in the order they were found.</summary>
    public IReadOnlyList<ValidationError> Errors { get; }

    public InputException(IReadOnlyList<ValidationError> errors)
        : this(ErrorList.Capped(errors))
    {
    }

    private InputException(List<ValidationError> capped)
        : base(string.Join(Environment.NewLine, capped.Select(e => e.ToString())))
    {
        Errors = capped;
    }

    public InputException(string field, string value, string rule)
        : this(new[] { new ValidationError(field, value, rule) })
    {
    }
}

/// <summary>An output could not be written (disk full, no permission): exit code 1, clear message.</summary>
public sealed class OutputException : Exception
{
    public OutputException(string message) : base(message) { }
}

/// <summary>
/// A cap on the errors one input reports: a file with a million unknown keys lists the first
/// <see cref="MaxReported"/> and says how many more there are, instead of hundreds of megabytes of messages.
/// </summary>
public static class ErrorList
{
    /// <summary>Errors listed before the rest are only counted.</summary>
    public const int MaxReported = 1000;

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<List<ValidationError>, System.Runtime.CompilerServices.StrongBox<int>> Overflow = new();

    /// <summary>True when <paramref name="errors"/> holds <see cref="MaxReported"/> errors: further ones are only counted.</summary>
    public static bool Full(List<ValidationError> errors) => errors.Count >= MaxReported;

    /// <summary>Add <paramref name="error"/>, or past the cap count it in the last line ("(N more errors)").</summary>
    public static void Add(List<ValidationError> errors, ValidationError error)
    {
        if (errors.Count < MaxReported) { errors.Add(error); return; }
        CountMore(errors);
    }

    /// <summary>Count one more error past the cap without building its message.</summary>
    public static void CountMore(List<ValidationError> errors)
    {
        var count = Overflow.GetValue(errors, _ => new System.Runtime.CompilerServices.StrongBox<int>());
        if (count.Value > 0) errors.RemoveAt(errors.Count - 1);
        count.Value++;
        errors.Add(More(count.Value));
    }

    /// <summary>The first <see cref="MaxReported"/> errors and a line counting the rest.</summary>
    public static List<ValidationError> Capped(IReadOnlyList<ValidationError> errors)
    {
        if (errors.Count <= MaxReported + 1) return errors.ToList();
        var list = errors.Take(MaxReported).ToList();
        list.Add(More(errors.Count - MaxReported));
        return list;
    }

    private static ValidationError More(int n) =>
        new("(input)", $"({n} more errors)", $"not listed: the first {MaxReported} are above; fix those and run again");
}
