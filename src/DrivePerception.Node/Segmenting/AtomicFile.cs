namespace DrivePerception.Node.Segmenting;

/// <summary>
/// Writes a file so that it is never seen half-written: the bytes go to NAME.tmp-PID beside it, then a rename (atomic
/// on one file system) puts them in place. A run killed mid-write leaves at most a .tmp file, which the next run
/// overwrites.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>, replacing it.</summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        var temporary = $"{path}.tmp-{Environment.ProcessId}";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: false);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Writes text as UTF-8 (no byte-order mark) to <paramref name="path"/>, replacing it.</summary>
    public static void WriteText(string path, string text) => Write(path, System.Text.Encoding.UTF8.GetBytes(text));
}
