using System.Text.RegularExpressions;

namespace ComputeEconomics;

/// <summary>
/// The standard descriptors 0, 1 and 2 as the caller gave them. Closed when ce starts (`&lt;&amp;-`, `&gt;&amp;-`,
/// `2&gt;&amp;-`), their numbers are taken by the first files the .NET runtime opens, among them the pipe through which
/// it delivers signals: reading "/dev/stdin" then read that pipe, so the process hung and no longer saw SIGTERM, and
/// writing stderr wrote into it. A descriptor this process opened is close-on-exec, which one inherited across exec
/// never is (Linux, /proc/self/fdinfo); elsewhere nothing is detected.
/// </summary>
public static partial class Descriptors
{
    private const long CloseOnExec = 0x80000;   // O_CLOEXEC (02000000) in /proc/PID/fdinfo's octal flags, x86-64 and arm64

    /// <summary>
    /// True when descriptor <paramref name="fd"/> was opened by this process, not given by the caller: so a standard
    /// descriptor that is true was closed when ce started. A caller's pipe, also one duplicated onto descriptor 3
    /// (`exec 3&gt;&amp;1`), is the caller's.
    /// </summary>
    public static bool OpenedByThisProcess(int fd)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            foreach (var line in File.ReadLines($"/proc/self/fdinfo/{fd}"))
                if (line.StartsWith("flags:", StringComparison.Ordinal))
                    return (Convert.ToInt64(line["flags:".Length..].Trim(), 8) & CloseOnExec) != 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
        }
        return false;
    }

    /// <summary>
    /// The standard descriptor (0, 1 or 2) that <paramref name="path"/> names (/dev/stdin, /dev/fd/0, /proc/self/fd/0,
    /// also through symbolic links) when it was closed when ce started; null otherwise.
    /// </summary>
    public static int? ClosedStandardDescriptor(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            string p = Path.GetFullPath(path);
            for (int hop = 0; hop < 8; hop++)
            {
                if (Named(p) is { } fd) return fd <= 2 && OpenedByThisProcess(fd) ? fd : null;
                string? target = new FileInfo(p).LinkTarget;
                if (target == null) return null;
                p = Path.GetFullPath(target, Path.GetDirectoryName(p) ?? "/");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
        }
        return null;
    }

    /// <summary>The descriptor of this process that <paramref name="full"/> names directly, or null.</summary>
    private static int? Named(string full)
    {
        switch (full)
        {
            case "/dev/stdin": return 0;
            case "/dev/stdout": return 1;
            case "/dev/stderr": return 2;
        }
        var m = DescriptorPath().Match(full);
        if (!m.Success) return null;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        bool self = m.Groups["pid"].Value is "" or "self" || m.Groups["pid"].Value == Environment.ProcessId.ToString(inv);
        return self && int.TryParse(m.Groups["fd"].Value, System.Globalization.NumberStyles.None, inv, out int fd) ? fd : null;
    }

    [GeneratedRegex(@"^(?:/proc/(?<pid>self|\d+)/fd|/dev/fd)/(?<fd>\d+)$")]
    private static partial Regex DescriptorPath();
}
