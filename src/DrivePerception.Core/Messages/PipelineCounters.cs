using MessagePack;

namespace DrivePerception.Core.Messages;

/// <summary>
/// Frame accounting since start. Invariant: captured = processed + dropped_stale + dropped_deadline + in flight.
/// </summary>
[MessagePackObject]
public sealed class PipelineCounters
{
    /// <summary>Frames delivered by the source.</summary>
    [Key("captured"), WireField("frames", "frames delivered by the source")]
    public long Captured { get; set; }

    /// <summary>Frames that went through inference and were published valid or invalid.</summary>
    [Key("processed"), WireField("frames", "frames the pipeline took and published (valid or not)")]
    public long Processed { get; set; }

    /// <summary>Frames overwritten in the newest-frame slot before the pipeline could take them.</summary>
    [Key("dropped_stale"), WireField("frames", "frames replaced by a newer one before the pipeline took them")]
    public long DroppedStale { get; set; }

    /// <summary>Frames dropped before inference because they were past their deadline (policy drop).</summary>
    [Key("dropped_deadline"), WireField("frames", "frames older than the deadline, dropped before inference (policy drop)")]
    public long DroppedDeadline { get; set; }

    /// <summary>Frames published with valid=false.</summary>
    [Key("published_invalid"), WireField("frames", "frames published with valid=false (deadline under policy publish-invalid, inference failures, corrupt frames)")]
    public long PublishedInvalid { get; set; }

    /// <summary>Frames whose end-to-end time exceeded the deadline, however they were handled.</summary>
    [Key("deadline_misses"), WireField("frames", "frames whose end-to-end latency passed the deadline")]
    public long DeadlineMisses { get; set; }

    /// <summary>Per-stage budget overruns by stage name.</summary>
    [Key("stage_overruns"), WireField("frames", "map stage -> frames over that stage's budget")]
    public Dictionary<string, long> StageOverruns { get; set; } = [];

    /// <summary>Frames the source could not decode, published with valid=false (also counted in captured, processed, published_invalid).</summary>
    [Key("corrupt"), WireField("frames", "frames the source could not decode, published with valid=false, reason corrupt-frame (also in captured, processed, published_invalid)")]
    public long Corrupt { get; set; }
}
