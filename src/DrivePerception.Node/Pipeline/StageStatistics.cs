using DrivePerception.Core.Latency;

namespace DrivePerception.Node.Pipeline;

/// <summary>
/// Latency of a run per stage and end to end, for the summary printed at stop and the JSON report. Each quantity is a
/// <see cref="LatencyHistogram"/> of fixed size, so a node that runs for days holds the same few kilobytes as one that
/// ran a minute; p50/p99 are within <see cref="LatencyHistogram.RelativeError"/> of the exact ones, count, mean and
/// max exact.
/// </summary>
public sealed class StageStatistics
{
    private readonly Dictionary<string, LatencyHistogram> _quantities = [];

    /// <summary>Adds a sample of <paramref name="quantity"/> (a stage name or "end_to_end").</summary>
    public void Add(string quantity, double ms)
    {
        if (!_quantities.TryGetValue(quantity, out var histogram)) _quantities[quantity] = histogram = new LatencyHistogram();
        histogram.Add(ms);
    }

    /// <summary>Quantities seen, in first-seen order.</summary>
    public IEnumerable<string> Quantities => _quantities.Keys;

    /// <summary>The histogram of one quantity, or null when it has no sample.</summary>
    public LatencyHistogram? Histogram(string quantity) => _quantities.GetValueOrDefault(quantity);

    /// <summary>Summary of one quantity.</summary>
    public LatencySummary Summarise(string quantity)
    {
        if (!_quantities.TryGetValue(quantity, out var h) || h.Count == 0) return new LatencySummary(quantity, 0, 0, 0, 0, 0);
        return new LatencySummary(quantity, (int)Math.Min(h.Count, int.MaxValue), h.MeanMs, h.Percentile(50), h.Percentile(99), h.MaxMs);
    }
}
