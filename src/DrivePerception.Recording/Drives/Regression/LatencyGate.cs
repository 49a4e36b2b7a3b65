namespace DrivePerception.Recording.Drives.Regression;

/// <summary>
/// The replay's end-to-end latency on this machine against the budgets of the tolerances. It is a budget, not a
/// comparison with the golden run: the golden's latency was measured on whatever machine made it.
/// <para>
/// When the tolerances say what <see cref="ReferenceWorkload"/> took where the budgets were set
/// (<c>latency_reference_ms</c>), the budgets are scaled by the reference timed in this run over that figure: a
/// machine made twice as slow by other work gets twice the budget, while a replay that is itself twice as slow
/// still fails. Without it the budgets are plain milliseconds, and fail on a busy machine.
/// </para>
/// <para>
/// The CPU time the process spends per frame (<c>cpu_ms_per_frame_budget</c>) is the gate that holds best on a busy
/// machine: other work delays the frames but does not add to the work each one needs, while a heavier model or a
/// slower pipeline does. Measured on a shared 2-core machine under load 12-20: CPU per frame varied by +-7 % from run
/// to run where wall-clock latency over the reference varied by +-40 % (docs/RECORDING.md).
/// </para>
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
    /// <summary><see cref="ReferenceWorkload"/>'s time in this run (median of before and after the replay), ms; 0: not measured.</summary>
    public double ReferenceMs { get; init; }
    /// <summary>The reference's time where the budgets were set (tolerances' latency_reference_ms); null: budgets are plain ms.</summary>
    public double? BudgetReferenceMs { get; init; }
    /// <summary>What the budgets are multiplied by: this run's reference over the budgets' (1 when either is unknown).</summary>
    public double BudgetScale => BudgetReferenceMs is { } r && r > 0 && ReferenceMs > 0 ? ReferenceMs / r : 1;
    /// <summary>CPU time of the whole process per frame over the replay (all threads: decode, inference, post-processing), ms.</summary>
    public double CpuMsPerFrame { get; init; }
    /// <summary>Budget for <see cref="CpuMsPerFrame"/>, ms; null when not gated.</summary>
    public double? CpuMsPerFrameBudget { get; init; }
    /// <summary>CPU per frame / its budget; over 1 fails.</summary>
    public double? CpuRatio => CpuMsPerFrameBudget is { } b ? CpuMsPerFrame / b : null;
    /// <summary>p50 / scaled budget; over 1 fails.</summary>
    public double? P50Ratio => P50BudgetMs is { } b ? P50Ms / (b * BudgetScale) : null;
    /// <summary>p99 / scaled budget; over 1 fails.</summary>
    public double? P99Ratio => P99BudgetMs is { } b ? P99Ms / (b * BudgetScale) : null;

    /// <summary>Each budget broken, as a sentence.</summary>
    public List<string> Failures
    {
        get
        {
            var failures = new List<string>();
            if (P50Ratio > 1) failures.Add($"latency: end-to-end p50 {P50Ms:F1} ms is over its budget of {P50BudgetMs * BudgetScale:F1} ms{Scaled} (ratio {P50Ratio:F2})");
            if (P99Ratio > 1) failures.Add($"latency: end-to-end p99 {P99Ms:F1} ms is over its budget of {P99BudgetMs * BudgetScale:F1} ms{Scaled} (ratio {P99Ratio:F2})");
            if (CpuRatio > 1) failures.Add($"latency: {CpuMsPerFrame:F1} ms of CPU per frame is over its budget of {CpuMsPerFrameBudget:F1} ms (ratio {CpuRatio:F2}): the frames need more work than they did");
            return failures;
        }
    }

    /// <summary>How the budgets were scaled, for messages: empty when they were not.</summary>
    public string Scaled => BudgetReferenceMs is { } r && ReferenceMs > 0
        ? FormattableString.Invariant($" (the tolerances' budget x {BudgetScale:F2}: reference workload {ReferenceMs:F2} ms now, {r:F2} ms where the budget was set)")
        : "";
}
