using ComputeEconomics.Inference;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Tests.Inference;

/// <summary>
/// One basis for a generation's price (issue 19 item 3): the catalog's perf ($/GPU-hour scenarios) is its serving-model
/// token rate ($/Mtok scenarios) over H100's, and the rent factors are re-derived from the quoted rents by the method of
/// docs/catalog.md, "Rents by generation". Every expected value is computed here, through the serving model's own API
/// and from the quoted rents written below.
/// </summary>
public class CatalogBasisTests
{
    // Rents quoted in the same month for A100 / H100 / H200, $/GPU-hour (docs/sources.md section 2, data/gpu_rents.csv):
    // AWS EC2 Capacity Blocks pricing page, late 2024 (p4d / p5 / p5e): 1.844 / 4.916 / 5.408;
    // mercatus-ai.com "cloud GPU pricing", 2026-05, midpoints of the provider ranges 0.80-3.00 / 1.99-5.00 / 2.50-7.00:
    // 1.90 / 3.495 / 4.75.
    private static readonly (double A100, double H100, double H200)[] Quoted = { (1.844, 4.916, 5.408), (1.90, 3.495, 4.75) };

    /// <summary>Tokens/s per GPU from the serving model's own API at the reference level (Llama 3.1 70B, FP8, 1k/1k, >= 20 tok/s per user).</summary>
    private static double ServingRate(string generation)
    {
        var acc = Accelerators.Get(generation);
        var candidates = ServingModel.Candidates(ModelShapes.Get("llama-3.1-70b"), acc, new Workload(1000, 1000, Precision.Fp8), 8 * acc.DomainSize);
        return ServingModel.BestAt(candidates, 20)?.TokensPerSPerGpu ?? 0;
    }

    private static double PerfOf(string generation) => ServingRate(generation) / ServingRate("H100");

    private static double QuotedRatio(string generation, (double A100, double H100, double H200) q) =>
        (generation == "A100" ? q.A100 : q.H200) / q.H100;

    /// <summary>beta through the origin: ln(rent_g / rent_H100) = beta ln(perf_g) over A100 and H200 in both months.</summary>
    private static double Beta()
    {
        double sxy = 0, sxx = 0;
        foreach (string g in new[] { "A100", "H200" })
            foreach (var q in Quoted)
            {
                double x = Math.Log(PerfOf(g));
                sxy += x * Math.Log(QuotedRatio(g, q));
                sxx += x * x;
            }
        return sxy / sxx;
    }

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-12 * Math.Abs(expected), $"{what}: {actual:R} against {expected:R}");

    [Fact]
    public void PerfIsTheServingModelTokenRateOverH100s()
    {
        Assert.Equal(new ServiceLevel("llama-3.1-70b", Precision.Fp8, 1000, 1000, 20), ServiceLevel.Reference);
        double h100 = ServingRate("H100");
        Assert.True(h100 > 0);
        foreach (var e in BuiltInCatalog.Entries)
        {
            AssertClose(ServingRate(e.Name) / h100, e.Perf!.Value, $"{e.Name} perf");
            // The two price bases agree: perf is the catalog's own tokens/s ratio.
            AssertClose(e.TokensPerSecond!.Value / BuiltInCatalog.Find("H100")!.TokensPerSecond!.Value, e.Perf!.Value, $"{e.Name} perf against its tokens/s");
        }
        Assert.Equal(1.0, BuiltInCatalog.Find("H100")!.Perf!.Value);
    }

    [Fact]
    public void RentFactorsAreTheClosedFormOfTheQuotedRents()
    {
        double beta = Beta();
        AssertClose(beta, BuiltInCatalog.RentBeta, "beta");
        Assert.InRange(beta, 0.0, 1.0); // rents rise with perf, less than in proportion (old generations rent above their throughput)
        foreach (var e in BuiltInCatalog.Entries)
        {
            double perf = PerfOf(e.Name);
            double expected = e.Name switch
            {
                "H100" => 1,
                "A100" or "H200" => Quoted.Average(q => QuotedRatio(e.Name, q)) / perf,
                _ => Math.Pow(perf, beta - 1),
            };
            AssertClose(expected, e.RentFactor!.Value, $"{e.Name} rent factor");
        }
    }

    [Theory]
    // $/GPU-hour relative to H100 = perf x rent factor: for the co-quoted generations the mean of their two quoted ratios,
    // whatever the perf basis (quoted rents above).
    [InlineData("A100", 1.844 / 4.916, 1.90 / 3.495)]
    [InlineData("H200", 5.408 / 4.916, 4.75 / 3.495)]
    public void CoQuotedGenerationsRentAtTheMeanQuotedRatio(string name, double ratio2024, double ratio2026)
    {
        var e = BuiltInCatalog.Find(name)!;
        AssertClose((ratio2024 + ratio2026) / 2, e.Perf!.Value * e.RentFactor!.Value, $"{name} perf x rent factor");
    }

    [Fact]
    public void FittedGenerationsRentAtPerfToTheBeta()
    {
        // Never co-quoted: perf x perf^(beta - 1) = perf^beta, so ln($/GPU-h ratio) / ln(perf) is beta for each.
        double beta = Beta();
        foreach (string name in new[] { "MI300X", "B200", "GB200", "GB300" })
        {
            var e = BuiltInCatalog.Find(name)!;
            double slope = Math.Log(e.Perf!.Value * e.RentFactor!.Value) / Math.Log(e.Perf!.Value);
            Assert.True(Math.Abs(slope - beta) <= 1e-9, $"{name}: slope {slope:R} against beta {beta:R}");
        }
    }
}
