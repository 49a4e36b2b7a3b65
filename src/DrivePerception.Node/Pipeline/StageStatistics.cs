namespace DrivePerception.Node.Pipeline;

/// <summary>
/// Every latency sample of a run, per stage and end to end, for the summary printed at stop and the
/// JSON report. Unlike <see cref="LatencyWindow"/> it keeps all samples (8 bytes each: a day at 30 FPS is 20 MB).
/// </summary>
public sealed class StageStatistics
{
    private readonly Dictionary<string, List<double>> _samples = [];

    /// <summary>Adds a sample of <paramref name="quantity"/> (a stage name or "end_to_end").</summary>
    public void Add(string quantity, double ms)
    {
        if (!_samples.TryGetValue(quantity, out var list)) _samples[quantity] = list = [];
        list.Add(ms);
    }

    /// <summary>Quantities seen, in first-seen order.</summary>
    public IEnumerable<string> Quantities => _samples.Keys;

    /// <summary>Summary of one quantity.</summary>
    public LatencySummary Summarise(string quantity)
    {
        if (!_samples.TryGetValue(quantity, out var list) || list.Count == 0) return new LatencySummary(quantity, 0, 0, 0, 0, 0);
        var sorted = list.ToArray();
        Array.Sort(sorted);
        return new LatencySummary(quantity, sorted.Length, sorted.Average(),
            LatencyWindow.PercentileOfSorted(sorted, 50), LatencyWindow.PercentileOfSorted(sorted, 99), sorted[^1]);
    }
}
