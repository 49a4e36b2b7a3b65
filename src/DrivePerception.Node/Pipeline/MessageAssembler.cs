using DrivePerception.Vision.Perception;
using DrivePerception.Core.Frames;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;

namespace DrivePerception.Node.Pipeline;

/// <summary>
/// Builds the per-frame messages of the wire contract from a frame's result, or their not-valid
/// counterparts with a reason. Every per-frame topic gets exactly one message per processed frame.
/// </summary>
public static class MessageAssembler
{
    /// <summary>
    /// The messages of a processed frame, paired with their topics. <paramref name="lanesSkipped"/>, when set, is why the
    /// frame's lanes were not computed (the degrade ladder skipped the lane model): they go out not valid with it.
    /// </summary>
    public static List<(Topic Topic, PerceptionMessage Message)> Valid(FrameHeader header, FrameResult result, bool withClassMap, string? lanesSkipped = null)
    {
        var list = new List<(Topic, PerceptionMessage)>(4);
        list.Add(lanesSkipped is not null
            ? (TopicRegistry.Lanes, new LaneMessage { Header = header, Valid = false, Reason = lanesSkipped })
            : result.Lanes is null
            ? (TopicRegistry.Lanes, new LaneMessage { Header = header, Valid = false, Reason = "no-lane-model: start the node with --lane-model" })
            : (TopicRegistry.Lanes, new LaneMessage { Header = header, Valid = true, Lanes = result.Lanes }));
        list.Add((TopicRegistry.Vehicles, new InstanceMessage { Header = header, Valid = true, Kind = "vehicles", Instances = result.Vehicles }));
        list.Add((TopicRegistry.Pedestrians, new InstanceMessage { Header = header, Valid = true, Kind = "pedestrians", Instances = result.Pedestrians }));
        if (withClassMap && result.ClassMap is { } map)
            list.Add((TopicRegistry.ClassMap, new ClassMapMessage { Header = header, Valid = true, ClassMap = map, Classes = [.. result.ClassNames] }));
        return list;
    }

    /// <summary>Not-valid messages for every per-frame topic, all carrying <paramref name="reason"/>.</summary>
    public static List<(Topic Topic, PerceptionMessage Message)> Invalid(FrameHeader header, string reason, bool withClassMap)
    {
        var list = new List<(Topic, PerceptionMessage)>(4)
        {
            (TopicRegistry.Lanes, new LaneMessage { Header = header, Valid = false, Reason = reason }),
            (TopicRegistry.Vehicles, new InstanceMessage { Header = header, Valid = false, Reason = reason, Kind = "vehicles" }),
            (TopicRegistry.Pedestrians, new InstanceMessage { Header = header, Valid = false, Reason = reason, Kind = "pedestrians" }),
        };
        if (withClassMap) list.Add((TopicRegistry.ClassMap, new ClassMapMessage { Header = header, Valid = false, Reason = reason }));
        return list;
    }
}
