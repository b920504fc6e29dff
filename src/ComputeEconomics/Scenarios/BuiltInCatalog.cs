using ComputeEconomics.Inference;

namespace ComputeEconomics.Scenarios;

/// <summary>
/// The built-in hardware catalog (SPEC 2). Figures from docs/sources.md; the derivations
/// (type D) are shown in docs/catalog.md. Tokens/s are output tokens per second per accelerator from the serving model
/// (src/ComputeEconomics/Inference, docs/inference.md) at <see cref="ServiceLevel.Reference"/>: Llama 3.1 70B, FP8 asked,
/// 1k in / 1k out, >= 20 tokens/s per user (<see cref="TokenRate"/>). Perf (H100-equivalents, the unit of $/GPU-hour
/// rents) is the same token rate over H100's (<see cref="Perf"/>), so $/GPU-hour and $/Mtok scenarios price a generation
/// on one basis (issue 19); the MLPerf ratios quoted in the comments below are kept as the check they are. Rent factors
/// come from the quoted rents (<see cref="RentFactor"/>).
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
        // perf: serving model, FP16 (no FP8) at the reference level, 0.20 (check: MLPerf v4.1 Llama 2 70B at maximum batch,
        // A100 32.1 vs H100 84.2 samples/s per 8-GPU system = 0.38, until 2026-11 the perf);
        // 400 W TDP x 1.82 = 0.73 kW; permanent AFR 4% (research-viewer, E), interruptions 0.173/yr (Llama 3 run, D); 9%/yr street
        // decline (15,000 -> 12,500 over 2 years, Epoch); rent factor: mean of the co-quoted months (RentFactor).
        Entry("A100", "2020-05", 18_549, Perf("A100"), TokenRate("A100"), 0.73, 0.04, 84, 0.09,
            "TechPowerUp; Epoch Hardware prices.csv; MLPerf Inference v4.1", priceDate: "2023-09", interruptionRate: 0.173, rentFactor: RentFactor("A100")),
        // H100 SXM: full production 2022-09; HGX H100 server with InfiniBand ~313,500/8 = 39,188 (E. Cheah sheet, 2024-08);
        // tokens: serving model (the TensorRT-LLM 4,205 tok/s on 2 GPUs at maximum batch is a fitting row); 1.275 kW (DGX H100 10.2 kW / 8);
        // permanent AFR 4% (E); interruptions 419/16,384 x 365/54 = 0.173/yr (Llama 3 405B run); street decline 15%/yr (A).
        Entry("H100", "2022-09", 39_188, Perf("H100"), TokenRate("H100"), 1.275, 0.04, 84, 0.15,
            "E. Cheah cost sheet 2024-08; NVIDIA TensorRT-LLM perf-overview 2025; Meta Llama 3 paper 2024-07", priceDate: "2024-08", interruptionRate: 0.173, rentFactor: RentFactor("H100")),
        // H200: first shipments Q2 2024; 14 servers (112 GPUs) ~5M = 44,600/GPU (bizety 2025-09); tokens: serving model (TensorRT-LLM 2,909, FP8, 1 GPU, a fitting row);
        // perf: serving model 1.39 (check: MLPerf v4.1 118.5 vs 84.2 = 1.41); 700 W like H100 -> 1.275 kW; rent factor: co-quoted months.
        Entry("H200", "2024-05", 44_600, Perf("H200"), TokenRate("H200"), 1.275, 0.04, 84, 0.15,
            "aiwiki H200; bizety 2025-09-23; NVIDIA TensorRT-LLM perf-overview; MLPerf Inference v4.1", priceDate: "2025-09", interruptionRate: 0.173, rentFactor: RentFactor("H200")),
        // MI300X: launch 2023-12; street 10,000-15,000 (awesomeagents, E, undated: taken at launch) x 1.42 = 17,750;
        // perf: serving model 1.22 (check, measured at maximum batch: MLPerf Inference v4.1 Llama 2 70B offline, 8xMI300X 23,514.8
        // vs DGX H100 24,524.9 tok/s = 0.96, data/inference/published.csv; the model's AMD efficiency is fitted on those rows;
        // at 20 tokens/s per user its 192 GB count); 750 W x 1.82 = 1.37 kW; rent factor perf^(beta - 1).
        Entry("MI300X", "2023-12", 17_750, Perf("MI300X"), TokenRate("MI300X"), 1.37, 0.04, 84, 0.15,
            "aiwiki MI300X; jaredwatkins.com; awesomeagents.ai; MLPerf Inference v4.1 (AMD, NVIDIA)", priceDate: null, interruptionRate: 0.173, rentFactor: RentFactor("MI300X")),
        // B200 (HGX): announced 2024-03, rentals from early 2025 (FT Alphaville) -> 2025-01; price 30,000-40,000 (J. Huang, CNBC 2024-10)
        // x 1.42 = 49,700; perf: serving model at FP8 3.17 (check: MLPerf v4.1 ~210 vs 84.2 = 2.49, FP4 B200 against FP8 H100s);
        // tokens: the FP4 7,007 of TensorRT-LLM is a fitting row; 1,000 W x 1.82 = 1.82 kW; rent factor perf^(beta - 1).
        Entry("B200", "2025-01", 49_700, Perf("B200"), TokenRate("B200"), 1.82, 0.04, 84, 0.15,
            "glennklockwood B200; CNBC via briefbriefing 2024-10-03; NVIDIA TensorRT-LLM perf-overview", priceDate: "2024-10", interruptionRate: 0.173, rentFactor: RentFactor("B200")),
        // GB200 NVL72: rack ~120 kW / 72 = 1.67 kW; compute 3.4M / 72 = 47,200 per GPU (Bernstein 2025-10, E); tokens: serving model at FP8;
        // perf: serving model 3.32 (check: B200's 2.49 x 7,326/7,007 = 2.6, TensorRT-LLM FP4); rent factor perf^(beta - 1).
        Entry("GB200", "2025-03", 47_200, Perf("GB200"), TokenRate("GB200"), 1.67, 0.04, 84, 0.15,
            "awesomeagents GB200 NVL72; Bernstein via investing.com 2025-10; NVIDIA TensorRT-LLM perf-overview", priceDate: "2025-10", interruptionRate: 0.173, rentFactor: RentFactor("GB200")),
        // GB300 NVL72: first delivery 2025-07 (Dell to CoreWeave); rack BoM ~4M / 72 = 55,600, quoted 2026 (dailyalpha, E, LOW;
        // the same leak's "previous generation" to VR200), above GB200's 47,200 as every newer rack (the ~3M Together AI deployment
        // figure, bizety 2025-09, sits with GB200's 2-3.1M deployment quotes and does not separate them);
        // perf: serving model at FP8 3.32, GB200's (same FP8 peak and HBM bandwidth; check: GB200's 2.6 x the FP4 dense ratio
        // 15,000 / 10,000 = 3.9, FP4 only); 1,400 W x 1.67/1.2 = 1.95 kW; rent factor perf^(beta - 1).
        Entry("GB300", "2025-07", 55_600, Perf("GB300"), TokenRate("GB300"), 1.95, 0.04, 84, 0.15,
            "aiwiki GB300 NVL72; verda.com; dailyalpha.us 2026 (LOW)", priceDate: "2026-01", interruptionRate: 0.173, rentFactor: RentFactor("GB300")),
    };

    /// <summary>
    /// Output tokens/s per GPU of <paramref name="name"/> from the serving model at <see cref="ServiceLevel.Reference"/>
    /// (the same function as <c>ce inference</c>: <see cref="ServingCatalog.TokensPerSecond"/>).
    /// </summary>
    public static double TokenRate(string name) => ServingCatalog.TokensPerSecond(name, ServiceLevel.Reference);

    /// <summary>
    /// Perf of <paramref name="name"/> in H100-equivalents: its serving-model token rate over H100's, both at
    /// <see cref="ServiceLevel.Reference"/> (<see cref="TokenRate"/>), the one basis of $/GPU-hour and $/Mtok scenarios.
    /// </summary>
    public static double Perf(string name) => TokenRate(name) / TokenRate("H100");

    /// <summary>
    /// The months in which A100, H100 and H200 rents are quoted together (docs/sources.md section 2; the rows of
    /// data/gpu_rents.csv): AWS EC2 Capacity Blocks pricing page, late 2024 (R): p4d / p5 / p5e 1.844 / 4.916 / 5.408
    /// $/GPU-h; mercatus-ai.com cloud GPU pricing, 2026-05 (E), midpoints of the provider ranges 0.80-3.00 / 1.99-5.00 /
    /// 2.50-7.00 $/GPU-h.
    /// </summary>
    public static IReadOnlyList<QuotedRents> CoQuotedRents => new QuotedRents[]
    {
        new("AWS EC2 Capacity Blocks, late 2024", 1.844, 4.916, 5.408),
        new("mercatus-ai.com provider-range midpoints, 2026-05", (0.80 + 3.00) / 2, (1.99 + 5.00) / 2, (2.50 + 7.00) / 2),
    };

    /// <summary>
    /// Rent per perf unit against H100's (docs/catalog.md, "Rents by generation"): H100 1; A100 and H200, quoted with
    /// H100, the mean over the co-quoted months of (rent_g / rent_H100) / perf_g; every other generation
    /// perf^(<see cref="RentBeta"/> - 1).
    /// </summary>
    public static double RentFactor(string name)
    {
        if (name == "H100")
            return 1;
        if (name is "A100" or "H200")
            return CoQuotedRents.Average(q => q.Ratio(name)) / Perf(name);
        return Math.Pow(Perf(name), RentBeta - 1);
    }

    /// <summary>
    /// The elasticity of rent to perf, fitted through the origin to the four co-quoted log ratios
    /// ln(rent_g / rent_H100) = beta ln(perf_g) (g = A100, H200, two months each): sum(ln r ln p) / sum(ln p ln p).
    /// </summary>
    public static double RentBeta
    {
        get
        {
            double sxy = 0, sxx = 0;
            foreach (string g in new[] { "A100", "H200" })
            {
                double x = Math.Log(Perf(g));
                foreach (var q in CoQuotedRents)
                {
                    sxy += x * Math.Log(q.Ratio(g));
                    sxx += x * x;
                }
            }
            return sxy / sxx;
        }
    }

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

/// <summary>One month's quoted rents of A100, H100 and H200 in $/GPU-hour (<see cref="BuiltInCatalog.CoQuotedRents"/>).</summary>
/// <param name="Source">Who quoted them and when.</param>
/// <param name="A100">A100 rent, $/GPU-hour.</param>
/// <param name="H100">H100 rent, $/GPU-hour.</param>
/// <param name="H200">H200 rent, $/GPU-hour.</param>
public sealed record QuotedRents(string Source, double A100, double H100, double H200)
{
    /// <summary>Rent of <paramref name="name"/> (A100, H100 or H200) over H100's in this month.</summary>
    public double Ratio(string name) => name switch
    {
        "A100" => A100,
        "H100" => H100,
        "H200" => H200,
        _ => throw new ArgumentException($"no quoted rent for {name}", nameof(name)),
    } / H100;
}
