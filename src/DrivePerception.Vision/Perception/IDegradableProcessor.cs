namespace DrivePerception.Vision.Perception;

/// <summary>
/// A frame processor that can do less per frame when the node cannot keep up: skip its lane model on a frame, or run a
/// lighter semantic model. The plan is set from the pipeline thread between frames.
/// </summary>
public interface IDegradableProcessor : IFrameProcessor
{
    /// <summary>True when a lane model runs, so skipping it saves time.</summary>
    bool HasLanes { get; }

    /// <summary>
    /// Names of the lighter semantic models loaded for degrading, each cheaper than the one before (plan tier 1, 2, ...);
    /// empty when there is none.
    /// </summary>
    IReadOnlyList<string> LightSemanticNames { get; }

    /// <summary>What the next Preprocess, Infer and Postprocess run; <see cref="FramePlan.Full"/> until set.</summary>
    FramePlan Plan { get; set; }

    /// <summary>Starts instance tracking afresh (after frames that were only for measuring).</summary>
    void ResetTracks();
}
