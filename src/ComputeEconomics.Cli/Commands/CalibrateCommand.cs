using System.ComponentModel;
using System.Globalization;
using ComputeEconomics.Calibration;
using ComputeEconomics.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ComputeEconomics.Cli.Commands;

/// <summary>
/// `ce calibrate price --data FILE [--generation G] [--contract C] [--until YYYY-MM] [--horizon-months N] --out DIR`:
/// maximum-likelihood fit of the price driver to the cross-vendor market level, with a forecast and a backtest.
/// </summary>
public sealed class CalibratePriceCommand : Command<CalibratePriceCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--data <FILE>"), Description("Tidy rents file (data/gpu_rents.csv)")]
        public string Data { get; init; } = "";

        [CommandOption("--generation <G>"), Description("Generation to fit (A100, H100, ...); default H100")]
        public string Generation { get; init; } = "H100";

        [CommandOption("--contract <C>"), Description("Fit one contract only: on_demand, spot, term_1y, term_3y, index (default: all, with fitted offsets)")]
        public string? Contract { get; init; }

        [CommandOption("--until <YYYY-MM>"), Description("Last month of the fit; later observations are the backtest")]
        public string? Until { get; init; }

        [CommandOption("--horizon-months <N>"), Description("Months forecast after the last fitted month, 1..600 (default 36)")]
        public int HorizonMonths { get; init; } = 36;

        [CommandOption("--seed <S>"), Description("Seed of the forecast's Monte Carlo (Philox4x32-10 keyed by draw and path), 0..4294967295 (default 1)")]
        public uint Seed { get; init; } = 1;

        [CommandOption("--out <DIR>"), Description("Output folder: calibration.yaml, fit.json, forecast.csv, backtest.csv, chart.png, chart.svg")]
        public string Out { get; init; } = "";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>();
        if (settings.Data.Length == 0) errors.Add(new ValidationError("--data", "(missing)", "is required: a tidy rents file such as data/gpu_rents.csv"));
        if (settings.Out.Length == 0) errors.Add(new ValidationError("--out", "(missing)", "is required: the output folder"));
        int? until = null;
        if (settings.Until != null)
        {
            until = Months.Parse(settings.Until);
            if (until == null) errors.Add(new ValidationError("--until", settings.Until, "must be a month YYYY-MM"));
        }
        if (errors.Count > 0) throw new InputException(errors);
        // The destination is checked before the fit: a calibration that cannot be written is not run.
        OutputFolder.Check("--out", settings.Out);
        var result = PriceCalibration.Run(new CalibrationSettings(settings.Data, settings.Generation, settings.Contract, until,
                                                                  settings.HorizonMonths, settings.Seed), Cli.Linked(cancellationToken));
        string provenance = $"ce {EngineVersion.Current}, {DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} UTC";
        AtomicFiles.Replace(settings.Out, CalibrationOutputs.Files(result, provenance));
        Print(result, settings.Out);
        return Cli.Ok;
    }

    private static string N(double x, string fmt = "G4") => double.IsFinite(x) ? x.ToString(fmt, CultureInfo.InvariantCulture) : "-";

    private static void Print(CalibrationResult r, string outDir)
    {
        var o = Cli.Out;
        o.WriteLine($"{r.Settings.Generation}: {r.Fitted.Count} rows ({r.Data.Points.Count} points, {r.Data.Vendors.Count} vendor/products, contracts {string.Join(", ", r.Data.Contracts)}) from {Months.Format(r.Data.StartMonth)} to {Months.Format(r.LastMonth)}");
        var models = new Table().AddColumns("model", "k", "log-lik", "AIC", "BIC", "dAIC");
        double best = r.Candidates.Min(c => c.Aic);
        foreach (var c in r.Candidates)
            models.AddRow(c.Process.Name + (c == r.Chosen ? " *" : ""), c.ParameterCount.ToString(CultureInfo.InvariantCulture),
                          N(c.LogLik, "F2"), N(c.Aic, "F2"), N(c.Bic, "F2"), N(c.Aic - best, "F2"));
        o.Write(models);
        var est = new Table().AddColumns("parameter", "estimate", "95% interval", "meaning");
        foreach (var e in r.Chosen.Estimates)
            est.AddRow(e.Name, N(e.Value), $"{N(e.Low)} .. {N(e.High)}", Markup.Escape(e.Meaning));
        o.WriteLine($"chosen by AIC: {r.Chosen.Process.Name}; calibration.yaml uses {r.Engine.Process.Name}");
        o.Write(est);
        var first = r.Forecast.Months[0];
        o.WriteLine($"forecast {Months.Format(first.Month)}: median {N(first.P50)} (90% {N(first.P5)} .. {N(first.P95)}) USD per GPU-hour");
        var (scored, c50, c90) = r.Forecast.Coverage();
        var (count, l50, l90) = r.Forecast.LevelCoverage();
        string scoredText = scored == 0
            ? "none on a fitted contract, so no observation-band coverage"
            : $"{scored} scored against the observation bands: coverage 50% band {N(c50 * 100, "F0")}%, 90% band {N(c90 * 100, "F0")}%";
        o.WriteLine(count == 0
            ? "backtest: no observations after the last fitted month"
            : $"backtest: {count} later observations; {scoredText}; against the level bands: {N(l50 * 100, "F0")}% and {N(l90 * 100, "F0")}%");
        o.WriteLine($"wrote {outDir}/calibration.yaml, fit.json, forecast.csv, backtest.csv, chart.png, chart.svg");
    }
}
