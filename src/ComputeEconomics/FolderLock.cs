using System.Runtime.InteropServices;

namespace ComputeEconomics;

/// <summary>
/// An exclusive lock on an output folder between ce processes: flock(2) on the folder itself (Linux), so no lock file
/// is left behind and a process that dies, even by SIGKILL, releases it. <see cref="AtomicFiles"/> holds it while it
/// installs a run's files (two `ce run --out SAME` used to be able to interleave their renames, leaving one run's
/// marker beside the other's files), and a sweep with a checkpoint holds it from start to end (two sweeps used to
/// append to one checkpoint). Re-entrant within a process. Advisory: a program that does not take it is not stopped.
/// Elsewhere than Linux, and on a file system that refuses flock, nothing is locked.
/// </summary>
public sealed class FolderLock : IDisposable
{
    private static readonly Dictionary<string, (int Fd, int Count)> Held = new(StringComparer.Ordinal);
    private readonly string _full;
    private bool _disposed;

    private FolderLock(string full) => _full = full;

    /// <summary>Cancels a wait for another process's lock (the CLI sets its SIGINT/SIGTERM token): the wait then throws
    /// <see cref="OperationCanceledException"/> within 50 ms instead of running to its end.</summary>
    public static CancellationToken Interrupt { get; set; }

    /// <summary>
    /// The lock of the existing folder <paramref name="directory"/>, waiting up to <paramref name="wait"/> for another
    /// process to release it; null when it is still held by another process then.
    /// </summary>
    public static FolderLock? TryAcquire(string directory, TimeSpan wait)
    {
        string full = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        lock (Held)
        {
            if (Held.TryGetValue(full, out var held))
            {
                Held[full] = (held.Fd, held.Count + 1);
                return new FolderLock(full);
            }
        }
        int fd = OperatingSystem.IsLinux() ? Lock(full, wait) : -1;
        if (fd == Busy) return null;
        lock (Held) Held[full] = (fd, 1);
        return new FolderLock(full);
    }

    private const int Busy = -2;
    private const int OpenReadOnlyCloseOnExec = 0x80000;   // O_RDONLY | O_CLOEXEC (the same on x86-64 and arm64 Linux)
    private const int LockExclusive = 2, LockNonBlocking = 4, WouldBlock = 11;   // LOCK_EX, LOCK_NB, EWOULDBLOCK

    /// <summary>A descriptor holding the lock; -1 when the folder cannot be locked (not opened, flock unsupported); <see cref="Busy"/>.</summary>
    private static int Lock(string full, TimeSpan wait)
    {
        byte[] path = System.Text.Encoding.UTF8.GetBytes(full + "\0");
        int fd = Open(path, OpenReadOnlyCloseOnExec);
        if (fd < 0) return -1;
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            if (Flock(fd, LockExclusive | LockNonBlocking) == 0) return fd;
            int errno = Marshal.GetLastPInvokeError();
            if (errno != WouldBlock || DateTime.UtcNow >= deadline || Interrupt.IsCancellationRequested)
            {
                Close(fd);
                Interrupt.ThrowIfCancellationRequested();
                return errno == WouldBlock ? Busy : -1;
            }
            Thread.Sleep(50);
        }
    }

    /// <summary>Release (the last holder in this process closes the descriptor, which drops the lock).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lock (Held)
        {
            var (fd, count) = Held[_full];
            if (count > 1) { Held[_full] = (fd, count - 1); return; }
            Held.Remove(_full);
            if (fd >= 0) Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static extern int Flock(int fd, int operation);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
