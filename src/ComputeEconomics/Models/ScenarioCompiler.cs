using ComputeEconomics.Kernels;
using ComputeEconomics.Kernels.Finance;
using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Models;

/// <summary>Turns a validated scenario into kernel parameters and read-only tables: the parts every kind shares (the market drivers, depreciation share tables).</summary>
public static class ScenarioCompiler
{
    /// <summary>Hours in a month (SPEC 0).</summary>
    public const double HoursPerMonth = 730.0;

    /// <summary>Compile to a runnable job: the scenario's model kind does it (<see cref="ModelKinds"/>).</summary>
    public static IModelJob Compile(Scenario s) => ModelKinds.For(s.Model).Compile(s);

    /// <summary>Monthly market parameters (SPEC 1) for this scenario; <paramref name="priceScale"/> converts the price unit.</summary>
    public static MarketParams Market(Scenario s, double priceScale = 1.0, List<double>? data = null)
    {
        var result = MarketCore(s, priceScale);
        if (s.Sampling == "qmc")
        {
            if (data == null) throw new InvalidOperationException("qmc needs the model's data buffer for its tables");
            AppendQmc(s, data, ref result);
        }
        return result;
    }

    /// <summary>
    /// Randomised QMC tables: the Sobol direction numbers (Joe-Kuo, <see cref="Statistics.Designs"/>) of the first
    /// dimensions (four a month: regime, price, utilisation and electricity uniforms) and one digital shift per
    /// scrambling and dimension, drawn from Philox (stream QmcShift, path = scrambling, month = dimension).
    /// </summary>
    private static void AppendQmc(Scenario s, List<double> data, ref MarketParams m)
    {
        int dims = Math.Min(Statistics.Designs.SobolMaxDimensions / 4, s.HorizonMonths) * 4;
        m.QmcScramblings = s.Scramblings;
        m.QmcDims = dims;
        m.QmcDirOffset = data.Count;
        for (int d = 0; d < dims; d++)
            foreach (uint v in Statistics.Designs.Directions(d, 32)) data.Add(v);
        m.QmcShiftOffset = data.Count;
        for (int r = 0; r < s.Scramblings; r++)
            for (int d = 0; d < dims; d++)
                data.Add(Kernels.Random.Philox4x32.Block((uint)s.Seed, r, (uint)d, 0u, Kernels.Random.Streams.QmcShift).X);
    }

    private static MarketParams MarketCore(Scenario s, double priceScale)
    {
        var m = s.Market;
        double[,] l = Cholesky(m.Correlation);
        double sqrt12 = Math.Sqrt(12.0);
        return new MarketParams
        {
            P01 = m.Regime.NormalToBust,
            P10 = m.Regime.BustToNormal,
            InitialRegime = m.Regime.Initial,
            LnPrice0 = Math.Log(m.Price.Initial * priceScale),
            PriceDrift0 = (m.Price.Drift - 0.5 * m.Price.Volatility * m.Price.Volatility) / 12.0,
            PriceDrift1 = (m.Price.DriftBust - 0.5 * m.Price.Volatility * m.Price.Volatility) / 12.0,
            PriceMu0 = m.Price.Drift,
            PriceMu1 = m.Price.DriftBust,
            PriceVolMonthly = m.Price.Volatility / sqrt12,
            LogitUtil0 = Logit(m.Utilisation.Initial),
            LogitTheta0 = Logit(m.Utilisation.Mean),
            LogitTheta1 = Logit(m.Utilisation.MeanBust),
            Theta0 = m.Utilisation.Mean,
            Theta1 = m.Utilisation.MeanBust,
            KappaMonthly = m.Utilisation.Reversion / 12.0,
            UtilVolMonthly = m.Utilisation.Volatility / sqrt12,
            LnElec0 = Math.Log(m.Electricity.Initial),
            ElecDrift = (m.Electricity.Drift - 0.5 * m.Electricity.Volatility * m.Electricity.Volatility) / 12.0,
            ElecVolMonthly = m.Electricity.Volatility / sqrt12,
            L00 = l[0, 0], L10 = l[1, 0], L11 = l[1, 1], L20 = l[2, 0], L21 = l[2, 1], L22 = l[2, 2],
            Seed = (uint)s.Seed,
            Antithetic = s.Sampling == "antithetic" ? Switch.On : Switch.Off,
        };
    }

    private static double Logit(double u) => Math.Log(u / (1.0 - u));

    /// <summary>Lower Cholesky factor of the shock correlation (identity when none is given), by MathNet.</summary>
    public static double[,] Cholesky(List<List<double>>? corr)
    {
        var result = new double[3, 3];
        if (corr == null)
        {
            for (int i = 0; i < 3; i++) result[i, i] = 1.0;
            return result;
        }
        string? rule = ScenarioValidator.CorrelationRule(corr);
        if (rule != null) throw new InputException("market.correlation", "(matrix)", rule);
        var m = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(3, 3, (i, j) => corr[i][j]);
        var f = m.Cholesky().Factor;
        for (int i = 0; i < 3; i++) for (int j = 0; j <= i; j++) result[i, j] = f[i, j];
        return result;
    }

    /// <summary>Kernel code of a depreciation method name.</summary>
    public static int MethodCode(string method) => method switch
    {
        "declining_balance" => DepreciationMath.DecliningBalance,
        "sum_of_years_digits" => DepreciationMath.SumOfYearsDigits,
        "units_of_production" => DepreciationMath.UnitsOfProduction,
        "macrs_5y" => DepreciationMath.Macrs5y,
        _ => DepreciationMath.StraightLine,
    };

    /// <summary>
    /// share[a-1] = (charge of month a) / (depreciable base remaining before month a), for a unit cost 1
    /// and salvage <paramref name="salvageFraction"/>: the kernel multiplies it by the cohort's remaining
    /// base, so additions to the basis are spread over the remaining life along the same pattern, and an
    /// untouched cohort reproduces the method's schedule exactly.
    /// </summary>
    public static double[] ShareTable(int method, int lifeMonths, double salvageFraction, double factor, bool noSwitch)
    {
        var share = new double[lifeMonths];
        if (method == DepreciationMath.UnitsOfProduction) return share;
        double remaining = method == DepreciationMath.Macrs5y ? 1.0 : 1.0 - salvageFraction;
        for (int a = 1; a <= lifeMonths; a++)
        {
            double charge = DepreciationMath.MonthlyBook(method, 1.0, method == DepreciationMath.Macrs5y ? 0.0 : salvageFraction,
                lifeMonths, a, factor, noSwitch);
            share[a - 1] = remaining > 1e-15 ? charge / remaining : 0.0;
            remaining -= charge;
        }
        return share;
    }
}
