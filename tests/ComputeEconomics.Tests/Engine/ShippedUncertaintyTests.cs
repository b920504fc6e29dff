using System.Globalization;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.Reports;

namespace ComputeEconomics.Tests.Engine;

/// <summary>scenarios/uncertain/NAME.yaml: the distributions of a shipped scenario's calibrated inputs, applied with
/// --set by scripts/scenarios-doc.sh. The shipped files keep numbers (ce sweep, compare and sensitivity take no
/// distributions) and those numbers are the distributions' medians.</summary>
public class ShippedUncertaintyTests
{
    private static string Dir => Path.Combine(SchemaTests.RepoRoot(), "scenarios", "uncertain");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(SchemaTests.RepoRoot(), "scenarios", "uncertain"), "*.yaml").OrderBy(f => f, StringComparer.Ordinal))
            data.Add(Path.GetFileNameWithoutExtension(f));
        return data;
    }

    private static List<(string Field, string Value)> Lines(string name) =>
        File.ReadLines(Path.Combine(Dir, name + ".yaml"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => { int i = l.IndexOf(": ", StringComparison.Ordinal); Assert.True(i > 0, $"{name}: '{l}' is not FIELD: VALUE"); return (l[..i], l[(i + 2)..]); })
            .ToList();

    [Fact]
    public void ThereIsAtLeastOneAndEachNamesAShippedScenario()
    {
        Assert.NotEmpty(Files());
        foreach (var name in Files())
            Assert.True(File.Exists(Path.Combine(SchemaTests.RepoRoot(), "scenarios", name + ".yaml")), $"scenarios/uncertain/{name}.yaml names no scenarios/{name}.yaml");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void EveryLineLoadsAsADistributionOnItsScenario(string name)
    {
        var lines = Lines(name);
        Assert.NotEmpty(lines);
        var loaded = ScenarioLoader.LoadWithUncertainty(name, lines.Select(l => $"{l.Field}={l.Value}"));
        Assert.Equal(lines.Select(l => l.Field).OrderBy(f => f, StringComparer.Ordinal),
                     loaded.Uncertainty.Fields.Select(f => f.Path).OrderBy(f => f, StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void TheShippedScenarioHasNoDistributionsAndHoldsTheMedians(string name)
    {
        var plain = ScenarioLoader.LoadWithUncertainty(name);
        Assert.False(plain.Uncertainty.Any, $"{name}: ce sweep and ce compare take numbers; keep distributions in scenarios/uncertain/{name}.yaml");
        var lines = Lines(name);
        var loaded = ScenarioLoader.LoadWithUncertainty(name, lines.Select(l => $"{l.Field}={l.Value}"));
        var medians = loaded.Uncertainty.Fields.Select(f =>
            $"{f.Path}={Math.Round(f.ValueAt(0.5), 6).ToString("R", CultureInfo.InvariantCulture)}");
        Assert.Equal(ScenarioLoader.ToYaml(plain.Scenario), ScenarioLoader.ToYaml(ScenarioLoader.Load(name, medians)));
    }
}
