using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using DrivePerception.Core.Frames;
using NetMQ;
using NetMQ.Sockets;

namespace DrivePerception.Transport;

/// <summary>
/// A planner's connection to the node: a SUB socket on the chosen topics that hands out
/// <see cref="ReceivedMessage"/>s. Topic filtering is exact (ZeroMQ's own filter matches prefixes).
/// <para>
/// ZeroMQ connects in the background and reconnects by itself; messages published before the connection
/// and subscription are in place are not delivered (the "slow joiner"). Not thread-safe: use one
/// subscriber per thread.
/// </para>
/// </summary>
public sealed class PerceptionSubscriber : IDisposable
{
    // A keep-latest receive stops draining after this many messages, so a publisher faster than this
    // reader cannot keep one call from returning.
    private const int DrainLimit = 4096;

    private readonly SubscriberSocket _socket;
    private readonly (byte[] Frame, string Name)[] _topics;
    private readonly LatestPerTopic? _latest;

    private long _received;
    private long _superseded;
    private long _ignored;
    private long _malformed;

    /// <summary>
    /// Connects and subscribes. Throws <see cref="TransportEndpointException"/> for a malformed endpoint (or an
    /// inproc name nobody bound), <see cref="ArgumentException"/> for unknown topics; no socket is left open then.
    /// </summary>
    public PerceptionSubscriber(SubscriberOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _topics = options.Topics.Distinct().Select(n => (Encoding.ASCII.GetBytes(n), n)).ToArray();
        _latest = options.KeepLatest ? new LatestPerTopic() : null;
        _socket = new SubscriberSocket();
        try
        {
            _socket.Options.ReceiveHighWatermark = options.ReceiveHighWatermark;
            _socket.Options.Linger = TimeSpan.Zero;
            if (options.CurveServerKey is { } serverKey)
            {
                // The client's own pair only encrypts this connection; the node cannot check it (NetMQ has no ZAP).
                _socket.Options.CurveCertificate = new NetMQCertificate();
                _socket.Options.CurveServerKey = serverKey;
            }
            _socket.Connect(options.Endpoint);
        }
        catch (Exception e)
        {
            _socket.Dispose();
            throw EndpointFailure.ForConnect(options.Endpoint, e);
        }
        foreach (var (frame, _) in _topics) _socket.Subscribe(frame);
        Endpoint = options.Endpoint;
    }

    /// <summary>The endpoint connected to.</summary>
    public string Endpoint { get; }

    /// <summary>The topics subscribed to.</summary>
    public IReadOnlyList<string> Topics => _topics.Select(t => t.Name).ToList();

    /// <summary>Messages taken off the socket on the subscribed topics (including those later superseded).</summary>
    public long ReceivedMessages => _received;

    /// <summary>Keep-latest mode: messages replaced by a newer one of the same topic before they were handed out.</summary>
    public long SupersededMessages => _superseded;

    /// <summary>
    /// Messages on a subscribed topic that were not <c>[topic][payload]</c> (one frame, three or more): each was
    /// reported by a <see cref="PayloadDecodeException"/> from <see cref="TryReceive"/>, and skipped. Payloads that do
    /// not decode are found later, by <see cref="ReceivedMessage.Decode"/>, and are not counted here.
    /// </summary>
    public long MalformedMessages => Interlocked.Read(ref _malformed);

    /// <summary>Messages whose topic only shared a prefix with a subscribed one (ZeroMQ filters by prefix); skipped.</summary>
    public long IgnoredMessages => _ignored;

    /// <summary>
    /// Waits up to <paramref name="timeout"/> (<see cref="Timeout.InfiniteTimeSpan"/>: forever) for a message.
    /// Returns false when none came. In keep-latest mode, first drains everything already received and returns
    /// the oldest of the newest-per-topic messages. Throws <see cref="PayloadDecodeException"/> for a message
    /// that is not <c>[topic][payload]</c>; the subscriber stays usable. Payloads are decoded later, by
    /// <see cref="ReceivedMessage.As{T}"/>.
    /// </summary>
    public bool TryReceive(TimeSpan timeout, [MaybeNullWhen(false)] out ReceivedMessage message)
    {
        if (_latest is null) return TryReceiveOne(timeout, out message);

        DrainInto(_latest);
        if (_latest.TryTake(out message)) return true;
        if (!TryReceiveOne(timeout, out var first)) return false;
        _latest.Put(first);
        DrainInto(_latest);
        return _latest.TryTake(out message);
    }

    private void DrainInto(LatestPerTopic latest)
    {
        for (int i = 0; i < DrainLimit && TryReceiveOne(TimeSpan.Zero, out var next); i++)
            if (latest.Put(next)) _superseded++;
    }

    private bool TryReceiveOne(TimeSpan timeout, [MaybeNullWhen(false)] out ReceivedMessage message)
    {
        message = null;
        bool infinite = timeout == Timeout.InfiniteTimeSpan;
        var clock = Stopwatch.StartNew();
        var frame = new Msg();
        frame.InitEmpty();
        try
        {
            while (true)
            {
                var left = infinite ? Timeout.InfiniteTimeSpan : timeout - clock.Elapsed;
                if (!infinite && left < TimeSpan.Zero) left = TimeSpan.Zero;
                if (!_socket.TryReceive(ref frame, left)) return false;
                ReceivedMessage? received;
                try
                {
                    received = ReadMessage(ref frame);
                }
                catch (PayloadDecodeException)
                {
                    Interlocked.Increment(ref _malformed);
                    throw;
                }
                if (received is not null)
                {
                    _received++;
                    message = received;
                    return true;
                }
                _ignored++;
                if (!infinite && clock.Elapsed >= timeout) return false;
            }
        }
        finally
        {
            frame.Close();
        }
    }

    // Reads the rest of a message whose first frame is in `frame`. Returns null for a topic that only
    // shares a prefix with a subscribed one.
    private ReceivedMessage? ReadMessage(ref Msg frame)
    {
        var name = MatchTopic(frame);
        if (!frame.HasMore)
        {
            if (name is null) return null;
            throw new PayloadDecodeException(name, $"Message on {name} has a single frame; the wire format is [topic][payload] (docs/WIRE.md).");
        }
        // The later parts of a message arrive together with its first part (atomic multipart), so no wait.
        if (!_socket.TryReceive(ref frame, TimeSpan.Zero))
            throw new PayloadDecodeException(name ?? "?", $"Message on {name} lost its payload frame after the topic frame.");
        if (name is null)
        {
            SkipRemainingFrames(ref frame);
            return null;
        }
        var payload = ((ReadOnlySpan<byte>)frame).ToArray();
        if (frame.HasMore)
        {
            int extra = SkipRemainingFrames(ref frame);
            throw new PayloadDecodeException(name, $"Message on {name} has {2 + extra} frames; the wire format is [topic][payload] (docs/WIRE.md).");
        }
        return new ReceivedMessage(name, payload, MonotonicClock.NowNs());
    }

    private string? MatchTopic(Msg frame)
    {
        ReadOnlySpan<byte> bytes = frame;
        foreach (var (topicFrame, name) in _topics)
            if (bytes.SequenceEqual(topicFrame)) return name;
        return null;
    }

    private int SkipRemainingFrames(ref Msg frame)
    {
        int skipped = 0;
        while (frame.HasMore && _socket.TryReceive(ref frame, TimeSpan.Zero)) skipped++;
        return skipped;
    }

    /// <summary>Closes the socket; messages not yet received are discarded.</summary>
    public void Dispose() => _socket.Dispose();
}
