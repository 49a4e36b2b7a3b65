using MessagePack;

namespace DrivePerception.Core.Messages;

/// <summary>Topic <c>perception/lanes</c>: the four lane-line slots of one frame.</summary>
[MessagePackObject]
public sealed class LaneMessage : PerceptionMessage
{
    /// <summary>Always four entries, slots 1..4 in order, when valid; empty when not valid.</summary>
    [Key("lanes"), WireField("", "list of LaneLine, always 4 (slots 1..4) when valid")]
    public List<LaneLine> Lanes { get; set; } = [];
}
