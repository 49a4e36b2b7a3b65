namespace DrivePerception.Recording.Mcap;

/// <summary>How <see cref="McapReader"/> treats damaged or incomplete files.</summary>
public sealed class McapReaderOptions
{
    /// <summary>
    /// False (default, strict): any damage throws <see cref="McapFormatException"/> (or <see cref="McapCrcException"/>)
    /// naming the offset, including a file without footer. True (recovery): a file cut short is read up to
    /// its last complete record, damaged chunks are skipped and counted, and <see cref="McapReader.ReadAll"/>
    /// reports what was recovered and what was not in <see cref="McapRecoveryReport"/>.
    /// Bytes that are not MCAP at all (wrong magic) throw in both modes.
    /// </summary>
    public bool Recover { get; init; }

    /// <summary>
    /// Check the CRCs the file carries (chunk contents, data section, summary) where they are not 0. Default true.
    /// The data section CRC can only be checked by a full read in file order (<see cref="McapReader.ReadAll"/> or
    /// <see cref="McapMessageOrder.File"/>).
    /// </summary>
    public bool ValidateCrcs { get; init; } = true;
}
