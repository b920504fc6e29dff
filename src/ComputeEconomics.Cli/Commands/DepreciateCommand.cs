using System.ComponentModel;
using System.Globalization;
using ComputeEconomics.Finance;
using ComputeEconomics.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ComputeEconomics.Cli.Commands;

/// <summary>
/// <c>ce depreciate</c>: a depreciation schedule (period, depreciation, book value) or, with
/// <c>--start</c> and <c>--end</c>, the depreciation over that span (VDB for declining balance).
/// Bad arguments raise <see cref="InputException"/> with every problem, named by option.
/// </summary>
public sealed class DepreciateCommand : Command<DepreciateCommand.Settings>
{
    /// <summary>Options of <c>ce depreciate</c>. Numbers are read with the invariant culture.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Initial cost (money), &gt; 0. Required.</summary>
        [CommandOption("--cost <COST>")]
        [Description("Initial cost, > 0 (required)")]
        public string? Cost { get; init; }

        /// <summary>Salvage value at the end of the life. Required except for macrs_5y (always 0).</summary>
        [CommandOption("--salvage <SALVAGE>")]
        [Description("Salvage value, 0..cost (required; must be 0 or omitted for macrs_5y)")]
        public string? Salvage { get; init; }

        /// <summary>Life in whole periods. Required except for macrs_5y (5).</summary>
        [CommandOption("--life <PERIODS>")]
        [Description("Life in whole periods (required; 5 for macrs_5y, the default there)")]
        public string? Life { get; init; }

        /// <summary>Method name; straight_line when omitted.</summary>
        [CommandOption("--method <METHOD>")]
        [Description("straight_line (default), declining_balance, sum_of_years_digits or macrs_5y, as in scenario files (hyphens also accepted); aliases SLN, SYD, VDB, DDB (no switch), db, macrs")]
        public string? Method { get; init; }

        /// <summary>Declining-balance rate multiplier; 2 when omitted.</summary>
        [CommandOption("--factor <FACTOR>")]
        [Description("Declining-balance rate multiplier, > 0 (default 2)")]
        public string? Factor { get; init; }

        /// <summary>Declining balance only: plain DDB, never switching to straight line.</summary>
        [CommandOption("--no-switch")]
        [Description("Declining balance: never switch to straight line (plain DDB)")]
        public bool NoSwitch { get; init; }

        /// <summary>Start of a span, in periods (with --end).</summary>
        [CommandOption("--start <PERIOD>")]
        [Description("Start of a span, fractional allowed; prints the total from start to end")]
        public string? Start { get; init; }

        /// <summary>End of a span, in periods (with --start).</summary>
        [CommandOption("--end <PERIOD>")]
        [Description("End of a span (fractional allowed)")]
        public string? End { get; init; }

        /// <summary>Write CSV (invariant culture, round-trip precision) instead of a table.</summary>
        [CommandOption("--csv")]
        [Description("CSV output: period,depreciation,book_value with full precision")]
        public bool Csv { get; init; }
    }

    /// <summary>Runs the command on the process console.</summary>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        Run(settings, AnsiConsole.Console, Console.Out);
        return 0;
    }

    /// <summary>
    /// Validates <paramref name="settings"/> and writes the result: the table to
    /// <paramref name="console"/>, CSV and the span total to <paramref name="plain"/> (never wrapped).
    /// </summary>
    /// <exception cref="InputException">Any option is missing or breaks a rule; lists them all.</exception>
    internal static void Run(Settings settings, IAnsiConsole console, TextWriter plain)
    {
        try
        {
            Write(settings, console, plain);
        }
        catch (InputException ex) when (ex.Errors.Any(e => !e.Field.StartsWith("--", StringComparison.Ordinal)))
        {
            // Rules found while computing (a result that overflows) name the option.
            throw new InputException(ex.Errors.Select(e => e.Field.StartsWith("--", StringComparison.Ordinal) ? e : e with { Field = "--" + e.Field }).ToList());
        }
    }

    private static void Write(Settings settings, IAnsiConsole console, TextWriter plain)
    {
        var request = Parse(settings);
        if (request.Start is double start && request.End is double end)
        {
            double total = Depreciation.Total(request.Cost, request.Salvage, request.Life, start, end,
                request.Method, request.Factor, request.NoSwitch);
            if (settings.Csv)
            {
                plain.Write(CsvText.Write(new[] { "start", "end", "depreciation" }, new[] { new[] { R(start), R(end), R(total) } }));
            }
            else
            {
                plain.Write($"Depreciation from period {R(start)} to {R(end)}: {N2(total)}\n");
            }
            return;
        }

        var rows = Depreciation.Schedule(request.Cost, request.Salvage, request.Life, request.Method,
            request.Factor, request.NoSwitch);
        if (settings.Csv)
        {
            plain.Write(CsvText.Write(new[] { "period", "depreciation", "book_value" },
                rows.Select(row => new[] { row.Period.ToString(CultureInfo.InvariantCulture), R(row.Depreciation), R(row.BookValue) })));
            return;
        }

        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn(new TableColumn("Period").RightAligned());
        table.AddColumn(new TableColumn("Depreciation").RightAligned());
        table.AddColumn(new TableColumn("Book value").RightAligned());
        foreach (var row in rows)
            table.AddRow(row.Period.ToString(CultureInfo.InvariantCulture), N2(row.Depreciation), N2(row.BookValue));
        console.Write(table);
    }

    /// <summary>Parsed, validated arguments.</summary>
    private sealed record Request(double Cost, double Salvage, double Life, DepreciationMethod Method, double Factor,
        double? Start, double? End, bool NoSwitch);

    /// <summary>Parses every option, collecting all errors (field names are the option names).</summary>
    private static Request Parse(Settings s)
    {
        var errors = new List<ValidationError>();
        var method = DepreciationMethod.StraightLine;
        bool methodOk = true, ddb = false;
        try { if (s.Method is not null) method = Depreciation.ParseMethod("--method", s.Method, out ddb); }
        catch (InputException ex) { errors.AddRange(ex.Errors); methodOk = false; }
        bool macrs = method == DepreciationMethod.Macrs5y;

        double? cost = Number(errors, "--cost", s.Cost, required: true);
        double? salvage = Number(errors, "--salvage", s.Salvage, required: !macrs) ?? (macrs && s.Salvage is null ? 0 : null);
        double? life = Number(errors, "--life", s.Life, required: !macrs) ?? (macrs && s.Life is null ? Depreciation.Macrs5yLife : null);
        double? factor = Number(errors, "--factor", s.Factor, required: false);
        double? start = Number(errors, "--start", s.Start, required: false);
        double? end = Number(errors, "--end", s.End, required: false);
        if (methodOk && method != DepreciationMethod.DecliningBalance)
        {
            if (s.NoSwitch)
                errors.Add(new ValidationError("--no-switch", "(given)", "applies only to --method declining_balance"));
            if (s.Factor is not null)
                errors.Add(new ValidationError("--factor", s.Factor, "applies only to --method declining_balance"));
        }

        // The rules on the values. A missing or malformed option goes in as NaN, and the rule it
        // then breaks is not listed again: its parse error already is.
        var reported = errors.Select(e => e.Field).ToHashSet(StringComparer.Ordinal);
        var rules = Depreciation.Validate(cost ?? double.NaN, salvage ?? double.NaN, life ?? double.NaN, method,
            factor ?? (s.Factor is null ? 2 : double.NaN),
            start ?? (s.Start is null ? null : double.NaN), end ?? (s.End is null ? null : double.NaN));
        foreach (var e in rules)
        {
            var named = e with { Field = "--" + e.Field };
            if (!reported.Contains(named.Field))
                errors.Add(named);
        }
        if (errors.Count > 0)
            throw new InputException(errors);
        return new Request(cost!.Value, salvage!.Value, life!.Value, method, factor ?? 2, start, end, s.NoSwitch || ddb);
    }

    /// <summary>Parses an invariant-culture number; records an error when it is missing or malformed.</summary>
    private static double? Number(List<ValidationError> errors, string option, string? text, bool required)
    {
        if (text is null)
        {
            if (required)
                errors.Add(new ValidationError(option, "(missing)", "is required"));
            return null;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            return value + 0.0;     // -0 is 0: "--salvage -0" printed a book value of "-0"
        errors.Add(new ValidationError(option, text, "must be a number"));
        return null;
    }

    private static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string N2(double value) => value.ToString("N2", CultureInfo.InvariantCulture);
}
