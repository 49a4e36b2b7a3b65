using DrivePerception.Synthetic.World;

namespace DrivePerception.Synthetic.Scenarios;

/// <summary>
/// The ego closes on a slower vehicle in the right lane and changes to the left lane around mid-run, then
/// passes it; the lane slots switch as the ego crosses the dashed line.
/// </summary>
internal static class LaneChangeScenario
{
    private const double Speed = 12, SlowSpeed = 8.5;

    public static SceneScript Build(ScenarioContext c)
    {
        var rng = SceneRandom.For(c.Seed, "lane-change");
        double duration = Math.Clamp(0.5 * c.Duration, 1.5, 4.5);
        double start = c.Duration / 2 - duration / 2;
        var ego = new EgoMotion(0, SpeedProfile.Constant(Speed),
            EgoMotion.LaneChange(RoadLayout.RightLaneCentre, RoadLayout.LeftLaneCentre, start, duration));
        var script = StreetScene.Create(c, curved: true, ego);

        // The slow vehicle is about 16 m ahead (camera to its rear) when the change begins.
        var slowBody = VehicleBody.Random(ref rng, allowBus: false);
        double slowStart = 16 + slowBody.Length / 2 + (Speed - SlowSpeed) * Math.Max(0, start);
        script.Vehicles.Add(new VehicleActor(script.NextInstanceId++, slowBody, RoadLayout.RightLaneCentre, +1, slowStart, SpeedProfile.Constant(SlowSpeed)));

        var traffic = SceneRandom.For(c.Seed, "traffic");
        TrafficGenerator.AddLane(script, ref traffic, RoadLayout.RightLaneCentre, +1, SlowSpeed, c.Duration, 20, 60, s => s > slowStart + 20);
        TrafficGenerator.AddLane(script, ref traffic, RoadLayout.LeftLaneCentre, +1, Speed + traffic.Range(1.5, 3), c.Duration, 30, 80, s => s > 35, allowBus: false);
        TrafficGenerator.AddLane(script, ref traffic, RoadLayout.OncomingInnerLaneCentre, -1, traffic.Range(10, 13), c.Duration, 25, 80);
        TrafficGenerator.AddLane(script, ref traffic, RoadLayout.OncomingOuterLaneCentre, -1, traffic.Range(9, 12), c.Duration, 30, 90);
        var walkers = SceneRandom.For(c.Seed, "walkers");
        TrafficGenerator.AddSidewalkWalkers(script, ref walkers, c.Duration, 16);
        return script;
    }
}
