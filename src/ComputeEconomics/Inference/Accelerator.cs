namespace ComputeEconomics.Inference;

/// <summary>
/// One accelerator as the serving model sees it. The built-in figures are those of
/// data/inference/accelerators.csv, each with its datasheet source there (a test keeps the two equal).
/// </summary>
/// <param name="Name">Catalog name (A100, H100, ...).</param>
/// <param name="HbmGb">HBM capacity, GB (10^9 bytes).</param>
/// <param name="HbmTBps">HBM bandwidth, TB/s.</param>
/// <param name="Fp16Tflops">Dense FP16/BF16 tensor throughput, TFLOPS (no sparsity).</param>
/// <param name="Fp8Tflops">Dense FP8 throughput; 0 when not supported.</param>
/// <param name="Fp4Tflops">Dense FP4 throughput; 0 when not supported.</param>
/// <param name="LinkGBps">Scale-up interconnect bandwidth per GPU and direction, GB/s (NVLink, xGMI).</param>
/// <param name="DomainSize">GPUs in one scale-up domain (8 for an HGX board, 72 for an NVL72 rack).</param>
/// <param name="TdpW">Thermal design power, W.</param>
/// <param name="Vendor">NVIDIA or AMD: selects the fitted compute efficiency of the vendor's serving software.</param>
public sealed record Accelerator(
    string Name, double HbmGb, double HbmTBps, double Fp16Tflops, double Fp8Tflops, double Fp4Tflops,
    double LinkGBps, int DomainSize, double TdpW, string Vendor = "NVIDIA")
{
    /// <summary>True for an AMD Instinct accelerator (ROCm serving stacks).</summary>
    public bool IsAmd => string.Equals(Vendor, "AMD", StringComparison.OrdinalIgnoreCase);

    /// <summary>Dense peak throughput at <paramref name="p"/>, FLOP/s; 0 when not supported.</summary>
    public double PeakFlops(Precision p) => 1e12 * p switch
    {
        Precision.Fp16 => Fp16Tflops,
        Precision.Fp8 => Fp8Tflops,
        Precision.Fp4 => Fp4Tflops,
        _ => 0,
    };

    /// <summary>
    /// The precision this accelerator runs when <paramref name="requested"/> is asked for: the requested one when
    /// its tensor cores support it, else the next wider one it supports (FP4 on Hopper runs as FP8; FP8 on A100 as FP16).
    /// </summary>
    public Precision Supported(Precision requested)
    {
        for (var p = requested; p >= Precision.Fp16; p--)
            if (PeakFlops(p) > 0)
                return p;
        return Precision.Fp16;
    }

    /// <summary>Every broken rule, with the field named under <paramref name="prefix"/>.</summary>
    public IReadOnlyList<ValidationError> Validate(string prefix = "accelerator")
    {
        var errors = new List<ValidationError>();
        void Check(string field, double value, bool allowZero)
        {
            bool ok = double.IsFinite(value) && (allowZero ? value >= 0 : value > 0);
            if (!ok)
                errors.Add(new ValidationError($"{prefix}.{field}", value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    allowZero ? "must be a finite number >= 0 (0: not supported)" : "must be a finite number > 0"));
        }
        Check("hbm_gb", HbmGb, false);
        Check("hbm_tbps", HbmTBps, false);
        Check("fp16_tflops", Fp16Tflops, false);
        Check("fp8_tflops", Fp8Tflops, true);
        Check("fp4_tflops", Fp4Tflops, true);
        Check("link_gbps", LinkGBps, false);
        Check("domain_size", DomainSize, false);
        Check("tdp_w", TdpW, false);
        if (Vendor is not ("NVIDIA" or "AMD"))
            errors.Add(new ValidationError($"{prefix}.vendor", Vendor, "must be NVIDIA or AMD"));
        return errors;
    }
}

/// <summary>The built-in accelerators: the catalog generations (docs/catalog.md), figures from data/inference/accelerators.csv.</summary>
public static class Accelerators
{
    /// <summary>In catalog order.</summary>
    public static IReadOnlyList<Accelerator> BuiltIn { get; } = new[]
    {
        new Accelerator("A100", 80, 2.039, 312, 0, 0, 300, 8, 400),
        new Accelerator("H100", 80, 3.35, 989, 1979, 0, 450, 8, 700),
        new Accelerator("H200", 141, 4.8, 989, 1979, 0, 450, 8, 700),
        new Accelerator("MI300X", 192, 5.3, 1307, 2615, 0, 448, 8, 750, "AMD"),
        new Accelerator("B200", 180, 8.0, 2250, 4500, 9000, 900, 8, 1000),
        new Accelerator("GB200", 186, 8.0, 2500, 5000, 10000, 900, 72, 1200),
        new Accelerator("GB300", 288, 8.0, 2500, 5000, 15000, 900, 72, 1400),
    };

    /// <summary>The accelerator named <paramref name="name"/> (case-insensitive), or an <see cref="InputException"/> naming <paramref name="field"/>.</summary>
    public static Accelerator Get(string name, string field = "accelerator") =>
        BuiltIn.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new InputException(field, name, "must be one of " + string.Join(", ", BuiltIn.Select(a => a.Name)));
}
