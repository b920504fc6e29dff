using System.Diagnostics;
using System.Reflection;

namespace ComputeEconomics.Tests.TestSupport;

/// <summary>
/// Runs a static check method of this assembly in a child process, for checks whose failure mode is a
/// process crash (an ILGPU CPU-accelerator worker thread that fails a bounds assertion terminates the process,
/// which would abort the whole test run instead of failing one test).
/// The child is the built `ce` program started with this assembly as a .NET startup hook
/// (DOTNET_STARTUP_HOOKS): <c>StartupHook.Initialize</c> sees <see cref="Variable"/>, runs the named method
/// (<c>static int M()</c>, returning the exit code) and exits before `ce` itself starts.
/// Check methods must not use xunit (the child does not load it): they print what differs and return non-zero.
/// </summary>
public static class IsolatedProcess
{
    /// <summary>Environment variable naming the check: "Namespace.Type.Method".</summary>
    public const string Variable = "CE_TESTS_ISOLATED_CHECK";

    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
    }

    /// <summary>Run <paramref name="check"/> (a static method returning int) in a child process.</summary>
    public static Result Run(MethodInfo check, TimeSpan timeout)
    {
        string name = $"{check.DeclaringType!.FullName}.{check.Name}";
        var psi = CeProcess.StartInfo(Array.Empty<string>());
        psi.Environment["DOTNET_STARTUP_HOOKS"] = typeof(IsolatedProcess).Assembly.Location;
        psi.Environment[Variable] = name;
        return CeProcess.Execute(psi, timeout);
    }

    /// <summary>Called by the startup hook in the child.</summary>
    internal static int RunNamed(string name)
    {
        int dot = name.LastIndexOf('.');
        var type = typeof(IsolatedProcess).Assembly.GetType(name[..dot], throwOnError: true)!;
        var method = type.GetMethod(name[(dot + 1)..], BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                     ?? throw new MissingMethodException(name);
        return (int)method.Invoke(null, null)!;
    }
}
