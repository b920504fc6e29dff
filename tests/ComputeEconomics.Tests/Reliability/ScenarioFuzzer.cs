using System.Text;
using YamlDotNet.RepresentationModel;

namespace ComputeEconomics.Tests.Reliability;

/// <summary>
/// Mutates shipped scenarios into malformed ones: wrong types, missing and duplicated keys, negative, zero,
/// huge, NaN and infinite numbers, empty lists, deep nesting, very long strings, non-UTF-8 bytes, correlation
/// matrices that are not positive definite, more cohorts than the bound. Deterministic for a seed.
/// </summary>
internal sealed class ScenarioFuzzer
{
    private readonly Random _rng;
    private readonly List<string> _bases;

    public ScenarioFuzzer(int seed, IEnumerable<string> baseTexts)
    {
        _rng = new Random(seed);
        _bases = baseTexts.ToList();
    }

    /// <summary>One mutated scenario file (bytes, since some mutations are not valid UTF-8) and what was done.</summary>
    public (byte[] Bytes, string Mutation) Next()
    {
        string text = _bases[_rng.Next(_bases.Count)];
        int kind = _rng.Next(16);
        if (kind >= 14)
        {
            // Sweeps with zero points or ten million points (the limit is one million).
            string axes = kind == 14
                ? "  axes:\n    - field: fleet.financing.debt_share\n      values: []\n"
                : "  axes:\n    - field: fleet.financing.debt_share\n      from: 0.1\n      to: 0.9\n      steps: 1000\n" +
                  "    - field: market.price.drift\n      from: -0.6\n      to: -0.1\n      steps: 100\n" +
                  "    - field: fleet.operations.pue\n      from: 1.1\n      to: 1.6\n      steps: 100\n";
            string baseText = _bases.FirstOrDefault(b => !b.Contains("\nsweep:")) ?? text;
            return (Utf8(baseText + "\nsweep:\n  design: grid\n" + axes), kind == 14 ? "sweep with zero points" : "sweep with ten million points");
        }
        if (kind == 0) return (Utf8(text).Concat(new byte[] { 0xFF, 0xFE, 0x80 }).ToArray(), "non-UTF-8 bytes");
        if (kind == 1) return (Utf8(DuplicateALine(text)), "duplicated key");
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var (parent, key, node) = PickScalar(root);
        string what;
        switch (kind)
        {
            case 2: Replace(parent, key, new YamlScalarNode("not-a-number")); what = "wrong type (text)"; break;
            case 3: Replace(parent, key, new YamlSequenceNode(new YamlScalarNode("1"), new YamlScalarNode("2"))); what = "wrong type (list)"; break;
            case 4: Remove(parent, key); what = "missing key"; break;
            case 5: Replace(parent, key, new YamlScalarNode(Pick("-1", "-1e9", "-0.5"))); what = "negative number"; break;
            case 6: Replace(parent, key, new YamlScalarNode("0")); what = "zero"; break;
            case 7: Replace(parent, key, new YamlScalarNode(Pick("1e308", "1e30", "99999999999"))); what = "huge number"; break;
            case 8: Replace(parent, key, new YamlScalarNode(Pick(".nan", ".inf", "-.inf"))); what = "NaN or infinity"; break;
            case 9: Replace(parent, key, new YamlSequenceNode()); what = "empty list"; break;
            case 10:
            {
                YamlNode deep = new YamlScalarNode("1");
                for (int i = 0; i < 200; i++) deep = new YamlMappingNode(new YamlScalarNode("x"), deep);
                Replace(parent, key, deep); what = "deep nesting"; break;
            }
            case 11: Replace(parent, key, new YamlScalarNode(new string('x', 200_000))); what = "very long string"; break;
            case 12:
            {
                var market = root.Children.TryGetValue(new YamlScalarNode("market"), out var m) && m is YamlMappingNode mm ? mm : new YamlMappingNode();
                root.Children[new YamlScalarNode("market")] = market;
                market.Children[new YamlScalarNode("correlation")] = Matrix(new[,] { { 1, 0.9, 0.9 }, { 0.9, 1, -0.9 }, { 0.9, -0.9, 1 } });
                what = "correlation not positive definite"; break;
            }
            default:
            {
                var fleet = root.Children.TryGetValue(new YamlScalarNode("fleet"), out var f) && f is YamlMappingNode fm ? fm : new YamlMappingNode();
                root.Children[new YamlScalarNode("fleet")] = fleet;
                fleet.Children[new YamlScalarNode("expansion")] = new YamlMappingNode(
                    new YamlScalarNode("every_months"), new YamlScalarNode("1"), new YamlScalarNode("units"), new YamlScalarNode("10"));
                what = "more cohorts than the bound"; break;
            }
        }
        var sb = new StringWriter();
        stream.Save(sb, assignAnchors: false);
        return (Utf8(sb.ToString()), $"{what} at {Describe(parent, key, node)}");
    }

    private string Pick(params string[] options) => options[_rng.Next(options.Length)];

    private static byte[] Utf8(string s) => new UTF8Encoding(false).GetBytes(s);

    private string DuplicateALine(string text)
    {
        var lines = text.Split('\n').ToList();
        var candidates = Enumerable.Range(0, lines.Count).Where(i => lines[i].Contains(':') && !lines[i].TrimStart().StartsWith('#')).ToList();
        int i = candidates[_rng.Next(candidates.Count)];
        lines.Insert(i + 1, lines[i]);
        return string.Join('\n', lines);
    }

    /// <summary>A random scalar anywhere in the tree, with its parent and key (or index).</summary>
    private (YamlNode Parent, object Key, YamlNode Node) PickScalar(YamlMappingNode root)
    {
        var all = new List<(YamlNode, object, YamlNode)>();
        void Walk(YamlNode parent)
        {
            if (parent is YamlMappingNode m)
                foreach (var (k, v) in m.Children) { all.Add((m, k, v)); Walk(v); }
            else if (parent is YamlSequenceNode s)
                for (int i = 0; i < s.Children.Count; i++) { all.Add((s, i, s.Children[i])); Walk(s.Children[i]); }
        }
        Walk(root);
        var scalars = all.Where(a => a.Item3 is YamlScalarNode).ToList();
        return scalars[_rng.Next(scalars.Count)];
    }

    private static void Replace(YamlNode parent, object key, YamlNode value)
    {
        if (parent is YamlMappingNode m) m.Children[(YamlNode)key] = value;
        else ((YamlSequenceNode)parent).Children[(int)key] = value;
    }

    private static void Remove(YamlNode parent, object key)
    {
        if (parent is YamlMappingNode m) m.Children.Remove((YamlNode)key);
        else ((YamlSequenceNode)parent).Children.RemoveAt((int)key);
    }

    private static YamlSequenceNode Matrix(double[,] a)
    {
        var rows = new YamlSequenceNode();
        for (int i = 0; i < 3; i++)
        {
            var row = new YamlSequenceNode { Style = YamlDotNet.Core.Events.SequenceStyle.Flow };
            for (int j = 0; j < 3; j++) row.Add(new YamlScalarNode(a[i, j].ToString(System.Globalization.CultureInfo.InvariantCulture)));
            rows.Add(row);
        }
        return rows;
    }

    private static string Describe(YamlNode parent, object key, YamlNode node) =>
        key is YamlScalarNode k ? $"key {k.Value}" : $"index {key}";
}
