using System.Diagnostics;
using System.Text;

namespace ComputeEconomics.Tests.TestSupport;

/// <summary>
/// Runs the built `ce` command (ce.dll, copied next to the test assembly because the test project references
/// the Cli project; otherwise src/ComputeEconomics.Cli/bin/&lt;configuration&gt;/net10.0/ce.dll) with `dotnet`.
/// </summary>
public static class CeProcess
{
    public static string CeDll { get; } = FindCeDll();

    private static string FindCeDll()
    {
        string here = AppContext.BaseDirectory;
        string beside = Path.Combine(here, "ce.dll");
        if (File.Exists(beside)) return beside;
        // .../tests/ComputeEconomics.Tests/bin/<Configuration>/net10.0/
        var dir = new DirectoryInfo(here);
        string configuration = dir.Parent?.Name ?? "Debug";
        for (var d = dir; d != null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "src", "ComputeEconomics.Cli", "bin", configuration, "net10.0", "ce.dll");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"ce.dll not found beside {here} nor under src/ComputeEconomics.Cli/bin/{configuration}/net10.0");
    }

    private static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        string? self = Environment.ProcessPath;
        if (self != null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return "dotnet";
    }

    /// <summary>Start info for `dotnet ce.dll ARGS` with plain output and no inherited test hooks.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add(CeDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment.Remove("CE_INJECT_GPU_FAILURE");
        psi.Environment.Remove("CE_INJECT_OOM_ABOVE");
        psi.Environment.Remove("CE_INJECT_FAULT_AT_PATH");
        psi.Environment.Remove("CE_DEBUG");
        psi.Environment.Remove("DOTNET_STARTUP_HOOKS");
        psi.Environment.Remove(IsolatedProcess.Variable);
        return psi;
    }

    /// <summary>Run `ce ARGS`; <paramref name="env"/> adds environment variables.</summary>
    public static IsolatedProcess.Result Run(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null,
        string? workingDirectory = null, int timeoutSeconds = 60)
    {
        var psi = StartInfo(args, workingDirectory);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return Execute(psi, TimeSpan.FromSeconds(timeoutSeconds));
    }

    internal static IsolatedProcess.Result Execute(ProcessStartInfo psi, TimeSpan timeout)
    {
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            p.WaitForExit();
            return new IsolatedProcess.Result(-1, stdout.Result, stderr.Result + $"\n(timed out after {timeout.TotalSeconds} s and was killed)");
        }
        p.WaitForExit();
        return new IsolatedProcess.Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
