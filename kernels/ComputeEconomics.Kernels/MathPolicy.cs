namespace ComputeEconomics.Kernels;

/// <summary>
/// Transcendental functions used by the per-path models, injected as a struct so each backend
/// picks its precision at compile time. Money always accumulates in double; only exp/log/sqrt/pow
/// go through the policy. See docs/performance.md, "Precision policy".
/// </summary>
public interface IMathPolicy
{
    double Exp(double x);
    double Log(double x);
    double Sqrt(double x);
    double Pow(double x, double y);
}

/// <summary>IEEE double throughout: the CPU backends and CUDA with libdevice.</summary>
public struct DoubleMath : IMathPolicy
{
    public readonly double Exp(double x) => Math.Exp(x);
    public readonly double Log(double x) => Math.Log(x);
    public readonly double Sqrt(double x) => Math.Sqrt(x);
    public readonly double Pow(double x, double y) => Math.Pow(x, y);
}

/// <summary>
/// Single-precision transcendentals (GPU hardware approximations), results widened to double.
/// Used on a GPU when double libdevice math is not available.
/// </summary>
public struct FloatMath : IMathPolicy
{
    public readonly double Exp(double x) => MathF.Exp((float)x);
    public readonly double Log(double x) => MathF.Log((float)x);
    public readonly double Sqrt(double x) => Math.Sqrt(x);
    public readonly double Pow(double x, double y) => MathF.Pow((float)x, (float)y);
}
