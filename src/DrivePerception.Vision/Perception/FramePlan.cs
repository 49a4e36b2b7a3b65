namespace DrivePerception.Vision.Perception;

/// <summary>
/// What a frame processor runs on the next frame. The node's degrade ladder lowers it when frames take longer than
/// the source's interval (docs/DEGRADE.md); everything else always runs the full plan.
/// </summary>
/// <param name="Lanes">Run the lane model; false leaves the frame's lanes uncomputed (<see cref="FrameResult.Lanes"/> null).</param>
/// <param name="LightTier">0: the semantic model as loaded; k >= 1: the k-th lighter semantic model loaded for degrading
/// (<see cref="IDegradableProcessor.LightSemanticNames"/>, lightest last) runs in place of it.</param>
public readonly record struct FramePlan(bool Lanes, int LightTier)
{
    /// <summary>Every model, as loaded.</summary>
    public static FramePlan Full => new(Lanes: true, LightTier: 0);

    /// <summary>True when a lighter semantic model stands in for the semantic model.</summary>
    public bool LightSemantic => LightTier > 0;
}
