using DrivePerception.Synthetic.World;

namespace DrivePerception.Synthetic.Scenarios;

/// <summary>
/// The car ahead in the ego lane brakes hard to a stop (brake lights on) a third of the way into the run; the
/// ego brakes after a reaction time and stops with the camera 6 m behind its rear; both move off again later.
/// </summary>
internal static class LeadVehicleBrakingScenario
{
    private const double Speed = 12, LeadBraking = 5, Reaction = 0.8, GapAtRest = 6, RestTime = 2, MoveOffAccel = 2;

    public static SceneScript Build(ScenarioContext c)
    {
        var rng = SceneRandom.For(c.Seed, "lead-vehicle-braking");
        double leadGap = rng.Range(17, 23);
        double brakeAt = Math.Max(0.5, 0.3 * c.Duration);
        var leadBody = VehicleBody.Random(ref rng, allowBus: false);

        // Stop the ego GapAtRest metres (camera to lead's rear) behind where the lead comes to rest.
        double leadStop = leadGap + Speed * brakeAt + Speed * Speed / (2 * LeadBraking);
        double egoCoast = Speed * (brakeAt + Reaction);
        double egoBraking = Speed * Speed / (2 * (leadStop - leadBody.Length / 2 - GapAtRest - egoCoast));
        double leadResume = brakeAt + Speed / LeadBraking + RestTime;

        var egoProfile = SpeedProfile.Constant(Speed).From(brakeAt + Reaction, -egoBraking).ChangeTo(leadResume + 1, Speed, MoveOffAccel);
        var ego = new EgoMotion(0, egoProfile, _ => RoadLayout.LeftLaneCentre);
        var script = StreetScene.Create(c, curved: false, ego);

        var leadProfile = SpeedProfile.Constant(Speed).From(brakeAt, -LeadBraking).ChangeTo(leadResume, Speed, MoveOffAccel);
        script.Vehicles.Add(new VehicleActor(script.NextInstanceId++, leadBody, RoadLayout.LeftLaneCentre, +1, leadGap, leadProfile));

        var traffic = SceneRandom.For(c.Seed, "traffic");
        TrafficGenerator.AddLane(script, ref traffic, RoadLayout.LeftLaneCentre, +1, Speed + 2, c.Duration, 30, 80, s => s > leadGap + 45, allowBus: false);
        TrafficGenerator.AddLane(script, ref traffic, RoadLayout.RightLaneCentre, +1, traffic.Range(8, 10), c.Duration, 18, 60);
        TrafficGenerator.AddLane(script, ref traffic, RoadLayout.OncomingInnerLaneCentre, -1, traffic.Range(10, 13), c.Duration, 25, 80);
        TrafficGenerator.AddLane(script, ref traffic, RoadLayout.OncomingOuterLaneCentre, -1, traffic.Range(9, 12), c.Duration, 30, 90);
        var walkers = SceneRandom.For(c.Seed, "walkers");
        TrafficGenerator.AddSidewalkWalkers(script, ref walkers, c.Duration, 16);
        return script;
    }
}
