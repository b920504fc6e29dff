using ComputeEconomics.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ComputeEconomics.Cli;

/// <summary>Exit codes and error printing shared by every verb: 0 ok, 2 bad input, 1 internal or I/O error.</summary>
public static class Cli
{
    public const int Ok = 0, Failure = 1, BadInput = 2;

    /// <summary>Console for diagnostics (stderr), plain when redirected or NO_COLOR is set; width as <see cref="Width"/>.</summary>
    public static IAnsiConsole Err { get; } = CreateErr();

    private static IAnsiConsole CreateErr()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Ansi = Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 } ? AnsiSupport.No : AnsiSupport.Detect,
        });
        if (Width(Environment.GetEnvironmentVariable("COLUMNS"), Console.IsErrorRedirected) is { } w) console.Profile.Width = w;
        return console;
    }

    /// <summary>Layout width of redirected output without COLUMNS: wide enough that no table wraps a number.</summary>
    public const int RedirectedWidth = 1000;

    /// <summary>
    /// The layout width: COLUMNS when it is a whole number from 20 to 10,000 (a terminal or not), else
    /// <see cref="RedirectedWidth"/> when the stream is redirected, else null (the terminal's own width).
    /// </summary>
    public static int? Width(string? columns, bool redirected)
    {
        if (int.TryParse(columns, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int c)
            && c is >= 20 and <= 10_000) return c;
        return redirected ? RedirectedWidth : null;
    }

    /// <summary>
    /// Console for results (stdout): colour and styles where the terminal supports them; plain text when stdout is
    /// redirected or NO_COLOR is set. Width: COLUMNS when set, else the terminal's, else (redirected)
    /// <see cref="RedirectedWidth"/> so that tables never wrap in a file or a pipe.
    /// </summary>
    public static IAnsiConsole Out { get; } = CreateOut();

    private static IAnsiConsole CreateOut()
    {
        bool plain = Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 } || Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (Width(Environment.GetEnvironmentVariable("COLUMNS"), Console.IsOutputRedirected) is { } w) console.Profile.Width = w;
        return console;
    }

    /// <summary>
    /// Options that take a number, with the range the option's type holds (checked before parsing so the error names
    /// the option and the rule instead of a conversion failure); a verb's own rules (e.g. --samples in [2, 1000000])
    /// are checked by the verb. Null bounds: a finite number.
    /// </summary>
    private static readonly Dictionary<string, (long Min, long Max)?> NumericOptions = new(StringComparer.Ordinal)
    {
        ["--paths"] = (1, long.MaxValue), ["--max-paths"] = (1, long.MaxValue), ["--seed"] = (0, uint.MaxValue),
        ["--threads"] = (0, int.MaxValue), ["--batch"] = (1, int.MaxValue), ["--months"] = (1, int.MaxValue),
        ["--runners-up"] = (0, int.MaxValue), ["--samples"] = (0, int.MaxValue), ["--bootstrap"] = (0, int.MaxValue),
        ["--cost"] = null, ["--salvage"] = null, ["--life"] = null, ["--factor"] = null, ["--start"] = null, ["--end"] = null,
        ["--rate"] = null, ["--horizon-months"] = (1, int.MaxValue),
    };

    /// <summary>
    /// A verb's own range for an option whose type there is narrower than <see cref="NumericOptions"/>' (the first
    /// argument names the verb): calibrate's forecast runs 1 to 600 months, so "--horizon-months 601" names the option
    /// and the rule.
    /// </summary>
    private static readonly Dictionary<string, Dictionary<string, (long Min, long Max)?>> VerbNumericOptions = new(StringComparer.Ordinal)
    {
        ["calibrate"] = new(StringComparer.Ordinal) { ["--horizon-months"] = (1, 600) },
        ["sensitivity"] = new(StringComparer.Ordinal) { ["--samples"] = (2, 1_000_000), ["--bootstrap"] = (0, 100_000) },
    };

    /// <summary>
    /// Options a verb reads as text and checks itself, with every other option's error in the same list: the shared
    /// check would stop at the first and state the type's range ("--samples 1e6: from 0 to 2147483647") not the verb's.
    /// </summary>
    private static readonly Dictionary<string, HashSet<string>> VerbCheckedOptions = new(StringComparer.Ordinal)
    {
        ["inference"] = new(StringComparer.Ordinal) { "--samples", "--seed" },
    };

    private static void OnSignal(System.Runtime.InteropServices.PosixSignalContext context)
    {
        context.Cancel = true;
        Interrupt.Cancel();
    }

    /// <summary>Every malformed numeric option value, as errors naming the option, the value and the rule.</summary>
    public static List<ValidationError> CheckNumericOptions(string[] args)
    {
        var errors = new List<ValidationError>();
        var verbOptions = args.Length > 0 && VerbNumericOptions.TryGetValue(args[0], out var own) ? own : null;
        var verbChecked = args.Length > 0 && VerbCheckedOptions.TryGetValue(args[0], out var mine) ? mine : null;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string? value = null, name = a;
            int eq = a.IndexOf('=');
            if (a.StartsWith("--", StringComparison.Ordinal) && eq > 0) { name = a[..eq]; value = a[(eq + 1)..]; }
            if (verbChecked?.Contains(name) ?? false) continue;
            if (!(verbOptions?.TryGetValue(name, out var range) ?? false) && !NumericOptions.TryGetValue(name, out range)) continue;
            if (value == null)
            {
                if (i + 1 >= args.Length) continue;     // the parser reports the missing value
                value = args[++i];
            }
            if (NumericRule(value, range) is { } rule) errors.Add(new ValidationError(name, value.Length == 0 ? "''" : value, rule));
        }
        return errors;
    }

    /// <summary>The rule <paramref name="value"/> breaks, or null: a whole number in the range, or (no range) a finite number.</summary>
    private static string? NumericRule(string value, (long Min, long Max)? range)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (range is not { } r)
            return double.TryParse(value, System.Globalization.NumberStyles.Float, inv, out double d) && double.IsFinite(d) ? null : "must be a finite number";
        string rule = r.Max == long.MaxValue ? $"must be a whole number >= {r.Min.ToString(inv)}"
            : $"must be a whole number from {r.Min.ToString(inv)} to {r.Max.ToString(inv)}";
        return long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, inv, out long n) && n >= r.Min && n <= r.Max ? null : rule;
    }

    /// <summary>Cancelled by SIGINT or SIGTERM: long commands link it with their own token and stop between chunks of paths.</summary>
    public static CancellationTokenSource Interrupt { get; } = new();

    /// <summary>What to tell the user after an interruption (e.g. how to resume a sweep); null: nothing was written.</summary>
    public static string? InterruptHint { get; set; }

    /// <summary>The command's token linked with <see cref="Interrupt"/>.</summary>
    public static CancellationToken Linked(CancellationToken token) =>
        CancellationTokenSource.CreateLinkedTokenSource(token, Interrupt.Token).Token;

    /// <summary>Run <paramref name="body"/>, mapping every failure to an exit code and a message without a stack trace.</summary>
    public static int Run(Func<int> body)
    {
        // SIGINT and SIGTERM cancel the run cleanly (checkpoints kept, no partial output) instead of killing it.
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGINT, OnSignal);
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, OnSignal);
        ComputeEconomics.FolderLock.Interrupt = Interrupt.Token;   // a wait for another process's output folder stops too
        try
        {
            return body();
        }
        catch (Exception ex)
        {
            return Report(Unwrap(ex));
        }
    }

    /// <summary>The exception that caused <paramref name="ex"/>: an AggregateException (a task's failure) or a reflection wrapper is peeled off.</summary>
    public static Exception Unwrap(Exception ex)
    {
        while (true)
        {
            if (ex is AggregateException { InnerExceptions.Count: >= 1 } agg) ex = agg.Flatten().InnerExceptions[0];
            else if (ex is System.Reflection.TargetInvocationException { InnerException: { } inner }) ex = inner;
            else return ex;
        }
    }

    /// <summary>Print <paramref name="failure"/> without a stack trace and give its exit code.</summary>
    private static int Report(Exception failure)
    {
        switch (failure)
        {
            case InputException ex:
                foreach (var e in ex.Errors) Console.Error.WriteLine($"error: {e}");
                return BadInput;
            case CommandAppException ex:
                Console.Error.WriteLine($"error: {ex.Message}");
                Console.Error.WriteLine("Run 'ce --help' for usage.");
                return BadInput;
            case OutputException or ComputeEconomics.Backends.SimulationException:
                Console.Error.WriteLine($"error: {failure.Message}");
                return Failure;
            case StandardOutputException:
                Console.Error.WriteLine($"error: {failure.Message}");
                return Failure;
            case IOException:
                // Not a fault of ce's: standard output on a full disk (`ce catalog --json > /dev/full`) or a device gone.
                // Output folders report their own failures as OutputException; input files as InputException.
                Console.Error.WriteLine($"error: cannot write or read: {failure.Message}");
                return Failure;
            case OperationCanceledException:
            case { InnerException: OperationCanceledException }:
                Console.Error.WriteLine(InterruptHint ?? "interrupted: no output was written");
                return 130;
            default:
                Console.Error.WriteLine($"internal error: {failure.GetType().Name}: {failure.Message}");
                if (Environment.GetEnvironmentVariable("CE_DEBUG") is { Length: > 0 }) Console.Error.WriteLine(failure);
                return Failure;
        }
    }
}
