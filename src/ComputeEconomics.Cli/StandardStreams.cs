using System.Text;

namespace ComputeEconomics.Cli;

/// <summary>
/// Standard output and standard error that a closed or failing stream cannot crash. Closed by the caller
/// (`ce run &gt;&amp;-`, `2&gt;&amp;-`), a write fails with EBADF (.NET: UnauthorizedAccessException); on a full device
/// (`&gt; /dev/full`) with ENOSPC. Before, a closed stdout was "internal error: UnauthorizedAccessException: Access to
/// the path is denied." and a closed stderr aborted the process (SIGABRT, exit code 134) when the error message about
/// the first failed write failed in turn. Now: stdout's first failure stops the verb as an
/// <see cref="StandardOutputException"/> (exit code 1, the reason on stderr; files already committed under --out stay,
/// complete); stderr's failures are dropped (nowhere to report them: the exit code still says what happened). A reader
/// that stops early (`ce scenarios | head -1`, EPIPE) is no failure: .NET drops the rest and the exit code is that of
/// the verb.
/// </summary>
public static class StandardStreams
{
    /// <summary>Wrap <see cref="Console.Out"/> and <see cref="Console.Error"/>; call before anything writes to them.</summary>
    public static void Install()
    {
        // Closed at exec, descriptors 1 and 2 are taken by the first pipe the .NET runtime opens (both closed: stdout
        // its read end, stderr its write end), so ce's messages went into a pipe of the runtime. Such a stream is closed.
        Console.SetError(Descriptors.OpenedByThisProcess(2) ? TextWriter.Null : new GuardedWriter(Console.Error, "standard error", throwOnFailure: false));
        Console.SetOut(new GuardedWriter(Descriptors.OpenedByThisProcess(1) ? new ClosedWriter() : Console.Out, "standard output", throwOnFailure: true));
    }

    /// <summary>A stream that was closed when ce started: every write fails as a write to a closed descriptor does.</summary>
    private sealed class ClosedWriter : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;
        public override void Write(char value) => throw new UnauthorizedAccessException("closed");
    }

    /// <summary>Forwards to a console stream; its first failed write throws (stdout) or is dropped (stderr), later writes are dropped.</summary>
    internal sealed class GuardedWriter : TextWriter
    {
        private readonly TextWriter _inner;
        private readonly string _name;
        private readonly bool _throwOnFailure;
        private bool _failed;

        public GuardedWriter(TextWriter inner, string name, bool throwOnFailure)
            : base(System.Globalization.CultureInfo.InvariantCulture)
        {
            _inner = inner; _name = name; _throwOnFailure = throwOnFailure;
        }

        public override Encoding Encoding => _inner.Encoding;

        public override void Write(char value) => Guard(() => _inner.Write(value));
        public override void Write(string? value) => Guard(() => _inner.Write(value));
        public override void Write(char[] buffer, int index, int count) => Guard(() => _inner.Write(buffer, index, count));
        public override void Write(ReadOnlySpan<char> buffer)
        {
            if (_failed) return;
            string text = buffer.ToString();
            Guard(() => _inner.Write(text));
        }
        public override void WriteLine() => Guard(() => _inner.WriteLine());
        public override void WriteLine(string? value) => Guard(() => _inner.WriteLine(value));
        public override void Flush() => Guard(() => _inner.Flush());

        private void Guard(Action write)
        {
            if (_failed) return;
            try
            {
                write();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                _failed = true;
                if (_throwOnFailure) throw new StandardOutputException(Reason(_name, ex));
            }
        }

        /// <summary>Why a write to the stream failed, in words (EBADF is reported by .NET as "Access to the path is denied").</summary>
        internal static string Reason(string name, Exception ex) => ex is UnauthorizedAccessException or ObjectDisposedException
            ? $"cannot write to {name}: it is closed (to discard the printed results use >/dev/null or --quiet)"
            : $"cannot write to {name}: {ex.Message}";
    }
}

/// <summary>Standard output could not be written (closed, a full device): exit code 1, the reason on stderr.</summary>
public sealed class StandardOutputException(string message) : IOException(message);
