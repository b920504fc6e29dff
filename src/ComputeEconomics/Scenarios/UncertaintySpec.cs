using System.Globalization;
using ComputeEconomics.Scenarios;
using YamlDotNet.RepresentationModel;

namespace ComputeEconomics.Scenarios;

/// <summary>
/// A scenario field given as a distribution instead of a number.
/// </summary>
/// <param name="Path">Field path as for --set, e.g. market.price.volatility or catalog[0].unit_capex.</param>
/// <param name="Distribution">What each path draws.</param>
/// <param name="WholeNumber">The field holds a whole number: draws are rounded to the nearest (halves away from zero).</param>
/// <param name="Source">The YAML node as written (kept so scenario.yaml reproduces the run).</param>
public sealed record UncertainField(string Path, Distribution Distribution, bool WholeNumber, YamlNode Source)
{
    /// <summary>The value of this field for uniform <paramref name="u"/>.</summary>
    public double ValueAt(double u)
    {
        double x = Distribution.Quantile(u);
        return WholeNumber ? Math.Round(x, MidpointRounding.AwayFromZero) : x;
    }

    /// <summary>
    /// The field's Philox slot word: FNV-1a (32-bit) of the path. A field's draws depend only on its path and the seed, so
    /// adding or removing another uncertain field never changes them.
    /// </summary>
    public uint Id => Fnv1a(Path);

    /// <summary>FNV-1a 32-bit hash of the UTF-16 code units (Fowler, Noll, Vo; offset basis 2166136261, prime 16777619).</summary>
    public static uint Fnv1a(string text)
    {
        uint h = 2166136261u;
        foreach (char c in text)
        {
            h = (h ^ (byte)c) * 16777619u;
            h = (h ^ (byte)(c >> 8)) * 16777619u;
        }
        return h;
    }
}

/// <summary>A requested rank (Spearman) correlation between two uncertain fields.</summary>
public sealed record RankCorrelation(string A, string B, double Rho);

/// <summary>The uncertain fields of a scenario and the rank correlations between them.</summary>
public sealed record UncertaintySpec(IReadOnlyList<UncertainField> Fields, IReadOnlyList<RankCorrelation> Correlations)
{
    public static readonly UncertaintySpec None = new(Array.Empty<UncertainField>(), Array.Empty<RankCorrelation>());

    public bool Any => Fields.Count > 0;

    /// <summary>
    /// Parse the <c>uncertainty:</c> section: <c>correlation:</c> a list of <c>{fields: [A, B], rank: rho}</c> with A and B
    /// uncertain fields and -1 &lt; rho &lt; 1. Errors name uncertainty.correlation[i].
    /// </summary>
    public static IReadOnlyList<RankCorrelation> ParseSection(YamlNode? node, IReadOnlyList<UncertainField> fields, List<ValidationError> errors)
    {
        var result = new List<RankCorrelation>();
        if (node == null || node is YamlScalarNode { Value: null or "" or "~" or "null" }) return result;
        if (node is not YamlMappingNode map)
        {
            errors.Add(new ValidationError("uncertainty", YamlBinder.Show(node), "must be a mapping (key: correlation)"));
            return result;
        }
        foreach (var (k, v) in map.Children)
        {
            string key = (k as YamlScalarNode)?.Value ?? "";
            if (key != "correlation")
            {
                errors.Add(new ValidationError($"uncertainty.{key}", YamlBinder.Show(k), "is not a known key (known: correlation)"));
                continue;
            }
            if (v is not YamlSequenceNode seq)
            {
                errors.Add(new ValidationError("uncertainty.correlation", YamlBinder.Show(v), "must be a list of {fields: [A, B], rank: rho}"));
                continue;
            }
            var known = fields.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
            var pairs = new HashSet<(string, string)>();
            for (int i = 0; i < seq.Children.Count; i++)
            {
                string at = $"uncertainty.correlation[{i}]";
                if (seq.Children[i] is not YamlMappingNode item
                    || !item.Children.TryGetValue(new YamlScalarNode("fields"), out var fNode) || fNode is not YamlSequenceNode fSeq
                    || fSeq.Children.Count != 2 || fSeq.Children.Any(c => c is not YamlScalarNode)
                    || !item.Children.TryGetValue(new YamlScalarNode("rank"), out var rNode) || rNode is not YamlScalarNode rs
                    || item.Children.Count != 2)
                {
                    errors.Add(new ValidationError(at, YamlBinder.Show(seq.Children[i]), "must be {fields: [A, B], rank: rho}"));
                    continue;
                }
                string a = ((YamlScalarNode)fSeq.Children[0]).Value ?? "", b = ((YamlScalarNode)fSeq.Children[1]).Value ?? "";
                bool ok = true;
                foreach (var f in new[] { a, b })
                    if (!known.Contains(f))
                    {
                        errors.Add(new ValidationError($"{at}.fields", f,
                            $"must name an uncertain field (a field given as a distribution; these are: {(known.Count == 0 ? "none" : string.Join(", ", known))})"));
                        ok = false;
                    }
                if (ok && a == b) { errors.Add(new ValidationError($"{at}.fields", a, "must name two different fields")); ok = false; }
                if (!double.TryParse(rs.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double rho) || !(rho > -1 && rho < 1))
                {
                    errors.Add(new ValidationError($"{at}.rank", rs.Value ?? "null", "must be a number in (-1, 1)"));
                    ok = false;
                }
                if (ok && !pairs.Add(string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a)))
                {
                    errors.Add(new ValidationError($"{at}.fields", $"{a}, {b}", "must not repeat a pair"));
                    ok = false;
                }
                if (ok) result.Add(new RankCorrelation(a, b, rho));
            }
        }
        return result;
    }
}

/// <summary>A scenario with its uncertain fields (the Scenario record holds each uncertain field's median).</summary>
public sealed record LoadedScenario(Scenario Scenario, UncertaintySpec Uncertainty);
