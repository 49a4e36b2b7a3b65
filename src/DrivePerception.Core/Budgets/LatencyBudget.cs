namespace DrivePerception.Core.Budgets;

/// <summary>
/// The end-to-end deadline and optional per-stage budgets, in milliseconds. A frame whose age passes
/// <see cref="DeadlineMs"/> before inference is handled by <see cref="Policy"/>; per-stage overruns are counted.
/// </summary>
public sealed class LatencyBudget
{
    /// <summary>End-to-end deadline from capture to publish.</summary>
    public double DeadlineMs { get; }

    /// <summary>What to do with a frame past its deadline before inference.</summary>
    public DeadlinePolicy Policy { get; }

    /// <summary>Budget per stage name; stages not listed are unbudgeted.</summary>
    public IReadOnlyDictionary<string, double> StageBudgetsMs { get; }

    /// <summary>Validates and builds a budget; throws with the fix when a value is out of range.</summary>
    public LatencyBudget(double deadlineMs, DeadlinePolicy policy, IReadOnlyDictionary<string, double>? stageBudgetsMs = null)
    {
        if (!(deadlineMs > 0) || double.IsInfinity(deadlineMs))
            throw new ArgumentOutOfRangeException(nameof(deadlineMs), $"--deadline-ms must be a positive number of milliseconds, got {deadlineMs}.");
        StageBudgetsMs = stageBudgetsMs ?? new Dictionary<string, double>();
        foreach (var (stage, ms) in StageBudgetsMs)
        {
            if (!Frames.StageNames.All.Contains(stage))
                throw new ArgumentException($"Unknown stage '{stage}' in --stage-budget. Valid stages: {string.Join(", ", Frames.StageNames.All)}.");
            if (!(ms > 0))
                throw new ArgumentOutOfRangeException(nameof(stageBudgetsMs), $"Budget for stage '{stage}' must be positive, got {ms}.");
        }
        DeadlineMs = deadlineMs;
        Policy = policy;
    }

    /// <summary>A deadline no frame reaches (~11 days): outputs are judged, not ages.</summary>
    public const double NoAgeDeadlineMs = 1e9;

    /// <summary>
    /// The same policy and stage budgets with a deadline no frame reaches. For runs that process every frame as fast as
    /// they can (replay --fast, regress): their frames wait in a queue by design, so age says nothing about staleness,
    /// and a busy machine would otherwise publish (or record into a golden) frames made not valid by their wait.
    /// </summary>
    public LatencyBudget WithoutAgeDeadline() => new(NoAgeDeadlineMs, Policy, StageBudgetsMs);

    /// <summary>True when a frame captured at <paramref name="captureNs"/> is past the deadline at <paramref name="nowNs"/>.</summary>
    public bool IsExpired(long captureNs, long nowNs) => Frames.MonotonicClock.Ms(captureNs, nowNs) > DeadlineMs;

    /// <summary>True when a stage took longer than its budget (false for unbudgeted stages).</summary>
    public bool IsOverrun(string stage, double ms) => StageBudgetsMs.TryGetValue(stage, out var b) && ms > b;
}
