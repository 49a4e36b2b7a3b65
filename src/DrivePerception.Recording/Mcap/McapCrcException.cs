namespace DrivePerception.Recording.Mcap;

/// <summary>
/// A stored CRC-32 does not match the bytes it covers (a chunk's records, the data section or the summary):
/// the file was damaged after it was written. Thrown in strict mode; in recovery mode the damaged chunk is
/// skipped and counted in <see cref="McapRecoveryReport.CorruptChunksSkipped"/>.
/// </summary>
public sealed class McapCrcException : McapFormatException
{
    /// <summary>Creates the exception for the region named in <paramref name="message"/>.</summary>
    public McapCrcException(string message, long offset, uint expected, uint actual)
        : base(message, offset)
    {
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The CRC stored in the file.</summary>
    public uint Expected { get; }

    /// <summary>The CRC of the bytes as read.</summary>
    public uint Actual { get; }
}
