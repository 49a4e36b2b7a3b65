using DrivePerception.Synthetic.World;

namespace DrivePerception.Synthetic.Scenarios;

/// <summary>A winding road with its scenery and nothing that moves: no vehicles, no pedestrians.</summary>
internal static class EmptyRoadScenario
{
    public static SceneScript Build(ScenarioContext c)
    {
        var rng = SceneRandom.For(c.Seed, "empty-road");
        double speed = rng.Range(10, 13);
        double lane = rng.Chance(0.5) ? RoadLayout.LeftLaneCentre : RoadLayout.RightLaneCentre;
        return StreetScene.Create(c, curved: true, new EgoMotion(0, SpeedProfile.Constant(speed), _ => lane));
    }
}
