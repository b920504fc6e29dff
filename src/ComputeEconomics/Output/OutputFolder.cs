namespace ComputeEconomics.Output;

/// <summary>
/// The destination of `--out`, checked before any work (a simulation that cannot be written is not started): it
/// must name a folder other than the root, not an existing file, that is new, empty or written by ce (a run owns
/// its folder and removes what the previous run left), and that this process can write. Bad input is an
/// <see cref="InputException"/> (exit code 2) naming the option, the value and the rule.
/// </summary>
public static class OutputFolder
{
    /// <summary>Check <paramref name="path"/> given to <paramref name="option"/>; returns its full path.</summary>
    public static string Check(string option, string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new InputException(option, $"'{path}'", "must name a folder (a new one, an empty one or one written by ce)");
        string full;
        try { full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar); }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new InputException(option, path, $"must be a valid folder path: {ex.Message}");
        }
        if (full.Length == 0 || Path.GetPathRoot(full + Path.DirectorySeparatorChar) == full + Path.DirectorySeparatorChar)
            throw new InputException(option, path, "must not be the root folder: ce writes and replaces its files in the --out folder");
        if (File.Exists(full))
            throw new InputException(option, path, "is an existing file: must be a folder (new, empty, or written by ce)");
        if (Directory.Exists(full))
        {
            var entries = Directory.EnumerateFileSystemEntries(full).Take(3).Select(Path.GetFileName).ToList();
            if (entries.Count > 0 && !AtomicFiles.IsCeOutput(full))
                throw new InputException(option, path, $"must be a new or empty folder, or one written by ce: it holds other files ({string.Join(", ", entries)}{(entries.Count == 3 ? ", ..." : "")})");
            // A sweep holds its folder from start to end: a run into it would wait for it at the end, then fail.
            using var held = FolderLock.TryAcquire(full, TimeSpan.Zero);
            if (held == null)
                throw new InputException(option, path, "is being written by another ce process (a sweep running into it, or a run installing its output): wait for it to finish, or choose another folder");
        }
        Probe(option, path, full);
        return full;
    }

    /// <summary>
    /// Bytes this process may still write on the file system that holds <paramref name="path"/> (its nearest existing
    /// folder when it does not exist yet: where the folder will be created), or null when that cannot be told.
    /// </summary>
    public static long? AvailableBytes(string path)
    {
        try
        {
            string? dir = Path.GetFullPath(path);
            while (dir != null && !Directory.Exists(dir)) dir = Path.GetDirectoryName(dir);
            return dir == null ? null : new DriveInfo(dir).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Create and delete a file in the folder (creating the folder and removing it again when missing).</summary>
    private static void Probe(string option, string path, string full)
    {
        string? firstMissing = null;
        for (string? dir = full; dir != null && !Directory.Exists(dir); dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(dir)) throw new InputException(option, path, $"cannot be created: {dir} is a file, not a folder");
            firstMissing = dir;
        }
        try
        {
            Directory.CreateDirectory(full);
            string probe = Path.Combine(full, $".ce-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputException(option, path, $"must be a folder ce can write: {ex.Message}");
        }
        finally
        {
            if (firstMissing != null)
            {
                try { if (Directory.Exists(firstMissing)) Directory.Delete(firstMissing, true); }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
            }
        }
    }
}
