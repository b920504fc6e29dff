using System.Globalization;
using System.Text.Json.Nodes;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.TestSupport;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ComputeEconomics.Tests.Reports;

/// <summary>
/// The scenario JSON Schema: generated from the records, shipped at schema/scenario.schema.json (equal to the generated
/// text), referenced by every shipped scenario, and every shipped scenario validates against it.
/// </summary>
public sealed class SchemaTests
{
    internal static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "ComputeEconomics.sln"))) return d.FullName;
        throw new DirectoryNotFoundException($"no ComputeEconomics.sln above {AppContext.BaseDirectory}");
    }

    private static readonly JsonSchema Schema = JsonSchema.FromText(SchemaGenerator.Json());

    /// <summary>
    /// YAML to JSON as an editor's YAML language server reads it (YAML 1.2 core schema): plain scalars that look like
    /// numbers, booleans or null become those; quoted scalars stay text.
    /// </summary>
    internal static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", ToJson(kv.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(ToJson).ToArray()),
        YamlScalarNode sc when sc.Style != ScalarStyle.Plain => JsonValue.Create(sc.Value ?? ""),
        YamlScalarNode sc => Scalar(sc.Value),
        _ => throw new InvalidOperationException($"unexpected YAML node {node.NodeType}"),
    };

    private static JsonNode? Scalar(string? v)
    {
        if (v is null or "" or "~" or "null" or "Null" or "NULL") return null;
        if (v is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (v is "false" or "False" or "FALSE") return JsonValue.Create(false);
        if (System.Text.RegularExpressions.Regex.IsMatch(v, @"^[-+]?[0-9]+$") && long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
            return JsonValue.Create(l);
        if (System.Text.RegularExpressions.Regex.IsMatch(v, @"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"))
            return JsonValue.Create(double.Parse(v, CultureInfo.InvariantCulture));
        return JsonValue.Create(v);
    }

    internal static JsonNode? YamlToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return ToJson(stream.Documents[0].RootNode);
    }

    private static EvaluationResults Evaluate(string yaml) =>
        Schema.Evaluate(System.Text.Json.JsonSerializer.SerializeToElement(YamlToJson(yaml)), new EvaluationOptions { OutputFormat = OutputFormat.List });

    private static string Errors(EvaluationResults r) =>
        string.Join("\n", (r.Details ?? new List<EvaluationResults>()).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")));

    [Fact]
    public void CommittedSchemaEqualsTheGeneratedOne()
    {
        string path = Path.Combine(RepoRoot(), SchemaGenerator.ShippedPath);
        Assert.True(File.Exists(path), $"{path} is missing: run `ce schema > {SchemaGenerator.ShippedPath}`");
        string committed = File.ReadAllText(path).Replace("\r\n", "\n");
        Assert.True(committed == SchemaGenerator.Json(),
            $"{SchemaGenerator.ShippedPath} differs from the schema generated from the scenario records: regenerate it with `ce schema > {SchemaGenerator.ShippedPath}`");
    }

    [Fact]
    public void EveryShippedScenarioReferencesTheSchemaOnItsFirstLine()
    {
        var files = Directory.GetFiles(Path.Combine(RepoRoot(), "scenarios"), "*.yaml");
        Assert.NotEmpty(files);
        foreach (var f in files)
            Assert.True(File.ReadLines(f).First() == "# yaml-language-server: $schema=../schema/scenario.schema.json", $"{f}: first line must reference the schema");
    }

    [Fact]
    public void EveryShippedScenarioValidatesAgainstTheSchema()
    {
        var files = Directory.GetFiles(Path.Combine(RepoRoot(), "scenarios"), "*.yaml");
        Assert.NotEmpty(files);
        foreach (var f in files)
        {
            var r = Evaluate(File.ReadAllText(f));
            Assert.True(r.IsValid, $"{f} does not validate against the schema:\n{Errors(r)}");
        }
    }

    [Fact]
    public void ResolvedDefaultsValidate()
    {
        var r = Evaluate(ScenarioLoader.ToYaml(ScenarioLoader.Load(null)));
        Assert.True(r.IsValid, Errors(r));
    }

    [Theory]
    [InlineData("market:\n  price:\n    volatilty: 0.2\n", "unknown key")]
    [InlineData("market:\n  price:\n    volatility: -1\n", "below the minimum")]
    [InlineData("market:\n  utilisation:\n    initial: 1\n", "at an exclusive maximum")]
    [InlineData("model: quantum\n", "not one of the model kinds")]
    [InlineData("horizon_months: 12.5\n", "not a whole number")]
    [InlineData("catalog:\n  - perf: 2\n", "a generation without its required name")]
    [InlineData("fleet:\n  failures:\n    enabled: yes please\n", "not a boolean")]
    public void SchemaRejectsWhatTheLoaderRejects(string yaml, string why)
    {
        Assert.False(Evaluate(yaml).IsValid, $"the schema accepted {why}: {yaml}");
        var ex = Assert.Throws<InputException>(() => ScenarioLoader.FromText(yaml, "test"));
        Assert.NotEmpty(ex.Errors);
    }

    [Fact]
    public void UncertainFieldsAndTheirCorrelationValidate()
    {
        const string yaml = "market:\n  price:\n    drift: {p5: -0.5, p95: -0.2}\n    volatility: {dist: uniform, low: 0.1, high: 0.3}\n" +
                            "uncertainty:\n  correlation:\n    - {fields: [market.price.drift, market.price.volatility], rank: 0.5}\n";
        var r = Evaluate(yaml);
        Assert.True(r.IsValid, Errors(r));
        ScenarioLoader.FromText(yaml, "test");
        Assert.False(Evaluate("market:\n  price:\n    drift: {dist: normal, meen: 1}\n").IsValid);
        Assert.False(Evaluate("seed: {dist: uniform, low: 1, high: 2}\n").IsValid);
    }

    [Fact]
    public void SchemaCarriesDescriptionsDefaultsAndRanges()
    {
        var s = SchemaGenerator.Schema();
        var drift = s["properties"]!["market"]!["properties"]!["price"]!["properties"]!["drift"]!;
        Assert.Equal("mu_P in the normal regime, per year (log drift)", (string?)drift["description"]);
        Assert.Equal(-0.2, Number(drift["default"]));
        Assert.Equal(-5, Number(drift["anyOf"]![0]!["minimum"]));   // a number in range, or a distribution
        var tax = s["properties"]!["fleet"]!["properties"]!["depreciation"]!["properties"]!["tax"]!["properties"]!["method"]!;
        Assert.Equal("macrs_5y", (string?)tax["default"]); // defaults come from the parent record, not the type
        Assert.False((bool)s["additionalProperties"]!);
    }

    private static double Number(JsonNode? n) => double.Parse(n!.ToJsonString(), CultureInfo.InvariantCulture);

    [Fact]
    public void SchemaCommandPrintsTheGeneratedSchema()
    {
        var r = CeProcess.Run(new[] { "schema" });
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(SchemaGenerator.Json(), r.StdOut.Replace("\r\n", "\n"));
    }
}
