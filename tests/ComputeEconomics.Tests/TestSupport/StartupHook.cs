using ComputeEconomics.Tests.TestSupport;

#pragma warning disable CA1050 // the runtime requires the startup hook type in the global namespace

/// <summary>
/// .NET startup hook (see <see cref="IsolatedProcess"/>): inert unless the child-process variable is set.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        string? check = Environment.GetEnvironmentVariable(IsolatedProcess.Variable);
        if (string.IsNullOrEmpty(check)) return;
        int code;
        try
        {
            code = IsolatedProcess.RunNamed(check);
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"isolated check {check} threw: {ex}");
            code = 99;
        }
        Console.Out.Flush();
        Environment.Exit(code);
    }
}
