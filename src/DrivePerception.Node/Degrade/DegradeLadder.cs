using DrivePerception.Vision.Perception;

namespace DrivePerception.Node.Degrade;

/// <summary>
/// The rungs a node can step down to, from what its models allow: lanes every 2nd frame needs a lane model, the light
/// rungs need lighter semantic models loaded beside the semantic one (one rung each, lightest last: the shipped default
/// has camvid-fast and camvid-fast at a smaller input); the top rung, half the frames at the rung below's work, is always
/// there. docs/DEGRADE.md explains the order: lanes first (a lane line moves little in one frame interval), then the
/// lighter models (they cost class-map and instance quality on every frame), then frames.
/// </summary>
public sealed class DegradeLadder
{
    /// <summary>The reason lanes carry on the frames a rung skips them, before the rung's name.</summary>
    public const string SkipReason = "degraded-skip";

    /// <summary>The rungs, rung 0 first; never empty.</summary>
    public IReadOnlyList<DegradeRung> Rungs { get; }

    /// <summary>The top rung's level.</summary>
    public int Top => Rungs.Count - 1;

    /// <summary>Rung names of the light models, in order; a third and further light model would be light-model-3, ...</summary>
    private static readonly string[] LightRungNames = ["light-model", "light-small-input"];

    /// <summary>
    /// The ladder for a processor with (or without) a lane model and the lighter semantic models named
    /// <paramref name="lightSemantics"/> (lightest last; none: no light rung).
    /// </summary>
    public DegradeLadder(bool hasLanes, IReadOnlyList<string>? lightSemantics = null)
    {
        var rungs = new List<DegradeRung> { new(0, "full", "", 1, 0) };
        const string lanesHalf = "lanes on every 2nd frame (the others valid=false, reason degraded-skip)";
        if (hasLanes) rungs.Add(new(rungs.Count, "lanes-every-2nd", lanesHalf, 2, 0));
        var lights = lightSemantics ?? [];
        for (int i = 0; i < lights.Count; i++)
            rungs.Add(new(rungs.Count, i < LightRungNames.Length ? LightRungNames[i] : $"light-model-{i + 1}",
                (hasLanes ? lanesHalf + "; " : "") + $"{lights[i]} in place of the semantic model (instances from its class map's connected components)",
                hasLanes ? 2 : 1, i + 1));
        // Half the frames, at the work of the rung below: a frame taken as soon as it is captured is published
        // processing-time after capture; one taken from the newest-frame slot waits up to a frame interval first.
        var below = rungs[^1];
        rungs.Add(below with
        {
            Level = rungs.Count, Name = "half-rate", FramesEvery = 2,
            GaveUp = (below.GaveUp.Length > 0 ? below.GaveUp + "; " : "") + "every 2nd captured frame (published valid=false on every topic, reason degraded-skip)",
        });
        Rungs = rungs;
    }

    /// <summary>
    /// The plan of the <paramref name="frameAtRung"/>-th frame (0-based) processed since rung <paramref name="level"/>
    /// came into force: lanes run on the first of every <see cref="DegradeRung.LanesEvery"/> frames. Counting processed
    /// frames, not sequence numbers, keeps the lanes every 2nd frame when the newest-frame slot drops every other frame.
    /// </summary>
    public FramePlan PlanFor(int level, long frameAtRung)
    {
        var rung = Rungs[level];
        return new FramePlan(Lanes: frameAtRung % rung.LanesEvery == 0, LightTier: rung.LightTier);
    }

    /// <summary>The reason lanes (or, at the half-rate rung, whole frames) skipped at rung <paramref name="level"/> are published with.</summary>
    public string SkipReasonFor(int level) => $"{SkipReason}: {Rungs[level].Name} (docs/DEGRADE.md)";
}
