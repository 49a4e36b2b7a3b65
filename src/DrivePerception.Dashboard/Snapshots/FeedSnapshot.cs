using DrivePerception.Core.Messages;

namespace DrivePerception.Dashboard.Snapshots;

/// <summary>One row of the page: one node (one camera) as this dashboard sees it.</summary>
public sealed record FeedSnapshot
{
    /// <summary>The node's PUB endpoint this row subscribes to.</summary>
    public required string Endpoint { get; init; }
    /// <summary>Camera id from the frame headers ("" before the first frame).</summary>
    public required string CameraId { get; init; }
    /// <summary>Frame width and height as published, pixels (0 before the first frame).</summary>
    public int Width { get; init; }
    /// <summary>Frame height, pixels.</summary>
    public int Height { get; init; }
    /// <summary>Seconds since the last message from this node; null when none came yet.</summary>
    public double? LastMessageAgeS { get; init; }
    /// <summary>Times the node restarted while watched (sequence numbers went back); figures start again at each.</summary>
    public long Restarts { get; init; }
    /// <summary>ok | degraded | failed | stopped from the node's status; "waiting" before the first, "silent" when status stopped coming.</summary>
    public required string Health { get; init; }
    /// <summary>Why the health is what it is.</summary>
    public string HealthMessage { get; init; } = "";
    /// <summary>The node's source as given.</summary>
    public string Source { get; init; } = "";
    /// <summary>starting | streaming | reconnecting | ended | failed.</summary>
    public string SourceState { get; init; } = "";
    /// <summary>Models loaded and the accelerator each runs on.</summary>
    public IReadOnlyList<ModelStatus> Models { get; init; } = [];
    /// <summary>End-to-end deadline in force, ms (0 before the first status).</summary>
    public double DeadlineMs { get; init; }
    /// <summary>Frames per second received over the last 10 s.</summary>
    public double Fps { get; init; }
    /// <summary>Frames per second the node reported in its last status.</summary>
    public double NodeFps { get; init; }
    /// <summary>The node's own end-to-end p50 over its last 256 frames (status).</summary>
    public double NodeLatencyP50Ms { get; init; }
    /// <summary>The node's own end-to-end p99 over its last 256 frames (status).</summary>
    public double NodeLatencyP99Ms { get; init; }
    /// <summary>Per stage in pipeline order, then end_to_end: p50/p95/p99/max over 10 s, 60 s and the run.</summary>
    public IReadOnlyList<StageRow> Stages { get; init; } = [];
    /// <summary>Accounting: the node's and this dashboard's.</summary>
    public required FeedCounters Counters { get; init; }
    /// <summary>End-to-end latency of the run, binned, with the deadline.</summary>
    public required LatencyBins EndToEnd { get; init; }
    /// <summary>The last 60 s, frame by frame.</summary>
    public required TimelineSeries Timeline { get; init; }
}
