using System.Globalization;

namespace ComputeEconomics.Compare;

/// <summary>One scenario of a comparison: a label, the file or built-in name, and its overrides (--set and the variant's).</summary>
public sealed record CompareEntry(string Label, string Source, IReadOnlyList<string> Overrides);

/// <summary>A <c>--variant "NAME: k=v, k=v"</c>: the baseline scenario with more overrides.</summary>
public sealed record CompareVariant(string Name, IReadOnlyList<string> Sets)
{
    /// <summary>
    /// Parse <c>NAME: k=v, k=v</c>. A comma starts a new override only when the text after it holds an <c>=</c> before the
    /// next comma, so a value may contain commas (<c>k=[1, 2]</c>). Throws <see cref="InputException"/> naming --variant.
    /// </summary>
    public static CompareVariant Parse(string spec)
    {
        int colon = spec.IndexOf(':');
        if (colon < 0) throw new InputException("--variant", spec, "must be NAME: path=value[, path=value...] (no ':' found)");
        string name = spec[..colon].Trim();
        if (name.Length == 0 || !name.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new InputException("--variant", spec, "must start with a NAME of letters, digits, '-', '_' or '.' before the ':'");
        var sets = new List<string>();
        foreach (var piece in spec[(colon + 1)..].Split(','))
        {
            if (piece.Contains('=') || sets.Count == 0) sets.Add(piece.Trim());
            else sets[^1] += "," + piece;
        }
        foreach (var s in sets)
        {
            int eq = s.IndexOf('=');
            if (eq <= 0 || s[..eq].Trim().Length == 0)
                throw new InputException("--variant", spec, $"override '{s}' must be path=value");
            // Every scenario runs the baseline's seed and paths (common random numbers), so a variant's own would be
            // overwritten without a word: it is refused instead, naming the options that set them for all.
            if (s[..eq].Trim() is "seed" or "paths")
                throw new InputException("--variant", spec, $"override '{s}' cannot differ between variants: every scenario runs the baseline's seed and paths (common random numbers); use --seed or --paths for all");
        }
        return new CompareVariant(name, sets);
    }
}

/// <summary>The scenarios of a <c>ce compare</c>: the positional scenarios, then the variants of the first (the baseline).</summary>
public static class CompareSpec
{
    /// <summary>
    /// The entries in order, the baseline first. Each positional scenario gets <paramref name="sets"/>; each variant is the
    /// first scenario with <paramref name="sets"/> then the variant's overrides. Labels: a scenario's file name without
    /// extension (a repeated one gets #2, #3...), a variant's NAME. At least two entries are needed.
    /// </summary>
    public static IReadOnlyList<CompareEntry> Entries(IReadOnlyList<string> scenarios, IReadOnlyList<string> variants, IReadOnlyList<string> sets)
    {
        if (scenarios.Count == 0) throw new InputException("SCENARIO", "(none)", "at least one scenario is needed (the baseline)");
        var parsed = variants.Select(CompareVariant.Parse).ToList();
        if (scenarios.Count + parsed.Count < 2)
            throw new InputException("SCENARIO", scenarios[0], "needs a second scenario or a --variant to compare with");
        var entries = new List<CompareEntry>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in scenarios)
        {
            string stem = Path.GetFileNameWithoutExtension(s);
            if (stem.Length == 0) stem = s;
            int n = seen[stem] = seen.GetValueOrDefault(stem) + 1;
            entries.Add(new CompareEntry(n == 1 ? stem : $"{stem}#{n.ToString(CultureInfo.InvariantCulture)}", s, sets.ToList()));
        }
        foreach (var v in parsed)
        {
            if (entries.Any(e => e.Label == v.Name))
                throw new InputException("--variant", v.Name, $"names a variant like another scenario or variant ({string.Join(", ", entries.Select(e => e.Label))}); names must differ");
            entries.Add(new CompareEntry(v.Name, scenarios[0], sets.Concat(v.Sets).ToList()));
        }
        return entries;
    }
}
