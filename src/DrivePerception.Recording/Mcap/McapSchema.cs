namespace DrivePerception.Recording.Mcap;

/// <summary>A Schema record: describes the layout of the messages on the channels that refer to it.</summary>
/// <param name="Id">Unique within the file, never 0 (0 on a channel means "no schema").</param>
/// <param name="Name">Type name, e.g. "foxglove.CompressedImage" or "drive_perception.LaneMessage".</param>
/// <param name="Encoding">Schema language: "jsonschema", "protobuf", "ros2msg"...; "" means no schema text.</param>
/// <param name="Data">The schema text or binary; empty when <paramref name="Encoding"/> is "".</param>
public sealed record McapSchema(ushort Id, string Name, string Encoding, ReadOnlyMemory<byte> Data)
{
    /// <summary>True when both records carry the same id, name, encoding and bytes (the spec's "identical").</summary>
    public bool SameAs(McapSchema other) =>
        Id == other.Id && Name == other.Name && Encoding == other.Encoding && Data.Span.SequenceEqual(other.Data.Span);
}
