namespace DrivePerception.Recording.Mcap;

/// <summary>A Channel record: a stream of messages on one topic, in one encoding.</summary>
/// <param name="Id">Unique within the file.</param>
/// <param name="SchemaId">The schema of the messages, or 0 for none.</param>
/// <param name="Topic">Topic name, e.g. "/camera/front/image".</param>
/// <param name="MessageEncoding">"json", "cbor", "protobuf", "x-msgpack"...</param>
/// <param name="Metadata">Free key/value pairs about the channel.</param>
public sealed record McapChannel(
    ushort Id,
    ushort SchemaId,
    string Topic,
    string MessageEncoding,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>True when both records carry the same fields (the spec's "identical").</summary>
    public bool SameAs(McapChannel other) =>
        Id == other.Id && SchemaId == other.SchemaId && Topic == other.Topic
        && MessageEncoding == other.MessageEncoding
        && Metadata.Count == other.Metadata.Count
        && Metadata.All(pair => other.Metadata.TryGetValue(pair.Key, out var value) && value == pair.Value);
}
