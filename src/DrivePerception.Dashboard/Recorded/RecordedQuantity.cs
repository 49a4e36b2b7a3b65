namespace DrivePerception.Dashboard.Recorded;

/// <summary>One stage (or end to end) of a recorded run, in the shape of a --report's <c>latency</c> entries, so the page compares either.</summary>
/// <param name="Quantity">Stage name, or <c>end_to_end</c>.</param>
/// <param name="Count">Frames with this stage.</param>
/// <param name="MeanMs">Mean, ms.</param>
/// <param name="P50Ms">Nearest-rank median, ms.</param>
/// <param name="P99Ms">Nearest-rank 99th percentile, ms.</param>
/// <param name="MaxMs">Largest, ms.</param>
public sealed record RecordedQuantity(string Quantity, long Count, double MeanMs, double P50Ms, double P99Ms, double MaxMs);
