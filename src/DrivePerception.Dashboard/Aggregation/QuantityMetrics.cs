namespace DrivePerception.Dashboard.Aggregation;

/// <summary>One quantity's run histogram for /metrics: cumulative counts at the edges, sum (ms) and count.</summary>
public sealed record QuantityMetrics(string Quantity, long[] CumulativeCounts, double SumMs, long Count);
