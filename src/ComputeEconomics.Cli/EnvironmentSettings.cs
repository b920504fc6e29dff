using ComputeEconomics.Backends;

namespace ComputeEconomics.Cli;

/// <summary>
/// The CE_* environment variables, checked before any verb runs so that a hostile or mistyped value is exit code 2
/// naming the variable, the value and the rule, whatever the backend. Before, CE_CUDA_MATH=abc or CE_CUDA_GROUP_SIZE=-1
/// were ignored unless CUDA was used (a typo went unnoticed on the machine where it was set), and CE_PHASE_LOG naming a
/// folder or a file that cannot be written was ignored for the whole run (a watchdog waiting for its phases saw
/// nothing). An empty value is the same as an unset one. CE_INJECT_OOM_ABOVE and CE_INJECT_FAULT_AT_PATH are checked
/// where a backend is created (<see cref="FaultInjectingBackend.FromEnvironment"/>); CE_DEBUG takes any value.
/// </summary>
public static class EnvironmentSettings
{
    /// <summary>The phase log variable (<see cref="PhaseLog"/>).</summary>
    public const string PhaseLogVariable = "CE_PHASE_LOG";

    /// <summary>Every invalid CE_* setting; empty when all are valid (or unset).</summary>
    public static List<ValidationError> Check()
    {
        var errors = IlgpuBackend.Tuning.Errors();
        if (IlgpuBackend.FleetKernelSetting.Invalid() != null)
            errors.Add(new ValidationError(IlgpuBackend.FleetKernelSetting.Variable, IlgpuBackend.FleetKernelSetting.Value,
                "must be classic or lanes (the fleet kernel of the ILGPU backends)"));
        if (CpuBackend.KernelSetting.Invalid() != null)
            errors.Add(new ValidationError(CpuBackend.KernelSetting.Variable, CpuBackend.KernelSetting.Value, CpuBackend.KernelSetting.Rule));
        if (Environment.GetEnvironmentVariable(PhaseLogVariable) is { Length: > 0 } log && PhaseLogRule(log) is { } rule)
            errors.Add(new ValidationError(PhaseLogVariable, log, rule));
        return errors;
    }

    /// <summary>
    /// Why <paramref name="path"/> cannot be the phase log, or null: it must be a file that can be appended to (it is
    /// opened once here, which creates it when missing; a later failure, such as a full disk, never stops a run).
    /// </summary>
    public static string? PhaseLogRule(string path)
    {
        if (Directory.Exists(path)) return "is a folder: must be a file ce can append to";
        try
        {
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return $"must be a file ce can append to ({ex.Message})";
        }
    }

    /// <summary>
    /// Every thread of the process formats, parses and compares in the invariant culture, whatever LANG, LC_ALL and
    /// DOTNET_SYSTEM_GLOBALIZATION_INVARIANT say. The build sets InvariantGlobalization, but
    /// DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=0 with LANG=de_DE.UTF-8 (ICU installed) used to turn the user's culture on:
    /// compare.html said "2.000 paths", fit.json "at least 0,02", and the chart axes "01.07.2023" where the C locale gives "2024".
    /// </summary>
    public static void PinInvariantCulture()
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        System.Globalization.CultureInfo.DefaultThreadCurrentCulture = invariant;
        System.Globalization.CultureInfo.DefaultThreadCurrentUICulture = invariant;
        System.Globalization.CultureInfo.CurrentCulture = invariant;
        System.Globalization.CultureInfo.CurrentUICulture = invariant;
    }

    /// <summary>True for the arguments that only print help or the version, which run whatever the environment says.</summary>
    public static bool OnlyHelp(string[] args) =>
        args.Length == 0 || args.Any(a => a is "-h" or "--help" or "-?" or "-v" or "--version");
}
