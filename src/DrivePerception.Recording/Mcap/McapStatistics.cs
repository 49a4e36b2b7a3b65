namespace DrivePerception.Recording.Mcap;

/// <summary>The Statistics record of the summary section.</summary>
/// <param name="MessageCount">Messages in the file.</param>
/// <param name="SchemaCount">Distinct schema ids (not counting 0).</param>
/// <param name="ChannelCount">Distinct channel ids.</param>
/// <param name="AttachmentCount">Attachment records.</param>
/// <param name="MetadataCount">Metadata records.</param>
/// <param name="ChunkCount">Chunk records.</param>
/// <param name="MessageStartTime">Earliest log time (0 when there are no messages).</param>
/// <param name="MessageEndTime">Latest log time (0 when there are no messages).</param>
/// <param name="ChannelMessageCounts">Messages per channel id.</param>
public sealed record McapStatistics(
    ulong MessageCount,
    ushort SchemaCount,
    uint ChannelCount,
    uint AttachmentCount,
    uint MetadataCount,
    uint ChunkCount,
    ulong MessageStartTime,
    ulong MessageEndTime,
    IReadOnlyDictionary<ushort, ulong> ChannelMessageCounts);
