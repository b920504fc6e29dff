using ComputeEconomics.Tests.Reports;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Faults;

/// <summary>
/// An error is one line that a terminal shows as it is: control characters quoted from a damaged file or a hostile
/// path are escaped. A checkpoint filled with NUL bytes (a crash of the file system, `truncate -s`) used to be echoed
/// raw into the message; a newline in an --out path split the error over two lines.
/// </summary>
public sealed class ErrorTextTests : TempFolderTest
{
    public ErrorTextTests() : base("ce-errtext-") { }

    [Fact]
    public void ControlCharactersAreEscaped()
    {
        var e = new ValidationError("--out", "a\nb", "must be a folder (\0\t)");
        Assert.Equal("--out: a\\u000ab must be a folder (\\u0000\\u0009)", e.ToString());
        Assert.Equal("plain ü", ValidationError.Visible("plain ü"));
    }

    [Fact]
    public void ANulFilledCheckpointIsRefusedOnOneLine()
    {
        string dir = Path.Combine(Dir, "sweep");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, ".checkpoint.csv"), new byte[40]);
        string sweep = Path.Combine(SchemaTests.RepoRoot(), "scenarios", "useful-life-debate.yaml");
        var r = CeProcess.Run(new[] { "sweep", sweep, "--paths", "50", "--backend", "cpu", "--quiet", "--out", dir, "--resume" });
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.DoesNotContain('\0', r.StdErr);
        Assert.Contains("\\u0000", r.StdErr, StringComparison.Ordinal);
        Assert.Single(r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:", StringComparison.Ordinal));
    }

    [Fact]
    public void ANewlineInAnOutPathStaysOnTheErrorsLine()
    {
        string file = Path.Combine(Dir, "a\nb");
        File.WriteAllText(file, "not a folder");
        var r = CeProcess.Run(new[] { "run", "--paths", "20", "--backend", "cpu", "--out", file });
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains($"error: --out: {Dir}/a\\u000ab is an existing file", r.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain(file, r.StdErr, StringComparison.Ordinal);
    }
}
