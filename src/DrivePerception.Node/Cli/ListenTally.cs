using System.Globalization;
using System.Text;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Transport;

namespace DrivePerception.Node.Cli;

/// <summary>
/// What `listen` counts and prints in its summaries: messages and rates per topic, messages lost on the bus,
/// frames the node skipped on purpose (from its status accounting, kept apart from bus losses), malformed
/// messages, and whether the node said it stopped. Not thread-safe.
/// <para>
/// A per-frame topic's sequence gaps are frames the node skipped (<c>dropped_stale</c>, <c>dropped_deadline</c>)
/// plus messages the bus lost (a PUB past its high-water mark drops silently). Lost on the bus is the gaps less
/// the frames the node says it skipped since listening began: exact when `listen` started before the node (the
/// first frame seen is frame 0), else counted from the first status seen. The status heartbeat has no
/// node-side gaps, so its gaps are all bus losses.
/// </para>
/// </summary>
public sealed class ListenTally
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private readonly TopicRateMeter _rates;
    private readonly Dictionary<string, long> _totals = [];
    private readonly Dictionary<string, long> _malformed = [];
    private readonly SequenceGapCounter _gaps = new();
    private long? _skippedBaseline;
    private StatusMessage? _latestStatus;
    private long _receivedSinceSummary;

    /// <summary>Starts the tally at <paramref name="startMonoNs"/>; rates are over <paramref name="window"/>.</summary>
    public ListenTally(TimeSpan window, long startMonoNs) => _rates = new TopicRateMeter(window, startMonoNs);

    /// <summary>The node's last status with health <c>stopped</c>, once it has come.</summary>
    public StatusMessage? FinalStatus { get; private set; }

    /// <summary>Malformed messages on all topics.</summary>
    public long Malformed => _malformed.Values.Sum();

    /// <summary>Whether any message (well-formed or not) arrived since the last summary.</summary>
    public bool ReceivedSinceSummary => _receivedSinceSummary > 0;

    /// <summary>Counts a message that decoded; <paramref name="decoded"/> is its payload.</summary>
    public void Observe(ReceivedMessage message, object decoded, long nowMonoNs)
    {
        Count(message.Topic, nowMonoNs);
        switch (decoded)
        {
            case PerceptionMessage frame:
                // A first frame numbered 0: listening began before the node, so every skip it reports is in our window.
                _skippedBaseline ??= frame.Header.Sequence == 0 ? 0 : null;
                _gaps.Observe(message.Topic, frame.Header.Sequence);
                break;
            case StatusMessage status:
                _skippedBaseline ??= Skipped(status);
                _gaps.Observe(message.Topic, status.Sequence);
                _latestStatus = status;
                if (status.Health == "stopped") FinalStatus = status;
                break;
        }
    }

    /// <summary>Counts a message that arrived on <paramref name="topic"/> but could not be read.</summary>
    public void ObserveMalformed(string topic)
    {
        _receivedSinceSummary++;
        _malformed[topic] = _malformed.GetValueOrDefault(topic) + 1;
    }

    /// <summary>Messages of <paramref name="topic"/> lost on the bus (sequence gaps less the node's own skips).</summary>
    public long LostOnBus(string topic)
    {
        long gaps = _gaps.Missed(topic);
        if (topic == TopicRegistry.Status.Name) return gaps;
        long skipped = _latestStatus is null ? 0 : Skipped(_latestStatus) - (_skippedBaseline ?? Skipped(_latestStatus));
        return Math.Max(0, gaps - skipped);
    }

    /// <summary>
    /// The summary line, e.g. <c>summary: perception/lanes 9.9/s (99 total, 0 lost on the bus); ...; node skipped 2
    /// (dropped_stale 2, dropped_deadline 0), published invalid 1, corrupt 0; malformed 0</c>. Resets
    /// <see cref="ReceivedSinceSummary"/>.
    /// </summary>
    public string Summary(long nowMonoNs)
    {
        _receivedSinceSummary = 0;
        if (_totals.Count == 0 && _malformed.Count == 0)
            return "summary: no messages yet (is the node running and publishing on this endpoint?)";
        var line = new StringBuilder("summary: ");
        line.AppendJoin("; ", _totals.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv =>
            string.Create(Invariant, $"{kv.Key} {_rates.PerSecond(kv.Key, nowMonoNs):F1}/s ({kv.Value} total, {LostOnBus(kv.Key)} lost on the bus)")));
        if (_latestStatus is { Counters: var c })
            line.Append(Invariant, $"; node skipped {c.DroppedStale + c.DroppedDeadline} (dropped_stale {c.DroppedStale}, dropped_deadline {c.DroppedDeadline}), published invalid {c.PublishedInvalid}, corrupt {c.Corrupt}");
        else
            line.Append("; node skipped ? (no status yet)");
        line.Append(Invariant, $"; malformed {Malformed}");
        if (_malformed.Count > 0)
            line.Append(" (").AppendJoin(", ", _malformed.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}")).Append(')');
        return line.ToString();
    }

    private void Count(string topic, long nowMonoNs)
    {
        _receivedSinceSummary++;
        _rates.Record(topic, nowMonoNs);
        _totals[topic] = _totals.GetValueOrDefault(topic) + 1;
    }

    private static long Skipped(StatusMessage status) => status.Counters.DroppedStale + status.Counters.DroppedDeadline;
}
