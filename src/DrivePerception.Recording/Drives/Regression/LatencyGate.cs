namespace DrivePerception.Recording.Drives.Regression;

/// <summary>
/// The replay's end-to-end latency on this machine against the budgets of the tolerances. It is a budget, not a
/// comparison with the golden run: the golden's latency was measured on whatever machine made it.
/// </summary>
public sealed class LatencyGate
{
    /// <summary>End-to-end (capture to publish) p50 of the replay, ms.</summary>
    public double P50Ms { get; init; }
    /// <summary>End-to-end p99 of the replay, ms.</summary>
    public double P99Ms { get; init; }
    /// <summary>Frames the percentiles are over.</summary>
    public int Frames { get; init; }
    /// <summary>p50 budget, ms; null when not gated.</summary>
    public double? P50BudgetMs { get; init; }
    /// <summary>p99 budget, ms; null when not gated.</summary>
    public double? P99BudgetMs { get; init; }
    /// <summary>p50 / budget; over 1 fails.</summary>
    public double? P50Ratio => P50BudgetMs is { } b ? P50Ms / b : null;
    /// <summary>p99 / budget; over 1 fails.</summary>
    public double? P99Ratio => P99BudgetMs is { } b ? P99Ms / b : null;

    /// <summary>Each budget broken, as a sentence.</summary>
    public List<string> Failures
    {
        get
        {
            var failures = new List<string>();
            if (P50Ratio > 1) failures.Add($"latency: end-to-end p50 {P50Ms:F1} ms is over its budget of {P50BudgetMs:F1} ms (ratio {P50Ratio:F2})");
            if (P99Ratio > 1) failures.Add($"latency: end-to-end p99 {P99Ms:F1} ms is over its budget of {P99BudgetMs:F1} ms (ratio {P99Ratio:F2})");
            return failures;
        }
    }
}
