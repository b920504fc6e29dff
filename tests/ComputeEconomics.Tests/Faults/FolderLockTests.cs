using System.Runtime.InteropServices;
using System.Text;
using ComputeEconomics.Output;
using ComputeEconomics.Tests.Reports;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Faults;

/// <summary>
/// Two writers of one output folder. Another process's lock is played by this test process holding flock(2) on the
/// folder through its own descriptor (flock locks belong to an open file, so ce's <see cref="FolderLock"/> in this
/// same process sees it as held by someone else, exactly as a second `ce` would).
/// </summary>
public sealed class FolderLockTests : TempFolderTest
{
    public FolderLockTests() : base("ce-lock-") { }

    private static Dictionary<string, byte[]> Files(params (string Name, string Text)[] files) =>
        files.ToDictionary(f => f.Name, f => Encoding.UTF8.GetBytes(f.Text));

    /// <summary>flock(LOCK_EX) on a folder through a descriptor of its own, released on dispose.</summary>
    private sealed class ForeignLock : IDisposable
    {
        private readonly int _fd;

        public ForeignLock(string directory)
        {
            _fd = Open(Encoding.UTF8.GetBytes(directory + "\0"), 0x80000);
            Assert.True(_fd >= 0, $"open {directory}");
            Assert.Equal(0, Flock(_fd, 2 | 4));
        }

        public void Dispose() => Close(_fd);

        [DllImport("libc", EntryPoint = "open", SetLastError = true)] private static extern int Open(byte[] path, int flags);
        [DllImport("libc", EntryPoint = "flock", SetLastError = true)] private static extern int Flock(int fd, int operation);
        [DllImport("libc", EntryPoint = "close", SetLastError = true)] private static extern int Close(int fd);
    }

    /// <summary>
    /// Run A creates the new folder and is still running when run B writes its complete output there; A then fails (or
    /// is interrupted) and abandons its staging. A used to delete the folder it had created, with B's finished output.
    /// </summary>
    [Fact]
    public void AnAbandonedRunKeepsTheOutputAnotherRunWroteIntoTheFolderItCreated()
    {
        string dir = Path.Combine(Dir, "out");
        var first = AtomicFiles.Open(dir);
        AtomicFiles.Replace(dir, Files(("metrics.csv", "b\n"), ("summary.json", "{\"run\":\"b\"}\n")));
        first.Dispose();
        Assert.Equal("{\"run\":\"b\"}\n", File.ReadAllText(Path.Combine(dir, "summary.json")));
        Assert.Equal("b\n", File.ReadAllText(Path.Combine(dir, "metrics.csv")));
        Assert.Empty(Directory.EnumerateDirectories(dir, ".ce-staging-*"));
    }

    [Fact]
    public void AnAbandonedRunAloneStillRemovesTheFolderItCreated()
    {
        string dir = Path.Combine(Dir, "alone");
        AtomicFiles.Open(dir).Dispose();
        Assert.False(Directory.Exists(dir));
    }

    /// <summary>An install waits while another process holds the folder, and after the wait changes nothing.</summary>
    [Fact]
    public void AnInstallIntoAFolderAnotherProcessHoldsWaitsThenChangesNothing()
    {
        if (!OperatingSystem.IsLinux()) return;
        string dir = Path.Combine(Dir, "held");
        AtomicFiles.Replace(dir, Files(("metrics.csv", "old\n"), ("summary.json", "old\n")));
        var wait = AtomicFiles.InstallWait;
        try
        {
            AtomicFiles.InstallWait = TimeSpan.FromMilliseconds(300);
            using (new ForeignLock(dir))
            {
                var ex = Assert.Throws<OutputException>(() => AtomicFiles.Replace(dir, Files(("metrics.csv", "new\n"), ("summary.json", "new\n"))));
                Assert.Contains("another ce process", ex.Message, StringComparison.Ordinal);
                Assert.Contains(dir, ex.Message, StringComparison.Ordinal);
            }
            Assert.Equal("old\n", File.ReadAllText(Path.Combine(dir, "summary.json")));
            Assert.Equal("old\n", File.ReadAllText(Path.Combine(dir, "metrics.csv")));
            Assert.Empty(Directory.EnumerateDirectories(dir, ".ce-staging-*"));

            AtomicFiles.InstallWait = TimeSpan.FromSeconds(30);
            var holder = new ForeignLock(dir);
            var release = new Thread(() => { Thread.Sleep(400); holder.Dispose(); });
            release.Start();
            AtomicFiles.Replace(dir, Files(("metrics.csv", "new\n"), ("summary.json", "new\n")));   // waits for the release
            release.Join();
            Assert.Equal("new\n", File.ReadAllText(Path.Combine(dir, "summary.json")));
        }
        finally
        {
            AtomicFiles.InstallWait = wait;
        }
    }

    /// <summary>A second sweep into a folder that a running one holds is refused at once, naming --out and the rule.</summary>
    [Fact]
    public void ASecondSweepIntoTheSameFolderIsRefusedWithExitCode2()
    {
        if (!OperatingSystem.IsLinux()) return;
        string dir = Path.Combine(Dir, "sweep");
        Directory.CreateDirectory(dir);
        string sweep = Path.Combine(SchemaTests.RepoRoot(), "scenarios", "useful-life-debate.yaml");
        using (new ForeignLock(dir))
        {
            var r = CeProcess.Run(new[] { "sweep", sweep, "--paths", "50", "--backend", "cpu", "--quiet", "--out", dir });
            Assert.True(r.ExitCode == 2, r.ToString());
            Assert.Contains($"error: --out: {dir} is being written by another ce process", r.StdErr, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(dir));     // no checkpoint started beside the other's
        }
    }

    /// <summary>A run into a folder that another process holds (a sweep running into it) is refused before it runs.</summary>
    [Fact]
    public void ARunIntoAFolderAnotherProcessHoldsIsRefusedBeforeItRuns()
    {
        if (!OperatingSystem.IsLinux()) return;
        string dir = Path.Combine(Dir, "busy");
        Directory.CreateDirectory(dir);
        using (new ForeignLock(dir))
        {
            var r = CeProcess.Run(new[] { "run", "--paths", "20", "--backend", "cpu", "--quiet", "--out", dir });
            Assert.True(r.ExitCode == 2, r.ToString());
            Assert.Contains($"error: --out: {dir} is being written by another ce process", r.StdErr, StringComparison.Ordinal);
            Assert.DoesNotContain("backend:", r.StdErr, StringComparison.Ordinal);     // refused before the backend was made
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
    }

    /// <summary>SIGINT or SIGTERM while an install waits for another process: the wait stops at once (it ran up to 60 s).</summary>
    [Fact]
    public void AnInterruptStopsTheWaitForAFolderAnotherProcessHolds()
    {
        if (!OperatingSystem.IsLinux()) return;
        string dir = Path.Combine(Dir, "interrupted");
        AtomicFiles.Replace(dir, Files(("summary.json", "old\n")));
        var (wait, interrupt) = (AtomicFiles.InstallWait, FolderLock.Interrupt);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        try
        {
            AtomicFiles.InstallWait = TimeSpan.FromSeconds(60);
            FolderLock.Interrupt = cancelled.Token;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using (new ForeignLock(dir))
                Assert.ThrowsAny<OperationCanceledException>(() => AtomicFiles.Replace(dir, Files(("summary.json", "new\n"))));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"stopped after {clock.Elapsed}");
            Assert.Equal("old\n", File.ReadAllText(Path.Combine(dir, "summary.json")));
            Assert.Empty(Directory.EnumerateDirectories(dir, ".ce-staging-*"));
        }
        finally
        {
            (AtomicFiles.InstallWait, FolderLock.Interrupt) = (wait, interrupt);
        }
    }
}
