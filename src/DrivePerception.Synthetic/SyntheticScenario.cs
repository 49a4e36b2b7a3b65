using DrivePerception.Synthetic.Scenarios;
using DrivePerception.Synthetic.World;

namespace DrivePerception.Synthetic;

/// <summary>
/// A named kind of synthetic drive. The registry (<see cref="All"/>, <see cref="Get"/>) lists every scenario;
/// <see cref="SceneRenderer"/> turns one, with a seed and a frame count, into frames with ground truth.
/// </summary>
public sealed class SyntheticScenario
{
    private SyntheticScenario(string name, string description, Func<ScenarioContext, SceneScript> build)
    {
        Name = name;
        Description = description;
        Build = build;
    }

    /// <summary>Steady driving on a winding road with traffic and walkers.</summary>
    public static SyntheticScenario Cruising { get; } = new("cruising",
        "steady 10-13 m/s in the left lane of a winding town road, traffic both ways, walkers on the sidewalks",
        CruisingScenario.Build);

    /// <summary>The vehicle ahead brakes hard to a stop; the ego follows suit.</summary>
    public static SyntheticScenario LeadVehicleBraking { get; } = new("lead-vehicle-braking",
        "the car ahead brakes hard to a stop (brake lights on) and the ego stops 6 m (camera to its rear) behind it",
        LeadVehicleBrakingScenario.Build);

    /// <summary>A pedestrian crosses on a zebra crossing in front of the stopped ego.</summary>
    public static SyntheticScenario PedestrianCrossing { get; } = new("pedestrian-crossing",
        "a pedestrian walks over a zebra crossing in front of the ego, which stops and then moves off",
        PedestrianCrossingScenario.Build);

    /// <summary>The ego changes from the right to the left lane to pass a slower vehicle.</summary>
    public static SyntheticScenario LaneChange { get; } = new("lane-change",
        "the ego changes from the right to the left lane mid-run to pass a slower vehicle; lane slots switch",
        LaneChangeScenario.Build);

    /// <summary>Road and scenery only.</summary>
    public static SyntheticScenario EmptyRoad { get; } = new("empty-road",
        "a winding road with buildings, trees and poles but no vehicles or pedestrians at all",
        EmptyRoadScenario.Build);

    /// <summary>Every scenario, in a fixed order.</summary>
    public static IReadOnlyList<SyntheticScenario> All { get; } = [Cruising, LeadVehicleBraking, PedestrianCrossing, LaneChange, EmptyRoad];

    /// <summary>Registry name, e.g. <c>cruising</c>.</summary>
    public string Name { get; }

    /// <summary>One line saying what happens.</summary>
    public string Description { get; }

    internal Func<ScenarioContext, SceneScript> Build { get; }

    /// <summary>Looks a scenario up by name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No scenario has that name; the message lists the valid ones.</exception>
    public static SyntheticScenario Get(string name)
    {
        var found = All.FirstOrDefault(s => string.Equals(s.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
        return found ?? throw new ArgumentException(
            $"Unknown synthetic scenario '{name}'. Valid scenarios: {string.Join(", ", All.Select(s => s.Name))}.", nameof(name));
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
