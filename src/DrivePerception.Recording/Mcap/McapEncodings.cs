namespace DrivePerception.Recording.Mcap;

/// <summary>Encoding strings for Channel and Schema records used by this project.</summary>
public static class McapEncodings
{
    /// <summary>Message encoding of JSON messages (well-known; Foxglove decodes it).</summary>
    public const string Json = "json";

    /// <summary>
    /// Message encoding of the node's MessagePack wire payloads. MessagePack is not among the spec's
    /// well-known message encodings, and the spec asks custom values to carry the "x-" prefix.
    /// </summary>
    public const string MessagePack = "x-msgpack";

    /// <summary>Schema encoding of JSON Schema documents (well-known; Foxglove reads it).</summary>
    public const string JsonSchema = "jsonschema";

    /// <summary>
    /// Schema encoding of a schema that only names a type and carries no schema text (its data must be
    /// empty); allowed by the spec for self-describing message encodings such as JSON and MessagePack.
    /// </summary>
    public const string NoSchemaText = "";
}
