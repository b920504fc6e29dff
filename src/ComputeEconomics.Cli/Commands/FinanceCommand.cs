using System.ComponentModel;
using System.Globalization;
using ComputeEconomics.Finance;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ComputeEconomics.Cli.Commands;

/// <summary>Options shared by <c>ce finance npv</c> and <c>ce finance irr</c>.</summary>
public class FinanceSettings : CommandSettings
{
    /// <summary>Cash flows, one a period, separated by commas or spaces; the first is at t = 0.</summary>
    [CommandOption("--values <FLOWS>")]
    [Description("Cash flows one period apart, separated by commas or spaces (e.g. \"-100,39,59,55,20\"; 0 for a period without a flow, an empty entry is refused); the first is at t = 0 (required)")]
    public string? Values { get; init; }

    /// <summary>Print JSON instead of text.</summary>
    [CommandOption("--json")]
    [Description("Print a JSON object instead of text")]
    public bool Json { get; init; }

    /// <summary>Parse --values, naming each bad entry.</summary>
    internal double[] ParseValues(List<ValidationError> errors)
    {
        if (string.IsNullOrWhiteSpace(Values))
        {
            errors.Add(new ValidationError("--values", Values ?? "(missing)", "is required: cash flows separated by commas or spaces"));
            return Array.Empty<double>();
        }
        // One separator between flows: a comma or semicolon (with any spaces around it) or spaces alone. An empty entry
        // ("1,,2", a leading or trailing comma) is refused, not dropped: it would silently shift every later flow a period.
        var parts = Separator.Split(Values.Trim());
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length == 0)
                errors.Add(new ValidationError($"--values[{i}]", "(empty)", "must be a finite number (write 0 for a period without a flow)"));
            else if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                errors.Add(new ValidationError($"--values[{i}]", parts[i], "must be a finite number"));
        }
        return values;
    }

    /// <summary>A comma or semicolon with the spaces around it, or a run of spaces: what separates two flows.</summary>
    private static readonly System.Text.RegularExpressions.Regex Separator = new(@"\s*[,;]\s*|\s+", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    internal static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// The command-line parser splits a value that starts with '-' and holds spaces ("-100 39 59") and keeps only its
    /// first word; the flows are therefore rejoined with commas before parsing, so no flow is dropped silently.
    /// </summary>
    public static string[] NormaliseArgs(string[] args)
    {
        var result = (string[])args.Clone();
        for (int i = 0; i < result.Length; i++)
        {
            if (result[i] == "--values" && i + 1 < result.Length)
                result[i + 1] = WithCommas(result[i + 1]);
            else if (result[i].StartsWith("--values=", StringComparison.Ordinal))
                result[i] = "--values=" + WithCommas(result[i]["--values=".Length..]);
        }
        return result;
    }

    /// <summary>The flows with every separator (see <see cref="Separator"/>) written as one comma: "1, 2 3" is "1,2,3", "1,,2" stays "1,,2".</summary>
    private static string WithCommas(string flows) => string.Join(",", Separator.Split(flows.Trim()));

    internal static string JsonString(string text) => System.Text.Json.JsonSerializer.Serialize(text,
        new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}

/// <summary><c>ce finance npv</c>: net present value in the numpy-financial or the spreadsheet convention.</summary>
public sealed class FinanceNpvCommand : Command<FinanceNpvCommand.Settings>
{
    public sealed class Settings : FinanceSettings
    {
        /// <summary>Discount rate per period.</summary>
        [CommandOption("--rate <RATE>")]
        [Description("Discount rate per period as a fraction (0.1 = 10 %), > -1 (required)")]
        public string? Rate { get; init; }

        /// <summary>numpy (first value at t = 0, undiscounted) or spreadsheet (first value discounted one period).</summary>
        [CommandOption("--convention <NAME>")]
        [Description("numpy (default: first flow at t = 0, undiscounted, numpy-financial npv) or spreadsheet (Excel/Sheets NPV: first flow discounted one period)")]
        public string? Convention { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>();
        var values = settings.ParseValues(errors);
        double rate = double.NaN;
        if (settings.Rate == null || !double.TryParse(settings.Rate, NumberStyles.Float, CultureInfo.InvariantCulture, out rate)
            || !double.IsFinite(rate) || rate <= -1)
            errors.Add(new ValidationError("--rate", settings.Rate ?? "(missing)", "is required: a finite number > -1 (a fraction per period)"));
        string convention = (settings.Convention ?? "numpy").ToLowerInvariant();
        if (convention is not ("numpy" or "spreadsheet"))
            errors.Add(new ValidationError("--convention", settings.Convention!, "must be numpy or spreadsheet"));
        if (errors.Count > 0) throw new InputException(errors);
        double npv = convention == "numpy" ? Dcf.Npv(rate, values) : Dcf.SpreadsheetNpv(rate, values);
        if (!double.IsFinite(npv))
            throw new InputException("--values", settings.Values!, $"their present value at rate {FinanceSettings.R(rate)} overflows a double");
        if (settings.Json)
            Console.Out.WriteLine($"{{\"npv\": {FinanceSettings.R(npv)}, \"rate\": {FinanceSettings.R(rate)}, \"convention\": \"{convention}\", \"periods\": {values.Length}}}");
        else
            Console.Out.WriteLine(FinanceSettings.R(npv));
        return 0;
    }
}

/// <summary><c>ce finance irr</c>: internal rate of return (numpy-financial's root choice), or why there is none.</summary>
public sealed class FinanceIrrCommand : Command<FinanceIrrCommand.Settings>
{
    public sealed class Settings : FinanceSettings
    {
        /// <summary>Periods a year, to also print the annual rate (1 + r)^n - 1.</summary>
        [CommandOption("--periods-per-year <N>")]
        [Description("Also print the annual rate (1 + r)^N - 1, e.g. 12 for monthly flows")]
        public string? PeriodsPerYear { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>();
        var values = settings.ParseValues(errors);
        int? perYear = null;
        if (settings.PeriodsPerYear != null)
        {
            if (int.TryParse(settings.PeriodsPerYear, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= 366)
                perYear = n;
            else
                errors.Add(new ValidationError("--periods-per-year", settings.PeriodsPerYear, "must be a whole number from 1 to 366"));
        }
        if (errors.Count > 0) throw new InputException(errors);
        double? irr = Dcf.Irr(values);
        double? annual = irr is double r && perYear is int k ? Math.Pow(1 + r, k) - 1 : null;
        string? reason = irr == null ? Dcf.IrrAbsenceReason(values) : null;
        if (settings.Json)
        {
            string Num(double? v) => v is double x && double.IsFinite(x) ? FinanceSettings.R(x) : "null";
            string why = reason == null ? "null" : FinanceSettings.JsonString(reason);
            Console.Out.WriteLine($"{{\"irr\": {Num(irr)}, \"annual\": {Num(annual)}, \"absent_reason\": {why}}}");
        }
        else if (irr is double rate)
        {
            Console.Out.WriteLine(annual is double a && double.IsFinite(a)
                ? $"{FinanceSettings.R(rate)} per period ({FinanceSettings.R(a)} a year)"
                : FinanceSettings.R(rate));
        }
        else
        {
            Console.Out.WriteLine($"no IRR: {reason}");
        }
        return 0;
    }
}
