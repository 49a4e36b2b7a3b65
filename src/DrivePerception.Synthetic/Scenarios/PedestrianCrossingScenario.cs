using DrivePerception.Synthetic.World;

namespace DrivePerception.Synthetic.Scenarios;

/// <summary>
/// A pedestrian walks over a zebra crossing from the right sidewalk to the left one, passing in front of the
/// ego at mid-run; the ego stops before the crossing and moves off once the ego lane is clear. Traffic the other
/// way and in the next lane waits at the crossing.
/// </summary>
internal static class PedestrianCrossingScenario
{
    private const double Cruise = 8, Braking = 2, MoveOffAccel = 1.5, StopBeforeCrossing = 7, WalkSpeed = 1.35;

    public static SceneScript Build(ScenarioContext c)
    {
        var rng = SceneRandom.For(c.Seed, "pedestrian-crossing");
        double crossing = rng.Range(40, 60);
        double startL = -(RoadLayout.HalfWidth + RoadLayout.KerbWidth + 1.6), endL = -startL;
        double egoLane = RoadLayout.LeftLaneCentre;

        // The walker is in front of the ego (at the ego lane's centre) at mid-run.
        double walkStart = c.Duration / 2 - (egoLane - startL) / WalkSpeed;
        double enterRoad = walkStart + (-RoadLayout.HalfWidth - startL) / WalkSpeed;
        double laneClear = walkStart + (1.0 - startL) / WalkSpeed;

        // The ego is at rest StopBeforeCrossing metres before the crossing by the time the walker steps off the kerb.
        double stopAt = Math.Max(0.01, enterRoad - 0.5);
        double approach = Math.Min(Cruise, Braking * stopAt);
        double brakeFrom = stopAt - approach / Braking;
        double stopS = crossing - StopBeforeCrossing;
        double startS = stopS - approach * brakeFrom - approach * approach / (2 * Braking);
        var egoProfile = SpeedProfile.Constant(approach).From(brakeFrom, -Braking).ChangeTo(Math.Max(stopAt, laneClear), Cruise, MoveOffAccel);
        var ego = new EgoMotion(startS, egoProfile, _ => egoLane);
        var script = StreetScene.Create(c, curved: false, ego, crosswalks: [crossing]);

        double walkEnd = walkStart + (endL - startL) / WalkSpeed;
        script.Pedestrians.Add(new PedestrianActor(script.NextInstanceId++, PedestrianLook.Random(ref rng),
        [
            (walkStart, crossing + 0.3, startL),
            (walkEnd, crossing - 0.3, endL),
            (walkEnd + 30, crossing - 0.3 - 30 * WalkSpeed, endL + 0.4),
        ]));

        var traffic = SceneRandom.For(c.Seed, "traffic");
        // Waiting traffic: a queue on each oncoming lane beyond the crossing, and one car beside the ego's stop.
        foreach (double lane in new[] { RoadLayout.OncomingInnerLaneCentre, RoadLayout.OncomingOuterLaneCentre })
        {
            double s = crossing + 4;
            int queue = 1 + traffic.Below(3);
            for (int i = 0; i < queue; i++)
            {
                var body = VehicleBody.Random(ref traffic);
                s += body.Length / 2;
                script.Vehicles.Add(new VehicleActor(script.NextInstanceId++, body, lane, -1, s, SpeedProfile.Constant(0)));
                s += body.Length / 2 + traffic.Range(1.5, 3);
            }
        }
        var waiting = VehicleBody.Random(ref traffic, allowBus: false);
        script.Vehicles.Add(new VehicleActor(script.NextInstanceId++, waiting, RoadLayout.RightLaneCentre, +1, crossing - 4 - waiting.Length / 2, SpeedProfile.Constant(0)));
        // Traffic that had already passed the crossing drives away ahead.
        TrafficGenerator.AddLane(script, ref traffic, egoLane, +1, 11, c.Duration, 30, 80, s => s > crossing + 12, allowBus: false);
        TrafficGenerator.AddLane(script, ref traffic, RoadLayout.RightLaneCentre, +1, 10, c.Duration, 25, 70, s => s > crossing + 12);

        var walkers = SceneRandom.For(c.Seed, "walkers");
        TrafficGenerator.AddSidewalkWalkers(script, ref walkers, c.Duration, 16);
        return script;
    }
}
