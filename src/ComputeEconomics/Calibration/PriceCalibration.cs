namespace ComputeEconomics.Calibration;

/// <summary>The settings of `ce calibrate price`.</summary>
/// <param name="DataFile">The tidy rents file.</param>
/// <param name="Generation">Generation to fit (exact, case-insensitive).</param>
/// <param name="Contract">One contract only, or null for every contract (offsets fitted).</param>
/// <param name="Until">Last month of the fit (absolute month index), or null for the last observation's month.</param>
/// <param name="HorizonMonths">Months forecast after the last fitted month.</param>
/// <param name="Seed">Seed of the forecast's Monte Carlo.</param>
public sealed record CalibrationSettings(string DataFile, string Generation, string? Contract, int? Until, int HorizonMonths, uint Seed);

/// <summary>Everything `ce calibrate price` computes.</summary>
public sealed record CalibrationResult(
    CalibrationSettings Settings, PriceData Data, IReadOnlyList<Observation> Fitted, IReadOnlyList<Observation> Later,
    IReadOnlyList<CandidateFit> Candidates, CandidateFit Chosen, CandidateFit Engine, ForecastResult Forecast)
{
    /// <summary>The last fitted month (absolute index).</summary>
    public int LastMonth => Data.StartMonth + Data.MonthCount - 1;
}

/// <summary>Loads the data, fits every candidate, chooses by AIC, forecasts and backtests.</summary>
public static class PriceCalibration
{
    /// <summary>The contract names accepted by --contract.</summary>
    public static IReadOnlyList<string> Contracts => ObservationLoader.Contracts;

    /// <summary>Run the calibration described by <paramref name="settings"/>.</summary>
    /// <remarks>The cancellation (SIGINT/SIGTERM) is checked at every likelihood evaluation of the fits and every parameter draw of the forecast.</remarks>
    public static CalibrationResult Run(CalibrationSettings settings, CancellationToken cancellation = default)
    {
        Check(settings);
        settings = settings with { Generation = settings.Generation.Trim() };
        var rows = ObservationLoader.Load(settings.DataFile);
        var selected = PriceData.Select(rows, settings.Generation, settings.Contract);
        if (selected.Count == 0)
            throw NoRows(rows, settings);
        int lastObserved = selected.Max(o => o.MonthIndex);
        // A month after the data would be fitted as empty months (2099-01: 870 of them, the fit ran for many minutes) and
        // leave nothing to backtest; the future is --horizon-months' job.
        if (settings.Until is int after && after > lastObserved)
            throw new InputException("--until", Months.Format(after),
                $"must not be after the last {settings.Generation} observation in {settings.DataFile} ({Months.Format(lastObserved)}); forecast beyond it with --horizon-months");
        int until = settings.Until ?? lastObserved;
        var fitted = selected.Where(o => o.MonthIndex <= until).ToList();
        var later = selected.Where(o => o.MonthIndex > until).ToList();
        int months = fitted.Select(o => o.MonthIndex).Distinct().Count();
        if (settings.Until is null && months < 3)
            throw new InputException("--generation", settings.Generation,
                $"has gpu_rent rows{(settings.Contract is null ? "" : $" with contract {settings.Contract}")} in {months} month(s) of {settings.DataFile}; the fit needs observations in at least 3 months");
        var data = PriceData.Build(fitted, until);
        int needed = PriceProcess.All.Max(p => p.ParameterCount(data.Contracts.Count)) + 1;
        if (data.Points.Count < needed)
            throw new InputException(settings.Until is null ? "--generation" : "--until",
                settings.Until is int u ? Months.Format(u) : settings.Generation,
                $"leaves {data.Points.Count} points (vendor, product, contract and month) for {settings.Generation}{(settings.Contract is null ? "" : $" {settings.Contract}")}; the candidates need at least {needed} (the regime-switching model has {needed - 1} parameters with {data.Contracts.Count} contracts)");
        var candidates = PriceFit.FitAll(data, cancellation);
        var chosen = candidates.OrderBy(c => c.Aic).First();
        var engine = candidates.Where(c => c.Process.Kind is ProcessKind.RandomWalk or ProcessKind.RegimeSwitching)
                               .OrderBy(c => c.Aic).First();
        var forecast = PriceForecast.Run(data, chosen, settings.HorizonMonths, later, settings.Seed, cancellation: cancellation);
        return new CalibrationResult(settings, data, fitted, later, candidates, chosen, engine, forecast);
    }

    /// <summary>
    /// The error for a generation without rows: the generations that have rent rows (with --contract: of that contract),
    /// or, when the generation has rows but none of the contract, the contracts it has.
    /// </summary>
    private static InputException NoRows(IReadOnlyList<Observation> rows, CalibrationSettings s)
    {
        var rents = rows.Where(r => r.Series == "gpu_rent").ToList();
        var own = rents.Where(r => string.Equals(r.Generation, s.Generation, StringComparison.OrdinalIgnoreCase)).Select(r => r.Contract)
                       .Distinct().OrderBy(c => c, StringComparer.Ordinal).ToList();
        string where = s.Contract is null ? $"in {s.DataFile}" : $"with contract {s.Contract} in {s.DataFile}";
        string hint = own.Count > 0
            ? $"its contracts there: {string.Join(", ", own)}"
            : $"generations there{(s.Contract is null ? "" : $" with contract {s.Contract}")}: "
              + string.Join(", ", rents.Where(r => s.Contract is null || r.Contract == s.Contract).Select(r => r.Generation).Distinct().OrderBy(g => g, StringComparer.Ordinal));
        return new InputException("--generation", s.Generation, $"has no gpu_rent rows {where} ({hint})");
    }

    private static void Check(CalibrationSettings s)
    {
        var errors = new List<ValidationError>();
        if (s.HorizonMonths < 1 || s.HorizonMonths > 600)
            errors.Add(new ValidationError("--horizon-months", s.HorizonMonths.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be a whole number from 1 to 600"));
        if (s.Contract != null && !Contracts.Contains(s.Contract))
            errors.Add(new ValidationError("--contract", s.Contract, $"must be one of {string.Join(", ", Contracts)}"));
        if (s.Generation.Trim().Length == 0) errors.Add(new ValidationError("--generation", "(empty)", "must name a generation, e.g. H100"));
        if (errors.Count > 0) throw new InputException(errors);
    }
}
