using DrivePerception.Vision.Perception;
using DrivePerception.Node.Pipeline;

namespace DrivePerception.Node.Evaluation;

/// <summary>
/// The class `eval instances --class` scores, as the node publishes it: by topic. vehicle (or car) is everything on
/// perception/vehicles (model classes vehicle and car), pedestrian (or bicyclist) everything on perception/pedestrians
/// (pedestrian and bicyclist). Detections and ground truth are both matched by these names, so a Mask R-CNN
/// "vehicle", a CamVid "car" and a synthetic "car" label meet, and Penn-Fudan's pedestrians are scored against
/// whatever the node would publish as pedestrians.
/// </summary>
public sealed class InstanceClassGroup
{
    private InstanceClassGroup(string name, IReadOnlyList<string> members)
    {
        Name = name;
        Members = members;
    }

    /// <summary>perception/vehicles: vehicle, car.</summary>
    public static InstanceClassGroup Vehicle { get; } = new("vehicle", PerceptionStack.VehicleInstanceClasses);

    /// <summary>perception/pedestrians: pedestrian, bicyclist.</summary>
    public static InstanceClassGroup Pedestrian { get; } = new("pedestrian", PerceptionStack.PedestrianClasses);

    /// <summary>The names --class accepts.</summary>
    public static IReadOnlyList<string> Accepted { get; } = ["vehicle", "car", "pedestrian", "bicyclist"];

    /// <summary>The group's name as reported (vehicle or pedestrian).</summary>
    public string Name { get; }

    /// <summary>Class names (of models and of labels) that belong to the group.</summary>
    public IReadOnlyList<string> Members { get; }

    /// <summary>Whether a class name belongs to the group.</summary>
    public bool Contains(string className) => Members.Contains(className);

    /// <summary>The group of a --class value, or null when it is not one the node publishes as instances.</summary>
    public static InstanceClassGroup? Of(string className) =>
        Vehicle.Contains(className) ? Vehicle : Pedestrian.Contains(className) ? Pedestrian : null;
}
