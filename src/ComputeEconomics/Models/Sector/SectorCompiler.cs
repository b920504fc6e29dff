using System.Globalization;
using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Models.Sector;

/// <summary>Validates and compiles model kind sector (SPEC 7); its answer lines. Equations: docs/model.md section 7.</summary>
public static class SectorCompiler
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Years of the horizon (T/12).</summary>
    public static int Years(Scenario s) => s.HorizonMonths / 12;

    /// <summary>Name of per-year field <paramref name="field"/> in year <paramref name="year"/> (1-based).</summary>
    public static string YearMetric(int field, int year) => SectorKind.Table.Families[field].Name(year);

    /// <summary>Every metric name in kernel order.</summary>
    public static string[] MetricNames(Scenario s) => SectorKind.Table.Names(Years(s));

    /// <summary>Cross-field rules of a sector scenario.</summary>
    public static IReadOnlyList<ValidationError> Validate(Scenario s)
    {
        var errors = new List<ValidationError>();
        var c = s.Sector;
        if (s.HorizonMonths % 12 != 0)
            errors.Add(new ValidationError("horizon_months", s.HorizonMonths.ToString(Inv), "must be a multiple of 12 for model sector (it runs in years)"));
        CheckSeries(errors, "sector.capex_reported", c.CapexReported);
        CheckSeries(errors, "sector.ai_revenue_reported", c.AiRevenueReported);
        return errors;
    }

    private static void CheckSeries(List<ValidationError> errors, string field, List<double>? values)
    {
        if (values == null || values.Count == 0)
        {
            errors.Add(new ValidationError(field, "(empty)", "must list at least the first year (USD billions)"));
            return;
        }
        for (int i = 0; i < values.Count; i++)
            if (!double.IsFinite(values[i]) || values[i] <= 0 || values[i] > 1e7)
                errors.Add(new ValidationError($"{field}[{i}]", values[i].ToString("G", Inv), "must be in (0, 1e7] USD billions"));
    }

    /// <summary>Compile a validated sector scenario.</summary>
    public static IModelJob Compile(Scenario s)
    {
        var errors = Validate(s);
        if (errors.Count > 0) throw new InputException(errors);
        var c = s.Sector;
        var data = new List<double>();
        int capexOffset = data.Count;
        data.AddRange(c.CapexReported);
        int revenueOffset = data.Count;
        data.AddRange(c.AiRevenueReported);
        double cv = c.CapexVolatility, rv = c.AiRevenueVolatility;
        var p = new SectorParams
        {
            Market = ScenarioCompiler.Market(s, 1.0, data),
            Months = s.HorizonMonths,
            Years = Years(s),
            CapexOffset = capexOffset,
            CapexCount = c.CapexReported.Count,
            RevenueOffset = revenueOffset,
            RevenueCount = c.AiRevenueReported.Count,
            CapexDrift0 = Math.Log(1.0 + c.CapexGrowth) - 0.5 * cv * cv,
            CapexDrift1 = Math.Log(1.0 + c.CapexGrowthBust) - 0.5 * cv * cv,
            CapexVol = cv,
            RevenueDrift0 = Math.Log(1.0 + c.AiRevenueGrowth) - 0.5 * rv * rv,
            RevenueDrift1 = Math.Log(1.0 + c.AiRevenueGrowthBust) - 0.5 * rv * rv,
            RevenueVol = rv,
            ShockCorrelation = c.ShockCorrelation,
            ShockComplement = Math.Sqrt(1.0 - c.ShockCorrelation * c.ShockCorrelation),
            TcoMultiple = c.TcoMultiple,
            TargetMargin = c.TargetMargin,
            BookLifeYears = c.BookLifeYears,
            EconomicLifeYears = c.EconomicLifeYears,
            ShortLivedShare = c.ShortLivedShare,
            Gdp0 = c.GdpUsdB,
            LnGdpGrowth = Math.Log(1.0 + c.GdpGrowth),
            DomesticShare = c.DomesticShare,
        };
        var model = new SectorModel { P = p };
        var names = MetricNames(s);
        return new ModelJob<SectorModel>(s, model, data.ToArray(), model.ScratchPerPath, names,
            new[] { "capex", "ai_revenue", "required_revenue", "revenue_gap", "overstatement" })
        {
            EventMetrics = Enumerable.Range(1, Years(s)).Select(y => YearMetric(SectorYearField.GapClosedBy, y)).ToArray(),
        };
    }

    /// <summary>The sector's answer: the required revenue and the gap, P(gap closes by year k), the overstatement, GDP.</summary>
    public static IReadOnlyList<(string Label, string Text)> AnswerLines(IRunStatistics s)
    {
        var lines = new List<(string, string)>();
        int years = s.Metrics.Count(m => m.Name.StartsWith("capex_y", StringComparison.Ordinal));
        if (years == 0) return lines;
        double Mean(int f, int y) => s.Metric(YearMetric(f, y)).Mean;
        lines.Add(("Year 1, USD B", $"capex {B(Mean(0, 1))}  required revenue {B(Mean(2, 1))}  AI revenue {B(Mean(1, 1))}  gap {B(Mean(3, 1))}"));
        if (years > 1)
        {
            var gap = s.Metric(YearMetric(SectorYearField.RevenueGap, years));
            lines.Add(($"Gap in year {years}, USD B", $"P5 {B(gap.P5)}  P50 {B(gap.P50)}  P95 {B(gap.P95)}"));
        }
        var closed = Enumerable.Range(1, years).Select(y => s.Probabilities[YearMetric(SectorYearField.GapClosedBy, y)]).ToList();
        lines.Add(("P(gap closed by year k)", string.Join("  ", closed.Select((p, i) => $"{i + 1}: {P(p.P)}"))
            + $"  (1 s.e. at most {P(closed.Max(p => p.StdError))})"));
        lines.Add(("Overstatement by year, USD B", string.Join("  ", Enumerable.Range(1, years).Select(y =>
            $"{y}: {B(Mean(SectorYearField.Overstatement, y))}")) + "  (mean; economic minus book depreciation)"));
        lines.Add(("Capex / GDP", string.Join("  ", Enumerable.Range(1, years).Select(y => $"{y}: {P(Mean(SectorYearField.CapexShareGdp, y))}")) + "  (mean)"));
        if (years > 1)
            lines.Add(("Contribution to GDP growth", string.Join("  ", Enumerable.Range(2, years - 1).Select(y =>
                $"{y}: {Format.Fixed(100 * Mean(SectorYearField.GdpContribution, y), "0.00")}pp")) + "  (mean)"));
        return lines;
    }

    private static string B(double x) => double.IsNaN(x) ? "-" : Format.Fixed(x, "0.0");
    private static string P(double x) => Format.Percent(x);
}
