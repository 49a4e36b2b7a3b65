using MessagePack;

namespace DrivePerception.Core.Messages;

/// <summary>Topics <c>perception/vehicles</c> and <c>perception/pedestrians</c>: the objects of one frame.</summary>
[MessagePackObject]
public sealed class InstanceMessage : PerceptionMessage
{
    /// <summary>Which kind of objects: "vehicles" or "pedestrians".</summary>
    [Key("kind"), WireField("", "vehicles | pedestrians")]
    public string Kind { get; set; } = "";

    /// <summary>The objects; an empty list with <c>valid = true</c> means none were there.</summary>
    [Key("instances"), WireField("", "list of DetectedInstance; empty and valid means none in view")]
    public List<DetectedInstance> Instances { get; set; } = [];
}
