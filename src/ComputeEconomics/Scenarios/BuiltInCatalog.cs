using ComputeEconomics.Inference;

namespace ComputeEconomics.Scenarios;

/// <summary>
/// The built-in hardware catalog (SPEC 2). Figures from docs/sources.md; the derivations
/// (type D) are shown in docs/catalog.md. Perf is in H100-equivalents of LLM inference throughput;
/// tokens/s are output tokens per second per accelerator from the serving model (src/ComputeEconomics/Inference,
/// docs/inference.md) at <see cref="ServiceLevel.Reference"/>: Llama 3.1 70B, FP8 asked, 1k in / 1k out, >= 20 tokens/s
/// per user (<see cref="TokenRate"/>).
/// Unit capex is the accelerator's share of a complete server (GPU street price x 1.42, the HGX H100
/// server-to-GPU ratio 39,188 / 27,500, unless a system price per GPU is quoted). Power is per
/// accelerator with its server share (DGX H100: 10.2 kW / 8 = 1.275 kW, i.e. 1.82 x the 700 W TDP).
/// </summary>
public static class BuiltInCatalog
{
    /// <summary>The entries, oldest first.</summary>
    public static IReadOnlyList<GenerationSpec> Entries { get; } = new[]
    {
        // A100 SXM: launch 2020-05 (TechPowerUp); HGX A100 8x80GB server 148,390 = 18,549/GPU (Epoch, dihuni 2023-09);
        // MLPerf v4.1 Llama 2 70B: A100 32.1 vs H100 84.2 samples/s per 8-GPU system -> perf 0.38;
        // 400 W TDP x 1.82 = 0.73 kW; permanent AFR 4% (research-viewer, E), interruptions 0.173/yr (Llama 3 run, D); 9%/yr street
        // decline (15,000 -> 12,500 over 2 years, Epoch); rent factor 1.21 (docs/catalog.md, co-quoted months).
        Entry("A100", "2020-05", 18_549, 0.38, TokenRate("A100"), 0.73, 0.04, 84, 0.09,
            "TechPowerUp; Epoch Hardware prices.csv; MLPerf Inference v4.1", priceDate: "2023-09", interruptionRate: 0.173, rentFactor: 1.21),
        // H100 SXM: full production 2022-09; HGX H100 server with InfiniBand ~313,500/8 = 39,188 (E. Cheah sheet, 2024-08);
        // tokens: serving model (the TensorRT-LLM 4,205 tok/s on 2 GPUs at maximum batch is a fitting row); 1.275 kW (DGX H100 10.2 kW / 8);
        // permanent AFR 4% (E); interruptions 419/16,384 x 365/54 = 0.173/yr (Llama 3 405B run); street decline 15%/yr (A).
        Entry("H100", "2022-09", 39_188, 1.0, TokenRate("H100"), 1.275, 0.04, 84, 0.15,
            "E. Cheah cost sheet 2024-08; NVIDIA TensorRT-LLM perf-overview 2025; Meta Llama 3 paper 2024-07", priceDate: "2024-08", interruptionRate: 0.173, rentFactor: 1),
        // H200: first shipments Q2 2024; 14 servers (112 GPUs) ~5M = 44,600/GPU (bizety 2025-09); tokens: serving model (TensorRT-LLM 2,909, FP8, 1 GPU, a fitting row);
        // MLPerf v4.1 118.5 vs 84.2 -> perf 1.41; 700 W like H100 -> 1.275 kW.
        Entry("H200", "2024-05", 44_600, 1.41, TokenRate("H200"), 1.275, 0.04, 84, 0.15,
            "aiwiki H200; bizety 2025-09-23; NVIDIA TensorRT-LLM perf-overview; MLPerf Inference v4.1", priceDate: "2025-09", interruptionRate: 0.173, rentFactor: 0.87),
        // MI300X: launch 2023-12; street 10,000-15,000 (awesomeagents, E, undated: taken at launch) x 1.42 = 17,750;
        // perf measured: MLPerf Inference v4.1 Llama 2 70B offline, 8xMI300X 23,514.8 vs DGX H100 24,524.9 tok/s = 0.96
        // (data/inference/published.csv); tokens: serving model (AMD efficiency fitted on those rows); 750 W x 1.82 = 1.37 kW.
        Entry("MI300X", "2023-12", 17_750, 0.96, TokenRate("MI300X"), 1.37, 0.04, 84, 0.15,
            "aiwiki MI300X; jaredwatkins.com; awesomeagents.ai; MLPerf Inference v4.1 (AMD, NVIDIA)", priceDate: null, interruptionRate: 0.173, rentFactor: 1.01),
        // B200 (HGX): announced 2024-03, rentals from early 2025 (FT Alphaville) -> 2025-01; price 30,000-40,000 (J. Huang, CNBC 2024-10)
        // x 1.42 = 49,700; MLPerf v4.1 ~210 vs 84.2 -> perf 2.49; tokens: serving model at FP8 (the FP4 7,007 of TensorRT-LLM is a fitting row); 1,000 W x 1.82 = 1.82 kW.
        Entry("B200", "2025-01", 49_700, 2.49, TokenRate("B200"), 1.82, 0.04, 84, 0.15,
            "glennklockwood B200; CNBC via briefbriefing 2024-10-03; NVIDIA TensorRT-LLM perf-overview", priceDate: "2024-10", interruptionRate: 0.173, rentFactor: 0.83),
        // GB200 NVL72: rack ~120 kW / 72 = 1.67 kW; compute 3.4M / 72 = 47,200 per GPU (Bernstein 2025-10, E); tokens: serving model at FP8;
        // perf 2.6 (B200 2.49 x 7,326/7,007).
        Entry("GB200", "2025-03", 47_200, 2.6, TokenRate("GB200"), 1.67, 0.04, 84, 0.15,
            "awesomeagents GB200 NVL72; Bernstein via investing.com 2025-10; NVIDIA TensorRT-LLM perf-overview", priceDate: "2025-10", interruptionRate: 0.173, rentFactor: 0.82),
        // GB300 NVL72: first delivery 2025-07 (Dell to CoreWeave); rack BoM ~4M / 72 = 55,600, quoted 2026 (dailyalpha, E, LOW;
        // the same leak's "previous generation" to VR200), above GB200's 47,200 as every newer rack (the ~3M Together AI deployment
        // figure, bizety 2025-09, sits with GB200's 2-3.1M deployment quotes and does not separate them);
        // FP4 dense 15,000 vs 10,000 for GB200 -> perf 3.9 (D); tokens: serving model at FP8 (GB200's FP8 peak and HBM bandwidth); 1,400 W x 1.67/1.2 = 1.95 kW.
        Entry("GB300", "2025-07", 55_600, 3.9, TokenRate("GB300"), 1.95, 0.04, 84, 0.15,
            "aiwiki GB300 NVL72; verda.com; dailyalpha.us 2026 (LOW)", priceDate: "2026-01", interruptionRate: 0.173, rentFactor: 0.76),
    };

    /// <summary>
    /// Output tokens/s per GPU of <paramref name="name"/> from the serving model at <see cref="ServiceLevel.Reference"/>
    /// (the same function as <c>ce inference</c>: <see cref="ServingCatalog.TokensPerSecond"/>).
    /// </summary>
    public static double TokenRate(string name) => ServingCatalog.TokensPerSecond(name, ServiceLevel.Reference);

    /// <summary>Where the token rates come from, one line (shown by <c>ce catalog</c>).</summary>
    public static string TokenRateProvenance =>
        $"tokens/s: serving model (docs/inference.md) at {ServiceLevel.Reference.Describe()}; each generation at its best setup (fitted efficiencies)";

    private static GenerationSpec Entry(string name, string launch, double unitCapex, double perf, double tokensPerSecond,
        double powerKw, double annualFailureRate, int physicalLifeMonths, double capexDecline, string source,
        string? priceDate = null, double interruptionRate = 0, double rentFactor = 1) => new()
        {
            Name = name, Launch = launch, PriceDate = priceDate, UnitCapex = unitCapex, Perf = perf, TokensPerSecond = tokensPerSecond,
            PowerKw = powerKw, AnnualFailureRate = annualFailureRate, InterruptionRate = interruptionRate, RentFactor = rentFactor,
            PhysicalLifeMonths = physicalLifeMonths, CapexDecline = capexDecline, Source = source,
        };

    /// <summary>Find a built-in entry by name (case-insensitive).</summary>
    public static GenerationSpec? Find(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Months from <paramref name="startYear"/>-<paramref name="startMonth"/> to <paramref name="launch"/> (YYYY-MM).</summary>
    public static int MonthsFrom(string launch, int startYear, int startMonth)
    {
        ScenarioValidator.TryParseStart(launch, out int year, out int month);
        return (year - startYear) * 12 + (month - startMonth);
    }
}
