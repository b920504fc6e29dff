using System.Text.Json;
using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Cli;

/// <summary>
/// The built `ce` program run as a user runs it (`dotnet ce.dll ...`): exit codes 0 success, 2 bad input,
/// 1 internal or I/O error; errors without stack traces; `--out` files complete and re-runnable.
/// </summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ce-cli-tests-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static readonly string[] SummaryStatistics = { "mean", "sd", "stderr", "p1", "p5", "p25", "p50", "p75", "p95", "p99", "cvar5" };

    private static void AssertNoStackTrace(IsolatedProcess.Result r)
    {
        string all = r.StdOut + r.StdErr;
        Assert.False(all.Contains("   at ", StringComparison.Ordinal), $"output has a stack trace: {r}");
        Assert.DoesNotContain("Exception", all, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void RunWritesSummaryBandsAndScenarioThatRerunIdentically()
    {
        string out1 = Path.Combine(_dir, "run1");
        var r = CeProcess.Run(new[] { "run", "--paths", "200", "--backend", "cpu", "--seed", "7", "--out", out1 });
        Assert.True(r.ExitCode == 0, r.ToString());
        foreach (var f in new[] { "summary.json", "bands.csv", "scenario.yaml", "metrics.csv" })
            Assert.True(File.Exists(Path.Combine(out1, f)), $"{f} missing in {out1}: {r}");
        Assert.DoesNotContain(Directory.GetDirectories(_dir), d => Path.GetFileName(d).StartsWith('.')); // no staging folder left

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(out1, "summary.json")));
        var root = summary.RootElement;
        Assert.Equal(7, root.GetProperty("seed").GetInt64());
        Assert.Equal(200, root.GetProperty("paths").GetInt64());
        Assert.Equal("cpu", root.GetProperty("backend").GetString());
        var metrics = root.GetProperty("metrics");
        Assert.Equal(MetricNames.Fleet, metrics.EnumerateObject().Select(p => p.Name));
        foreach (var m in metrics.EnumerateObject())
            foreach (var stat in SummaryStatistics)
                Assert.True(m.Value.TryGetProperty(stat, out _), $"metrics.{m.Name} has no {stat}");
        Assert.Equal(JsonValueKind.Number, metrics.GetProperty("npv").GetProperty("mean").ValueKind);

        string bands = File.ReadAllText(Path.Combine(out1, "bands.csv"));
        Assert.StartsWith("series,month,p5,p25,p50,p75,p95\n", bands, StringComparison.Ordinal);
        Assert.Contains("\ncash,0,", bands, StringComparison.Ordinal);

        // The written scenario is the resolved scenario of the run.
        string yamlPath = Path.Combine(out1, "scenario.yaml");
        var written = ScenarioLoader.Load(yamlPath);
        var expected = ScenarioLoader.Load(null, new[] { "paths=200", "seed=7" });
        Assert.Equal(ScenarioLoader.ToYaml(expected), ScenarioLoader.ToYaml(written));

        // Rerun from it: the same statistics, number for number.
        string out2 = Path.Combine(_dir, "run2");
        var r2 = CeProcess.Run(new[] { "run", yamlPath, "--backend", "cpu", "--out", out2 });
        Assert.True(r2.ExitCode == 0, r2.ToString());
        using var summary2 = JsonDocument.Parse(File.ReadAllText(Path.Combine(out2, "summary.json")));
        Assert.Equal(metrics.GetRawText(), summary2.RootElement.GetProperty("metrics").GetRawText());
        Assert.Equal(7, summary2.RootElement.GetProperty("seed").GetInt64());
        Assert.Equal(File.ReadAllText(Path.Combine(out1, "bands.csv")), File.ReadAllText(Path.Combine(out2, "bands.csv")));
    }

    [Fact]
    public void ValidateOfABadFileExits2WithEveryErrorAndNoStackTrace()
    {
        string yaml = new MarketYaml { PriceVol = 0.2 }.Text()
            .Replace("horizon_months: 24", "horizon_months: 0", StringComparison.Ordinal)
            .Replace("    volatility: 0.2\n", "    volatilty: 0.2\n", StringComparison.Ordinal)
            .Replace("    initial: 0.6\n", "    initial: 1.5\n", StringComparison.Ordinal);
        string path = Write("bad.yaml", yaml);
        var r = CeProcess.Run(new[] { "validate", path });
        Assert.True(r.ExitCode == 2, r.ToString());
        AssertNoStackTrace(r);
        Assert.Contains("horizon_months: 0 must be in [1, 600]", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("market.price.volatilty", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("did you mean volatility", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("market.utilisation.initial: 1.5 must be in (0, 1)", r.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("valid\n", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateOfAValidFilePrintsValidAndExits0()
    {
        string path = Write("good.yaml", new MarketYaml { PriceVol = 0.2 }.Text());
        var r = CeProcess.Run(new[] { "validate", path });
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("valid", r.StdOut.Trim());
    }

    [Fact]
    public void ValidateOfTheBuiltInDefaultByNameExits0()
    {
        var r = CeProcess.Run(new[] { "validate", ScenarioLoader.DefaultName });
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("valid", r.StdOut.Trim());
    }

    [Fact]
    public void ValidateOfAMissingFileExits2()
    {
        var r = CeProcess.Run(new[] { "validate", Path.Combine(_dir, "nope.yaml") });
        Assert.True(r.ExitCode == 2, r.ToString());
        AssertNoStackTrace(r);
        Assert.Contains("nope.yaml", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void CudaBackendWithoutAGpuExits2WithAClearMessage()
    {
        // Injected failure: the same path as a machine without a CUDA device, on any machine.
        var r = CeProcess.Run(new[] { "run", "--paths", "10", "--backend", "cuda" },
            new Dictionary<string, string> { ["CE_INJECT_GPU_FAILURE"] = "no CUDA driver (test)" });
        Assert.True(r.ExitCode == 2, r.ToString());
        AssertNoStackTrace(r);
        Assert.Contains("--backend", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("cuda", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("no CUDA driver (test)", r.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CE_CUDA_GROUP_SIZE", "2000", "from 32 to 1024")]
    [InlineData("CE_CUDA_MIN_GROUPS_PER_SM", "two", "from 0 to 64")]
    [InlineData("CE_CUDA_MATH", "dbl", "auto, float or libdevice")]
    public void AnInvalidCudaSettingExits2NamingTheVariableTheValueAndTheRule(string name, string value, string rule)
    {
        var r = CeProcess.Run(new[] { "run", "--paths", "10", "--backend", "cuda" }, new Dictionary<string, string> { [name] = value });
        Assert.True(r.ExitCode == 2, r.ToString());
        AssertNoStackTrace(r);
        Assert.Contains($"{name}: {value}", r.StdErr, StringComparison.Ordinal);     // checked before any verb (Faults/EnvironmentFaultTests)
        Assert.Contains(rule, r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void AutoBackendRefusesAnInvalidCudaSettingInsteadOfFallingBackQuietly()
    {
        var r = CeProcess.Run(new[] { "run", "--paths", "10", "--backend", "auto", "--quiet" },
            new Dictionary<string, string> { ["CE_CUDA_GROUP_SIZE"] = "2000" });
        Assert.True(r.ExitCode == 2, r.ToString());
        AssertNoStackTrace(r);
        Assert.Contains("CE_CUDA_GROUP_SIZE: 2000", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void CudaBackendOnThisMachineExits2UnlessItHasAGpu()
    {
        bool hasCuda;
        using (var gpu = IlgpuBackend.TryCreateCuda(out _)) hasCuda = gpu != null;
        var r = CeProcess.Run(new[] { "run", "--paths", "10", "--backend", "cuda", "--quiet" });
        Assert.True(r.ExitCode == (hasCuda ? 0 : 2), $"CUDA device present: {hasCuda}; {r}");
        AssertNoStackTrace(r);
        if (!hasCuda) Assert.Contains("--backend: cuda is not available", r.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--paths", "0")]
    [InlineData("--paths", "-5")]
    [InlineData("--paths", "many")]
    [InlineData("--batch", "0")]
    [InlineData("--backend", "nonsense")]
    [InlineData("--seed", "-1")]
    public void BadRunOptionExits2(string option, string value)
    {
        string[] args = option == "--backend" ? new[] { "run", option, value } : new[] { "run", option, value, "--backend", "cpu" };
        var r = CeProcess.Run(args);
        Assert.True(r.ExitCode == 2, $"{option} {value}: {r}");
        AssertNoStackTrace(r);
        Assert.StartsWith("error:", r.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--paths", "0")]
    [InlineData("--paths", "many")]
    [InlineData("--batch", "lots")]
    [InlineData("--threads", "x")]
    [InlineData("--seed", "-1")]
    public void BadRunOptionErrorNamesTheOptionAndTheValue(string option, string value)
    {
        // README: "2 bad input (each error names the field, the value and the rule)".
        var r = CeProcess.Run(new[] { "run", option, value, "--backend", "cpu", "--quiet" });
        Assert.True(r.ExitCode == 2, r.ToString());
        string name = option.TrimStart('-');
        Assert.True(r.StdErr.Contains(name, StringComparison.Ordinal) && r.StdErr.Contains(value, StringComparison.Ordinal),
            $"the error for {option} {value} should name the option and the value: {r.StdErr.Trim()}");
        Assert.DoesNotContain("Nullable`1", r.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run", "--no-such-option")]
    [InlineData("validate", "--frobnicate")]
    [InlineData("frobnicate", "")]
    public void UnknownOptionOrVerbExits2(string verb, string option)
    {
        var args = option.Length == 0 ? new[] { verb } : new[] { verb, option };
        var r = CeProcess.Run(args);
        Assert.True(r.ExitCode == 2, r.ToString());
        AssertNoStackTrace(r);
        Assert.Contains("error", r.StdErr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void RunWithAnUnknownSetPathExits2NamingIt()
    {
        var r = CeProcess.Run(new[] { "run", "--paths", "10", "--backend", "cpu", "--set", "market.price.volatilty=0.3" });
        Assert.True(r.ExitCode == 2, r.ToString());
        AssertNoStackTrace(r);
        Assert.Contains("market.price.volatilty", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void OutUnderARegularFileExits2BeforeRunningAndLeavesNothingBehind()
    {
        string file = Write("not-a-directory", "keep me");
        var before = Directory.GetFileSystemEntries(_dir).OrderBy(x => x, StringComparer.Ordinal).ToArray();
        string target = Path.Combine(file, "out");
        var r = CeProcess.Run(new[] { "run", "--paths", "20", "--backend", "cpu", "--quiet", "--out", target });
        Assert.True(r.ExitCode == 2, r.ToString());     // issue 18: the destination is checked before the simulation
        AssertNoStackTrace(r);
        Assert.Contains("--out", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("is a file, not a folder", r.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFileSystemEntries(_dir).OrderBy(x => x, StringComparer.Ordinal).ToArray());
        Assert.Equal("keep me", File.ReadAllText(file));
    }

    [Fact]
    public void OutIntoAReadOnlyDirectoryExits2AndLeavesNothingBehind()
    {
        // Permissions do not bind root; this case then writes normally and is covered by the test above.
        if (OperatingSystem.IsWindows()) return;
        string parent = Path.Combine(_dir, "locked");
        Directory.CreateDirectory(parent);
        File.SetUnixFileMode(parent, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            string probe = Path.Combine(parent, "probe");
            try { File.WriteAllText(probe, ""); File.Delete(probe); return; } // running as root
            catch (UnauthorizedAccessException) { }
            var r = CeProcess.Run(new[] { "run", "--paths", "20", "--backend", "cpu", "--quiet", "--out", Path.Combine(parent, "out") });
            Assert.True(r.ExitCode == 2, r.ToString());
            AssertNoStackTrace(r);
            Assert.Contains("must be a folder ce can write", r.StdErr, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFileSystemEntries(parent));
        }
        finally
        {
            File.SetUnixFileMode(parent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void MarketScenarioRunsOnIlgpuCpuWithTheSameStatisticsAsCpu()
    {
        string path = Write("market.yaml", new MarketYaml { PriceVol = 0.3, UtilVol = 0.2, P01 = 0.02, P10 = 0.1 }.Text());
        var cpu = CeProcess.Run(new[] { "run", path, "--paths", "500", "--backend", "cpu", "--json" });
        var ilgpu = CeProcess.Run(new[] { "run", path, "--paths", "500", "--backend", "ilgpu-cpu", "--json", "--batch", "64" });
        Assert.True(cpu.ExitCode == 0, cpu.ToString());
        Assert.True(ilgpu.ExitCode == 0, ilgpu.ToString());
        using var a = JsonDocument.Parse(cpu.StdOut);
        using var b = JsonDocument.Parse(ilgpu.StdOut);
        Assert.Equal(a.RootElement.GetProperty("metrics").GetRawText(), b.RootElement.GetProperty("metrics").GetRawText());
        Assert.Equal("ilgpu-cpu", b.RootElement.GetProperty("backend").GetString());
    }
}
