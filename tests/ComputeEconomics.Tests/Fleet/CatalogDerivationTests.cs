using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Tests.Fleet;

/// <summary>
/// The built-in catalog's derived figures (`ce catalog`) re-derived here from the published inputs that docs/catalog.md
/// cites for each, to the precision the catalog prints them (half a unit of its last digit). The inputs are the
/// sources' numbers, typed below with their source; nothing is read back from the catalog to compute an expectation.
/// </summary>
public class CatalogDerivationTests
{
    private static GenerationSpec Entry(string name) => BuiltInCatalog.Entries.Single(e => e.Name == name);

    /// <summary>DGX H100: 10.2 kW for 8 GPUs (NVIDIA DGX H100 datasheet) against the H100 SXM TDP of 700 W.</summary>
    private const double ServerToTdp = 10.2 / 8 / 0.700;

    [Theory]
    // kW per accelerator with its share of the server. Sources (docs/catalog.md, per generation):
    [InlineData("A100", 0.400 * ServerToTdp, 0.005)]     // A100 SXM TDP 400 W (glennklockwood.com) x the DGX H100 ratio
    [InlineData("H100", 10.2 / 8, 0.0005)]               // DGX H100 system power 10.2 kW / 8 GPUs
    [InlineData("H200", 0.700 * ServerToTdp, 0.005)]     // the same 700 W GH100 as H100 (NVIDIA TensorRT-LLM H200 launch blog)
    [InlineData("MI300X", 0.750 * ServerToTdp, 0.005)]   // MI300X TDP 750 W
    [InlineData("B200", 1.000 * ServerToTdp, 0.005)]     // HGX B200 TDP 1,000 W (NVIDIA GB200 NVL72 datasheet table)
    [InlineData("GB200", 120.0 / 72, 0.005)]             // GB200 NVL72 rack about 120 kW for 72 GPUs
    [InlineData("GB300", 1.400 * 1.67 / 1.200, 0.005)]  // GB300 TDP 1,400 W x GB200's printed 1.67 kW over its 1,200 W TDP
    public void PowerIsThePublishedTdpTimesTheServerShare(string name, double derived, double halfUnit)
    {
        Assert.True(Math.Abs(Entry(name).PowerKw!.Value - derived) <= halfUnit + 1e-12, $"{name}: {Entry(name).PowerKw} kW against {derived:R}");
    }

    /// <summary>
    /// Meta, "The Llama 3 Herd of Models" (2024-07), section 3.3.4: 419 unexpected interruptions in a 54-day snapshot of
    /// pre-training on 16,384 H100 GPUs: 419 / 16,384 x 365 / 54 = 0.1729 per GPU-year, the catalog's 0.173 for every
    /// generation.
    /// </summary>
    [Fact]
    public void InterruptionsAreLlama3sRatePerGpuYear()
    {
        double perGpuYear = 419.0 / 16_384 * 365 / 54;
        Assert.All(BuiltInCatalog.Entries, e => Assert.True(Math.Abs(e.InterruptionRate!.Value - perGpuYear) <= 0.0005, $"{e.Name}: {e.InterruptionRate}"));
    }

    [Theory]
    // Unit capex quoted per GPU, rounded to hundreds in the catalog:
    [InlineData("H200", 5_000_000.0 / (14 * 8))]   // about 5M for 14 servers of 8 GPUs (bizety.com, 2025-09-23)
    [InlineData("GB300", 4_000_000.0 / 72)]        // about 4M per GB300 NVL72 rack of 72 GPUs (dailyalpha.us, 2026-01)
    public void UnitCapexIsTheQuotedSystemPricePerGpu(string name, double perGpu)
    {
        Assert.True(Math.Abs(Entry(name).UnitCapex!.Value - perGpu) <= 50, $"{name}: {Entry(name).UnitCapex} against {perGpu:R}");
    }
}
