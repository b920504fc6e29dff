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
    {
        var errors = new List<ValidationError>();
        string source;
        string? text;
        if (fileOrName == null)
        {
            source = DefaultName;
            text = EmbeddedText(DefaultName) ?? throw new InvalidOperationException("built-in default scenario missing");
        }
        else if (File.Exists(fileOrName))
        {
            source = fileOrName;
            byte[] bytes;
            try { bytes = File.ReadAllBytes(fileOrName); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new InputException(fileOrName, "(file)", $"cannot be read: {ex.Message}");
            }
            if (bytes.Length > 16 << 20) throw new InputException(fileOrName, $"({bytes.Length} bytes)", "must be at most 16 MiB");
            text = YamlBinder.DecodeUtf8(bytes, source, errors);
        }
        else if (EmbeddedText(fileOrName) is { } embedded)
        {
            source = fileOrName;
            text = embedded;
        }
        else
        {
            throw new InputException("FILE", fileOrName,
                $"must be an existing file or a built-in scenario ({string.Join(", ", EmbeddedNames())})");
        }
        if (text == null) throw new InputException(errors);
        return FromText(text, source, overrides);
    }

    /// <summary>Parse, override, bind and validate YAML text.</summary>
    public static Scenario FromText(string text, string source, IEnumerable<string>? overrides = null)
    {
        var errors = new List<ValidationError>();
        YamlNode? root = YamlBinder.Parse(text, source, errors);
        if (root == null) throw new InputException(errors);
        if (root is YamlScalarNode { Value: null or "" }) root = new YamlMappingNode();
        foreach (var o in overrides ?? Array.Empty<string>())
            root = YamlBinder.ApplyOverride(root, o, errors);
        var scenario = YamlBinder.Bind<Scenario>(root, errors);
        // Cross-field rules run even when some fields failed (those keep their defaults), so one pass reports everything.
        errors.AddRange(ScenarioValidator.Validate(scenario, fieldErrors: errors.Count));
        if (errors.Count > 0) throw new InputException(errors);
        return scenario;
    }

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
