namespace DrivePerception.Dashboard.Snapshots;

/// <summary>
/// The run's end-to-end latency as a bar chart: equal-width bins from 0 to <see cref="UpperMs"/>, the last one open,
/// with the deadline the page draws across it.
/// </summary>
public sealed record LatencyBins(double BinWidthMs, double UpperMs, long[] Counts, double DeadlineMs);
