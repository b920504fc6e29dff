using ComputeEconomics.Scenarios;
using ComputeEconomics.Uncertainty;

namespace ComputeEconomics.Tests.Engine;

/// <summary>The one table of scenario fields: what the binder, the sweep planner and the patcher read.</summary>
public sealed class FieldTableTests
{
    [Fact]
    public void RunSettingsAreOneListForTheBinderAndTheSweepPlanner()
    {
        Assert.Equal(new[] { "model", "horizon_months", "seed", "paths", "band_paths", "sampling" }, YamlBinder.RunSettings);
    }

    [Fact]
    public void EveryNumericScalarOutsideListsCanBePatchedAndReadBack()
    {
        var s = new Scenario { Trend = new TrendSpec() };   // an optional section present, so its fields have a parent
        string before = ScenarioLoader.ToYaml(s);
        int patched = 0;
        foreach (var (path, field) in FieldTable.Scalars())
        {
            if (!field.IsNumber || path.Contains("[]", StringComparison.Ordinal) || path.StartsWith("sweep.", StringComparison.Ordinal)) continue;
            var copy = new ScenarioPatcher(path).Apply(s, 3);
            object? record = copy;
            foreach (var (f, _) in FieldTable.Resolve(path, out _)!) record = f.Property.GetValue(record);
            Assert.Equal(3.0, Convert.ToDouble(record, System.Globalization.CultureInfo.InvariantCulture));
            patched++;
        }
        Assert.True(patched > 80, $"only {patched} numeric fields found");
        Assert.Equal(before, ScenarioLoader.ToYaml(s));   // the original is never changed
    }

    [Fact]
    public void PatchingAListElementCopiesTheList()
    {
        var s = new Scenario { Catalog = new List<GenerationSpec> { new() { Name = "A", UnitCapex = 1 }, new() { Name = "B" } } };
        var copy = new ScenarioPatcher("catalog[1].unit_capex").Apply(s, 7);
        Assert.Equal(7, copy.Catalog![1].UnitCapex);
        Assert.Null(s.Catalog[1].UnitCapex);
        Assert.Same(s.Catalog[0], copy.Catalog[0]);
    }

    [Fact]
    public void ThePatcherUsesNoCompilerGeneratedMembers()
    {
        string source = File.ReadAllText(Path.Combine(Reports.SchemaTests.RepoRoot(), "src/ComputeEconomics/Uncertainty/ScenarioPatcher.cs"));
        Assert.DoesNotContain("<Clone>$", source, StringComparison.Ordinal);
    }
}

/// <summary>docs/fields.md is the field table rendered (FieldDocs): regenerate with CE_UPDATE_DOCS=1.</summary>
public sealed class FieldDocsTests
{
    [Fact]
    public void FieldDocsAreCurrent()
    {
        string path = Path.Combine(Reports.SchemaTests.RepoRoot(), FieldDocs.ShippedPath);
        string expected = FieldDocs.Markdown();
        if (Environment.GetEnvironmentVariable("CE_UPDATE_DOCS") == "1") File.WriteAllText(path, expected);
        Assert.True(File.Exists(path) && File.ReadAllText(path).Replace("\r\n", "\n") == expected,
            $"{FieldDocs.ShippedPath} differs from the field table: regenerate with CE_UPDATE_DOCS=1 dotnet test --filter FieldDocsAreCurrent");
        Assert.Contains("| `lab.funding.fee_share` | number, uncertain | [0, 1] | 0 |", expected, StringComparison.Ordinal);
        Assert.Contains("| `seed` | whole number, run setting |", expected, StringComparison.Ordinal);
    }
}
