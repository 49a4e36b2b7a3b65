using DrivePerception.Synthetic.Rendering;
using DrivePerception.Synthetic.World;
using OpenCvSharp;

namespace DrivePerception.Synthetic.Scenarios;

/// <summary>The parts every scenario shares: the road, its scenery and the light.</summary>
internal static class StreetScene
{
    /// <summary>Scenery is built this far behind the ego's start and ahead of its end, metres.</summary>
    private const double Before = 120, After = 450;

    /// <summary>Creates the script with road, layout, ego, light and scenery; actors are added by the scenario.</summary>
    /// <param name="context">Seed and duration.</param>
    /// <param name="curved">True for a winding road, false for a straight one.</param>
    /// <param name="ego">The ego's path.</param>
    /// <param name="crosswalks">Arc lengths of zebra crossings (kept clear of railings).</param>
    public static SceneScript Create(ScenarioContext context, bool curved, EgoMotion ego, IReadOnlyList<double>? crosswalks = null)
    {
        bool? sunny = context.Sky switch { SkyCondition.Sunny => true, SkyCondition.Overcast => false, _ => null };
        var rng = SceneRandom.For(context.Seed, "street");
        double sMin = ego.S(0) - Before - 100, sMax = ego.S(context.Duration) + After + 100;
        var road = curved
            ? new RoadCentreline(sMin, sMax, CurvatureProfile.Winding(ref rng, sMin, sMax, 220))
            : RoadCentreline.Straight(sMin, sMax);
        var layout = new RoadLayout(rng.Range(3.0, 4.5), rng.Range(3.0, 4.5), rng.Range(0, 9));
        var lightRng = SceneRandom.For(context.Seed, "light");
        double grey = rng.Range(92, 112);
        var script = new SceneScript
        {
            Road = road,
            Layout = layout,
            Lighting = new Lighting(ref lightRng, sunny),
            Ego = ego,
            Asphalt = new Scalar(grey + 3, grey, grey - 2),
            Paving = Colour.Offset(new Scalar(134, 138, 142), rng.Range(-14, 10)),
        };
        if (crosswalks is not null)
            script.Crosswalks.AddRange(crosswalks);
        RoadsideGenerator.Populate(script, context.Seed, ego.S(0) - Before, ego.S(context.Duration) + After, script.Crosswalks);
        return script;
    }
}
