using System.Text.RegularExpressions;
using ComputeEconomics.Tests.Reports;

namespace ComputeEconomics.Tests.Engine;

/// <summary>
/// The host library's folders are layers that point one way (docs/design.md, "Layers"): a folder may use the folders
/// below it, never one above it or beside it on the same level. Read from the source: each file's namespace must match
/// its folder, and every <c>using ComputeEconomics.X</c> or qualified <c>X.</c> name must point down.
/// </summary>
public sealed class LayerTests
{
    /// <summary>Bottom to top; folders on one line are one level and must not use each other. "" is the root (Errors, Format).</summary>
    public static readonly string[][] Layers =
    {
        new[] { "" },
        new[] { "Finance", "Statistics" },
        new[] { "Inference" },
        new[] { "Scenarios" },
        new[] { "Models" },
        new[] { "Backends" },
        new[] { "Running" },
        new[] { "Uncertainty" },
        new[] { "Sweeps" },
        new[] { "Output" },
        new[] { "Calibration", "Compare" },
    };

    private static string SourceRoot => Path.Combine(SchemaTests.RepoRoot(), "src", "ComputeEconomics");

    private static int Level(string folder)
    {
        for (int i = 0; i < Layers.Length; i++) if (Layers[i].Contains(folder)) return i;
        return -1;
    }

    private static IEnumerable<(string File, string Folder)> Files() =>
        Directory.EnumerateFiles(SourceRoot, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(SourceRoot, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("obj/", StringComparison.Ordinal) && !f.StartsWith("bin/", StringComparison.Ordinal))
            .Select(f => (f, f.Contains('/') ? f[..f.IndexOf('/')] : ""));

    [Fact]
    public void EveryFolderIsALayer()
    {
        var unknown = Files().Select(f => f.Folder).Distinct().Where(f => Level(f) < 0).ToList();
        Assert.True(unknown.Count == 0, "folders missing from LayerTests.Layers: " + string.Join(", ", unknown));
    }

    [Fact]
    public void NamespacesMatchFolders()
    {
        var wrong = new List<string>();
        foreach (var (file, folder) in Files())
        {
            string expected = "ComputeEconomics" + string.Concat(Path.GetDirectoryName(file)!.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(d => "." + d));
            var m = Regex.Match(File.ReadAllText(Path.Combine(SourceRoot, file)), @"^namespace ([\w.]+);", RegexOptions.Multiline);
            // A subfolder may keep its folder's namespace (Output/Report is ComputeEconomics.Output); the top folder must match.
            string top = "ComputeEconomics" + (folder.Length == 0 ? "" : "." + folder);
            string ns = m.Success ? m.Groups[1].Value : "";
            bool ok = ns == expected || ns == top || expected.StartsWith(ns + ".", StringComparison.Ordinal) && ns.StartsWith(top, StringComparison.Ordinal);
            if (m.Success && !ok) wrong.Add($"{file}: namespace {ns}, expected {expected}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void NoFolderReferencesOneAboveIt()
    {
        var folders = Layers.SelectMany(l => l).Where(f => f.Length > 0).ToArray();
        var reference = new Regex(@"(?:using\s+ComputeEconomics\.|(?<![\w.])(?:ComputeEconomics\.)?)(" + string.Join("|", folders) + @")\b(?=\s*;|\.[A-Z])");
        var violations = new List<string>();
        foreach (var (file, folder) in Files())
        {
            string text = StripComments(File.ReadAllText(Path.Combine(SourceRoot, file)));
            foreach (Match m in reference.Matches(text))
            {
                string target = m.Groups[1].Value;
                if (target != folder && Level(target) >= Level(folder))
                    violations.Add($"{file} ({folder}, level {Level(folder)}) uses {target} (level {Level(target)}): {m.Value.Trim()}");
            }
        }
        Assert.True(violations.Count == 0, "references that point up or sideways:\n" + string.Join("\n", violations.Distinct()));
    }

    [Fact]
    public void TheScanSeesAnUpwardReference()
    {
        // The rule's own check: the pattern must catch both forms of reference.
        var reference = new Regex(@"(?:using\s+ComputeEconomics\.|(?<![\w.])(?:ComputeEconomics\.)?)(Output)\b(?=\s*;|\.[A-Z])");
        Assert.Matches(reference, "using ComputeEconomics.Output;");
        Assert.Matches(reference, "var x = Output.Writers.F(1);");
        Assert.DoesNotMatch(reference, "s.Output.Price");
    }

    private static string StripComments(string text) =>
        Regex.Replace(text, @"//[^\n]*|/\*.*?\*/", "", RegexOptions.Singleline);
}
