namespace ComputeEconomics.Scenarios;

/// <summary>The market drivers (SPEC 1): every model kind runs them.</summary>
public sealed record MarketSpec
{
    [Doc("Two-state Markov regime (normal, bust)")]
    public RegimeSpec Regime { get; init; } = new();
    [Doc("Rental price: regime-switching geometric Brownian motion")]
    public PriceSpec Price { get; init; } = new();
    [Doc("Utilisation: mean-reverting logit process")]
    public UtilisationSpec Utilisation { get; init; } = new();
    [Doc("Electricity price: geometric Brownian motion")]
    public ElectricitySpec Electricity { get; init; } = new();
    [Doc("3x3 correlation of the shocks (price, utilisation, electricity); must be positive definite")]
    public List<List<double>>? Correlation { get; init; }
}

public sealed record RegimeSpec
{
    [Doc("Regime at month 0: 0 normal, 1 bust"), Range(0, 1)]
    public int Initial { get; init; }
    [Doc("Monthly probability normal -> bust"), Range(0, 1)]
    public double NormalToBust { get; init; } = 0.01;
    [Doc("Monthly probability bust -> normal"), Range(0, 1)]
    public double BustToNormal { get; init; } = 0.05;
}

public sealed record PriceSpec
{
    [Doc("P_0: USD per GPU-hour of the perf unit, or USD per million tokens when unit is mtok"), Range(0, 1e6, MinExclusive = true)]
    public double Initial { get; init; } = 2.0;
    [Doc("gpu_hour: perf is in H100-equivalents; mtok: perf is tokens/s of the reference model"), OneOf("gpu_hour", "mtok")]
    public string Unit { get; init; } = "gpu_hour";
    [Doc("mu_P in the normal regime, per year (log drift)"), Range(-5, 5)]
    public double Drift { get; init; } = -0.2;
    [Doc("mu_P in the bust regime, per year"), Range(-5, 5)]
    public double DriftBust { get; init; } = -0.5;
    [Doc("sigma_P, per sqrt(year)"), Range(0, 5)]
    public double Volatility { get; init; } = 0.2;
}

public sealed record UtilisationSpec
{
    [Doc("U_0"), Range(0, 1, MinExclusive = true, MaxExclusive = true)]
    public double Initial { get; init; } = 0.7;
    [Doc("theta in the normal regime"), Range(0, 1, MinExclusive = true, MaxExclusive = true)]
    public double Mean { get; init; } = 0.75;
    [Doc("theta in the bust regime"), Range(0, 1, MinExclusive = true, MaxExclusive = true)]
    public double MeanBust { get; init; } = 0.5;
    [Doc("kappa, mean reversion per year; at most 12, so a monthly step never overshoots the mean (the Euler step of SPEC 1 is unstable beyond 24)"), Range(0, 12)]
    public double Reversion { get; init; } = 2.0;
    [Doc("sigma_U of logit(U), per sqrt(year)"), Range(0, 10)]
    public double Volatility { get; init; } = 0.3;
}

public sealed record ElectricitySpec
{
    [Doc("E_0 in USD/kWh"), Range(0, 10, MinExclusive = true)]
    public double Initial { get; init; } = 0.08;
    [Doc("mu_E per year"), Range(-2, 2)]
    public double Drift { get; init; } = 0.02;
    [Doc("sigma_E per sqrt(year)"), Range(0, 5)]
    public double Volatility { get; init; } = 0.1;
}
