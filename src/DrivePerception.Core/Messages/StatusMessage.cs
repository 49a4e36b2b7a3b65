using MessagePack;

namespace DrivePerception.Core.Messages;

/// <summary>Topic <c>perception/status</c>: the node's heartbeat, published at 1 Hz and at stop.</summary>
[MessagePackObject]
public sealed class StatusMessage
{
    /// <summary>Wire schema version.</summary>
    [Key("schema"), WireField("", "wire schema version")]
    public int Schema { get; set; } = WireSchema.Version;

    /// <summary>Monotonic time of this heartbeat.</summary>
    [Key("mono_ns"), WireField("ns", "node's monotonic clock at publish")]
    public long MonoNs { get; set; }

    /// <summary>UTC time of this heartbeat.</summary>
    [Key("utc_ns"), WireField("ns", "UTC, nanoseconds since the Unix epoch")]
    public long UtcNs { get; set; }

    /// <summary>Heartbeat counter, 0-based.</summary>
    [Key("seq"), WireField("", "heartbeat number, 0-based")]
    public long Sequence { get; set; }

    /// <summary>ok | degraded | failed | stopped.</summary>
    [Key("health"), WireField("", "ok | degraded (misses, reconnecting, a degrade level above 0) | failed | stopped (last message)")]
    public string Health { get; set; } = "ok";

    /// <summary>Human-readable detail for the health state.</summary>
    [Key("message"), WireField("", "why the health is what it is")]
    public string Message { get; set; } = "";

    /// <summary>Source URI as given.</summary>
    [Key("source"), WireField("", "source as given to --source")]
    public string Source { get; set; } = "";

    /// <summary>Camera whose source and accounting this heartbeat reports (a multi-camera node sends one per camera).</summary>
    [Key("camera_id"), WireField("", "camera this heartbeat is about, as in the frame headers; a node with several cameras publishes one status per camera")]
    public string CameraId { get; set; } = "";

    /// <summary>starting | streaming | reconnecting | ended | failed.</summary>
    [Key("source_state"), WireField("", "starting | streaming | reconnecting | ended | failed")]
    public string SourceState { get; set; } = "";

    /// <summary>Camera reconnect attempts so far.</summary>
    [Key("reconnects"), WireField("", "camera reconnect attempts")]
    public long Reconnects { get; set; }

    /// <summary>Frame accounting.</summary>
    [Key("counters"), WireField("", "PipelineCounters")]
    public PipelineCounters Counters { get; set; } = new();

    /// <summary>Processed frames per second over the last heartbeat interval.</summary>
    [Key("fps"), WireField("1/s", "frames processed per second since the previous heartbeat")]
    public double Fps { get; set; }

    /// <summary>End-to-end latency p50 over the last 256 frames.</summary>
    [Key("latency_p50_ms"), WireField("ms", "pipeline latency p50 over the last 256 frames")]
    public double LatencyP50Ms { get; set; }

    /// <summary>End-to-end latency p99 over the last 256 frames.</summary>
    [Key("latency_p99_ms"), WireField("ms", "pipeline latency p99 over the last 256 frames")]
    public double LatencyP99Ms { get; set; }

    /// <summary>End-to-end deadline in force.</summary>
    [Key("deadline_ms"), WireField("ms", "end-to-end deadline in force")]
    public double DeadlineMs { get; set; }

    /// <summary>The models loaded and where they run.</summary>
    [Key("models"), WireField("", "list of ModelStatus")]
    public List<ModelStatus> Models { get; set; } = [];

    /// <summary>The degrade ladder: what the node gave up to hold the source rate, and why (added in schema 1; older nodes omit it).</summary>
    [Key("degrade"), WireField("", "DegradeStatus: what the node gives up to hold the source rate within the deadline, and why (absent from nodes before 2026-12-07)")]
    public DegradeStatus Degrade { get; set; } = new();

    /// <summary>Most frames one heartbeat carries; past it (a node over 2048 frames/s) the newest are left out.</summary>
    public const int MaxFrames = 2048;

    /// <summary>
    /// The frames published since the previous heartbeat of this camera, oldest first, each as its per-frame messages
    /// carry it (header, valid, reason, pipeline_latency_ms) without content: a latency monitor reads every frame's timing
    /// from this one message a second instead of a per-frame topic (docs/DASHBOARD.md, "What it costs the node").
    /// </summary>
    [Key("frames"), WireField("", "list of FrameTiming: every frame published since the previous heartbeat, oldest first, at most 2048 (more are left out): header, valid (false when no content was computed for the frame: all its messages not valid), reason, pipeline_latency_ms, as in the per-frame messages, without content; for latency monitors such as the dashboard (absent from nodes before 2026-12-08)")]
    public List<FrameTiming> Frames { get; set; } = [];
}
