namespace ComputeEconomics;

/// <summary>
/// Files written atomically into a folder (every output of the program goes through here). Files are written and
/// flushed in a staging folder inside the target (the same file system, so every move is a rename, also when the
/// target is a mount point), then renamed into place with the marker (summary.json of a run, manifest.json of a sweep)
/// last: a folder holding its marker holds the complete set of one run. A run owns its folder
/// (<see cref="Replace"/>): the marker of the previous run is removed first, then whatever else that run wrote
/// (listed in <see cref="OwnershipFile"/>), so no file of an earlier run stays beside a new one; a SIGKILL part way
/// leaves a folder without a marker, never a mix under one. <see cref="Write"/> adds files (a report into a run's
/// folder). On a failure before the renames nothing under a final name changes, a folder this call created is
/// removed and the staging folder is deleted; staging folders of processes that no longer run are removed.
/// Names may contain sub-folders ("charts/npv.png").
/// </summary>
public static class AtomicFiles
{
    /// <summary>The list of files ce wrote into a folder, one relative name a line (what the next run removes).</summary>
    public const string OwnershipFile = ".ce-output";

    /// <summary>Files whose presence means "a complete output": written last, removed first.</summary>
    public static readonly string[] Markers = { "summary.json", "manifest.json" };

    private const string StagingPrefix = ".ce-staging-";

    /// <summary>What earlier versions (before <see cref="OwnershipFile"/>) wrote, removed when such a folder is reused.</summary>
    private static readonly string[] LegacyNames =
    {
        "summary.json", "metrics.csv", "bands.csv", "histograms.csv", "survival.csv", "scenario.yaml", "scenario.source.yaml",
        "run.json", "inputs.csv", "report.html", "charts", "points.csv", "points.parquet", "manifest.json", "sweep.yaml",
        "optimize.csv", "tornado.csv", "sobol.csv",
    };

    /// <summary>Add <paramref name="files"/> to <paramref name="directory"/> (top-level files last); <see cref="OutputException"/> on failure.</summary>
    public static void Write(string directory, IReadOnlyDictionary<string, byte[]> files) => Commit(directory, files, replace: false);

    /// <summary>
    /// Make <paramref name="files"/> the whole ce output of <paramref name="directory"/>: what an earlier run wrote
    /// there and is not rewritten is removed. <see cref="OutputException"/> on failure.
    /// </summary>
    public static void Replace(string directory, IReadOnlyDictionary<string, byte[]> files) => Commit(directory, files, replace: true);

    /// <summary>True when ce wrote <paramref name="directory"/> (its ownership list, a marker or a sweep checkpoint is there).</summary>
    public static bool IsCeOutput(string directory) =>
        File.Exists(Path.Combine(directory, OwnershipFile)) || HoldsMarkerOrStaging(directory)
        || File.Exists(Path.Combine(directory, ".checkpoint.csv"))
        || File.Exists(Path.Combine(directory, ".checkpoint.csv.tmp"));   // a sweep killed while it wrote its first checkpoint

    /// <summary>True when <paramref name="directory"/> holds a run's marker or a staging folder (a run part way, or one
    /// killed part way by SIGKILL: removed by the next one).</summary>
    private static bool HoldsMarkerOrStaging(string directory) =>
        Markers.Any(m => File.Exists(Path.Combine(directory, m)))
        || Directory.EnumerateDirectories(directory, StagingPrefix + "*").Any();

    /// <summary>
    /// A staging folder opened before the run, for files written while it goes (paths.parquet, streamed batch by batch):
    /// <see cref="StagedOutput.Create"/> opens them in it, <see cref="StagedOutput.Replace"/> stages the other files beside
    /// them and installs all of them as <see cref="Replace"/> does. Disposed without <see cref="StagedOutput.Replace"/>
    /// (an error, SIGINT or SIGTERM part way) it deletes the staging folder, and the output folder when it created it:
    /// nothing under a final name changes.
    /// </summary>
    public static StagedOutput Open(string directory) => new(directory);

    private static void Commit(string directory, IReadOnlyDictionary<string, byte[]> files, bool replace)
    {
        using var staged = new StagedOutput(directory);
        staged.Commit(files, replace);
    }

    /// <summary>The file names ce may write: relative, without . or .. parts, not its own bookkeeping.</summary>
    private static void CheckName(string name)
    {
        if (Path.IsPathRooted(name) || name.Split('/', '\\').Any(p => p is ".." or "." or "") || name == OwnershipFile || name.StartsWith(StagingPrefix, StringComparison.Ordinal))
            throw new ArgumentException($"file name {name} must be relative without . or .. parts", nameof(name));
    }

    /// <summary>A staging folder inside an output folder (see <see cref="Open"/>).</summary>
    public sealed class StagedOutput : IDisposable
    {
        private readonly string _directory, _full, _staging;
        private readonly bool _created;
        private readonly List<string> _streamed = new();
        private bool _open = true, _installing;

        internal StagedOutput(string directory)
        {
            _directory = directory;
            _full = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
            _created = !Directory.Exists(_full);
            _staging = Path.Combine(_full, $"{StagingPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
            Guarded(() =>
            {
                Directory.CreateDirectory(_full);
                RemoveStaleStaging(_full);
                Directory.CreateDirectory(_staging);
            });
        }

        /// <summary>A new file <paramref name="name"/> in the staging folder, installed by <see cref="Replace"/>; the caller
        /// writes, flushes to disk and closes it before then. <see cref="OutputException"/> when it cannot be created.</summary>
        public FileStream Create(string name)
        {
            CheckName(name);
            if (!_open || _streamed.Contains(name)) throw new InvalidOperationException($"{name}: staging closed or file already created");
            string path = Path.Combine(_staging, name);
            var stream = Guarded(() =>
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            });
            _streamed.Add(name);
            return stream;
        }

        /// <summary>
        /// Make the files created here and <paramref name="files"/> the whole ce output of the folder (as
        /// <see cref="AtomicFiles.Replace"/>). <see cref="OutputException"/> on failure, leaving no partial file under a final name.
        /// </summary>
        public void Replace(IReadOnlyDictionary<string, byte[]> files) => Commit(files, replace: true);

        internal void Commit(IReadOnlyDictionary<string, byte[]> files, bool replace)
        {
            foreach (var name in files.Keys)
            {
                CheckName(name);
                if (_streamed.Contains(name)) throw new ArgumentException($"file name {name} was already created in the staging folder", nameof(files));
            }
            if (!_open) throw new InvalidOperationException("the staged output was already installed");
            Guarded(() =>
            {
                Stage(_staging, files);
                using var held = FolderLock.TryAcquire(_full, InstallWait) ?? throw new OutputException(
                    $"cannot write to {_directory}: another ce process (a sweep running into it, or a run installing its output) has held the folder for {InstallWait.TotalSeconds:0} s; nothing was changed: wait for it, or choose another folder");
                _installing = true;   // from here the ownership list in the folder is this staging's
                Install(_full, _staging, _streamed.Concat(files.Keys).ToList(), replace);
            });
            _open = false;
            TryDelete(_staging);
        }

        /// <summary>Run <paramref name="body"/>; an I/O failure removes the staging folder (and the folder when this created it) and is an <see cref="OutputException"/>.</summary>
        private T Guarded<T>(Func<T> body)
        {
            try
            {
                return body();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Abandon();
                throw new OutputException($"cannot write to {_directory}: {ex.Message}");
            }
        }

        private void Guarded(Action body) => Guarded(() => { body(); return true; });

        /// <summary>
        /// Remove what this staging wrote: the staging folder, and the output folder when this created it and no other
        /// process has put anything there since (a complete output, or a staging folder of its own): a second run into
        /// the same new folder used to have its finished output deleted when the first one failed or was interrupted.
        /// </summary>
        private void Abandon()
        {
            _open = false;
            TryDelete(_staging);
            if (!_created) return;
            FolderLock? held;
            try { held = FolderLock.TryAcquire(_full, TimeSpan.FromSeconds(5)); }
            catch (OperationCanceledException) { held = null; }   // interrupted while another process holds it: leave the folder
            using (held)
                if (held != null && !HoldsOtherOutput(_full, ownershipIsOurs: _installing)) TryDelete(_full);
        }

        /// <summary>Not installed: everything staged is removed (an error or an interruption part way).</summary>
        public void Dispose()
        {
            if (_open) Abandon();
        }
    }

    /// <summary>How long an install waits for another process's install into the same folder to finish.</summary>
    public static TimeSpan InstallWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>True when <paramref name="full"/> holds a marker, an ownership list that is not ours or a staging folder (another process's output).</summary>
    private static bool HoldsOtherOutput(string full, bool ownershipIsOurs) =>
        Directory.Exists(full) && ((!ownershipIsOurs && File.Exists(Path.Combine(full, OwnershipFile))) || HoldsMarkerOrStaging(full));

    /// <summary>Every file written and flushed to disk in <paramref name="staging"/>.</summary>
    private static void Stage(string staging, IReadOnlyDictionary<string, byte[]> files)
    {
        foreach (var (name, content) in files)
        {
            string path = Path.Combine(staging, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            fs.Write(content);
            fs.Flush(true);
        }
    }

    /// <summary>
    /// The renames: the ownership list first grows to cover old and new files (so a kill part way leaves nothing
    /// unlisted), the old marker goes, then the old files, then the new files with the marker last.
    /// </summary>
    private static void Install(string full, string staging, List<string> names, bool replace)
    {
        var old = Owned(full);
        WriteOwnership(full, staging, old.Union(names, StringComparer.Ordinal));
        if (replace)
        {
            foreach (var marker in Markers) DeleteEntry(full, marker);
            foreach (var name in old.Except(names, StringComparer.Ordinal)) DeleteEntry(full, name);
        }
        string? last = replace ? Markers.FirstOrDefault(names.Contains) : null;
        var order = names.OrderBy(n => n == last ? 2 : n.Contains('/') || n.Contains('\\') ? 0 : 1).ThenBy(n => n, StringComparer.Ordinal);
        foreach (var name in order)
        {
            if (name == last) WriteOwnership(full, staging, replace ? names : old.Union(names, StringComparer.Ordinal));
            string target = Path.Combine(full, name);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(Path.Combine(staging, name), target, overwrite: true);
        }
        if (last == null) WriteOwnership(full, staging, replace ? names : old.Union(names, StringComparer.Ordinal));
    }

    /// <summary>The names ce wrote into <paramref name="full"/>: its ownership list, or for a folder of an earlier version the names it writes.</summary>
    private static List<string> Owned(string full)
    {
        string list = Path.Combine(full, OwnershipFile);
        if (File.Exists(list))
            return File.ReadAllLines(list).Where(l => l.Length > 0 && !Path.IsPathRooted(l) && !l.Split('/').Any(p => p is ".." or "." or "")).ToList();
        return Markers.Any(m => File.Exists(Path.Combine(full, m))) ? LegacyNames.ToList() : new List<string>();
    }

    private static void WriteOwnership(string full, string staging, IEnumerable<string> names)
    {
        string tmp = Path.Combine(staging, OwnershipFile);
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            fs.Write(System.Text.Encoding.UTF8.GetBytes(string.Concat(names.Distinct().OrderBy(n => n, StringComparer.Ordinal).Select(n => n + "\n"))));
            fs.Flush(true);
        }
        File.Move(tmp, Path.Combine(full, OwnershipFile), overwrite: true);
    }

    /// <summary>Delete a file (or a sub-folder) of an earlier run, then its parent folders inside the output when empty.</summary>
    private static void DeleteEntry(string full, string name)
    {
        string path = Path.Combine(full, name);
        if (File.Exists(path)) File.Delete(path);
        else if (Directory.Exists(path)) Directory.Delete(path, true);
        else return;
        for (string? dir = Path.GetDirectoryName(path); dir != null && dir.Length > full.Length; dir = Path.GetDirectoryName(dir))
        {
            if (Directory.EnumerateFileSystemEntries(dir).Any()) break;
            Directory.Delete(dir);
        }
    }

    /// <summary>Staging folders of processes that no longer run (killed mid-write), here and beside the folder (earlier versions).</summary>
    private static void RemoveStaleStaging(string full)
    {
        foreach (var dir in Directory.EnumerateDirectories(full, StagingPrefix + "*"))
            if (!IsRunning(Path.GetFileName(dir)[StagingPrefix.Length..])) TryDelete(dir);
        string parent = Path.GetDirectoryName(full) ?? "";
        string prefix = $".{Path.GetFileName(full)}.";
        if (parent.Length == 0 || !Directory.Exists(parent)) return;
        foreach (var dir in Directory.EnumerateDirectories(parent, prefix + "*"))
        {
            string rest = Path.GetFileName(dir)[prefix.Length..];
            foreach (var kind in new[] { "partial-", "report-" })
                if (rest.StartsWith(kind, StringComparison.Ordinal) && !IsRunning(rest[kind.Length..])) TryDelete(dir);
        }
    }

    /// <summary>True when "PID-..." names a running process (or cannot be read: then it is left alone).</summary>
    private static bool IsRunning(string pidAndRest)
    {
        int dash = pidAndRest.IndexOf('-');
        if (dash <= 0 || !int.TryParse(pidAndRest[..dash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid)) return true;
        return pid == Environment.ProcessId || !OperatingSystem.IsLinux() || Directory.Exists($"/proc/{pid}");
    }

    private static void TryDelete(string path)
    {
        try { if (Directory.Exists(path)) Directory.Delete(path, true); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }
}
