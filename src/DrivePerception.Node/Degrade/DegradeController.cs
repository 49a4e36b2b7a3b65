using DrivePerception.Core.Messages;
using DrivePerception.Vision.Perception;

namespace DrivePerception.Node.Degrade;

/// <summary>
/// Puts the degrade policy's rung into effect on the pipeline thread: sets the processor's plan before each frame
/// (lanes on every 2nd processed frame, the light model), feeds the policy each frame's times, logs every change with its
/// reason and reports the rung in status. Off, it does nothing and says why in status. In a node with several cameras
/// each camera has its own controller following the node's one ladder (<see cref="CameraRoundDegrade"/>): the camera's
/// frames go to the node's rounds, and its plan and skips follow the node's rung. Not thread-safe.
/// </summary>
public sealed class DegradeController
{
    private readonly IDegradableProcessor? _processor;
    private readonly DegradeLadder? _ladder;
    private readonly DegradePolicy? _policy;
    // The node-wide ladder this camera follows (several cameras), or null: this controller decides alone.
    private readonly CameraRoundDegrade? _node;
    private readonly Action<string> _log;
    private readonly string _offReason;
    private long _frameAtRung;
    // The rung the last frame was planned at: a follower restarts its lanes count when the node's rung changes.
    private int _plannedLevel;
    // Sequence number of the last frame processed, for the half-rate rung; -1 before the first.
    private long _lastProcessedSequence = -1;
    private long _changes;
    private string _reason = "";

    private DegradeController(string offReason)
    {
        _offReason = offReason;
        _log = _ => { };
    }

    /// <summary>
    /// Auto: the ladder <paramref name="ladder"/> on <paramref name="processor"/>, decided by <paramref name="policy"/>;
    /// applies the policy's warm-up choice (<see cref="DegradePolicy.Start"/>) at once. Changes are logged to <paramref name="log"/>.
    /// </summary>
    public DegradeController(IDegradableProcessor processor, DegradeLadder ladder, DegradePolicy policy, Action<string> log)
    {
        if (policy.Top != ladder.Top) throw new ArgumentException("The policy's rung count differs from the ladder's.", nameof(policy));
        _processor = processor;
        _ladder = ladder;
        _policy = policy;
        _log = log;
        _offReason = "";
        if (policy.Start() is { } start) Apply(start);
        _plannedLevel = policy.Level;
    }

    /// <summary>One camera's controller following <paramref name="node"/>'s ladder (made by <see cref="CameraRoundDegrade.ControllerFor"/>).</summary>
    internal DegradeController(IDegradableProcessor processor, CameraRoundDegrade node)
    {
        _processor = processor;
        _ladder = node.Ladder;
        _policy = node.Policy;
        _node = node;
        _log = _ => { };
        _offReason = "";
        _plannedLevel = node.Policy.Level;
    }

    /// <summary>A controller that never degrades; <paramref name="reason"/> says why in status (e.g. "--degrade off").</summary>
    public static DegradeController Off(string reason) => new(reason);

    /// <summary>True when the node may step down.</summary>
    public bool IsAuto => _policy is not null;

    /// <summary>The rung in force (0 when off).</summary>
    public int Level => _policy?.Level ?? 0;

    /// <summary>
    /// At the half-rate rung: the reason frame <paramref name="sequence"/> is published not valid without processing
    /// (it came less than the rung's frames-every after the last frame processed), else null.
    /// </summary>
    public string? SkipFrame(long sequence)
    {
        if (_policy is null || _lastProcessedSequence < 0) return null;
        int every = _ladder!.Rungs[_policy.Level].FramesEvery;
        return every > 1 && sequence - _lastProcessedSequence < every ? _ladder.SkipReasonFor(_policy.Level) : null;
    }

    /// <summary>
    /// Sets the processor's plan for frame <paramref name="sequence"/>, about to be processed. Returns the reason its lanes
    /// are published not valid with when the rung skips them on this frame, else null.
    /// </summary>
    public string? BeginFrame(long sequence)
    {
        _lastProcessedSequence = sequence;
        if (_policy is null) return null;
        if (_policy.Level != _plannedLevel)
        {
            // Only a follower gets here: the node changed rung between this camera's frames.
            _plannedLevel = _policy.Level;
            _frameAtRung = 0;
        }
        var plan = _ladder!.PlanFor(_policy.Level, _frameAtRung++);
        _processor!.Plan = plan;
        return plan.Lanes || !_processor.HasLanes ? null : _ladder.SkipReasonFor(_policy.Level);
    }

    /// <summary>Takes a processed frame's times (preprocess to encode, and capture to publish), ms.</summary>
    public void FrameProcessed(double processingMs, double endToEndMs)
    {
        if (_node is not null) _node.Frame(processingMs, endToEndMs);
        else if (_policy?.Observe(processingMs, endToEndMs) is { } change) Apply(change);
    }

    /// <summary>Takes a frame published not valid before processing (past its deadline): its age at publish, ms.</summary>
    public void FrameNotProcessed(double endToEndMs)
    {
        if (_node is not null) _node.Frame(double.NaN, endToEndMs);
        else if (_policy?.Observe(double.NaN, endToEndMs) is { } change) Apply(change);
    }

    private void Apply(DegradeDecision change)
    {
        _changes++;
        _frameAtRung = 0;
        _plannedLevel = change.To;
        _reason = change.Reason;
        _log(Describe(_ladder!, change));
    }

    /// <summary>The log line of a change: "degrade: step down to level N (name: what is given up): the measurement".</summary>
    internal static string Describe(DegradeLadder ladder, DegradeDecision change)
    {
        var rung = ladder.Rungs[change.To];
        return change.To > change.From
            ? $"degrade: step down to level {change.To} ({rung.Name}: {rung.GaveUp}): {change.Reason}"
            : $"degrade: step up to level {change.To} ({rung.Name}{(rung.Level == 0 ? ": full work" : ": " + rung.GaveUp)}): {change.Reason}";
    }

    /// <summary>The ladder's state for the status message.</summary>
    public DegradeStatus Status()
    {
        if (_policy is null) return new DegradeStatus { Mode = "off", Reason = _offReason };
        var rung = _ladder!.Rungs[_policy.Level];
        var window = _policy.LastWindow;
        return new DegradeStatus
        {
            Mode = "auto", Level = rung.Level, Name = rung.Name, GaveUp = rung.GaveUp,
            Reason = _node?.Reason ?? _reason, Changes = _node?.Changes ?? _changes,
            FrameIntervalMs = _policy.FrameIntervalMs,
            ProcessingP50Ms = window is null || double.IsNaN(window.ProcessingP50Ms) ? 0 : window.ProcessingP50Ms,
            ProcessingP90Ms = window is null || double.IsNaN(window.ProcessingP90Ms) ? 0 : window.ProcessingP90Ms,
        };
    }
}
