namespace ComputeEconomics.Output;

/// <summary>
/// Files written atomically into a folder (every output of the program goes through here, <see cref="Writers.WriteAll"/>
/// included): everything is written and flushed in a staging folder beside the target, then each file is renamed
/// into place, files in sub-folders first and top-level files (summary.json, report.html) last, so a top-level file's
/// presence means the whole set is complete. On failure nothing is left under a final name that was not there before
/// (a folder this call created is removed) and the staging folder is deleted. Names may contain sub-folders
/// ("charts/npv.png").
/// </summary>
public static class AtomicFiles
{
    /// <summary>Write <paramref name="files"/> (relative name to content) under <paramref name="directory"/>; <see cref="OutputException"/> on failure.</summary>
    public static void Write(string directory, IReadOnlyDictionary<string, byte[]> files)
    {
        string full = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        string parent = Path.GetDirectoryName(full) ?? ".";
        string staging = Path.Combine(parent, $".{Path.GetFileName(full)}.report-{Environment.ProcessId}-{Guid.NewGuid():N}");
        foreach (var name in files.Keys)
            if (Path.IsPathRooted(name) || name.Split('/', '\\').Any(p => p is ".." or "." or ""))
                throw new ArgumentException($"file name {name} must be relative without . or .. parts", nameof(files));
        bool created = !Directory.Exists(full);
        try
        {
            foreach (var (name, content) in files)
            {
                string path = Path.Combine(staging, name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                using var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                fs.Write(content);
                fs.Flush(true);
            }
            foreach (var name in files.Keys.OrderBy(n => n.Contains('/') || n.Contains('\\') ? 0 : 1).ThenBy(n => n, StringComparer.Ordinal))
            {
                string target = Path.Combine(full, name);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Move(Path.Combine(staging, name), target, overwrite: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (created)
            {
                try { if (Directory.Exists(full)) Directory.Delete(full, true); }
                catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException) { }
            }
            throw new OutputException($"cannot write to {directory}: {ex.Message}");
        }
        finally
        {
            try { if (Directory.Exists(staging)) Directory.Delete(staging, true); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        }
    }
}
