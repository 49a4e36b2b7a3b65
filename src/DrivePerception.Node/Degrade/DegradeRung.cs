namespace DrivePerception.Node.Degrade;

/// <summary>
/// One rung of the degrade ladder: how much of the work runs. Rung 0 is the full work; each rung above gives up more.
/// </summary>
/// <param name="Level">0 for the full work, counting up as work is given up.</param>
/// <param name="Name">Short name for status and logs: full, lanes-every-2nd, light-model, light-small-input, half-rate.</param>
/// <param name="GaveUp">What is not computed at this rung, for status; empty at rung 0.</param>
/// <param name="LanesEvery">The lane model runs on one processed frame in this many (1: every frame).</param>
/// <param name="LightTier">0: the semantic model; k >= 1: the k-th lighter semantic model runs in place of it (<see cref="Vision.Perception.FramePlan.LightTier"/>).</param>
/// <param name="FramesEvery">One captured frame in this many is processed (1: all the pipeline can take); the others
/// are published not valid at once, so the frames processed never wait for the pipeline and the interval to hold is
/// this many source intervals.</param>
public sealed record DegradeRung(int Level, string Name, string GaveUp, int LanesEvery, int LightTier, int FramesEvery = 1)
{
    /// <summary>True when a lighter semantic model runs at this rung.</summary>
    public bool LightSemantic => LightTier > 0;
}
