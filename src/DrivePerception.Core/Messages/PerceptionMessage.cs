using DrivePerception.Core.Frames;
using MessagePack;

namespace DrivePerception.Core.Messages;

/// <summary>
/// What every per-frame message carries: schema version, the frame header with stage timings, and
/// whether the content is valid. A frame that was not computed is published with <c>valid = false</c>
/// and a reason, never as an empty result.
/// </summary>
public abstract class PerceptionMessage
{
    /// <summary>Wire schema version, <see cref="WireSchema.Version"/>.</summary>
    [Key("schema"), WireField("", "wire schema version (this document: 1)")]
    public int Schema { get; set; } = WireSchema.Version;

    /// <summary>Frame identity and timings.</summary>
    [Key("header"), WireField("", "frame header, see FrameHeader")]
    public FrameHeader Header { get; set; } = new();

    /// <summary>False when the frame was not (fully) processed; the content is then empty and meaningless.</summary>
    [Key("valid"), WireField("", "true when the content was computed for this frame; false: ignore the content, read reason")]
    public bool Valid { get; set; }

    /// <summary>Why the message is not valid (e.g. "deadline", "inference-failed: ..."); empty when valid.</summary>
    [Key("reason"), WireField("", "empty when valid; else deadline: <age> | inference-failed: <error> | corrupt-frame: <error> | no-lane-model (lanes only: the node runs without --lane-model) | degraded-skip: <rung> (the degrade ladder skipped the lane model on this frame, or at rung half-rate the whole frame: docs/DEGRADE.md)")]
    public string Reason { get; set; } = "";

    /// <summary>
    /// Capture to the end of the encode stage (message assembly), milliseconds: stamped just before the message is
    /// serialised to MessagePack and sent, which a message cannot time inside its own payload (about 0.03 ms per MB).
    /// </summary>
    [Key("pipeline_latency_ms"), WireField("ms", "capture to the end of the encode stage (messages assembled), stamped just before MessagePack serialisation and the send (about 0.03 ms per MB later)")]
    public double PipelineLatencyMs { get; set; }
}
