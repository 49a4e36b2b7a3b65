using MessagePack;

namespace DrivePerception.Core.Messages;

/// <summary>
/// One published frame as a latency monitor needs it, without its content: the header (stage start and end times),
/// whether content was computed and why not, and the end-to-end latency. Carried in batches by
/// <see cref="StatusMessage.Frames"/>, so that a dashboard learns every frame's timing from one message a second
/// instead of subscribing to a per-frame topic (each message a subscriber takes costs the node's I/O thread work).
/// </summary>
[MessagePackObject]
public sealed class FrameTiming : PerceptionMessage
{
}
