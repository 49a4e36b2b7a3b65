using DrivePerception.Core.Messages;

namespace DrivePerception.Core.Topics;

/// <summary>Every topic the node publishes, declared once (docs, publisher and clients read this list).</summary>
public static class TopicRegistry
{
    /// <summary>The four lane-line slots per frame.</summary>
    public static readonly Topic Lanes = new("perception/lanes", typeof(LaneMessage), "per frame",
        "lane-line slots 1..4: presence, confidence, mask, polylines in pixels and metres");

    /// <summary>Vehicle instances per frame.</summary>
    public static readonly Topic Vehicles = new("perception/vehicles", typeof(InstanceMessage), "per frame",
        "vehicle instances: class, score, box, mask cropped to the box, track id");

    /// <summary>Pedestrian (and bicyclist) instances per frame.</summary>
    public static readonly Topic Pedestrians = new("perception/pedestrians", typeof(InstanceMessage), "per frame",
        "pedestrian and bicyclist instances: class, score, box, mask cropped to the box, track id");

    /// <summary>Full class map per frame (optional, --classmap).</summary>
    public static readonly Topic ClassMap = new("perception/classmap", typeof(ClassMapMessage), "per frame (with --classmap)",
        "full semantic class map (drivable area etc.)");

    /// <summary>Heartbeat.</summary>
    public static readonly Topic Status = new("perception/status", typeof(StatusMessage), "1 Hz and once at stop",
        "health, source state, frame accounting, latency percentiles, models and accelerator");

    /// <summary>All topics in documentation order.</summary>
    public static readonly IReadOnlyList<Topic> All = [Lanes, Vehicles, Pedestrians, ClassMap, Status];

    /// <summary>Looks a topic up by wire name; throws with the valid names when unknown.</summary>
    public static Topic Get(string name) =>
        All.FirstOrDefault(t => t.Name == name)
        ?? throw new ArgumentException($"Unknown topic '{name}'. Valid topics: {string.Join(", ", All.Select(t => t.Name))}.");
}
