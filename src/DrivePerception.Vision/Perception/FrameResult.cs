using DrivePerception.Core.Messages;
using DrivePerception.Core.Masks;

namespace DrivePerception.Vision.Perception;

/// <summary>What postprocessing made of one frame, before it is put into messages.</summary>
public sealed class FrameResult
{
    /// <summary>The four lane slots, or null when no lane model runs.</summary>
    public List<LaneLine>? Lanes { get; init; }

    /// <summary>Vehicle instances with track ids.</summary>
    public List<DetectedInstance> Vehicles { get; init; } = [];

    /// <summary>Pedestrian and bicyclist instances with track ids.</summary>
    public List<DetectedInstance> Pedestrians { get; init; } = [];

    /// <summary>Class map at frame size, run-length encoded; null when not asked for (--classmap).</summary>
    public LabelRle? ClassMap { get; init; }

    /// <summary>Class names by id, for the class map message.</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];
}
