namespace DrivePerception.Vision.Perception;

/// <summary>
/// What a frame processor runs on the next frame. The node's degrade ladder lowers it when frames take longer than
/// the source's interval (docs/DEGRADE.md); everything else always runs the full plan.
/// </summary>
/// <param name="Lanes">Run the lane model; false leaves the frame's lanes uncomputed (<see cref="FrameResult.Lanes"/> null).</param>
/// <param name="LightSemantic">Run the lighter semantic model in place of the semantic model (when one was loaded).</param>
public readonly record struct FramePlan(bool Lanes, bool LightSemantic)
{
    /// <summary>Every model, as loaded.</summary>
    public static FramePlan Full => new(Lanes: true, LightSemantic: false);
}
