using System.Reflection;
using YamlDotNet.RepresentationModel;

namespace ComputeEconomics.Scenarios;

/// <summary>Loads a scenario from a file, the embedded library or the built-in default; applies overrides; validates.</summary>
public static class ScenarioLoader
{
    /// <summary>Name of the built-in default scenario in the embedded library.</summary>
    public const string DefaultName = "neocloud-h100";

    /// <summary>Names of the scenarios embedded in the program (scenarios/*.yaml).</summary>
    public static IReadOnlyList<string> EmbeddedNames() =>
        typeof(ScenarioLoader).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("scenarios/", StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(n => n["scenarios/".Length..^".yaml".Length]).OrderBy(n => n, StringComparer.Ordinal).ToList();

    /// <summary>The text of an embedded scenario, or null.</summary>
    public static string? EmbeddedText(string name)
    {
        using var s = typeof(ScenarioLoader).Assembly.GetManifestResourceStream($"scenarios/{name}.yaml");
        if (s == null) return null;
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    /// <summary>
    /// Load FILE (a path, or the name of an embedded scenario), or the built-in default when null;
    /// apply the <c>--set</c> overrides; bind and validate. Throws <see cref="InputException"/> with every error.
    /// </summary>
    public static Scenario Load(string? fileOrName, IEnumerable<string>? overrides = null)
        => LoadWithUncertainty(fileOrName, overrides).Scenario;

    /// <summary>
    /// As <see cref="Load"/>, with the uncertain fields (fields given as distributions, docs/uncertainty.md) and the
    /// <c>uncertainty:</c> section. The scenario holds each uncertain field's median.
    /// </summary>
    public static LoadedScenario LoadWithUncertainty(string? fileOrName, IEnumerable<string>? overrides = null)
    {
        if (fileOrName == null)
        {
            string text = EmbeddedText(DefaultName) ?? throw new InvalidOperationException("built-in default scenario missing");
            return FromTextWithUncertainty(text, DefaultName, overrides);
        }
        var (fileText, source) = ReadText(fileOrName);
        return FromTextWithUncertainty(fileText, source, overrides);
    }

    /// <summary>
    /// The text of a scenario or sweep file (at most 16 MiB read from any stream, strict UTF-8, a byte-order mark
    /// accepted), or of a built-in scenario by name. A file must hold one YAML document that is not empty: an empty,
    /// whitespace-only, comment-only, <c>~</c> or <c>null</c> file, or one with several documents, is an
    /// <see cref="InputException"/> (omit FILE to run the built-in default).
    /// </summary>
    public static (string Text, string Source) ReadText(string fileOrName)
    {
        if (File.Exists(fileOrName))
        {
            string text = InputFiles.ReadText(fileOrName, InputFiles.ScenarioLimit);
            CheckOneDocument(text, fileOrName);
            return (text, fileOrName);
        }
        if (EmbeddedText(fileOrName) is { } embedded) return (embedded, fileOrName);
        throw new InputException("FILE", fileOrName,
            $"must be an existing file or a built-in scenario ({string.Join(", ", EmbeddedNames())})");
    }

    /// <summary>Refuse a file with no YAML document, an empty (null) one, or more than one (the later ones would be ignored).</summary>
    private static void CheckOneDocument(string text, string source)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlDotNet.Core.YamlException) { return; }          // the binder reports the syntax error with its position
        if (stream.Documents.Count > 1)
            throw new InputException(source, $"({stream.Documents.Count} YAML documents)", "must hold one YAML document: the documents after the first (after a '---' line) would be ignored");
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Style: not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted), Value: null or "" or "~" or "null" or "Null" or "NULL" })
            throw new InputException(source, "(empty)", "must be a scenario (a YAML mapping of fields); it is empty or null. To run the built-in default scenario, give no FILE");
    }

    /// <summary>Parse, override, bind and validate YAML text.</summary>
    public static Scenario FromText(string text, string source, IEnumerable<string>? overrides = null)
        => FromTextWithUncertainty(text, source, overrides).Scenario;

    /// <summary>Parse, override, bind and validate YAML text, keeping the uncertain fields.</summary>
    public static LoadedScenario FromTextWithUncertainty(string text, string source, IEnumerable<string>? overrides = null)
    {
        var errors = new List<ValidationError>();
        YamlNode? root = YamlBinder.Parse(text, source, errors);
        if (root == null) throw new InputException(errors);
        if (root is YamlScalarNode { Value: null or "" }) root = new YamlMappingNode();
        foreach (var o in overrides ?? Array.Empty<string>())
            root = YamlBinder.ApplyOverride(root, o, errors);
        YamlNode? section = null;
        if (root is YamlMappingNode rootMap && rootMap.Children.TryGetValue(new YamlScalarNode(UncertaintyKey), out section))
        {
            // Not a Scenario field: the section is read here, so the Scenario record stays a plain set of numbers.
            rootMap = new YamlMappingNode(rootMap.Children.Where(kv => !(kv.Key is YamlScalarNode k && k.Value == UncertaintyKey)));
            root = rootMap;
        }
        var uncertain = new List<UncertainField>();
        var scenario = YamlBinder.Bind<Scenario>(root, errors, uncertain);
        var correlations = UncertaintySpec.ParseSection(section, uncertain, errors);
        // Cross-field rules run even when some fields failed (those keep their defaults), so one pass reports everything.
        errors.AddRange(ScenarioValidator.Validate(scenario, fieldErrors: errors.Count));
        if (errors.Count > 0) throw new InputException(errors);
        var spec = new UncertaintySpec(uncertain, correlations);
        if (spec.Any) _ = new InputSampler(spec, (uint)scenario.Seed);   // the correlations must be jointly possible (exit 2 here, not mid-run)
        return new LoadedScenario(scenario, spec);
    }

    /// <summary>The top-level key of the rank correlations between uncertain fields.</summary>
    public const string UncertaintyKey = "uncertainty";

    /// <summary>
    /// The resolved scenario as YAML with its uncertain fields written back as distributions (and the uncertainty section),
    /// so that the file reproduces the run.
    /// </summary>
    public static string ToYaml(LoadedScenario loaded)
    {
        string plain = ToYaml(loaded.Scenario);
        if (!loaded.Uncertainty.Any) return plain;
        var errors = new List<ValidationError>();
        YamlNode root = YamlBinder.Parse(plain, "scenario", errors) ?? new YamlMappingNode();
        foreach (var f in loaded.Uncertainty.Fields)
        {
            string flow = string.Join(", ", ToPlain(f.Source).Select(kv => $"{kv.Key}: {kv.Value}"));
            root = YamlBinder.ApplyOverride(root, $"{f.Path}={{{flow}}}", errors);
        }
        if (loaded.Uncertainty.Correlations.Count > 0 && root is YamlMappingNode map)
        {
            var list = new YamlSequenceNode();
            foreach (var c in loaded.Uncertainty.Correlations)
                list.Add(new YamlMappingNode(
                    new YamlScalarNode("fields"), new YamlSequenceNode(new YamlScalarNode(c.A), new YamlScalarNode(c.B)),
                    new YamlScalarNode("rank"), new YamlScalarNode(c.Rho.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
            map.Children[new YamlScalarNode(UncertaintyKey)] = new YamlMappingNode(new YamlScalarNode("correlation"), list);
        }
        if (errors.Count > 0) throw new InvalidOperationException(string.Join("; ", errors));
        var stream = new YamlStream(new YamlDocument(root));
        var w = new StringWriter();
        stream.Save(w, assignAnchors: false);
        return w.ToString().Replace("\n...\n", "\n");
    }

    private static Dictionary<string, string> ToPlain(YamlNode node)
        => ((YamlMappingNode)node).Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value ?? "", kv => ((YamlScalarNode)kv.Value).Value ?? "");

    /// <summary>The resolved scenario as YAML (every field, defaults included).</summary>
    public static string ToYaml(Scenario scenario)
    {
        var serializer = new YamlDotNet.Serialization.SerializerBuilder()
            .WithNamingConvention(YamlDotNet.Serialization.NamingConventions.UnderscoredNamingConvention.Instance)
            .ConfigureDefaultValuesHandling(YamlDotNet.Serialization.DefaultValuesHandling.OmitNull)
            .Build();
        return serializer.Serialize(scenario);
    }
}
