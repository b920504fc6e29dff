using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ComputeEconomics.Calibration;

/// <summary>The files of `ce calibrate price --out DIR`: calibration.yaml, fit.json, forecast.csv, backtest.csv, the charts.</summary>
public static class CalibrationOutputs
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Every output file by name.</summary>
    public static Dictionary<string, byte[]> Files(CalibrationResult r, string provenance)
    {
        var chart = CalibrationChart.Render(r);
        return new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["calibration.yaml"] = Encoding.UTF8.GetBytes(Yaml(r, provenance)),
            ["fit.json"] = Encoding.UTF8.GetBytes(Json(r, provenance)),
            ["forecast.csv"] = Encoding.UTF8.GetBytes(ForecastCsv(r)),
            ["backtest.csv"] = Encoding.UTF8.GetBytes(BacktestCsv(r)),
            ["chart.png"] = chart.Png,
            ["chart.svg"] = Encoding.UTF8.GetBytes(chart.Svg),
        };
    }

    private static string F(double x) => x.ToString("R", Inv);

    private static string G(double x) => double.IsFinite(x) ? x.ToString("G6", Inv) : "nan";

    /// <summary>
    /// A scenario fragment (start, market.price and, for regime switching, market.regime) whose parameters are
    /// distributions carrying the fit's uncertainty (docs/uncertainty.md). It uses the best fit among the processes
    /// the engine runs (random walk with drift, regime switching).
    /// </summary>
    public static string Yaml(CalibrationResult r, string provenance)
    {
        var e = r.Engine;
        var est = e.Estimates.ToDictionary(x => x.Name);
        var last = r.Forecast.History[^1];
        double sigmaInitial = (Math.Log(last.P95) - Math.Log(last.P5)) / (2 * 1.644854);
        var sb = new StringBuilder();
        sb.AppendLine($"# Scenario fragment written by `ce calibrate price` ({provenance}).");
        sb.AppendLine($"# Data {Path.GetFileName(r.Settings.DataFile)}: generation {r.Settings.Generation}, contract {r.Settings.Contract ?? "all (offsets fitted)"}, months {Months.Format(r.Data.StartMonth)} to {Months.Format(r.LastMonth)}, {r.Fitted.Count} rows in {r.Data.Points.Count} points.");
        sb.AppendLine($"# Market level: the typical vendor's {r.Data.Contracts[0]} price (vendor/product effects are random, sd {G(est["vendor_sd"].Value)} in logs).");
        sb.AppendLine("# Candidates by AIC: " + string.Join("; ", r.Candidates.OrderBy(c => c.Aic).Select(c => $"{c.Process.Name} {c.Aic.ToString("F1", Inv)}")));
        if (r.Chosen != e)
            sb.AppendLine($"# The data prefer {r.Chosen.Process.Name} (AIC lower by {(e.Aic - r.Chosen.Aic).ToString("F1", Inv)}), which the engine's price driver cannot represent; this fragment is the best engine process, {e.Process.Name}.");
        sb.AppendLine($"# Distributions: normal (mean, sd = standard error) or lognormal (median, sigma = standard error of the log); start is the last fitted month, initial its filtered level.");
        sb.AppendLine($"start: {Months.Format(r.LastMonth)}");
        if (e.Process.Kind == ProcessKind.RegimeSwitching)
        {
            sb.AppendLine("market:");
            sb.AppendLine("  regime:");
            sb.AppendLine($"    initial: {(r.Engine == r.Chosen ? MostLikelyRegime(r) : 0)}");
            sb.AppendLine($"    normal_to_bust: {Probability(est["normal_to_bust"])}");
            sb.AppendLine($"    bust_to_normal: {Probability(est["bust_to_normal"])}");
        }
        else sb.AppendLine("market:");
        sb.AppendLine("  price:");
        sb.AppendLine($"    initial: {{dist: lognormal, median: {F(Math.Round(last.P50, 4))}, sigma: {F(Math.Round(sigmaInitial, 4))}}}");
        sb.AppendLine($"    drift: {Normal(est["engine_drift"])}");
        if (e.Process.Kind == ProcessKind.RegimeSwitching) sb.AppendLine($"    drift_bust: {Normal(est["engine_drift_bust"])}");
        sb.AppendLine($"    volatility: {Volatility(est["volatility"])}");
        return sb.ToString();
    }

    /// <summary>Lognormal around the estimate; a plain number when the estimate is at the boundary 0 (no interval).</summary>
    private static string Volatility(ParameterEstimate v)
    {
        double median = Math.Round(v.Value, 4);
        return median > 0 && double.IsFinite(v.SeScaled)
            ? $"{{dist: lognormal, median: {F(median)}, sigma: {F(Math.Round(v.SeScaled, 4))}, max: 5}}"
            : $"{F(median)}    # at the boundary 0: the common level has no detectable month-to-month noise, so no interval";
    }

    private static double Finite(double x) => double.IsFinite(x) ? x : 0;

    private static int MostLikelyRegime(CalibrationResult r)
    {
        var (_, last) = KimFilter.Run(r.Data, r.Engine.Decoded);
        return last.Prob.Length > 1 && last.Prob[1] > last.Prob[0] ? 1 : 0;
    }

    private static string Normal(ParameterEstimate p) =>
        $"{{dist: normal, mean: {F(Math.Round(p.Value, 4))}, sd: {F(Math.Round(Finite(p.Se), 4))}, min: -5, max: 5}}";

    private static string Probability(ParameterEstimate p) =>
        $"{{dist: normal, mean: {F(Math.Round(p.Value, 4))}, sd: {F(Math.Round(Finite(p.Se), 4))}, min: 0, max: 1}}";

    /// <summary>Monthly quantiles of the market level from the month after the last fitted month.</summary>
    public static string ForecastCsv(CalibrationResult r)
    {
        var sb = new StringBuilder("date,p5,p25,p50,p75,p95\n");
        foreach (var m in r.Forecast.Months.Take(r.Settings.HorizonMonths))
            sb.Append(string.Join(",", Months.Format(m.Month), N(m.P5), N(m.P25), N(m.P50), N(m.P75), N(m.P95))).Append('\n');
        return sb.ToString();
    }

    /// <summary>Every later observation with its bands and whether it fell inside.</summary>
    public static string BacktestCsv(CalibrationResult r)
    {
        var sb = new StringBuilder("date,vendor,product,contract,value,horizon_months,level_p5,level_p25,level_p50,level_p75,level_p95,obs_p5,obs_p25,obs_p50,obs_p75,obs_p95,in50,in90,level_in50,level_in90,source\n");
        foreach (var b in r.Forecast.Backtest)
        {
            var o = b.Observation;
            var p = b.Predictive;
            string Q(Func<LevelBand, double> f) => p is null ? "" : N(f(p));
            sb.Append(string.Join(",", o.Date.ToString("yyyy-MM-dd", Inv), Csv(o.Vendor), Csv(o.Product), o.Contract, N(o.Value), b.Horizon,
                N(b.Level.P5), N(b.Level.P25), N(b.Level.P50), N(b.Level.P75), N(b.Level.P95),
                Q(x => x.P5), Q(x => x.P25), Q(x => x.P50), Q(x => x.P75), Q(x => x.P95),
                b.In50?.ToString() ?? "", b.In90?.ToString() ?? "", b.LevelIn50, b.LevelIn90, Csv(o.Source))).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>RFC 4180 section 2, rules 6-7: a field with a comma, a quote or a line break is quoted, its quotes doubled.</summary>
    private static string Csv(string s) => s.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{s.Replace("\"", "\"\"")}\"" : s;

    /// <summary>A CSV number: round-trip text, empty when absent or not finite (<see cref="CsvText.Number"/>).</summary>
    private static string N(double x) => CsvText.Number(x);

    /// <summary>fit.json: settings, the candidates (estimates, intervals, log-likelihood, AIC, BIC), the choice, the backtest.</summary>
    public static string Json(CalibrationResult r, string provenance)
    {
        var (scored, c50, c90) = r.Forecast.Coverage();
        var (count, l50, l90) = r.Forecast.LevelCoverage();
        var root = new JsonObject
        {
            ["provenance"] = provenance,
            ["data"] = r.Settings.DataFile,
            ["generation"] = r.Settings.Generation,
            ["contract"] = r.Settings.Contract,
            ["until"] = Months.Format(r.LastMonth),
            ["first_month"] = Months.Format(r.Data.StartMonth),
            ["rows"] = r.Fitted.Count,
            ["points"] = r.Data.Points.Count,
            ["vendors"] = r.Data.Vendors.Count,
            ["reference_contract"] = r.Data.Contracts[0],
            ["contracts"] = new JsonArray(r.Data.Contracts.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
            ["chosen"] = r.Chosen.Process.Name,
            ["engine_model"] = r.Engine.Process.Name,
            ["models"] = new JsonArray(r.Candidates.Select(c => (JsonNode?)Candidate(c, r)).ToArray()),
            ["forecast"] = new JsonObject { ["draws"] = r.Forecast.Draws, ["paths"] = r.Forecast.Paths, ["seed"] = r.Settings.Seed, ["horizon_months"] = r.Settings.HorizonMonths },
            ["backtest"] = new JsonObject
            {
                ["later_observations"] = count, ["scored"] = scored, ["coverage50"] = Num(c50), ["coverage90"] = Num(c90),
                ["level_coverage50"] = Num(l50), ["level_coverage90"] = Num(l90),
            },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static JsonNode? Num(double x) => double.IsFinite(x) ? JsonValue.Create(x) : null;

    private static JsonObject Candidate(CandidateFit c, CalibrationResult r)
    {
        double best = r.Candidates.Min(x => x.Aic);
        var est = new JsonArray(c.Estimates.Select(e => (JsonNode?)new JsonObject
        {
            ["name"] = e.Name, ["estimate"] = Num(e.Value), ["se"] = Num(e.Se), ["low95"] = Num(e.Low), ["high95"] = Num(e.High),
            ["interval_scale"] = e.Scale, ["meaning"] = e.Meaning,
        }).ToArray());
        return new JsonObject
        {
            ["model"] = c.Process.Name, ["log_likelihood"] = Num(c.LogLik), ["parameters"] = c.ParameterCount,
            ["aic"] = Num(c.Aic), ["bic"] = Num(c.Bic), ["delta_aic"] = Num(c.Aic - best),
            ["hessian_positive_definite"] = c.HessianPositiveDefinite, ["estimates"] = est,
        };
    }
}
