namespace DrivePerception.Synthetic.World;

/// <summary>
/// Fills lanes with traffic and sidewalks with walkers. Vehicles of one lane share one speed, so they never
/// run into each other; spawn ranges are worked out from the ego's path so that traffic is around the ego
/// for the whole run.
/// </summary>
internal static class TrafficGenerator
{
    /// <summary>How far behind and ahead of the ego traffic must be present, metres.</summary>
    private const double Behind = 40, Ahead = 260;

    /// <summary>
    /// Adds vehicles to one lane at random spacing, all at one constant speed, wherever they will be within view
    /// of the ego at some time of the run; <paramref name="accept"/> can veto a vehicle by its start position.
    /// </summary>
    public static void AddLane(SceneScript script, ref SceneRandom rng, double laneOffset, int direction, double speed,
        double duration, double minGap, double maxGap, Func<double, bool>? accept = null, bool allowBus = true)
    {
        double lo = double.MaxValue, hi = double.MinValue;
        for (double t = 0; t <= duration + 0.5; t += 0.5)
        {
            double shift = direction * speed * t;
            lo = Math.Min(lo, script.Ego.S(t) - shift - Behind);
            hi = Math.Max(hi, script.Ego.S(t) - shift + Ahead);
        }
        for (double s = lo + rng.Range(0, maxGap); s < hi; s += rng.Range(minGap, maxGap))
        {
            var body = VehicleBody.Random(ref rng, allowBus);
            if (accept is not null && !accept(s))
                continue;
            script.Vehicles.Add(new VehicleActor(script.NextInstanceId++, body, laneOffset + rng.Range(-0.15, 0.15), direction, s, SpeedProfile.Constant(speed)));
        }
    }

    /// <summary>Adds pedestrians walking along (or standing on) both sidewalks near the ego's path.</summary>
    public static void AddSidewalkWalkers(SceneScript script, ref SceneRandom rng, double duration, double spacing)
    {
        double lo = script.Ego.S(0) - Behind, hi = script.Ego.S(duration) + Ahead * 0.6;
        foreach (int side in new[] { -1, 1 })
        {
            for (double s = lo + rng.Range(0, spacing); s < hi; s += rng.Range(0.4, 1.6) * spacing)
            {
                double l = script.Layout.SidewalkOffset(side, rng.Range(0.35, 0.85));
                var look = PedestrianLook.Random(ref rng);
                if (rng.Chance(0.2))
                {
                    script.Pedestrians.Add(new PedestrianActor(script.NextInstanceId++, look, [(0, s, l)], rng.Range(-Math.PI, Math.PI)));
                    continue;
                }
                double v = rng.Range(1.0, 1.6) * (rng.Chance(0.5) ? 1 : -1);
                script.Pedestrians.Add(new PedestrianActor(script.NextInstanceId++, look, [(0, s, l), (duration + 1, s + v * (duration + 1), l)]));
            }
        }
    }
}
