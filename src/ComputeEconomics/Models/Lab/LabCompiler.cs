using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Models.Lab;

/// <summary>Validates and compiles model kind lab (SPEC 6); its answer lines. Equations: docs/model.md section 6.</summary>
public static class LabCompiler
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Probabilities of the quantiles read from a fleet run's summary.json (type-7 P1 .. P99).</summary>
    public static readonly double[] CostQuantileLevels = { 0.01, 0.05, 0.25, 0.50, 0.75, 0.95, 0.99 };

    private static readonly string[] CostQuantileKeys = { "p1", "p5", "p25", "p50", "p75", "p95", "p99" };

    /// <summary>Years of the insolvency flags: ceil(T/12).</summary>
    public static int Years(Scenario s) => (s.HorizonMonths + 11) / 12;

    /// <summary>Metric names of a lab run: the fixed ones, then insolvent_by_year_1 .. insolvent_by_year_Y.</summary>
    public static string[] MetricNames(Scenario s) => LabKind.Table.Names(Years(s));

    /// <summary>Cross-field rules of a lab scenario (the binder has checked each field alone).</summary>
    public static IReadOnlyList<ValidationError> Validate(Scenario s)
    {
        var errors = new List<ValidationError>();
        var l = s.Lab;
        if (s.Market.Price.Unit != "mtok")
            errors.Add(new ValidationError("market.price.unit", s.Market.Price.Unit,
                "must be mtok for model lab (the price index is the API price of a million tokens)"));
        if (l.Users.PayingInitial > l.Users.Ceiling)
            errors.Add(new ValidationError("lab.users.paying_initial", F(l.Users.PayingInitial),
                $"must be <= lab.users.ceiling ({F(l.Users.Ceiling)})"));
        if (l.Ownership.Founders + l.Ownership.EarlyInvestors > 1 + 1e-12)
            errors.Add(new ValidationError("lab.ownership.early_investors", F(l.Ownership.EarlyInvestors),
                $"must be <= 1 - lab.ownership.founders ({F(1 - l.Ownership.Founders)})"));
        if (l.Inference == "own_fleet")
        {
            if (l.InferenceCostFrom is { } path)
            {
                if (l.InferenceCostPerMtok != null)
                    errors.Add(new ValidationError("lab.inference_cost_per_mtok", F(l.InferenceCostPerMtok.Value),
                        "must be absent when lab.inference_cost_from is given (one source of the cost)"));
                LoadCostQuantiles(path, out string? rule);
                if (rule != null) errors.Add(new ValidationError("lab.inference_cost_from", path, rule));
            }
            else if (l.InferenceCostPerMtok == null)
                errors.Add(new ValidationError("lab.inference_cost_per_mtok", "(missing)",
                    "is required when lab.inference is own_fleet (or give lab.inference_cost_from)"));
        }
        else
        {
            if (l.InferenceCostFrom != null)
                errors.Add(new ValidationError("lab.inference_cost_from", l.InferenceCostFrom, "applies only when lab.inference is own_fleet"));
            if (l.InferenceCostPerMtok != null)
                errors.Add(new ValidationError("lab.inference_cost_per_mtok", F(l.InferenceCostPerMtok.Value), "applies only when lab.inference is own_fleet"));
        }
        return errors;
    }

    /// <summary>
    /// The cost_per_mtok quantiles P1, P5, P25, P50, P75, P95, P99 of a fleet run's summary.json (written by
    /// `ce run --out`), or null with the broken rule in <paramref name="rule"/>. A relative path is resolved from the
    /// working directory.
    /// </summary>
    public static double[]? LoadCostQuantiles(string path, out string? rule)
    {
        rule = null;
        string full;
        try { full = Path.GetFullPath(path); }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            rule = $"is not a valid path: {ex.Message}";
            return null;
        }
        if (!File.Exists(full))
        {
            rule = $"must name an existing file (a summary.json written by `ce run --out` of a fleet scenario); {full} does not exist";
            return null;
        }
        JsonNode? root;
        try
        {
            var info = new FileInfo(full);
            if (info.Length > 64 << 20) { rule = "must be at most 64 MiB"; return null; }
            root = JsonNode.Parse(File.ReadAllText(full));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            rule = $"cannot be read: {ex.Message}";
            return null;
        }
        catch (JsonException ex)
        {
            rule = $"is not valid JSON: {ex.Message}";
            return null;
        }
        try
        {
            string? model = root?["model"]?.GetValue<string>();
            if (model != "fleet")
            {
                rule = $"must be the summary.json of a fleet run (its model is {model ?? "missing"})";
                return null;
            }
            var cost = root!["metrics"]?["cost_per_mtok"];
            if (cost is not JsonObject)
            {
                rule = "has no metrics.cost_per_mtok";
                return null;
            }
            var q = new double[CostQuantileKeys.Length];
            for (int i = 0; i < q.Length; i++)
            {
                var v = cost[CostQuantileKeys[i]];
                if (v == null)
                {
                    rule = $"has no value for metrics.cost_per_mtok.{CostQuantileKeys[i]} (did the fleet serve any tokens?)";
                    return null;
                }
                q[i] = v.GetValue<double>();
                if (!double.IsFinite(q[i]) || q[i] < 0)
                {
                    rule = $"has metrics.cost_per_mtok.{CostQuantileKeys[i]} = {F(q[i])}; it must be a finite number >= 0";
                    return null;
                }
                if (i > 0 && q[i] < q[i - 1])
                {
                    rule = $"has decreasing quantiles of metrics.cost_per_mtok ({CostQuantileKeys[i - 1]} {F(q[i - 1])} > {CostQuantileKeys[i]} {F(q[i])})";
                    return null;
                }
            }
            return q;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            rule = $"does not have the layout of a summary.json ({ex.Message})";
            return null;
        }
    }

    /// <summary>Compile a validated lab scenario.</summary>
    public static IModelJob Compile(Scenario s)
    {
        var errors = Validate(s);
        if (errors.Count > 0) throw new InputException(errors);
        var l = s.Lab;
        var data = new List<double>();
        int mode = InferenceMode.ApiPrice;
        if (l.Inference == "own_fleet")
        {
            mode = InferenceMode.OwnFleetFixed;
            if (l.InferenceCostFrom is { } path)
            {
                double[] q = LoadCostQuantiles(path, out string? rule)
                             ?? throw new InputException("lab.inference_cost_from", path, rule ?? "cannot be read");
                data.AddRange(CostQuantileLevels);
                data.AddRange(q);
                mode = InferenceMode.OwnFleetFromRun;
            }
        }
        var p = new LabParams
        {
            // The price index stays in USD per million tokens: no conversion to perf-unit hours.
            Market = ScenarioCompiler.Market(s, 1.0, data),
            Months = s.HorizonMonths,
            Years = Years(s),
            PayingUsers0 = l.Users.PayingInitial,
            Ceiling = l.Users.Ceiling,
            GrowthMonthly = l.Users.GrowthRate / 12.0,
            GrowthVolMonthly = l.Users.GrowthVolatility / Math.Sqrt(12.0),
            Churn0 = l.Users.ChurnMonthly,
            Churn1 = l.Users.ChurnMonthlyBust,
            FreeRatio = l.Users.FreePerPaying,
            Arpu = l.ArpuUsdMonth,
            MtokPerUser0 = l.Tokens.MtokPerPayingUserMonth,
            LnTokenGrowthMonthly = Math.Log(1.0 + l.Tokens.Growth) / 12.0,
            FreeTokenShare = l.Tokens.FreeUserShare,
            ApiMtok0 = l.Api.MtokMonth,
            LnApiGrowthMonthly = Math.Log(1.0 + l.Api.Growth) / 12.0,
            RevenueShare = l.RevenueShare,
            InferenceMode = mode,
            OwnCostPerMtok = l.InferenceCostPerMtok ?? 0.0,
            LnCostDeclineMonthly = Math.Log(1.0 - l.InferenceCostDecline) / 12.0,
            CostTableOffset = 0,
            CostTableCount = mode == 2 ? CostQuantileLevels.Length : 0,
            Training0 = l.Training.UsdMonth,
            LnTrainingGrowthMonthly = Math.Log(1.0 + l.Training.Growth) / 12.0,
            Staff0 = l.Staff.UsdMonth,
            LnStaffGrowthMonthly = Math.Log(1.0 + l.Staff.Growth) / 12.0,
            InitialCash = l.InitialCash,
            RunwayMonths = l.Funding.RunwayMonths,
            RoundMonths = l.Funding.RoundMonths,
            FeeShare = l.Funding.FeeShare,
            Success0 = l.Funding.SuccessProbability,
            Success1 = l.Funding.SuccessProbabilityBust,
            Multiple0 = l.Funding.RevenueMultiple,
            Multiple1 = l.Funding.RevenueMultipleBust,
            Founders0 = l.Ownership.Founders,
            EarlyInvestors0 = l.Ownership.EarlyInvestors,
        };
        var model = new LabModel { P = p };
        var names = MetricNames(s);
        return new ModelJob<LabModel>(s, model, data.ToArray(), 0, names,
            new[] { "cash", "revenue", "costs", "paying_users", "inference_cost_per_mtok" })
        {
            EventMetrics = names.Where(n => n == "insolvent" || n.StartsWith("insolvent_by_year_", StringComparison.Ordinal)).ToArray(),
        };
    }

    /// <summary>The lab's answer: insolvency by year, capital raised, break-even, margins, dilution, ARR.</summary>
    public static IReadOnlyList<(string Label, string Text)> AnswerLines(IRunStatistics s)
    {
        var lines = new List<(string, string)>();
        var byYear = s.Probabilities.Where(p => p.Key.StartsWith("insolvent_by_year_", StringComparison.Ordinal))
            .Select(p => (Year: int.Parse(p.Key["insolvent_by_year_".Length..], Inv), p.Value)).OrderBy(p => p.Year).ToList();
        if (byYear.Count > 0)
            lines.Add(("P(insolvent by year k)", string.Join("  ", byYear.Select(p => $"{p.Year}: {P(p.Value.P)}"))
                + $"  (+/- {P(byYear[^1].Value.StdError)} at year {byYear[^1].Year})"));
        var raised = s.Metric("capital_raised");
        var rounds = s.Metric("rounds");
        lines.Add(("Capital raised, USD", $"mean {Format.Money(raised.Mean)}  P50 {Format.Money(raised.P50)}  P95 {Format.Money(raised.P95)}  (mean {rounds.Mean.ToString("0.0", Inv)} rounds)"));
        var be = s.Metric("months_to_break_even");
        string never = $"never on {be.Absent:N0} of {s.Paths:N0} paths ({P((double)be.Absent / s.Paths)})";
        lines.Add(("Months to break-even", be.Count > 0 ? $"P50 {be.P50.ToString("0", Inv)}; {never}" : never));
        var gm = s.Metric("gross_margin");
        var bm = s.Metric("burn_multiple");
        lines.Add(("Gross margin", $"P50 {P(gm.P50)} (P5 {P(gm.P5)}, P95 {P(gm.P95)});  burn multiple P50 {N(bm.P50)}"));
        var f = s.Metric("founders_ownership");
        var e = s.Metric("early_investors_ownership");
        lines.Add(("Ownership at the horizon", $"founders P50 {P(f.P50)}, early investors P50 {P(e.P50)}"));
        var arr = s.Metric("final_arr");
        lines.Add(("ARR at the horizon, USD", $"P5 {Format.Money(arr.P5)}  P50 {Format.Money(arr.P50)}  P95 {Format.Money(arr.P95)} (0 once insolvent)"));
        return lines;
    }

    private static string P(double x) => Format.Percent(x);
    private static string N(double x) => double.IsNaN(x) ? "-" : Format.Fixed(x, "0.00");
    private static string F(double x) => x.ToString("G", Inv);
}
