namespace ComputeEconomics.Tests.TestSupport;

/// <summary>
/// What a few tests need beyond the .NET SDK: a headless Chromium (the HTML report test) and root (mounting a small
/// tmpfs). Absent, such a test reports itself skipped with the reason, so `dotnet test` passes on a fresh machine;
/// with <see cref="RequireVariable"/> set (CI, `.ci/run`) nothing is skipped and a missing prerequisite fails the test.
/// </summary>
public static class Prerequisites
{
    /// <summary>Set to 1 (CI does) to turn a missing prerequisite into a failure instead of a skip.</summary>
    public const string RequireVariable = "CE_REQUIRE_ALL_TESTS";

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) is "1" or "true";

    /// <summary>The path of a Chromium-like browser (CE_CHROMIUM, then chromium, chromium-browser, google-chrome on PATH), or null.</summary>
    public static string? ChromiumPath()
    {
        foreach (var name in new[] { Environment.GetEnvironmentVariable("CE_CHROMIUM"), "chromium", "chromium-browser", "google-chrome" })
        {
            if (string.IsNullOrEmpty(name)) continue;
            if (Path.IsPathRooted(name)) { if (File.Exists(name)) return name; continue; }
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
                if (dir.Length > 0 && File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        }
        return null;
    }

    /// <summary>True when the tests run as root (user id 0, read from /proc/self/status).</summary>
    public static bool IsRoot()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                    return line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[2] == "0";     // effective uid
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return false;
    }

    /// <summary>The reason to skip for a missing prerequisite, or null when present or when <see cref="Required"/>.</summary>
    public static string? SkipReason(bool present, string what) => SkipReason(present, Required, what);

    /// <summary>The reason to skip, given whether the prerequisite is present and whether it is required.</summary>
    public static string? SkipReason(bool present, bool required, string what) =>
        present || required ? null : $"{what} (set {RequireVariable}=1 to make this a failure, as .ci/run does)";
}

/// <summary>A fact that needs Debian's chromium (or CE_CHROMIUM): skipped with the reason when it is absent.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        Skip = Prerequisites.SkipReason(Prerequisites.ChromiumPath() != null,
            "needs a headless Chromium: `apt-get install chromium`, or CE_CHROMIUM=/path/to/browser");
    }
}

/// <summary>A fact that needs root (to mount a tmpfs): skipped with the reason when not root.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        Skip = Prerequisites.SkipReason(Prerequisites.IsRoot(), "needs root (it mounts a small tmpfs)");
    }
}
