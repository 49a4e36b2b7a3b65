namespace DrivePerception.Recording.Mcap;

/// <summary>
/// The bytes are not a well-formed MCAP file: wrong magic, a record that overruns its length, a file cut
/// short, a message on an undefined channel. The message names the offset and, where there is one, the fix
/// (typically: open with <see cref="McapReaderOptions.Recover"/> to read what is intact).
/// </summary>
public class McapFormatException : Exception
{
    /// <summary>Creates the exception for a problem at <paramref name="offset"/> (-1 when no single offset applies).</summary>
    public McapFormatException(string message, long offset = -1, Exception? innerException = null)
        : base(message, innerException)
    {
        Offset = offset;
    }

    /// <summary>File offset of the record at fault, or -1 when no single offset applies.</summary>
    public long Offset { get; }
}
