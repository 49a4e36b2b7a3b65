using DrivePerception.Synthetic.World;

namespace DrivePerception.Synthetic.Scenarios;

/// <summary>Steady driving in the left lane of a winding town road with traffic both ways and walkers on the sidewalks.</summary>
internal static class CruisingScenario
{
    public static SceneScript Build(ScenarioContext c)
    {
        var rng = SceneRandom.For(c.Seed, "cruising");
        double speed = rng.Range(10, 13);
        var ego = new EgoMotion(0, SpeedProfile.Constant(speed), _ => RoadLayout.LeftLaneCentre);
        var script = StreetScene.Create(c, curved: true, ego);

        var traffic = SceneRandom.For(c.Seed, "traffic");
        // Same-lane traffic only ahead and a little faster, so the ego never closes on it.
        TrafficGenerator.AddLane(script, ref traffic, RoadLayout.LeftLaneCentre, +1, speed + traffic.Range(0.3, 1.5), c.Duration,
            25, 70, s => s > ego.S(0) + 16, allowBus: false);
        TrafficGenerator.AddLane(script, ref traffic, RoadLayout.RightLaneCentre, +1, speed - traffic.Range(2, 4), c.Duration, 18, 60);
        TrafficGenerator.AddLane(script, ref traffic, RoadLayout.OncomingInnerLaneCentre, -1, traffic.Range(10, 13), c.Duration, 25, 80);
        TrafficGenerator.AddLane(script, ref traffic, RoadLayout.OncomingOuterLaneCentre, -1, traffic.Range(9, 12), c.Duration, 30, 90);
        var walkers = SceneRandom.For(c.Seed, "walkers");
        TrafficGenerator.AddSidewalkWalkers(script, ref walkers, c.Duration, 14);
        return script;
    }
}
