namespace DrivePerception.Node.Degrade;

/// <summary>
/// The degrade ladder of a node with several cameras (docs/DEGRADE.md, "Several cameras"): one rung for the whole node,
/// decided on rounds rather than frames. The cameras share one pipeline thread (and one batch of the models, batched),
/// so a camera cannot hold its rate unless a round over every camera fits the frame interval: a round's processing is
/// the sum of its frames' processing times (per camera) or the batched step's wall time (batched), and its end to end the
/// dearest of its frames'. Each camera has a controller following this ladder (<see cref="ControllerFor"/>) that plans its
/// frames (lanes every 2nd processed frame of that camera, half-rate skips by that camera's sequence numbers).
/// The policy is fed by <see cref="Frame"/> and <see cref="EndRound"/> only: no clock here, so tests give made-up times.
/// Used from the pipeline thread only.
/// </summary>
public sealed class CameraRoundDegrade
{
    private readonly Action<string> _log;
    private double _processingSum;
    private int _processed;
    private double _dearestEndToEnd = double.NaN;

    /// <summary>
    /// The node's ladder, decided by <paramref name="policy"/> (its costs are a round's: every camera's frame at each rung);
    /// applies the policy's warm-up choice at once. Changes are logged to <paramref name="log"/>.
    /// </summary>
    public CameraRoundDegrade(DegradeLadder ladder, DegradePolicy policy, Action<string> log)
    {
        if (policy.Top != ladder.Top) throw new ArgumentException("The policy's rung count differs from the ladder's.", nameof(policy));
        Ladder = ladder;
        Policy = policy;
        _log = log;
        if (policy.Start() is { } start) Apply(start);
    }

    /// <summary>The rungs.</summary>
    public DegradeLadder Ladder { get; }

    /// <summary>The policy deciding the rung from rounds.</summary>
    public DegradePolicy Policy { get; }

    /// <summary>The measurement behind the last change, for every camera's status.</summary>
    public string Reason { get; private set; } = "";

    /// <summary>Changes of rung so far.</summary>
    public long Changes { get; private set; }

    /// <summary>A controller for one camera's processor that follows this ladder.</summary>
    public DegradeController ControllerFor(Vision.Perception.IDegradableProcessor processor) => new(processor, this);

    /// <summary>One camera's frame of the current round: its processing time (NaN when published not valid unprocessed) and end to end, ms.</summary>
    public void Frame(double processingMs, double endToEndMs)
    {
        if (!double.IsNaN(processingMs))
        {
            _processingSum += processingMs;
            _processed++;
        }
        if (double.IsNaN(_dearestEndToEnd) || endToEndMs > _dearestEndToEnd) _dearestEndToEnd = endToEndMs;
    }

    /// <summary>
    /// The round ends: the policy takes its processing (<paramref name="stepMs"/>, a batched step's wall time, or when null
    /// the sum of its frames') and its dearest end to end. A round without frames is not a measurement and is left out.
    /// </summary>
    public void EndRound(double? stepMs)
    {
        if (double.IsNaN(_dearestEndToEnd)) return;
        double processing = _processed == 0 ? double.NaN : stepMs ?? _processingSum;
        double endToEnd = _dearestEndToEnd;
        _processingSum = 0;
        _processed = 0;
        _dearestEndToEnd = double.NaN;
        if (Policy.Observe(processing, endToEnd) is { } change) Apply(change);
    }

    private void Apply(DegradeDecision change)
    {
        Changes++;
        Reason = change.Reason;
        _log(DegradeController.Describe(Ladder, change) + " (every camera)");
    }
}
