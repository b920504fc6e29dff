namespace ComputeEconomics.Calibration;

/// <summary>The candidate processes of the latent log market level x_t (monthly steps).</summary>
public enum ProcessKind
{
    /// <summary>x_t = x_{t-1} + d + q e: the engine's price driver in one regime (geometric random walk with drift).</summary>
    RandomWalk,

    /// <summary>x_t = m + phi (x_{t-1} - m) + q e, phi = exp(-kappa/12): mean reversion of the log level (Ornstein-Uhlenbeck).</summary>
    MeanReversion,

    /// <summary>P_t = F + exp(y_t), y_t = y_{t-1} + d + q e: the part above a floor F decays geometrically (d &lt; 0) toward it.</summary>
    FloorDecay,

    /// <summary>x_t = x_{t-1} + d[s_t] + q e with a two-state Markov regime s (normal, bust): the engine's driver.</summary>
    RegimeSwitching,
}

/// <summary>
/// A candidate process with its parameters in the optimiser's unconstrained space. Parameter vector layout:
/// [process parameters..., x1 (log level in the first month), ln tau (observation noise), ln omega (vendor/product
/// dispersion), contract offsets of the non-reference contracts...].
/// </summary>
public sealed class PriceProcess
{
    /// <summary>The process.</summary>
    public ProcessKind Kind { get; }

    /// <summary>Names of the process parameters, in the vector's order (unconstrained scale).</summary>
    public IReadOnlyList<string> ProcessParameters { get; }

    /// <summary>Number of regimes (2 for regime switching, else 1).</summary>
    public int Regimes => Kind == ProcessKind.RegimeSwitching ? 2 : 1;

    /// <summary>The name used in fit.json and on the console.</summary>
    public string Name => Kind switch
    {
        ProcessKind.RandomWalk => "random_walk",
        ProcessKind.MeanReversion => "mean_reversion",
        ProcessKind.FloorDecay => "floor_decay",
        _ => "regime_switching",
    };

    /// <summary>
    /// Lower bound of the observation noise tau (sd of a log price), default 0.02: tau = MinTau + e^theta. Without a
    /// bound the likelihood is unbounded (tau -> 0 while the level or a vendor effect passes through an observation);
    /// 2% is below the spread of one vendor's quotes for one product (instance sizes, regions, rounding).
    /// </summary>
    public double MinTau { get; }

    public PriceProcess(ProcessKind kind, double minTau = 0.02)
    {
        Kind = kind;
        MinTau = minTau;
        ProcessParameters = kind switch
        {
            ProcessKind.RandomWalk => new[] { "d", "ln_q" },
            ProcessKind.MeanReversion => new[] { "m", "ln_kappa", "ln_q" },
            ProcessKind.FloorDecay => new[] { "d", "ln_q", "logit_floor_share" },
            _ => new[] { "d_normal", "ln_bust_gap", "logit_p01", "logit_p10", "ln_q" },
        };
    }

    /// <summary>Every candidate, in the order they are fitted and listed.</summary>
    public static IReadOnlyList<PriceProcess> All { get; } =
        Enum.GetValues<ProcessKind>().Select(k => new PriceProcess(k)).ToArray();

    /// <summary>Length of the full parameter vector for <paramref name="contracts"/> contracts.</summary>
    public int ParameterCount(int contracts) => ProcessParameters.Count + 3 + (contracts - 1);

    /// <summary>Names of the full parameter vector.</summary>
    public IReadOnlyList<string> ParameterNames(IReadOnlyList<string> contracts) =>
        ProcessParameters.Concat(new[] { "x1", "ln_tau", "ln_omega" })
                         .Concat(contracts.Skip(1).Select(c => $"offset_{c}")).ToList();

    /// <summary>The parameters of the month-to-month step and the observation equation, decoded from a vector.</summary>
    public Decoded Decode(ReadOnlySpan<double> theta)
    {
        int k = ProcessParameters.Count;
        double x1 = theta[k], tau = MinTau + Math.Exp(theta[k + 1]), omega = Math.Exp(theta[k + 2]);
        var offsets = new double[theta.Length - k - 2];
        for (int i = 1; i < offsets.Length; i++) offsets[i] = theta[k + 2 + i];
        return Kind switch
        {
            ProcessKind.RandomWalk => new Decoded(new[] { theta[0] }, 1, Math.Exp(theta[1]), 0, 0, x1, tau, omega, offsets, 0),
            ProcessKind.MeanReversion => MeanReversionDecoded(theta, x1, tau, omega, offsets),
            ProcessKind.FloorDecay => FloorDecoded(theta, x1, tau, omega, offsets),
            _ => new Decoded(new[] { theta[0], theta[0] - Math.Exp(theta[1]) }, 1, Math.Exp(theta[4]),
                             Logistic(theta[2]), Logistic(theta[3]), x1, tau, omega, offsets, 0),
        };
    }

    private static Decoded MeanReversionDecoded(ReadOnlySpan<double> theta, double x1, double tau, double omega, double[] offsets)
    {
        double phi = Math.Exp(-Math.Exp(theta[1]) / 12.0);
        return new Decoded(new[] { (1 - phi) * theta[0] }, phi, Math.Exp(theta[2]), 0, 0, x1, tau, omega, offsets, 0);
    }

    private static Decoded FloorDecoded(ReadOnlySpan<double> theta, double x1, double tau, double omega, double[] offsets)
    {
        double share = Logistic(theta[2]);
        double floor = share * Math.Exp(x1);
        return new Decoded(new[] { theta[0] }, 1, Math.Exp(theta[1]), 0, 0, x1 + Math.Log(1 - share), tau, omega, offsets, floor);
    }

    /// <summary>1 / (1 + e^-x).</summary>
    public static double Logistic(double x) => 1.0 / (1.0 + Math.Exp(-x));
}

/// <summary>
/// Decoded parameters: state step z_t = Intercept[s] + Phi z_{t-1} + Q e (Q the monthly sd), regime switch
/// probabilities P01 (normal to bust) and P10 per month, the first month's state Z1, observation noise Tau, vendor
/// dispersion Omega, contract offsets (Offsets[0] = 0) and the floor (0 unless floor decay: then the level is Floor + e^z).
/// </summary>
public sealed record Decoded(double[] Intercept, double Phi, double Q, double P01, double P10,
                             double Z1, double Tau, double Omega, double[] Offsets, double Floor)
{
    /// <summary>The log market level of state z (z itself, or ln(Floor + e^z)).</summary>
    public double LogLevel(double z) => Floor > 0 ? Math.Log(Floor + Math.Exp(z)) : z;

    /// <summary>d LogLevel / dz.</summary>
    public double Slope(double z) => Floor > 0 ? Math.Exp(z) / (Floor + Math.Exp(z)) : 1.0;

    /// <summary>Regime transition probability from i to j.</summary>
    public double Transition(int i, int j) =>
        Intercept.Length == 1 ? 1.0 : i == 0 ? (j == 1 ? P01 : 1 - P01) : (j == 0 ? P10 : 1 - P10);
}
