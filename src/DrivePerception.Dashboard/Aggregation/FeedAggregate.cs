using DrivePerception.Core.Frames;
using DrivePerception.Core.Latency;
using DrivePerception.Core.Messages;
using DrivePerception.Dashboard.Snapshots;

namespace DrivePerception.Dashboard.Aggregation;

/// <summary>
/// What one node (one camera) looks like from the bus, in fixed memory: per stage and end to end a
/// <see cref="RollingLatencyHistogram"/> (10 s, 60 s, run), the frames of the last minute, sequence gaps, and the
/// node's latest status. Stage durations come from each frame header's stage start/end times; windows are on this
/// process's clock (when a frame arrived). When the node's sequence numbers go back it restarted: everything starts
/// again and <see cref="FeedSnapshot.Restarts"/> counts it. Thread-safe: the subscriber thread writes, HTTP requests read.
/// </summary>
public sealed class FeedAggregate
{
    /// <summary>The quantity name of capture-to-encode latency, as in the node's --report.</summary>
    public const string EndToEnd = "end_to_end";

    /// <summary>Short window, seconds.</summary>
    public const int ShortWindowSeconds = 10;

    /// <summary>Long window (and timeline length), seconds.</summary>
    public const int LongWindowSeconds = 60;

    /// <summary>Frames the timeline ring holds: 60 s at 200 frames/s.</summary>
    public const int TimelineCapacity = 12_000;

    /// <summary>Seconds without a status after which the node is shown as silent.</summary>
    public const double SilentAfterSeconds = 3;

    /// <summary>Stages in pipeline order, then end to end.</summary>
    public static readonly IReadOnlyList<string> Quantities = [.. StageNames.All, EndToEnd];

    private readonly object _lock = new();
    private readonly Dictionary<string, RollingLatencyHistogram> _latency;
    private readonly TimelineRing _timeline = new(TimelineCapacity);
    private string _cameraId = "";
    private int _width, _height;
    private long _lastFrameSeq = -1, _lastStatusSeq = -1;
    private long _framesSeen, _frameGaps, _statusGaps, _restarts, _undecodable;
    private long _firstFrameNs, _lastMessageNs, _lastStatusNs;
    private StatusMessage? _status;
    private double _nodeFps;
    private PipelineCounters? _baseline;

    /// <summary>An empty aggregate for the node at <paramref name="endpoint"/>.</summary>
    public FeedAggregate(string endpoint)
    {
        Endpoint = endpoint;
        _latency = Quantities.ToDictionary(q => q, _ => new RollingLatencyHistogram(LongWindowSeconds));
    }

    /// <summary>The node's PUB endpoint.</summary>
    public string Endpoint { get; }

    /// <summary>Camera id from the latest frame ("" before one came).</summary>
    public string CameraId { get { lock (_lock) return _cameraId; } }

    /// <summary>Adds a per-frame message received at <paramref name="receivedNs"/> (this process's monotonic clock).</summary>
    public void AddFrame(PerceptionMessage message, long receivedNs)
    {
        lock (_lock) AddFrameLocked(message, receivedNs, _status?.DeadlineMs ?? 0);
    }

    private void AddFrameLocked(PerceptionMessage message, long receivedNs, double deadline)
    {
        var header = message.Header;
        if (_lastFrameSeq >= 0 && header.Sequence < _lastFrameSeq) Restart();
        if (_lastFrameSeq >= 0 && header.Sequence > _lastFrameSeq + 1)
        {
            long gap = header.Sequence - _lastFrameSeq - 1;
            _frameGaps += gap;
            _timeline.AddGap(receivedNs, gap);
        }
        _lastFrameSeq = header.Sequence;
        if (_framesSeen == 0)
        {
            _firstFrameNs = receivedNs;
            // Seen from its first frame (which the node publishes before its first heartbeat): every node-side drop
            // is one of the gaps counted here, so the drops to subtract start at zero.
            if (header.Sequence == 0) _baseline = new PipelineCounters();
        }
        _framesSeen++;
        _lastMessageNs = Math.Max(_lastMessageNs, receivedNs);
        _cameraId = header.CameraId;
        _width = header.Width;
        _height = header.Height;

        long second = receivedNs / 1_000_000_000;
        foreach (var s in header.Stages)
            if (_latency.TryGetValue(s.Stage, out var h)) h.Add(s.DurationMs, second);
        _latency[EndToEnd].Add(message.PipelineLatencyMs, second);
        bool missed = (deadline > 0 && message.PipelineLatencyMs > deadline)
                      || (!message.Valid && message.Reason.StartsWith("deadline", StringComparison.Ordinal));
        _timeline.AddFrame(receivedNs, header, message.PipelineLatencyMs, missed, !message.Valid);
    }

    /// <summary>
    /// Adds a status heartbeat received at <paramref name="receivedNs"/>, with the frames it carries
    /// (<see cref="StatusMessage.Frames"/>, the node's frames since its previous heartbeat), each placed on this
    /// process's clock when the node finished it: the heartbeat's arrival less how long before the heartbeat the frame
    /// was done, on the node's clock.
    /// </summary>
    public void AddStatus(StatusMessage status, long receivedNs)
    {
        lock (_lock)
        {
            if (_lastStatusSeq >= 0 && status.Sequence < _lastStatusSeq) Restart();
            if (_lastStatusSeq >= 0 && status.Sequence > _lastStatusSeq + 1) _statusGaps += status.Sequence - _lastStatusSeq - 1;
            foreach (var frame in status.Frames ?? [])
                AddFrameLocked(frame, FrameDoneNs(frame, status.MonoNs, receivedNs), status.DeadlineMs);
            _lastStatusSeq = status.Sequence;
            _status = status;
            // The final heartbeat's rate covers the moment since the one before it, not the run: keep the last real one.
            if (status.Health != "stopped") _nodeFps = status.Fps;
            _baseline ??= status.Counters;
            _lastMessageNs = _lastStatusNs = receivedNs;
        }
    }

    // When the frame was done, on this process's clock. A frame older than the windows, or a heartbeat without a clock,
    // counts at the heartbeat's arrival.
    private static long FrameDoneNs(FrameTiming frame, long statusMonoNs, long receivedNs)
    {
        long doneMono = frame.Header.CaptureMonoNs + (long)(frame.PipelineLatencyMs * 1e6);
        long before = statusMonoNs - doneMono;
        return before is >= 0 and <= LongWindowSeconds * 1_000_000_000L ? receivedNs - before : receivedNs;
    }

    /// <summary>Counts a payload that could not be decoded.</summary>
    public void AddUndecodable()
    {
        lock (_lock) _undecodable++;
    }

    /// <summary>What the page shows for this node at <paramref name="nowNs"/>; <paramref name="label"/> names the camera.</summary>
    public FeedSnapshot Snapshot(long nowNs, string? label = null)
    {
        lock (_lock)
        {
            var status = _status;
            // A node that stopped keeps showing its last minute: the windows and the timeline end at its last message.
            long anchorNs = status?.Health == "stopped" ? _lastMessageNs : nowNs;
            long second = anchorNs / 1_000_000_000;
            var stages = new List<StageRow>();
            foreach (var q in Quantities)
            {
                var rolling = _latency[q];
                if (rolling.Run.Count == 0) continue;
                var last10 = WindowPercentiles.Of(rolling.Window(ShortWindowSeconds, second));
                var last60 = WindowPercentiles.Of(rolling.Window(LongWindowSeconds, second));
                stages.Add(new StageRow(q, last10, last60, WindowPercentiles.Of(rolling.Run)));
            }
            double watched = _framesSeen == 0 ? 0 : Math.Clamp((anchorNs - _firstFrameNs) / 1e9, 1, ShortWindowSeconds);
            double fps = watched == 0 ? 0 : _latency[EndToEnd].Window(ShortWindowSeconds, second).Count / watched;
            string health = status is null ? "waiting"
                : status.Health != "stopped" && (nowNs - _lastStatusNs) / 1e9 > SilentAfterSeconds ? "silent"
                : status.Health;
            return new FeedSnapshot
            {
                Endpoint = Endpoint,
                CameraId = label ?? _cameraId,
                Width = _width,
                Height = _height,
                LastMessageAgeS = _lastMessageNs == 0 ? null : (nowNs - _lastMessageNs) / 1e9,
                Restarts = _restarts,
                Health = health,
                HealthMessage = health == "silent" ? $"no status for {(nowNs - _lastStatusNs) / 1e9:F0} s: node down or unreachable" : status?.Message ?? "no status yet",
                Source = status?.Source ?? "",
                SourceState = status?.SourceState ?? "",
                Models = status?.Models ?? [],
                DeadlineMs = status?.DeadlineMs ?? 0,
                Fps = fps,
                NodeFps = _nodeFps,
                NodeLatencyP50Ms = status?.LatencyP50Ms ?? 0,
                NodeLatencyP99Ms = status?.LatencyP99Ms ?? 0,
                Stages = stages,
                Counters = Counters(status?.Counters),
                EndToEnd = Bins(_latency[EndToEnd].Run, status?.DeadlineMs ?? 0),
                Timeline = _timeline.Series(anchorNs, LongWindowSeconds),
            };
        }
    }

    /// <summary>
    /// The figures /metrics exposes, read under the lock: per quantity the run's histogram counted at
    /// <paramref name="edgesMs"/> (cumulative, to the histogram's 1 % resolution), its sum and count, and the node's counters.
    /// </summary>
    public FeedMetrics Metrics(Func<double, IReadOnlyList<double>> edgesForDeadline, string? label = null)
    {
        lock (_lock)
        {
            double deadline = _status?.DeadlineMs ?? 0;
            var edges = edgesForDeadline(deadline);
            var quantities = new List<QuantityMetrics>();
            foreach (var q in Quantities)
            {
                var run = _latency[q].Run;
                if (run.Count == 0) continue;
                quantities.Add(new QuantityMetrics(q, edges.Select(e => run.CountAtOrBelow(e)).ToArray(), run.MeanMs * run.Count, run.Count));
            }
            return new FeedMetrics(label ?? _cameraId, edges, quantities, _status?.Counters ?? new PipelineCounters());
        }
    }

    private FeedCounters Counters(PipelineCounters? node)
    {
        node ??= new PipelineCounters();
        long nodeDrops = node.DroppedStale + node.DroppedDeadline - ((_baseline?.DroppedStale ?? 0) + (_baseline?.DroppedDeadline ?? 0));
        return new FeedCounters
        {
            Captured = node.Captured,
            Processed = node.Processed,
            DroppedStale = node.DroppedStale,
            DroppedDeadline = node.DroppedDeadline,
            Invalid = node.PublishedInvalid,
            DeadlineMisses = node.DeadlineMisses,
            Corrupt = node.Corrupt,
            StageOverruns = new Dictionary<string, long>(node.StageOverruns),
            DeadlineMissPercent = Percent(node.DeadlineMisses, node.Processed),
            DroppedPercent = Percent(node.DroppedStale + node.DroppedDeadline, node.Captured),
            InvalidPercent = Percent(node.PublishedInvalid, node.Processed),
            CorruptPercent = Percent(node.Corrupt, node.Captured + node.Corrupt),
            FramesSeen = _framesSeen,
            FrameGaps = _frameGaps,
            BusLosses = _statusGaps + Math.Max(0, _frameGaps - Math.Max(0, nodeDrops)),
            Undecodable = _undecodable,
        };
    }

    private static double Percent(long part, long whole) => whole > 0 ? 100.0 * part / whole : 0;

    // 40 equal bins up to past the deadline (or the slowest frame, if later); the last bin holds everything beyond.
    private static LatencyBins Bins(LatencyHistogram run, double deadlineMs)
    {
        const int binCount = 40;
        double upper = Math.Max(deadlineMs * 1.25, run.MaxMs * 1.02);
        if (!(upper > 0)) upper = 100;
        double width = upper / binCount;
        var counts = new long[binCount];
        foreach (var (upperMs, count) in run.Buckets())
        {
            // A bucket's samples lie within 2 % below its upper edge: place them at its middle.
            double at = upperMs / (1 + LatencyHistogram.RelativeError);
            counts[Math.Clamp((int)(at / width), 0, binCount - 1)] += count;
        }
        return new LatencyBins(width, upper, counts, deadlineMs);
    }

    private void Restart()
    {
        foreach (var h in _latency.Values) h.Clear();
        _timeline.Clear();
        _lastFrameSeq = _lastStatusSeq = -1;
        _framesSeen = _frameGaps = _statusGaps = 0;
        _firstFrameNs = 0;
        _status = null;
        _nodeFps = 0;
        _baseline = null;
        _restarts++;
    }
}
