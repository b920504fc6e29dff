using System.Collections.Concurrent;
using System.Text;
using ComputeEconomics.Output;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Reliability;

/// <summary>
/// Issue 18: a run owns its --out folder. Files are staged inside it (the same file system as the final names),
/// the previous run's files are removed, its marker (summary.json, manifest.json) first and the new marker last,
/// and staging folders of killed processes are cleaned up.
/// </summary>
public sealed class AtomicOutputTests : TempFolderTest
{
    public AtomicOutputTests() : base("ce-atomic-") { }

    private static Dictionary<string, byte[]> Files(params (string Name, string Text)[] files) =>
        files.ToDictionary(f => f.Name, f => Encoding.UTF8.GetBytes(f.Text));

    private static List<string> Listing(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/'))
            .Where(f => f != AtomicFiles.OwnershipFile).OrderBy(f => f, StringComparer.Ordinal).ToList();

    [Fact]
    public void ANewRunRemovesTheFilesAnEarlierRunLeftAndKeepsOthersOut()
    {
        string run = Path.Combine(Dir, "run");
        Writers.WriteAll(run, new Dictionary<string, string> { ["summary.json"] = "{\"run\":1}\n", ["inputs.csv"] = "a\n", ["bands.csv"] = "old\n" });
        AtomicFiles.Write(run, Files(("report.html", "<html>"), ("charts/npv.png", "png")));
        Assert.Equal(new[] { "bands.csv", "charts/npv.png", "inputs.csv", "report.html", "summary.json" }, Listing(run));

        Writers.WriteAll(run, new Dictionary<string, string> { ["summary.json"] = "{\"run\":2}\n", ["bands.csv"] = "new\n" });
        Assert.Equal(new[] { "bands.csv", "summary.json" }, Listing(run));
        Assert.False(Directory.Exists(Path.Combine(run, "charts")));
        Assert.Equal("{\"run\":2}\n", File.ReadAllText(Path.Combine(run, "summary.json")));
        Assert.Equal("new\n", File.ReadAllText(Path.Combine(run, "bands.csv")));
        Assert.Equal(new[] { "bands.csv", "summary.json" }, File.ReadAllLines(Path.Combine(run, AtomicFiles.OwnershipFile)));
    }

    [Fact]
    public void AFolderOfAnEarlierVersionIsTakenOverWithoutTouchingOtherFiles()
    {
        string run = Path.Combine(Dir, "legacy");
        Directory.CreateDirectory(Path.Combine(run, "charts"));
        foreach (var f in new[] { "summary.json", "report.html", "inputs.csv", "charts/a.png", "notes.txt" })
            File.WriteAllText(Path.Combine(run, f), "old");
        Writers.WriteAll(run, new Dictionary<string, string> { ["summary.json"] = "{}\n" });
        Assert.Equal(new[] { "notes.txt", "summary.json" }, Listing(run));
    }

    [Fact]
    public void TheOldMarkerGoesFirstAndTheNewMarkerLastSoAKillNeverMixesTwoRuns()
    {
        string run = Path.Combine(Dir, "order");
        Writers.WriteAll(run, new Dictionary<string, string> { ["summary.json"] = "1", ["bands.csv"] = "1", ["metrics.csv"] = "1" });
        var events = new ConcurrentQueue<string>();
        using (var watcher = new FileSystemWatcher(run) { IncludeSubdirectories = false, NotifyFilter = NotifyFilters.FileName })
        {
            watcher.Created += (_, e) => events.Enqueue("+" + e.Name);
            watcher.Deleted += (_, e) => events.Enqueue("-" + e.Name);
            watcher.Renamed += (_, e) => events.Enqueue("+" + e.Name);
            watcher.EnableRaisingEvents = true;
            Writers.WriteAll(run, new Dictionary<string, string> { ["summary.json"] = "2", ["bands.csv"] = "2", ["survival.csv"] = "2" });
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!events.Contains("+summary.json") && DateTime.UtcNow < deadline) Thread.Sleep(20);
        }
        var seen = events.Where(e => !e.Contains(".ce-")).ToList();
        Assert.True(seen.Count >= 4, string.Join(" ", seen));
        Assert.Equal("-summary.json", seen[0]);                        // the old run's marker goes before anything else changes
        Assert.Equal("+summary.json", seen[^1]);                       // the new marker comes last
        Assert.True(seen.IndexOf("-metrics.csv") < seen.IndexOf("+survival.csv"), string.Join(" ", seen));
        Assert.Equal(new[] { "bands.csv", "summary.json", "survival.csv" }, Listing(run));
    }

    [Fact]
    public void StagingHappensInsideTheTargetAndStaleStagingIsRemoved()
    {
        string run = Path.Combine(Dir, "stale");
        Directory.CreateDirectory(run);
        // Left by killed processes (a pid above the kernel's limit is never running): inside, and beside (earlier versions).
        string inside = Path.Combine(run, ".ce-staging-99999999-0a1b");
        string beside = Path.Combine(Dir, ".stale.partial-99999999-0a1b");
        Directory.CreateDirectory(inside);
        Directory.CreateDirectory(beside);
        File.WriteAllText(Path.Combine(inside, "bands.csv"), "torn");
        using (var watcher = new FileSystemWatcher(Dir) { IncludeSubdirectories = false, NotifyFilter = NotifyFilters.DirectoryName | NotifyFilters.FileName })
        {
            var created = new ConcurrentQueue<string>();
            watcher.Created += (_, e) => created.Enqueue(e.Name ?? "");
            watcher.EnableRaisingEvents = true;
            Writers.WriteAll(run, new Dictionary<string, string> { ["summary.json"] = "{}\n" });
            Thread.Sleep(200);
            Assert.Empty(created);                                        // nothing staged on the parent's file system
        }
        Assert.False(Directory.Exists(inside));
        Assert.False(Directory.Exists(beside));
        Assert.Equal(new[] { AtomicFiles.OwnershipFile, "summary.json" }, Directory.GetFileSystemEntries(run).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AFailedWriteLeavesTheEarlierOutputAndNoStaging()
    {
        string run = Path.Combine(Dir, "fail");
        Writers.WriteAll(run, new Dictionary<string, string> { ["summary.json"] = "{\"ok\":1}\n" });
        // A name that cannot be created (a path under a file) fails while staging, before any rename.
        var bad = Files(("summary.json", "{}"), ("summary.json/x", "y"));
        Assert.Throws<OutputException>(() => AtomicFiles.Replace(run, bad));
        Assert.Equal("{\"ok\":1}\n", File.ReadAllText(Path.Combine(run, "summary.json")));
        Assert.Equal(new[] { AtomicFiles.OwnershipFile, "summary.json" }, Directory.GetFileSystemEntries(run).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
