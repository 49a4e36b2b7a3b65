namespace DrivePerception.Node.Pipeline;

/// <summary>Percentiles of one latency quantity over a run, in milliseconds.</summary>
public sealed record LatencySummary(string Quantity, int Count, double MeanMs, double P50Ms, double P99Ms, double MaxMs);
