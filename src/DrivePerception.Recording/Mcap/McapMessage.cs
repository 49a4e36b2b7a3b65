namespace DrivePerception.Recording.Mcap;

/// <summary>One message read from a recording.</summary>
/// <param name="Channel">The channel it was written on (topic, encoding, schema id).</param>
/// <param name="Sequence">Publisher or recorder sequence number.</param>
/// <param name="LogTime">Nanoseconds when it was recorded; the order <see cref="McapMessageOrder.LogTime"/> sorts by.</param>
/// <param name="PublishTime">Nanoseconds when it was published (equal to <paramref name="LogTime"/> when unknown).</param>
/// <param name="Data">
/// The payload, exactly as written. It is a slice of the decompressed chunk it came from: the message keeps
/// that chunk buffer alive, and nothing else writes to it, so it stays valid for as long as it is referenced.
/// </param>
public sealed record McapMessage(McapChannel Channel, uint Sequence, ulong LogTime, ulong PublishTime, ReadOnlyMemory<byte> Data);
