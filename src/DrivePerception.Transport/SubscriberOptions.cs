using DrivePerception.Core.Topics;

namespace DrivePerception.Transport;

/// <summary>
/// Settings of <see cref="PerceptionSubscriber"/>. Defaults and ranges:
/// <list type="table">
/// <item><term>Endpoint</term><description><c>tcp://127.0.0.1:5556</c>; tcp://host:port, ipc:///path or inproc://name.</description></item>
/// <item><term>Topics</term><description>all topics of <see cref="TopicRegistry"/>; any non-empty subset.</description></item>
/// <item><term>ReceiveHighWatermark</term><description>1000 messages, 1..100000.</description></item>
/// <item><term>KeepLatest</term><description>false.</description></item>
/// </list>
/// </summary>
public sealed class SubscriberOptions
{
    /// <summary>Largest accepted <see cref="ReceiveHighWatermark"/>.</summary>
    public const int MaxHighWatermark = 100_000;

    /// <summary>The node's PUB endpoint.</summary>
    public string Endpoint { get; set; } = TransportEndpoint.DefaultPublish;

    /// <summary>Topic names to receive (exact names from <see cref="TopicRegistry"/>).</summary>
    public IReadOnlyList<string> Topics { get; set; } = TopicRegistry.All.Select(t => t.Name).ToList();

    /// <summary>
    /// Messages queued on this side before further ones are dropped (ZeroMQ drops the new ones, not the
    /// old). A planner that only wants the newest frame should set <see cref="KeepLatest"/> rather than
    /// shrink this.
    /// </summary>
    public int ReceiveHighWatermark { get; set; } = 1000;

    /// <summary>
    /// When true, every receive first drains what has arrived and hands out only the newest message per
    /// topic; the older ones are counted in <see cref="PerceptionSubscriber.SupersededMessages"/>. ZeroMQ's
    /// conflate option would do this but NetMQ lacks it.
    /// </summary>
    public bool KeepLatest { get; set; }

    /// <summary>
    /// The node's CURVE public key (32 bytes, <see cref="CurveKeyFile.LoadPublic"/>) when it serves encrypted
    /// (<c>--curve-key</c>); null: plain. The subscriber then encrypts with a key pair of its own made per connection
    /// and only talks to the node that holds the matching secret key. Against a node without CURVE, or with another
    /// key, nothing is received. docs/SECURITY.md.
    /// </summary>
    public byte[]? CurveServerKey { get; set; }

    /// <summary>Throws with the fix when a setting is out of range or a topic is unknown.</summary>
    public void Validate()
    {
        TransportEndpoint.Validate(Endpoint);
        if (Topics is null || Topics.Count == 0)
            throw new ArgumentException(
                $"Subscribe to at least one topic. Valid topics: {string.Join(", ", TopicRegistry.All.Select(t => t.Name))}.", nameof(Topics));
        foreach (var name in Topics) TopicRegistry.Get(name);
        if (CurveServerKey is not null && CurveServerKey.Length != 32)
            throw new ArgumentException($"A CURVE server key is 32 bytes, got {CurveServerKey.Length}: load it with CurveKeyFile.LoadPublic from the node's NAME.key.", nameof(CurveServerKey));
        if (ReceiveHighWatermark < 1 || ReceiveHighWatermark > MaxHighWatermark)
            throw new ArgumentOutOfRangeException(nameof(ReceiveHighWatermark), ReceiveHighWatermark,
                $"Receive high-water mark must be 1..{MaxHighWatermark} messages.");
    }
}
