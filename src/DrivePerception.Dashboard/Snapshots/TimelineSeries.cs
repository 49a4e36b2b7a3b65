namespace DrivePerception.Dashboard.Snapshots;

/// <summary>
/// The frames of the last 60 s, column by column (compact JSON for the page's plot): when each arrived (seconds
/// before the snapshot, negative), each stage's duration, end-to-end latency, and which ones missed the deadline or
/// were not valid. <see cref="DropAgoS"/>/<see cref="DropCounts"/> mark frames never seen (sequence gaps).
/// </summary>
public sealed record TimelineSeries(
    double[] AgoS, long[] Sequence, IReadOnlyDictionary<string, double[]> StageMs, double[] EndToEndMs,
    bool[] Missed, bool[] Invalid, double[] DropAgoS, long[] DropCounts);
