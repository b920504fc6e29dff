using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Faults;

/// <summary>
/// Outputs are the same bytes in every locale. The build sets InvariantGlobalization, but an outsider's
/// DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=0 with LANG=de_DE.UTF-8 turned the culture on where ICU is installed:
/// compare.html said "2.000 paths", calibrate's fit.json "at least 0,02", the charts' axes "01.07.2023". ce now pins the
/// invariant culture for every thread (EnvironmentSettings.PinInvariantCulture).
/// </summary>
public sealed class LocaleFaultTests : TempFolderTest
{
    public LocaleFaultTests() : base("ce-locale-") { }

    /// <summary>True when ICU is installed (without it .NET cannot leave invariant mode and the fault cannot occur).</summary>
    private static bool HasIcu() =>
        new[] { "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib" }
            .Any(d => Directory.Exists(d) && Directory.EnumerateFiles(d, "libicuuc.so*").Any());

    private static Dictionary<string, string> Locale(string name) => new()
    {
        ["LANG"] = name, ["LC_ALL"] = name, ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "0", ["TZ"] = "Etc/GMT+12",
    };

    private static void AssertSameFiles(string expected, string actual, params string[] names)
    {
        foreach (var name in names)
            Assert.True(File.ReadAllBytes(Path.Combine(expected, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, name))),
                $"{name} differs between {expected} and {actual}");
    }

    [Theory]
    [InlineData("de_DE.UTF-8")]
    [InlineData("tr_TR.UTF-8")]
    public void CompareWritesTheSameBytesInAnotherCulture(string culture)
    {
        if (!HasIcu()) return;     // invariant mode is then the only mode: nothing to test
        string[] args = { "compare", "neocloud-h100", "--variant", "hot: market.price.drift=0.01", "--paths", "200", "--backend", "cpu", "--quiet", "--out" };
        string c = Path.Combine(Dir, "C"), other = Path.Combine(Dir, culture);
        var rc = CeProcess.Run(args.Append(c), Locale("C"));
        var ro = CeProcess.Run(args.Append(other), Locale(culture));
        Assert.True(rc.ExitCode == 0, rc.ToString());
        Assert.True(ro.ExitCode == 0, ro.ToString());
        AssertSameFiles(c, other, "compare.csv", "compare.html", "charts/diff-npv.svg");
        Assert.Contains("200 paths", File.ReadAllText(Path.Combine(other, "compare.html")), StringComparison.Ordinal);
    }

    [Fact]
    public void InputsParseTheSameInAnotherCulture()
    {
        if (!HasIcu()) return;
        var npv = CeProcess.Run(new[] { "finance", "npv", "--rate", "0.1", "--values", "-100,39,59,55,20" }, Locale("de_DE.UTF-8"));
        Assert.True(npv.ExitCode == 0, npv.ToString());
        // numpy_financial.npv(0.1, [-100, 39, 59, 55, 20]) = 38.9... ; closed form: sum of v_t / 1.1^t.
        double expected = new[] { -100.0, 39, 59, 55, 20 }.Select((v, t) => v / Math.Pow(1.1, t)).Sum();
        Assert.Equal(expected, double.Parse(npv.StdOut.Trim(), System.Globalization.CultureInfo.InvariantCulture), 10);
        var set = CeProcess.Run(new[] { "run", "--paths", "20", "--backend", "cpu", "--quiet", "--set", "market.price.drift=0,05" }, Locale("de_DE.UTF-8"));
        Assert.True(set.ExitCode == 2, set.ToString());
        Assert.Contains("market.price.drift: 0,05 must be a number", set.StdErr, StringComparison.Ordinal);
    }
}
