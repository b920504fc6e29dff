using ComputeEconomics.Models;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Compare;

/// <summary>`ce compare` as a process: exit codes, messages, files.</summary>
public class CompareCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"ce-compare-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    [Fact]
    public void Two_scenarios_print_the_paired_differences_and_write_the_four_files()
    {
        string dir = Path.Combine(_dir, "out");
        var r = CeProcess.Run(new[] { "compare", "neocloud-h100", "--variant", "pue: fleet.operations.pue=1.4", "--paths", "600",
            "--backend", "cpu", "--out", dir });
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("pue - neocloud-h100", r.StdOut);
        Assert.Contains("P(default)", r.StdOut);
        Assert.Contains("paired s.e.", r.StdOut);
        foreach (var f in new[] { "compare.csv", "compare.parquet", "summary.json", "compare.html" })
            Assert.True(File.Exists(Path.Combine(dir, f)), f);
    }

    [Fact]
    public void Different_model_kinds_exit_2_naming_the_scenario_and_the_rule()
    {
        var r = CeProcess.Run(new[] { "compare", "neocloud-h100", "frontier-lab", "--paths", "100", "--backend", "cpu" });
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("frontier-lab", r.StdErr);
        Assert.Contains("model: lab", r.StdErr);
        Assert.Contains("one model kind", r.StdErr);
    }

    [Fact]
    public void A_malformed_variant_exits_2_naming_the_option()
    {
        var r = CeProcess.Run(new[] { "compare", "neocloud-h100", "--variant", "life60 fleet.depreciation.book.useful_life_months=60" });
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--variant", r.StdErr);
        Assert.Contains("NAME: path=value", r.StdErr);
    }

    [Fact]
    public void Every_output_file_is_the_same_bytes_with_another_batch_size_and_thread_count()
    {
        string a = Path.Combine(_dir, "a"), b = Path.Combine(_dir, "b");
        string[] common = { "compare", "neocloud-h100", "--variant", "life60: fleet.depreciation.book.useful_life_months=60", "--paths", "700", "--backend", "cpu", "--quiet" };
        var r1 = CeProcess.Run(common.Concat(new[] { "--out", a }));
        var r2 = CeProcess.Run(common.Concat(new[] { "--out", b, "--batch", "61", "--threads", "1" }));
        Assert.True(r1.ExitCode == 0 && r2.ExitCode == 0, r1 + "\n" + r2);
        var files = Directory.GetFiles(a, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(a, f)).Order().ToList();
        Assert.Equal(files, Directory.GetFiles(b, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(b, f)).Order());
        Assert.Contains(Path.Combine("charts", "hist-life60.svg"), files);
        // The device description names the thread count ("2-core CPU (1 threads)"): the one allowed difference.
        static byte[] Read(string path) => path.EndsWith(".json", StringComparison.Ordinal) || path.EndsWith(".html", StringComparison.Ordinal)
            ? System.Text.Encoding.UTF8.GetBytes(System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(path), @"\(\d+ threads\)", "(N threads)"))
            : File.ReadAllBytes(path);
        foreach (var f in files)
            Assert.True(Read(Path.Combine(a, f)).AsSpan().SequenceEqual(Read(Path.Combine(b, f))), $"{f} differs");
    }
}
