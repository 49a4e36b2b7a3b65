using OpenCvSharp;

namespace DrivePerception.Synthetic.World;

/// <summary>
/// Everything that exists in one run of a scenario: road, scenery, actors, light, each a closed-form
/// function of time, so any frame can be rendered on its own and always the same.
/// </summary>
internal sealed class SceneScript
{
    public required RoadCentreline Road { get; init; }

    public required RoadLayout Layout { get; init; }

    public required EgoMotion Ego { get; init; }

    public required Lighting Lighting { get; init; }

    public List<VehicleActor> Vehicles { get; } = [];

    public List<PedestrianActor> Pedestrians { get; } = [];

    public List<Building> Buildings { get; } = [];

    public List<RoadsideTree> Trees { get; } = [];

    public List<StreetPole> Poles { get; } = [];

    public List<FenceRun> Fences { get; } = [];

    /// <summary>Arc lengths of zebra crossings' centres.</summary>
    public List<double> Crosswalks { get; } = [];

    /// <summary>Asphalt base colour, BGR.</summary>
    public Scalar Asphalt { get; init; } = new(100, 102, 104);

    /// <summary>Paving base colour, BGR.</summary>
    public Scalar Paving { get; init; } = new(128, 134, 140);

    /// <summary>Next free instance id.</summary>
    public int NextInstanceId { get; set; } = 1;
}
