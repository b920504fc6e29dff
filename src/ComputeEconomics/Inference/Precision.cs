namespace ComputeEconomics.Inference;

/// <summary>Number format of weights, activations or the KV cache.</summary>
public enum Precision
{
    /// <summary>FP16 or BF16: 2 bytes.</summary>
    Fp16,

    /// <summary>FP8 (E4M3): 1 byte.</summary>
    Fp8,

    /// <summary>FP4 (NVFP4, MXFP4): half a byte (block scales ignored).</summary>
    Fp4,
}

/// <summary>Bytes and names of <see cref="Precision"/> values.</summary>
public static class Precisions
{
    /// <summary>Bytes per element.</summary>
    public static double Bytes(Precision p) => p switch
    {
        Precision.Fp16 => 2.0,
        Precision.Fp8 => 1.0,
        Precision.Fp4 => 0.5,
        _ => throw new ArgumentOutOfRangeException(nameof(p), p, "unknown precision"),
    };

    /// <summary>The lower-case name used in files and options: fp16, fp8, fp4.</summary>
    public static string Name(Precision p) => p.ToString().ToLowerInvariant();

    /// <summary>Parses fp16 (or bf16), fp8, fp4; throws an <see cref="InputException"/> naming <paramref name="field"/>.</summary>
    public static Precision Parse(string text, string field) => text.Trim().ToLowerInvariant() switch
    {
        "fp16" or "bf16" => Precision.Fp16,
        "fp8" => Precision.Fp8,
        "fp4" => Precision.Fp4,
        _ => throw new InputException(field, text, "must be one of fp16, bf16, fp8, fp4"),
    };
}
