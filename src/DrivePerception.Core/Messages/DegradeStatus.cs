using MessagePack;

namespace DrivePerception.Core.Messages;

/// <summary>
/// Where the node stands on its degrade ladder (docs/DEGRADE.md): how much work it gave up to hold the source rate
/// within the deadline, and why. Part of every status message.
/// </summary>
[MessagePackObject]
public sealed class DegradeStatus
{
    /// <summary>auto (the node steps down and up by itself) or off.</summary>
    [Key("mode"), WireField("", "auto (steps down when frames take too long, back up when they fit) | off (--degrade off, or a source without a rate: --rate max)")]
    public string Mode { get; set; } = "off";

    /// <summary>Rung in force, 0 = full work.</summary>
    [Key("level"), WireField("", "rung in force: 0 full work; then lanes every 2nd frame, the lighter semantic models, half the frames (docs/DEGRADE.md)")]
    public int Level { get; set; }

    /// <summary>Name of the rung in force.</summary>
    [Key("name"), WireField("", "full | lanes-every-2nd | light-model | light-small-input | half-rate")]
    public string Name { get; set; } = "full";

    /// <summary>What is not computed at this rung; empty at rung 0.</summary>
    [Key("gave_up"), WireField("", "what is not computed at this rung, empty at level 0")]
    public string GaveUp { get; set; } = "";

    /// <summary>Why the node is at this rung: the measurement that decided the last change.</summary>
    [Key("reason"), WireField("", "the measurement behind the last change (warm-up or running), e.g. 'processing mean 142 ms > 66.7 ms frame interval'")]
    public string Reason { get; set; } = "";

    /// <summary>Level changes since start (the start-up choice counts when it was not level 0).</summary>
    [Key("changes"), WireField("", "level changes since start, the warm-up's choice included when not 0")]
    public long Changes { get; set; }

    /// <summary>The frame interval the node tries to hold: the source's, or the deadline when the source's rate is unknown; 0 when off.</summary>
    [Key("frame_interval_ms"), WireField("ms", "the frame interval the node tries to hold: the source's, or the deadline when its rate is unknown; 0 when off")]
    public double FrameIntervalMs { get; set; }

    /// <summary>Processing time (preprocess to encode) p50 over the last measuring window.</summary>
    [Key("processing_p50_ms"), WireField("ms", "processing time (preprocess through encode) p50 over the last window of frames")]
    public double ProcessingP50Ms { get; set; }

    /// <summary>Processing time (preprocess to encode) p90 over the last measuring window.</summary>
    [Key("processing_p90_ms"), WireField("ms", "processing time (preprocess through encode) p90 over the last window of frames")]
    public double ProcessingP90Ms { get; set; }
}
