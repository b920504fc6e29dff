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

    /// <summary>Run <paramref name="body"/>, mapping every failure to an exit code and a message without a stack trace.</summary>
    public static int Run(Func<int> body)
    {
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
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("interrupted: no output was written");
            return 130;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"internal error: {ex.GetType().Name}: {ex.Message}");
            if (Environment.GetEnvironmentVariable("CE_DEBUG") is { Length: > 0 }) Console.Error.WriteLine(ex);
            return Failure;
        }
    }
}
