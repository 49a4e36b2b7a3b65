namespace DrivePerception.Recording.Mcap;

/// <summary>
/// What one pass over the data section found: how far the intact records reach, where the file was cut,
/// and what was skipped. Filled by <see cref="McapDataScanner"/> and <see cref="McapChunkDecoder"/>; turned into
/// a <see cref="McapRecoveryReport"/> by the reader.
/// </summary>
internal sealed class McapScanProgress
{
    /// <summary>At most this many problems are described one by one; the counters keep counting past it.</summary>
    private const int MaxProblems = 20;

    private readonly List<string> _problems = [];

    /// <summary>End offset of the last complete record read in the data section.</summary>
    public long ValidEnd { get; set; }

    /// <summary>The scan reached the Data End record: the data section is complete.</summary>
    public bool ReachedDataEnd { get; set; }

    /// <summary>Whether the data section CRC matched; null when it was not checked (0 stored, not reached, or checks off).</summary>
    public bool? DataSectionCrcOk { get; set; }

    /// <summary>Offset of the incomplete record the file ends in, or -1.</summary>
    public long TruncatedAt { get; set; } = -1;

    /// <summary>Chunks decoded.</summary>
    public int ChunksRead { get; set; }

    /// <summary>Chunks skipped for a CRC mismatch or undecodable contents.</summary>
    public int CorruptChunksSkipped { get; set; }

    /// <summary>Other records skipped because they could not be parsed.</summary>
    public int MalformedRecordsSkipped { get; set; }

    /// <summary>Bytes of the skipped chunks and records.</summary>
    public long SkippedBytes { get; set; }

    /// <summary>Messages skipped because no Channel record defined their channel.</summary>
    public long MessagesWithoutChannel { get; set; }

    /// <summary>Descriptions of the first problems, with offsets.</summary>
    public IReadOnlyList<string> Problems => _problems;

    public void AddProblem(string description)
    {
        if (_problems.Count < MaxProblems)
        {
            _problems.Add(description);
        }
    }
}
