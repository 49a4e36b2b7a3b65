namespace DrivePerception.Recording.Mcap;

/// <summary>
/// What the summary section at the end of a complete file says: every schema and channel, the statistics,
/// and where each chunk is. A file cut short has no summary; <see cref="McapReader.ReadAll"/> then rebuilds
/// what it can by scanning.
/// </summary>
/// <param name="Schemas">Schemas by id.</param>
/// <param name="Channels">Channels by id.</param>
/// <param name="Statistics">The Statistics record, when the writer wrote one.</param>
/// <param name="ChunkIndexes">One entry per chunk, in file order.</param>
public sealed record McapSummary(
    IReadOnlyDictionary<ushort, McapSchema> Schemas,
    IReadOnlyDictionary<ushort, McapChannel> Channels,
    McapStatistics? Statistics,
    IReadOnlyList<McapChunkIndex> ChunkIndexes);
