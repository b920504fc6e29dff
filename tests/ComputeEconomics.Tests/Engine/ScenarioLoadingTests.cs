using ComputeEconomics.Models;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Engine;

/// <summary>Scenario YAML: every error at once, each naming the field, the value and the rule.</summary>
public class ScenarioLoadingTests
{
    private static readonly string Valid = new MarketYaml { PriceVol = 0.2 }.Text();

    private static InputException Fails(string yaml, params string[] overrides) =>
        Assert.Throws<InputException>(() => ScenarioLoader.FromText(yaml, "test", overrides));

    private static string Replace(string yaml, string from, string to)
    {
        Assert.Contains(from, yaml, StringComparison.Ordinal);
        return yaml.Replace(from, to, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidMarketScenarioLoads()
    {
        var s = ScenarioLoader.FromText(Valid, "test");
        Assert.Equal("market", s.Model);
        Assert.Equal(0.2, s.Market.Price.Volatility);
        Assert.Equal(24, s.HorizonMonths);
    }

    [Fact]
    public void MisspelledKeyNamesTheFullPathAndSuggestsTheKnownKey()
    {
        var ex = Fails(Replace(Valid, "    volatility: 0.2\n", "    volatilty: 0.2\n"));
        var e = Assert.Single(ex.Errors);
        Assert.Equal("market.price.volatilty", e.Field);
        Assert.Contains("not a known key", e.Rule, StringComparison.Ordinal);
        Assert.Contains("did you mean volatility", e.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownKeyFarFromAnyKnownOneListsTheKnownKeys()
    {
        var ex = Fails(Valid + "zzzzzz_qqqq: 1\n");
        var e = Assert.Single(ex.Errors);
        Assert.Equal("zzzzzz_qqqq", e.Field);
        Assert.Contains("horizon_months", e.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryErrorIsReportedAtOnce()
    {
        string yaml = Replace(Valid, "horizon_months: 24", "horizon_months: 0");
        yaml = Replace(yaml, "    volatility: 0.2\n", "    volatility: -0.2\n");
        yaml = Replace(yaml, "    initial: 0.6\n", "    initial: 1.5\n");
        var ex = Fails(yaml);
        Assert.Equal(3, ex.Errors.Count);
        Assert.Equal(
            new[] { "horizon_months", "market.price.volatility", "market.utilisation.initial" },
            ex.Errors.Select(e => e.Field).OrderBy(f => f, StringComparer.Ordinal));
        foreach (var e in ex.Errors) Assert.Contains(e.ToString(), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FieldErrorsAndCrossFieldErrorsAreReportedTogether()
    {
        // README: `ce validate FILE` reports every error at once. A bad start month and a correlation that is not
        // positive definite are found by the scenario validator, a negative volatility by the binder: a user who
        // fixes the one should not discover the others only on the next run.
        string yaml = Replace(Valid, "horizon_months: 24", "horizon_months: 24\nstart: 2024-13");
        yaml = Replace(yaml, "    volatility: 0.2\n", "    volatility: -0.2\n");
        yaml += "  correlation:\n    - [1, 0.9, 0.9]\n    - [0.9, 1, -0.9]\n    - [0.9, -0.9, 1]\n";
        var ex = Fails(yaml);
        Assert.Equal(
            new[] { "market.correlation", "market.price.volatility", "start" },
            ex.Errors.Select(e => e.Field).OrderBy(f => f, StringComparer.Ordinal));
    }

    [Fact]
    public void UnknownKeyInAListItemNamesTheIndexedPath()
    {
        var ex = Assert.Throws<InputException>(() => ScenarioLoader.Load(null, new[] { "catalog[1].unit_capexx=5" }));
        var e = Assert.Single(ex.Errors);
        Assert.Equal("catalog[1].unit_capexx", e.Field);
        Assert.Contains("did you mean unit_capex", e.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void RangeErrorNamesTheFieldTheValueAndTheRule()
    {
        var ex = Fails(Replace(Valid, "    volatility: 0.2\n", "    volatility: -0.2\n"));
        var e = Assert.Single(ex.Errors);
        Assert.Equal("market.price.volatility", e.Field);
        Assert.Equal("-0.2", e.Value);
        Assert.Equal("must be in [0, 5]", e.Rule);
        Assert.Equal("market.price.volatility: -0.2 must be in [0, 5]", e.ToString());
    }

    [Fact]
    public void OpenIntervalRuleIsShownWithOpenBrackets()
    {
        var e = Assert.Single(Fails(Replace(Valid, "    initial: 0.6\n", "    initial: 1\n")).Errors);
        Assert.Equal("market.utilisation.initial: 1 must be in (0, 1)", e.ToString());
    }

    [Theory]
    [InlineData("    volatility: 0.2\n", "    volatility: high\n", "market.price.volatility", "must be a number")]
    [InlineData("horizon_months: 24", "horizon_months: twelve", "horizon_months", "must be a whole number")]
    [InlineData("horizon_months: 24", "horizon_months: 12.5", "horizon_months", "must be a whole number")]
    [InlineData("    volatility: 0.2\n", "    volatility: [0.2]\n", "market.price.volatility", "must be a number")]
    [InlineData("  price:\n", "  price: 3\n  price_unused:\n", "market.price", "must be a mapping")]
    public void WrongTypeNamesTheField(string from, string to, string field, string rule)
    {
        var ex = Fails(Replace(Valid, from, to));
        var e = ex.Errors.First(x => x.Field == field);
        Assert.Contains(rule, e.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateKeyIsReported()
    {
        var ex = Fails(Replace(Valid, "horizon_months: 24\n", "horizon_months: 24\nhorizon_months: 36\n"));
        var e = Assert.Single(ex.Errors);
        Assert.Contains("horizon_months", ex.Message, StringComparison.Ordinal);
        Assert.Contains("uplicate", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(e.Rule);
    }

    [Fact]
    public void DuplicateNestedKeyIsReported()
    {
        var ex = Fails(Replace(Valid, "    volatility: 0.2\n", "    volatility: 0.2\n    volatility: 0.3\n"));
        Assert.Contains("volatility", ex.Message, StringComparison.Ordinal);
        Assert.Contains("uplicate", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SyntaxErrorIsAnInputErrorWithTheLine()
    {
        var ex = Fails("model: market\nmarket: [unclosed\n");
        var e = Assert.Single(ex.Errors);
        Assert.Equal("test", e.Field);
        Assert.Contains("line", e.Value, StringComparison.Ordinal);
        Assert.Contains("not valid YAML", e.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void SetOverrideChangesTheField()
    {
        var s = ScenarioLoader.FromText(Valid, "t", new[] { "market.price.volatility=0.3", "horizon_months=36", "market.regime.initial=1" });
        Assert.Equal(0.3, s.Market.Price.Volatility);
        Assert.Equal(36, s.HorizonMonths);
        Assert.Equal(1, s.Market.Regime.Initial);
        // Fields not overridden keep the file's values.
        Assert.Equal(-0.3, s.Market.Price.Drift);
    }

    [Fact]
    public void SetOverrideCreatesSectionsTheFileLeftOut()
    {
        var s = ScenarioLoader.FromText("model: market\n", "t", new[] { "market.electricity.volatility=0.45" });
        Assert.Equal(0.45, s.Market.Electricity.Volatility);
    }

    [Fact]
    public void SetOverrideOfAListElementChangesIt()
    {
        var s = ScenarioLoader.Load(null, new[] { "market.correlation[0][1]=0.25", "market.correlation[1][0]=0.25" });
        Assert.Equal(0.25, s.Market.Correlation![0][1]);
        Assert.Equal(0.25, s.Market.Correlation![1][0]);
    }

    [Fact]
    public void SetOverrideOfAnUnknownPathIsAnError()
    {
        var ex = Fails(Valid, "market.price.volatilty=0.3");
        var e = Assert.Single(ex.Errors);
        Assert.Equal("market.price.volatilty", e.Field);
        Assert.Contains("did you mean volatility", e.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void SetOverrideWithABadValueNamesTheField()
    {
        var e = Assert.Single(Fails(Valid, "market.price.volatility=-1").Errors);
        Assert.Equal("market.price.volatility: -1 must be in [0, 5]", e.ToString());
    }

    [Theory]
    [InlineData("market.price.volatility")]
    [InlineData("=0.3")]
    public void SetOverrideWithoutAnAssignmentIsAnError(string assignment)
    {
        var e = Assert.Single(Fails(Valid, assignment).Errors);
        Assert.Equal("--set", e.Field);
        Assert.Contains("path=value", e.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void BuiltInDefaultLoadsAndCompiles()
    {
        var s = ScenarioLoader.Load(null);
        Assert.Equal(ScenarioLoader.DefaultName, s.Name);
        Assert.Contains(ScenarioLoader.DefaultName, ScenarioLoader.EmbeddedNames());
        var job = ScenarioCompiler.Compile(s);
        Assert.Equal(s.HorizonMonths, job.Months);
        Assert.NotEmpty(job.MetricNames);
    }

    public static TheoryData<string> Embedded()
    {
        var data = new TheoryData<string>();
        foreach (var n in ScenarioLoader.EmbeddedNames()) data.Add(n);
        return data;
    }

    [Theory]
    [MemberData(nameof(Embedded))]
    public void EveryEmbeddedScenarioValidatesAndCompiles(string name)
    {
        var s = ScenarioLoader.Load(name);
        var job = ScenarioCompiler.Compile(s);
        Assert.True(job.Months > 0);
    }

    [Fact]
    public void ResolvedYamlLoadsBackToTheSameScenario()
    {
        var s = ScenarioLoader.Load(null, new[] { "paths=123", "market.price.volatility=0.31" });
        string yaml = ScenarioLoader.ToYaml(s);
        var back = ScenarioLoader.FromText(yaml, "round-trip");
        Assert.Equal(yaml, ScenarioLoader.ToYaml(back));
        Assert.Equal(123, back.Paths);
        Assert.Equal(0.31, back.Market.Price.Volatility);
    }

    [Fact]
    public void UnknownFileIsAnInputErrorListingTheBuiltIns()
    {
        var ex = Assert.Throws<InputException>(() => ScenarioLoader.Load("/nonexistent/definitely-not-here.yaml"));
        var e = Assert.Single(ex.Errors);
        Assert.Equal("FILE", e.Field);
        Assert.Contains(ScenarioLoader.DefaultName, e.Rule, StringComparison.Ordinal);
    }
}
