namespace DrivePerception.Core.Messages;

/// <summary>Version of the wire contract. Bump on any change a subscriber could notice, and note it in docs/WIRE.md.</summary>
public static class WireSchema
{
    /// <summary>The schema version every payload carries in <c>schema</c>.</summary>
    public const int Version = 1;
}
