namespace DrivePerception.Dashboard.Snapshots;

/// <summary>
/// Frame accounting of one node: the node's own (from its latest status, authoritative) and what this dashboard saw
/// on the bus. Percentages: misses and not-valid of processed, drops of captured, corrupt of captured + corrupt.
/// </summary>
public sealed record FeedCounters
{
    /// <summary>Frames the source delivered (node).</summary>
    public long Captured { get; init; }
    /// <summary>Frames published, valid or not (node).</summary>
    public long Processed { get; init; }
    /// <summary>Frames replaced in the newest-frame slot (node).</summary>
    public long DroppedStale { get; init; }
    /// <summary>Frames dropped for their deadline before inference (node).</summary>
    public long DroppedDeadline { get; init; }
    /// <summary>Frames published with valid=false (node).</summary>
    public long Invalid { get; init; }
    /// <summary>Frames past the end-to-end deadline (node).</summary>
    public long DeadlineMisses { get; init; }
    /// <summary>Frames the source could not decode (node).</summary>
    public long Corrupt { get; init; }
    /// <summary>Per-stage budget overruns (node).</summary>
    public IReadOnlyDictionary<string, long> StageOverruns { get; init; } = new Dictionary<string, long>();
    /// <summary>Deadline misses in % of processed.</summary>
    public double DeadlineMissPercent { get; init; }
    /// <summary>Dropped (stale + deadline) in % of captured.</summary>
    public double DroppedPercent { get; init; }
    /// <summary>Not valid in % of processed.</summary>
    public double InvalidPercent { get; init; }
    /// <summary>Corrupt in % of captured + corrupt.</summary>
    public double CorruptPercent { get; init; }
    /// <summary>Frame messages this dashboard received since the node (re)started.</summary>
    public long FramesSeen { get; init; }
    /// <summary>Frame sequence numbers skipped between received messages: node drops and bus losses together.</summary>
    public long FrameGaps { get; init; }
    /// <summary>
    /// Messages lost on the bus (estimate): heartbeat sequence gaps plus the frame gaps the node's own drop counters do
    /// not explain.
    /// </summary>
    public long BusLosses { get; init; }
    /// <summary>Payloads this dashboard could not decode.</summary>
    public long Undecodable { get; init; }
}
