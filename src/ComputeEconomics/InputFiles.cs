using System.Text;

namespace ComputeEconomics;

/// <summary>
/// Reading files given by the user (scenarios, sweep files, checkpoints, shard outputs) with a size limit that holds
/// for any stream: at most limit + 1 bytes are read, so /dev/zero or /dev/urandom is refused with the limit instead of
/// exhausting memory. Text is strict UTF-8; a leading byte-order mark is accepted and dropped.
/// </summary>
public static class InputFiles
{
    /// <summary>The largest scenario or sweep file: 16 MiB.</summary>
    public const int ScenarioLimit = 16 << 20;

    /// <summary>
    /// The bytes of <paramref name="path"/>, at most <paramref name="limit"/>; <see cref="InputException"/> naming the
    /// file when it is larger or cannot be read.
    /// </summary>
    public static byte[] ReadBytes(string path, int limit)
    {
        if (Descriptors.ClosedStandardDescriptor(path) is { } closed)
            throw new InputException(path, "(file)", $"cannot be read: descriptor {closed} was closed when ce started (reading it read a pipe of the .NET runtime, and hung)");
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
            var buffer = new byte[Math.Min(limit + 1L, fs.CanSeek && fs.Length > 0 ? fs.Length + 1 : 1 << 16)];
            int total = 0;
            while (true)
            {
                if (total == buffer.Length)
                {
                    if (buffer.Length > limit) break;
                    Array.Resize(ref buffer, (int)Math.Min(limit + 1L, buffer.Length * 2L));
                }
                int n = fs.Read(buffer, total, buffer.Length - total);
                if (n == 0) break;
                total += n;
            }
            if (total > limit)
                throw new InputException(path, $"(more than {limit:N0} bytes)", $"must be at most {Size(limit)}");
            Array.Resize(ref buffer, total);
            return buffer;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputException(path, "(file)", $"cannot be read: {ex.Message}");
        }
    }

    /// <summary>The text of <paramref name="path"/> as strict UTF-8 (a byte-order mark dropped), at most <paramref name="limit"/> bytes.</summary>
    public static string ReadText(string path, int limit) => Decode(ReadBytes(path, limit), path);

    /// <summary>Strict UTF-8 without a leading byte-order mark; <see cref="InputException"/> naming the first bad byte.</summary>
    public static string Decode(byte[] bytes, string source)
    {
        int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InputException(source, $"(byte {ex.Index + start})", "must be UTF-8 text");
        }
    }

    private static string Size(int bytes) => bytes % (1 << 20) == 0 ? $"{bytes >> 20} MiB" : $"{bytes:N0} bytes";
}
