using DrivePerception.Vision.Perception;

namespace DrivePerception.Node.Degrade;

/// <summary>
/// The rungs a node can step down to, from what its models allow: lanes every 2nd frame needs a lane model, the light
/// rung needs a lighter semantic model loaded beside the semantic one; the top rung, half the frames at the rung below's
/// work, is always there. docs/DEGRADE.md explains the order: lanes first (a lane line moves little in one frame
/// interval), then the lighter model (it costs instance quality on every frame), then frames.
/// </summary>
public sealed class DegradeLadder
{
    /// <summary>The reason lanes carry on the frames a rung skips them, before the rung's name.</summary>
    public const string SkipReason = "degraded-skip";

    /// <summary>The rungs, rung 0 first; never empty.</summary>
    public IReadOnlyList<DegradeRung> Rungs { get; }

    /// <summary>The top rung's level.</summary>
    public int Top => Rungs.Count - 1;

    /// <summary>The ladder for a processor with (or without) a lane model and a light semantic model named <paramref name="lightSemantic"/>.</summary>
    public DegradeLadder(bool hasLanes, string? lightSemantic)
    {
        var rungs = new List<DegradeRung> { new(0, "full", "", 1, false) };
        const string lanesHalf = "lanes on every 2nd frame (the others valid=false, reason degraded-skip)";
        if (hasLanes) rungs.Add(new(rungs.Count, "lanes-every-2nd", lanesHalf, 2, false));
        if (lightSemantic is not null)
            rungs.Add(new(rungs.Count, "light-model",
                (hasLanes ? lanesHalf + "; " : "") + $"{lightSemantic} in place of the semantic model (instances from its class map's connected components)",
                hasLanes ? 2 : 1, true));
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
        return new FramePlan(Lanes: frameAtRung % rung.LanesEvery == 0, LightSemantic: rung.LightSemantic);
    }

    /// <summary>The reason lanes (or, at the half-rate rung, whole frames) skipped at rung <paramref name="level"/> are published with.</summary>
    public string SkipReasonFor(int level) => $"{SkipReason}: {Rungs[level].Name} (docs/DEGRADE.md)";
}
