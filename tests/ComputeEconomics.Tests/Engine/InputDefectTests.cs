using System.Text;
using System.Text.Json.Nodes;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.Reports;
using Json.Schema;

namespace ComputeEconomics.Tests.Engine;

/// <summary>
/// Input-side defects of issue 18: what the schema and the loader accept must agree, every error names the field, the value
/// and the rule at its real place, and a flood of errors is capped.
/// </summary>
public sealed class InputDefectTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(SchemaGenerator.Json());

    private static bool SchemaAccepts(string yaml) =>
        Schema.Evaluate(System.Text.Json.JsonSerializer.SerializeToElement(SchemaTests.YamlToJson(yaml))).IsValid;

    private static InputException Fails(string yaml, params string[] overrides) =>
        Assert.Throws<InputException>(() => ScenarioLoader.FromTextWithUncertainty(yaml, "test.yaml", overrides));

    [Theory]
    [InlineData("start: 2024-13\n", "start")]
    [InlineData("start: 1989-12\n", "start")]
    [InlineData("market:\n  price:\n    volatility: {dist: normal, mean: 0.5}\n", "market.price.volatility.sd")]
    [InlineData("market:\n  price:\n    volatility: {dist: beta, alpha: 2}\n", "market.price.volatility.beta")]
    [InlineData("fleet:\n  purchase:\n    units: 10000.5\n", "fleet.purchase.units")]
    [InlineData("fleet:\n  expansion:\n    units: 0.5\n", "fleet.expansion.units")]
    public void SchemaAndLoaderBothRejectIt(string yaml, string field)
    {
        Assert.False(SchemaAccepts(yaml), $"the schema accepted {yaml}");
        var e = Assert.Single(Fails(yaml).Errors);
        Assert.Equal(field, e.Field);
    }

    [Theory]
    [InlineData("start: 2100-12\n")]
    [InlineData("market:\n  price:\n    volatility: {dist: normal, mean: 0.2, sd: 0.01}\n")]
    [InlineData("market:\n  price:\n    volatility: {dist: lognormal, median: 0.2, sigma: 0.1}\n")]
    [InlineData("market:\n  price:\n    volatility: {dist: beta, alpha: 2, beta: 5, low: 0.1, high: 0.3}\n")]
    [InlineData("market:\n  price:\n    volatility: {dist: pert, low: 0.1, mode: 0.2, high: 0.3}\n")]
    [InlineData("market:\n  price:\n    volatility: {p5: 0.1, p95: 0.3}\n")]
    [InlineData("fleet:\n  purchase:\n    units: 10000\n")]
    public void SchemaAndLoaderBothAcceptIt(string yaml)
    {
        Assert.True(SchemaAccepts(yaml), $"the schema rejected {yaml}");
        ScenarioLoader.FromTextWithUncertainty(yaml, "test.yaml");
    }

    [Fact]
    public void EveryFieldOfTheSchemaHasADescription()
    {
        var missing = new List<string>();
        void Walk(JsonNode? node, string path)
        {
            if (node?["properties"] is not JsonObject props) return;
            foreach (var (key, value) in props)
            {
                string at = path.Length == 0 ? key : $"{path}.{key}";
                if (value?["description"] is null) missing.Add(at);
                Walk(value, at);
                Walk(value?["items"], at + "[]");
            }
        }
        Walk(SchemaGenerator.Schema(), "");
        Assert.True(missing.Count == 0, "fields without a description: " + string.Join(", ", missing));
    }

    [Theory]
    [InlineData("{dist: beta, alpha: 1e20, beta: 1e20, low: 0, high: 1}", "market.price.volatility.alpha", "1E+20")]
    [InlineData("{dist: pert, low: 0, mode: 0.1, high: 1, lambda: 1e20}", "market.price.volatility.lambda", "1E+20")]
    public void HugeShapeParametersAreAnInputErrorNamingTheField(string dist, string field, string value)
    {
        var errors = Fails($"market:\n  price:\n    volatility: {dist}\n").Errors;
        var e = Assert.Single(errors, x => x.Field == field);
        Assert.Equal(value, e.Value);
        Assert.Contains("must be in (0, 1000000]", e.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLargestShapeParameterStillSamples()
    {
        var loaded = ScenarioLoader.FromTextWithUncertainty("market:\n  price:\n    volatility: {dist: beta, alpha: 1e6, beta: 1e6, low: 0, high: 1}\n", "t");
        // Beta(a, a) is symmetric about 1/2, with sd 1/(2 sqrt(2a+1)): at a = 1e6 every draw is within 0.003 of 0.5.
        var (lo, hi) = loaded.Uncertainty.Fields[0].Distribution.Span;
        Assert.InRange(lo, 0.497, 0.5);
        Assert.InRange(hi, 0.5, 0.503);
    }

    [Theory]
    [InlineData("catalog[0=5")]
    [InlineData("catalog]0[.name=5")]
    [InlineData("market..price=5")]
    [InlineData("catalog.0.name=5")]
    public void MalformedSetPathsAreRejected(string assignment)
    {
        var e = Assert.Single(Fails("{}\n", assignment).Errors);
        Assert.Equal("--set", e.Field);
        Assert.Contains("must be a field path", e.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidFileValueIsReportedEvenWhenOverridden()
    {
        var e = Assert.Single(Fails("paths: abc\n", "paths=10").Errors);
        Assert.Equal("paths", e.Field);
        Assert.Equal("abc", e.Value);
        Assert.StartsWith("must be a whole number", e.Rule, StringComparison.Ordinal);
        Assert.Contains("overridden", e.Rule, StringComparison.Ordinal);
        Assert.Equal(10, ScenarioLoader.FromText("paths: 20\n", "t", new[] { "paths=10" }).Paths);
    }

    [Theory]
    [InlineData("market:\n\tprice: 1\n", 2, 1)]
    [InlineData("name: x\nmarket:\n\tprice: 1\n", 3, 1)]
    [InlineData("market: *foo\n", 1, 9)]
    [InlineData("name: x\nquestion: &a y\ndescription: *b\n", 3, 14)]
    public void YamlErrorsAreReportedWhereTheyAre(string yaml, int line, int column)
    {
        var e = Assert.Single(Fails(yaml).Errors);
        Assert.Equal("test.yaml", e.Field);
        Assert.Equal($"(line {line}, column {column})", e.Value);
    }

    [Fact]
    public void AQuotedNumberKeepsItsQuotesInTheMessage()
    {
        var e = Assert.Single(Fails("market:\n  utilisation:\n    initial: '3.49'\n").Errors);
        Assert.Equal("'3.49'", e.Value);
        e = Assert.Single(Fails("market:\n  utilisation:\n    initial: \"3.49\"\n").Errors);
        Assert.Equal("\"3.49\"", e.Value);
    }

    [Fact]
    public void AFloodOfUnknownKeysIsCappedAndCounted()
    {
        const int keys = 5000;
        var yaml = new StringBuilder();
        for (int i = 0; i < keys; i++) yaml.Append("unknown_key_").Append(i).Append(": 1\n");
        var errors = Fails(yaml.ToString()).Errors;
        Assert.Equal(ErrorList.MaxReported + 1, errors.Count);
        Assert.Equal($"({keys - ErrorList.MaxReported} more errors)", errors[^1].Value);
        Assert.Equal("unknown_key_0", errors[0].Field);
    }
}
