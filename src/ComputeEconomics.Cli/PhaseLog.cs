namespace ComputeEconomics.Cli;

/// <summary>
/// CE_PHASE_LOG=FILE: each phase a verb enters (simulation, statistics, writing, report, optimize) is appended to FILE
/// as one line, "phase seconds_since_the_process_started", so a supervisor (a batch system's epilogue, a watchdog, the signal tests) can
/// tell where a long run is without a terminal for the progress bar. Unset: nothing is written. A log that cannot be
/// written is ignored: it never stops a run.
/// </summary>
public static class PhaseLog
{
    private static readonly string? File = Environment.GetEnvironmentVariable("CE_PHASE_LOG") is { Length: > 0 } f ? f : null;
    private static readonly DateTime Start = System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime();

    /// <summary>Append <paramref name="phase"/> and the seconds since the process started.</summary>
    public static void Enter(string phase)
    {
        if (File == null) return;
        try
        {
            System.IO.File.AppendAllText(File, FormattableString.Invariant($"{phase} {(DateTime.UtcNow - Start).TotalSeconds:F3}\n"));
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
