using DrivePerception.Core.Frames;
using DrivePerception.Core.Messages;

namespace DrivePerception.Node.Pipeline;

/// <summary>Builds the 1 Hz status message: health, source state, accounting, latency, models.</summary>
public sealed class StatusHeartbeat
{
    private readonly string _sourceDescription;
    private readonly string _cameraId;
    private readonly double _deadlineMs;
    private readonly IReadOnlyList<ModelStatus> _models;
    private readonly long _intervalNs;
    private long _nextDueNs;
    private long _sequence;
    private long _lastProcessed;
    private long _lastBeatNs;
    private long _lastMisses;

    /// <summary>A heartbeat every <paramref name="interval"/> (1 s in the node) about camera <paramref name="cameraId"/>.</summary>
    public StatusHeartbeat(string sourceDescription, double deadlineMs, IReadOnlyList<ModelStatus> models, TimeSpan interval, string cameraId = "")
    {
        _sourceDescription = sourceDescription;
        _cameraId = cameraId;
        _deadlineMs = deadlineMs;
        _models = models;
        _intervalNs = (long)(interval.TotalMilliseconds * 1_000_000);
        _lastBeatNs = MonotonicClock.NowNs();
        _nextDueNs = _lastBeatNs; // the first heartbeat goes out at once, so subscribers see the node is up.
    }

    /// <summary>True when the next heartbeat is due.</summary>
    public bool IsDue() => MonotonicClock.NowNs() >= _nextDueNs;

    /// <summary>
    /// Builds a heartbeat and schedules the next one. <paramref name="degrade"/> is the degrade ladder's state (default:
    /// off); <paramref name="models"/> the models running now (default: those given at construction).
    /// </summary>
    public StatusMessage Beat(ISourceReader source, PipelineCounters counters, LatencyWindow recent, bool failing, bool final,
        DegradeStatus? degrade = null, IReadOnlyList<ModelStatus>? models = null)
    {
        degrade ??= new DegradeStatus();
        long now = MonotonicClock.NowNs();
        double seconds = Math.Max(MonotonicClock.Ms(_lastBeatNs, now) / 1000.0, 1e-3);
        var fps = (counters.Processed - _lastProcessed) / seconds;
        var newMisses = counters.DeadlineMisses - _lastMisses;
        _lastProcessed = counters.Processed;
        _lastMisses = counters.DeadlineMisses;
        _lastBeatNs = now;
        _nextDueNs = now + _intervalNs;

        var misses = newMisses > 0 ? $"{newMisses} deadline misses in the last interval" : "";
        var (health, message) = (final, failing, source.State, newMisses, degrade.Level) switch
        {
            (true, _, _, _, _) => ("stopped", $"stopped; source {source.State}"),
            (_, true, _, _, _) => ("failed", "inference keeps failing: see the node's log"),
            (_, _, "failed", _, _) => ("failed", $"source failed: {source.Failure}"),
            (_, _, "reconnecting", _, _) => ("degraded", "camera lost, reconnecting"),
            // Giving up work is degraded even when the frames it kept are on time: say what and why.
            (_, _, _, _, > 0) => ("degraded", $"degrade level {degrade.Level}, {degrade.GaveUp}: {degrade.Reason}" + (misses.Length > 0 ? $"; {misses}" : "")),
            (_, _, _, > 0, _) => ("degraded", misses),
            _ => ("ok", ""),
        };
        return new StatusMessage
        {
            MonoNs = now, UtcNs = MonotonicClock.UtcNowNs(), Sequence = _sequence++,
            Health = health, Message = message,
            Source = _sourceDescription, CameraId = _cameraId, SourceState = source.State, Reconnects = source.Reconnects,
            Counters = counters, Fps = fps,
            LatencyP50Ms = recent.Percentile(50), LatencyP99Ms = recent.Percentile(99),
            DeadlineMs = _deadlineMs, Models = [.. models ?? _models], Degrade = degrade,
        };
    }
}
