using ComputeEconomics.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ComputeEconomics.Cli;

/// <summary>Exit codes and error printing shared by every verb: 0 ok, 2 bad input, 1 internal or I/O error.</summary>
public static class Cli
{
    public const int Ok = 0, Failure = 1, BadInput = 2;

    /// <summary>Console for diagnostics (stderr), plain when redirected or NO_COLOR is set.</summary>
    public static IAnsiConsole Err { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Error),
        Ansi = Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 } ? AnsiSupport.No : AnsiSupport.Detect,
    });

    /// <summary>
    /// Console for results (stdout): colour and styles where the terminal supports them; plain text when stdout is
    /// redirected or NO_COLOR is set. Redirected output is laid out 200 columns wide, so tables never wrap in a file.
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
        if (Console.IsOutputRedirected) console.Profile.Width = 200;
        return console;
    }

    /// <summary>Options that take a number, with the kind of number (checked before parsing so the error names the option).</summary>
    private static readonly Dictionary<string, string> NumericOptions = new(StringComparer.Ordinal)
    {
        ["--paths"] = "whole", ["--seed"] = "whole", ["--threads"] = "whole", ["--batch"] = "whole", ["--months"] = "whole",
        ["--cost"] = "number", ["--salvage"] = "number", ["--life"] = "number", ["--factor"] = "number",
        ["--start"] = "number", ["--end"] = "number", ["--rate"] = "number",
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
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string? value = null, name = a;
            int eq = a.IndexOf('=');
            if (a.StartsWith("--", StringComparison.Ordinal) && eq > 0) { name = a[..eq]; value = a[(eq + 1)..]; }
            if (!NumericOptions.TryGetValue(name, out var kind)) continue;
            if (value == null)
            {
                if (i + 1 >= args.Length) continue;     // the parser reports the missing value
                value = args[++i];
            }
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            bool ok = kind == "whole"
                ? long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, inv, out _)
                : double.TryParse(value, System.Globalization.NumberStyles.Float, inv, out double d) && double.IsFinite(d);
            if (!ok) errors.Add(new ValidationError(name, value, kind == "whole" ? "must be a whole number" : "must be a finite number"));
        }
        return errors;
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
        try
        {
            return body();
        }
        catch (InputException ex)
        {
            foreach (var e in ex.Errors) Console.Error.WriteLine($"error: {e}");
            return BadInput;
        }
        catch (CommandAppException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            Console.Error.WriteLine("Run 'ce --help' for usage.");
            return BadInput;
        }
        catch (OutputException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return Failure;
        }
        catch (Exception ex) when (ex is OperationCanceledException || ex.InnerException is OperationCanceledException)
        {
            Console.Error.WriteLine(InterruptHint ?? "interrupted: no output was written");
            return 130;
        }
        catch (ComputeEconomics.Backends.SimulationException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return Failure;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"internal error: {ex.GetType().Name}: {ex.Message}");
            if (Environment.GetEnvironmentVariable("CE_DEBUG") is { Length: > 0 }) Console.Error.WriteLine(ex);
            return Failure;
        }
    }
}
