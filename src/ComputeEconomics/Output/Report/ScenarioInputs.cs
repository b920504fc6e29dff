using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ComputeEconomics.Output;

/// <summary>One resolved input of a run, for the report's inputs table.</summary>
/// <param name="Path">Field path, e.g. market.price.drift or catalog[0].name.</param>
/// <param name="Value">The value as resolved (defaults included).</param>
/// <param name="Note">The comment the scenario file gives on this line (its source or "assumption"); empty when none.</param>
/// <param name="SetBy">"scenario" (written in the file), "--set" (a command-line override) or "default"; empty when unknown.</param>
public sealed record InputRow(string Path, string Value, string Note, string SetBy);

/// <summary>
/// The inputs of a run as a table: every leaf of the resolved scenario, the comment its line carries in the scenario
/// file (the shipped scenarios cite their sources there), and whether the file, an override or a default set it.
/// </summary>
public static partial class ScenarioInputs
{
    /// <summary>Leaves of the resolved YAML with their notes. Lists of numbers are one row (e.g. a correlation row).</summary>
    /// <param name="resolvedYaml">scenario.yaml of the run (every field).</param>
    /// <param name="sourceYaml">The scenario file as written, or null when unknown.</param>
    /// <param name="overrides">The run's --set assignments.</param>
    public static List<InputRow> Rows(string resolvedYaml, string? sourceYaml, IReadOnlyList<string> overrides)
    {
        var leaves = new List<(string Path, string Value)>();
        Walk(Root(resolvedYaml), "", leaves);
        var notes = sourceYaml == null ? new Dictionary<string, string>() : Comments(sourceYaml);
        var inFile = new Dictionary<string, string>(StringComparer.Ordinal);
        if (sourceYaml != null)
        {
            var fileLeaves = new List<(string, string)>();
            Walk(Root(sourceYaml), "", fileLeaves);
            foreach (var (p, v) in fileLeaves) inFile[p] = v;
        }
        var overridden = overrides.Select(o => o.Split('=')[0].Trim()).ToHashSet(StringComparer.Ordinal);
        var rows = new List<InputRow>();
        var noted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, value) in leaves)
        {
            // A comment on a mapping or list line (e.g. "correlation:  # price, utilisation, electricity") goes on its first leaf.
            var parts = new List<string>();
            foreach (var container in Containers(path))
                if (notes.TryGetValue(container, out var cn) && noted.Add(container)) parts.Add(cn);
            if (notes.TryGetValue(path, out var own)) parts.Add(own);
            string setBy = sourceYaml == null && overrides.Count == 0 ? "" : SetBy(path, value, inFile, overridden);
            rows.Add(new InputRow(path, value, string.Join("; ", parts), setBy));
        }
        return rows;
    }

    /// <summary>The comment lines at the top of the scenario file, before the first key (its description and citation key).</summary>
    public static List<string> Header(string? sourceYaml)
    {
        var lines = new List<string>();
        if (sourceYaml == null) return lines;
        foreach (var raw in sourceYaml.Replace("\r\n", "\n").Split('\n'))
        {
            string t = raw.Trim();
            if (t.Length == 0) continue;
            if (!t.StartsWith('#')) break;
            string text = t.TrimStart('#').Trim();
            if (text.StartsWith("yaml-language-server:", StringComparison.Ordinal)) continue;
            lines.Add(text);
        }
        return lines;
    }

    /// <summary>
    /// Who set a leaf: "--set" when an override covers it; a value the file gives differently, or a seed or path
    /// count the file leaves at a default it does not have, came from the command line (<c>--paths</c>, <c>--seed</c>:
    /// run.json records only --set); "scenario" when the file gives this value; else "default".
    /// </summary>
    private static string SetBy(string path, string value, Dictionary<string, string> inFile, HashSet<string> overridden)
    {
        if (Covered(path, overridden)) return "--set";
        string option = path is "paths" or "seed" ? "--" + path : "command line";
        if (inFile.TryGetValue(path, out var written)) return SameValue(written, value) ? "scenario" : option;
        foreach (var c in Containers(path)) if (inFile.ContainsKey(c)) return "scenario";
        var defaults = new Scenarios.Scenario();
        string? byDefault = path switch
        {
            "paths" => defaults.Paths.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "seed" => defaults.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        };
        return byDefault != null && !SameValue(byDefault, value) ? option : "default";
    }

    /// <summary>
    /// Equal as numbers when both are numbers (10_000 and 10000), element by element for lists of scalars
    /// ("[1.0, 0.5]" and "[1, 0.5]", as <see cref="Walk"/> writes them), else as text.
    /// </summary>
    private static bool SameValue(string a, string b)
    {
        if (a.Length >= 2 && b.Length >= 2 && a[0] == '[' && b[0] == '[' && a[^1] == ']' && b[^1] == ']')
        {
            string[] x = a[1..^1].Split(','), y = b[1..^1].Split(',');
            return x.Length == y.Length && x.Zip(y).All(p => SameValue(p.First.Trim(), p.Second.Trim()));
        }
        var style = System.Globalization.NumberStyles.Float;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (double.TryParse(a.Replace("_", ""), style, inv, out double u) && double.TryParse(b.Replace("_", ""), style, inv, out double v))
            return u == v;
        return a == b;
    }

    private static bool Covered(string path, IReadOnlySet<string> set)
    {
        if (set.Contains(path)) return true;
        foreach (var c in Containers(path)) if (set.Contains(c)) return true;
        return false;
    }

    /// <summary>a.b[2].c -> a, a.b, a.b[2].</summary>
    private static IEnumerable<string> Containers(string path)
    {
        for (int i = 1; i < path.Length; i++)
            if (path[i] is '.' or '[') yield return path[..i];
    }

    private static YamlNode Root(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count == 0 ? new YamlMappingNode() : stream.Documents[0].RootNode;
    }

    private static void Walk(YamlNode node, string path, List<(string, string)> leaves)
    {
        switch (node)
        {
            case YamlMappingNode m:
                foreach (var (k, v) in m.Children)
                    Walk(v, path.Length == 0 ? ((YamlScalarNode)k).Value ?? "" : $"{path}.{((YamlScalarNode)k).Value}", leaves);
                break;
            case YamlSequenceNode s when s.Children.All(c => c is YamlScalarNode):
                leaves.Add((path, "[" + string.Join(", ", s.Children.Select(c => ((YamlScalarNode)c).Value)) + "]"));
                break;
            case YamlSequenceNode s:
                for (int i = 0; i < s.Children.Count; i++) Walk(s.Children[i], $"{path}[{i}]", leaves);
                break;
            case YamlScalarNode sc:
                leaves.Add((path, sc.Value ?? ""));
                break;
        }
    }

    [GeneratedRegex(@"^(?<key>[A-Za-z_][A-Za-z0-9_]*)\s*:(?:\s+(?<rest>.*))?$")]
    private static partial Regex KeyLine();

    /// <summary>
    /// Path to end-of-line comment for a block-style YAML file: indentation gives the nesting, "- " a list element.
    /// A comment line indented deeper than the key above it continues that key's note (the shipped scenarios write a
    /// derivation over several lines, or only below the key); one at the key's own indentation is a note on the mapping
    /// that holds the key; one less indented is not attached. Flow mappings and multi-line scalars are not followed.
    /// </summary>
    public static Dictionary<string, string> Comments(string yaml)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var stack = new List<(int Indent, string Path)>();        // open containers
        var listIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var raw in yaml.Replace("\r\n", "\n").Split('\n'))
        {
            string content = raw.TrimEnd();
            string trimmed = content.TrimStart();
            if (trimmed.Length == 0) continue;
            int indent = content.Length - trimmed.Length;
            if (trimmed.StartsWith('#'))
            {
                Continue(result, stack, indent, trimmed.TrimStart('#').Trim());
                continue;
            }
            string comment = "";
            int hash = CommentStart(trimmed);
            if (hash >= 0) { comment = trimmed[(hash + 1)..].Trim(); trimmed = trimmed[..hash].TrimEnd(); }
            bool dash = trimmed.StartsWith("- ", StringComparison.Ordinal) || trimmed == "-";
            // A list may sit at its key's own indentation ("key:\n- a"): a dash line closes only deeper entries and earlier items.
            while (stack.Count > 0 && (stack[^1].Indent > indent || stack[^1].Indent == indent && (!dash || stack[^1].Path.EndsWith(']'))))
                stack.RemoveAt(stack.Count - 1);
            string parent = stack.Count > 0 ? stack[^1].Path : "";
            if (dash)
            {
                int i = listIndex.TryGetValue(parent, out var n) ? n + 1 : 0;
                listIndex[parent] = i;
                string item = $"{parent}[{i}]";
                string rest = trimmed.Length > 2 ? trimmed[2..].TrimStart() : "";
                stack.Add((indent, item));
                if (rest.Length == 0 || rest.StartsWith('[') || rest.StartsWith('{') || !KeyLine().IsMatch(rest))
                {
                    if (comment.Length > 0) result[item] = comment;
                    continue;
                }
                trimmed = rest;
                indent += 2;
                parent = item;
            }
            var match = KeyLine().Match(trimmed);
            if (!match.Success) continue;
            string path = parent.Length == 0 ? match.Groups["key"].Value : $"{parent}.{match.Groups["key"].Value}";
            if (comment.Length > 0) result[path] = comment;
            stack.Add((indent, path));
        }
        return result;
    }

    /// <summary>A comment-only line below the last key (the top of <paramref name="stack"/>): deeper, it continues that
    /// key's note; at the key's indentation, the note of the mapping above it; else (or before any key) nothing.</summary>
    private static void Continue(Dictionary<string, string> result, List<(int Indent, string Path)> stack, int indent, string text)
    {
        if (stack.Count == 0 || text.Length == 0 || indent < stack[^1].Indent) return;
        string path = indent > stack[^1].Indent ? stack[^1].Path : stack.Count > 1 ? stack[^2].Path : "";
        if (path.Length == 0) return;
        result[path] = result.TryGetValue(path, out var note) ? note + " " + text : text;
    }

    /// <summary>Index of a '#' that starts a comment (preceded by whitespace, outside quotes), or -1.</summary>
    private static int CommentStart(string s)
    {
        bool single = false, dbl = false;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '\'' && !dbl) single = !single;
            else if (c == '"' && !single) dbl = !dbl;
            else if (c == '#' && !single && !dbl && (i == 0 || char.IsWhiteSpace(s[i - 1]))) return i;
        }
        return -1;
    }
}
