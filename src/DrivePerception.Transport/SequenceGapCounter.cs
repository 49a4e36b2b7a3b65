using DrivePerception.Core.Messages;

namespace DrivePerception.Transport;

/// <summary>
/// Counts sequence numbers a subscriber never saw, per topic. NetMQ's PUB drops silently past a
/// subscriber's high-water mark, so these gaps are the only place such drops show.
/// <para>
/// On the per-frame topics the sequence is the frame's (<c>header.seq</c>): a gap there is a frame dropped
/// in the node (see <c>dropped_stale</c> and <c>dropped_deadline</c> in status) or in transport. On
/// <c>perception/status</c> the heartbeat sequence has no node-side gaps, so a gap is a transport drop.
/// A sequence lower than the last one (the node restarted) starts the count again. Not thread-safe.
/// </para>
/// </summary>
public sealed class SequenceGapCounter
{
    private readonly Dictionary<string, long> _last = [];
    private readonly Dictionary<string, long> _missed = [];

    /// <summary>Sequence numbers skipped on all topics so far.</summary>
    public long TotalMissed { get; private set; }

    /// <summary>Times a topic's sequence went backwards (node restart), all topics together.</summary>
    public long Restarts { get; private set; }

    /// <summary>
    /// Records <paramref name="sequence"/> on <paramref name="topic"/>; returns how many numbers were skipped
    /// since the previous one (0 for the first, the next, a repeat or a restart).
    /// </summary>
    public long Observe(string topic, long sequence)
    {
        if (!_last.TryGetValue(topic, out long last))
        {
            _last[topic] = sequence;
            return 0;
        }
        _last[topic] = sequence;
        if (sequence < last)
        {
            Restarts++;
            return 0;
        }
        long gap = Math.Max(0, sequence - last - 1);
        if (gap == 0) return 0;
        _missed[topic] = Missed(topic) + gap;
        TotalMissed += gap;
        return gap;
    }

    /// <summary>
    /// Records the sequence of a received message (the frame's for per-frame topics, the heartbeat's for
    /// status). Decodes it, so it throws <see cref="PayloadDecodeException"/> for an unreadable payload.
    /// </summary>
    public long Observe(ReceivedMessage message) => message.Decode() switch
    {
        PerceptionMessage m => Observe(message.Topic, m.Header.Sequence),
        StatusMessage s => Observe(message.Topic, s.Sequence),
        var other => throw new NotSupportedException($"{message.Topic} carries {other.GetType().Name}, which has no sequence number."),
    };

    /// <summary>Sequence numbers skipped on <paramref name="topic"/> so far.</summary>
    public long Missed(string topic) => _missed.GetValueOrDefault(topic);
}
