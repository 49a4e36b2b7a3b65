namespace DrivePerception.Recording.Mcap;

/// <summary>How the writer compresses chunks. The reader handles all three whatever the writer chose.</summary>
public enum McapCompression
{
    /// <summary>Chunk records stored as they are (compression string "").</summary>
    None,

    /// <summary>Zstandard (compression string "zstd"): the best ratio for the speed; the default.</summary>
    Zstd,

    /// <summary>LZ4 frame format (compression string "lz4"): the fastest, a lower ratio.</summary>
    Lz4,
}
