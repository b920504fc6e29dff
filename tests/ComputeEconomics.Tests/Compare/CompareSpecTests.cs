using ComputeEconomics.Compare;
using ComputeEconomics.Models;

namespace ComputeEconomics.Tests.Compare;

public class CompareSpecTests
{
    [Fact]
    public void A_variant_is_split_into_overrides_and_a_comma_inside_a_value_stays()
    {
        var v = CompareVariant.Parse(" life60 : fleet.depreciation.book.useful_life_months=60, x.list=[1, 2],y=3");
        Assert.Equal("life60", v.Name);
        Assert.Equal(new[] { "fleet.depreciation.book.useful_life_months=60", "x.list=[1, 2]", "y=3" }, v.Sets);
    }

    [Theory]
    [InlineData("no colon=1", "no ':' found")]
    [InlineData(": a=1", "NAME")]
    [InlineData("bad name: a=1", "NAME")]
    [InlineData("v: novalue", "must be path=value")]
    [InlineData("v: =3", "must be path=value")]
    // The baseline's seed and paths overwrote a variant's own without a word (the comparison then showed no difference).
    [InlineData("v: seed=3", "cannot differ between variants")]
    [InlineData("v: market.price.volatility=0.5, paths = 300", "cannot differ between variants")]
    public void A_malformed_variant_names_the_option_the_value_and_the_rule(string spec, string rule)
    {
        var ex = Assert.Throws<InputException>(() => CompareVariant.Parse(spec));
        var e = Assert.Single(ex.Errors);
        Assert.Equal("--variant", e.Field);
        Assert.Equal(spec, e.Value);
        Assert.Contains(rule, e.Rule);
    }

    [Fact]
    public void Entries_put_the_baseline_first_label_repeats_and_apply_variants_to_the_baseline()
    {
        var e = CompareSpec.Entries(new[] { "scenarios/a.yaml", "a", "a" }, new[] { "v: k=1" }, new[] { "paths=10" });
        Assert.Equal(new[] { "a", "a#2", "a#3", "v" }, e.Select(x => x.Label));
        Assert.Equal("scenarios/a.yaml", e[3].Source);
        Assert.Equal(new[] { "paths=10", "k=1" }, e[3].Overrides);
        Assert.Equal(new[] { "paths=10" }, e[1].Overrides);
    }

    [Fact]
    public void One_scenario_without_a_variant_is_an_error()
    {
        var ex = Assert.Throws<InputException>(() => CompareSpec.Entries(new[] { "neocloud-h100" }, Array.Empty<string>(), Array.Empty<string>()));
        Assert.Contains("second scenario or a --variant", ex.Message);
    }

    [Fact]
    public void A_variant_named_like_a_scenario_is_an_error()
    {
        var ex = Assert.Throws<InputException>(() => CompareSpec.Entries(new[] { "a", "b" }, new[] { "b: k=1" }, Array.Empty<string>()));
        Assert.Equal("--variant", ex.Errors[0].Field);
    }

    /// <summary>
    /// The line under each table said every metric left out "differs by less than 1.96 s.e.": also those equal on every
    /// path (12 of 16 in `ce compare microsoft amazon`, docs/companies.md) and, with one path, those without a standard
    /// error at all. Each kind is now counted by name; the usual case reads as before.
    /// </summary>
    [Fact]
    public void TheMetricsLeftOutAreCountedByWhyTheyAreLeftOut()
    {
        static PairedDifference Row(double diff, double se) => new("b", "m", "mean", "USD", 1, 1 + diff, diff, se, diff - 1.96 * se, diff + 1.96 * se, se, 1, 100);
        Assert.Equal("2 other metric(s) differ by less than 1.96 s.e. (--all prints them)",
            ComputeEconomics.Cli.Commands.CompareCommand.Hidden(new[] { Row(0.1, 1), Row(-0.1, 1) }));
        Assert.Equal("4 other metric(s) not shown: 1 differ by less than 1.96 s.e.; 2 are equal on every path; 1 have no standard error (fewer than 2 paths with both values) (--all prints them)",
            ComputeEconomics.Cli.Commands.CompareCommand.Hidden(new[] { Row(0.1, 1), Row(0, 0), Row(0, 0), Row(double.NaN, double.NaN) }));
    }
}
