using DrivePerception.Core.Latency;

namespace DrivePerception.Dashboard.Snapshots;

/// <summary>Percentiles of one quantity over one window, milliseconds, each within 1 % of the exact value.</summary>
public sealed record WindowPercentiles(long Count, double P50Ms, double P95Ms, double P99Ms, double MaxMs)
{
    /// <summary>Reads the percentiles of <paramref name="histogram"/>.</summary>
    public static WindowPercentiles Of(LatencyHistogram histogram) =>
        new(histogram.Count, histogram.Percentile(50), histogram.Percentile(95), histogram.Percentile(99), histogram.MaxMs);
}
