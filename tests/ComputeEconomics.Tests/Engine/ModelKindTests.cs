using System.Reflection;
using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Models;
using ComputeEconomics.Models.Economy;
using ComputeEconomics.Models.Fleet;
using ComputeEconomics.Models.Lab;
using ComputeEconomics.Models.Market;
using ComputeEconomics.Models.Sector;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Tests.Engine;

/// <summary>
/// The model kinds: one registry, and each kind's metric table agrees with its kernel's metric indices (the names are the
/// snake_case of the kernel's constants, at the same index).
/// </summary>
public sealed class ModelKindTests
{
    public static IEnumerable<object[]> Tables() => new[]
    {
        new object[] { "fleet", typeof(FleetMetrics), null! },
        new object[] { "lab", typeof(LabMetrics), null! },
        new object[] { "market", typeof(MarketMetrics), null! },
        new object[] { "sector", typeof(SectorMetrics), typeof(SectorYearField) },
        new object[] { "economy", typeof(EconomyMetrics), typeof(EconomyYearField) },
    };

    private static IEnumerable<(string Name, int Index)> KernelConstants(Type t) =>
        t.GetFields(BindingFlags.Public | BindingFlags.Static)
         .Where(f => f.IsLiteral && f.FieldType == typeof(int) && f.Name != "Count")
         .Select(f => (f.Name, (int)f.GetRawConstantValue()!));

    [Theory]
    [MemberData(nameof(Tables))]
    public void TheMetricTableAgreesWithTheKernelsIndices(string kind, Type kernelMetrics, Type? yearFields)
    {
        var table = ModelKinds.For(kind).Metrics;
        var constants = KernelConstants(kernelMetrics).OrderBy(c => c.Index).ToList();
        Assert.Equal(constants.Count, (int)kernelMetrics.GetField("Count")!.GetRawConstantValue()!);
        Assert.Equal(constants.Select(c => FieldTable.SnakeCase(c.Name)), table.Fixed.Select(m => m.Name));
        Assert.Equal(constants.Select(c => c.Index), table.Fixed.Select(m => m.Index));
        if (yearFields == null) return;
        var blocks = KernelConstants(yearFields).OrderBy(c => c.Index).ToList();
        Assert.Equal(blocks.Select(b => b.Index), table.Families.Select(f => f.Block));
        // Each block is named after its kernel constant: capex_y{k}, ..., and the flag GapClosedBy as gap_closed_by_year_{k}.
        foreach (var (name, index) in blocks)
            Assert.StartsWith(FieldTable.SnakeCase(name), table.Families[index].Format, StringComparison.Ordinal);
    }

    [Fact]
    public void ATableWithAMissingOrRepeatedIndexIsRefused()
    {
        var a = new MetricDef("a", 0, "USD", Better.None);
        Assert.Throws<InvalidOperationException>(() => new MetricTable(2, new[] { a }));
        Assert.Throws<InvalidOperationException>(() => new MetricTable(2, new[] { a, a with { Name = "b" }, a with { Name = "c", Index = 1 } }));
        Assert.Throws<InvalidOperationException>(() => new MetricTable(2, new[] { a, a with { Index = 1 } }));
    }

    [Fact]
    public void OneRegistryKnowsTheKindsInOrder()
    {
        Assert.Equal(new[] { "fleet", "lab", "sector", "economy", "market" }, ModelKinds.All.Select(k => k.Name));
        Assert.Equal(KindRules.Names, FieldTable.Find(typeof(Scenario), "model")!.OneOf);
        Assert.IsType<FleetKind>(ModelKinds.For("fleet"));
        Assert.IsType<LabKind>(ModelKinds.For("lab"));
        Assert.IsType<SectorKind>(ModelKinds.For("sector"));
        Assert.IsType<EconomyKind>(ModelKinds.For("economy"));
        Assert.IsType<MarketKind>(ModelKinds.For("market"));
        var e = Assert.Single(Assert.Throws<InputException>(() => ModelKinds.For("quantum")).Errors);
        Assert.Equal("model", e.Field);
    }

    [Fact]
    public void AMetricNameSharedByTwoKindsMeansOneThing()
    {
        var byName = ModelKinds.All.SelectMany(k => k.Metrics.Fixed.Select(m => (Kind: k.Name, Metric: m))).GroupBy(x => x.Metric.Name);
        foreach (var g in byName)
        {
            var first = g.First().Metric;
            foreach (var (kind, m) in g)
                Assert.True(m.Unit == first.Unit && m.Better == first.Better,
                    $"{m.Name}: {kind} says {m.Unit}/{m.Better}, {g.First().Kind} says {first.Unit}/{first.Better}");
        }
    }

    [Fact]
    public void NoFileOutsideAKindFolderComparesTheKindName()
    {
        // Nothing switches on a kind's name: the strings "fleet", "lab", "sector", "market" compared with Model appear nowhere.
        string root = Path.Combine(Reports.SchemaTests.RepoRoot(), "src", "ComputeEconomics");
        var pattern = new System.Text.RegularExpressions.Regex(@"Model\s*(==|!=|switch)|\.Model\s+is\s+""|""(fleet|lab|sector|market)""\s*=>");
        var hits = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadAllLines(f).Select((l, i) => (f, i, l)))
            .Where(x => pattern.IsMatch(x.l))
            .Select(x => $"{Path.GetRelativePath(root, x.f)}:{x.i + 1}: {x.l.Trim()}").ToList();
        Assert.True(hits.Count == 0, string.Join("\n", hits));
    }

    [Fact]
    public void AGenerationIsOneRecordWrittenBuiltInOrResolved()
    {
        var s = new Scenario
        {
            Start = "2024-01",
            Catalog = new List<GenerationSpec>
            {
                new() { Name = "H100" },
                new() { Name = "X1", Launch = "2025-03", UnitCapex = 1, Perf = 1, PowerKw = 1, AnnualFailureRate = 0.1, PhysicalLifeMonths = 60, CapexDecline = 0.1 },
            },
            Fleet = new FleetSpec { Purchase = new PurchaseSpec { Generation = "X1" } },
        };
        Assert.Empty(ScenarioValidator.Validate(s));
        var catalog = FleetCompiler.ResolveCatalog(s);
        // H100 launched 2022-09: 16 months before 2024-01; X1 launches 2025-03: 14 months after.
        Assert.Equal(-16, catalog[0].AvailableMonth);
        Assert.Equal(14, catalog[1].AvailableMonth);
        // The built-in price is quoted 2024-08 (month 7): the decline carries it back to the launch, K (1 - d)^((a - q)/12).
        var h100 = BuiltInCatalog.Find("H100")!;
        Assert.Equal("2024-08", h100.PriceDate);
        Assert.Equal(h100.UnitCapex!.Value * Math.Pow(1 - h100.CapexDecline!.Value, (-16 - 7) / 12.0), catalog[0].UnitCapex!.Value, 1e-9);
        Assert.IsType<GenerationSpec>(BuiltInCatalog.Entries[0]);
    }

    [Fact]
    public void AScenariosOwnPriceIsCarriedFromItsOwnPriceDate()
    {
        // X1: K = 1,000 quoted 2025-09 (month 20 from 2024-01), launched 2025-03 (month 14), decline d = 10 %/yr:
        // the launch price is K (1 - d)^((a - q)/12) = 1000 x 0.9^(-6/12). H100 with its own unit_capex and no price_date:
        // that price is at launch (the built-in entry's 2024-08 quote month does not apply to it).
        var s = new Scenario
        {
            Start = "2024-01",
            Catalog = new List<GenerationSpec>
            {
                new() { Name = "H100", UnitCapex = 30_000 },
                new() { Name = "X1", Launch = "2025-03", PriceDate = "2025-09", UnitCapex = 1_000, Perf = 1, PowerKw = 1, AnnualFailureRate = 0.1, PhysicalLifeMonths = 60, CapexDecline = 0.1 },
            },
            Fleet = new FleetSpec { Purchase = new PurchaseSpec { Generation = "X1" } },
        };
        Assert.Empty(ScenarioValidator.Validate(s));
        var catalog = FleetCompiler.ResolveCatalog(s);
        Assert.Equal(30_000, catalog[0].UnitCapex!.Value);
        Assert.Equal(1_000 * Math.Pow(0.9, -6 / 12.0), catalog[1].UnitCapex!.Value, 1e-9);
    }

    [Fact]
    public void MoneyIsInTheKindsUnitInMachineReadableOutputs()
    {
        // The sector kind counts money in USD billions (docs/model.md section 7); a fleet in USD.
        Assert.Equal("USD bn", MetricInfo.UnitIn("total_capex", "sector"));
        Assert.Equal("USD", MetricInfo.UnitIn("total_capex", "fleet"));
        Assert.Equal("fraction", MetricInfo.UnitIn("peak_capex_share_gdp", "sector"));
        var m = ComputeEconomics.Statistics.Summarizer.Summarize("total_capex", new[] { 1.0, 2.0 }, upperTail: false);
        Assert.Contains("total_capex,USD bn,", ComputeEconomics.Output.Writers.MetricsCsv(new[] { m }, "sector"));
        Assert.Contains("total_capex,USD,", ComputeEconomics.Output.Writers.MetricsCsv(new[] { m }, "fleet"));
    }
}
