using System.Buffers;
using System.Text;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using NetMQ;
using NetMQ.Sockets;

namespace DrivePerception.Transport;

/// <summary>
/// The node's ZeroMQ PUB socket. Each message goes out as two frames, <c>[topic][payload]</c>, the payload
/// MessagePack from <see cref="WireCodec"/>.
/// <para>
/// <b>Never blocks.</b> Every frame is handed over with a zero timeout. Past a subscriber's high-water mark
/// NetMQ's PUB drops further messages <i>for that subscriber only</i>, silently: the send still succeeds, so
/// <see cref="DroppedMessages"/> cannot see those drops (NetMQ 4.0.4.5 has no XPUB_NODROP). Subscribers see
/// them as gaps in the sequence numbers (<see cref="SequenceGapCounter"/>). <see cref="DroppedMessages"/>
/// counts what the socket itself refused.
/// </para>
/// <para>
/// <b>Thread safety.</b> NetMQ sockets are not thread-safe. Every public member may be called from any
/// thread: sends are serialised by one lock (a full memory barrier, which ZeroMQ requires when a socket
/// changes threads). The lock is held only to encode and hand two frames to the socket (no waiting on the
/// network), so the 1 Hz status thread cannot stall the pipeline thread for long. A lock was chosen over a
/// NetMQQueue and poller thread because the hand-over would add a thread hop to every frame's latency.
/// </para>
/// </summary>
public sealed class PerceptionPublisher : IDisposable
{
    private readonly object _sendLock = new();
    private readonly PublisherSocket _socket;

    // Owned by this publisher, reused for every message under _sendLock; its bytes are copied into a NetMQ
    // frame before the lock is released, so a queued message never points into it.
    private readonly ArrayBufferWriter<byte> _payload = new(64 * 1024);

    // Topic frames, encoded once. NetMQ reads them without copying (Msg.InitGC); they are never written.
    private readonly Dictionary<string, byte[]> _topicFrames;

    private long _published;
    private long _dropped;
    private long _publishedBytes;
    private bool _disposed;

    /// <summary>
    /// Binds a PUB socket. Throws <see cref="TransportEndpointException"/> when the endpoint is malformed or
    /// in use, <see cref="ArgumentOutOfRangeException"/> for other bad options; no socket is left open then.
    /// </summary>
    public PerceptionPublisher(PublisherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _topicFrames = TopicRegistry.All.ToDictionary(t => t.Name, t => Encoding.ASCII.GetBytes(t.Name));
        _socket = new PublisherSocket();
        try
        {
            _socket.Options.SendHighWatermark = options.SendHighWatermark;
            _socket.Options.Linger = options.Linger;
            if (options.CurveCertificate is { } certificate)
            {
                _socket.Options.CurveServer = true;
                _socket.Options.CurveCertificate = certificate;
            }
            _socket.Bind(options.Endpoint);
            Endpoint = _socket.Options.LastEndpoint ?? options.Endpoint;
        }
        catch (Exception e)
        {
            _socket.Dispose();
            throw EndpointFailure.ForBind(options.Endpoint, e);
        }
    }

    /// <summary>The endpoint actually bound (with the real port when port 0 or * was asked for).</summary>
    public string Endpoint { get; }

    /// <summary>Messages handed to the socket (each one reaches every subscriber that is below its high-water mark).</summary>
    public long PublishedMessages => Interlocked.Read(ref _published);

    /// <summary>Messages the socket refused without blocking. Stays 0 for drops past a subscriber's high-water mark: see the class remarks.</summary>
    public long DroppedMessages => Interlocked.Read(ref _dropped);

    /// <summary>Payload bytes handed to the socket (topic frames not counted).</summary>
    public long PublishedBytes => Interlocked.Read(ref _publishedBytes);

    /// <summary>
    /// Encodes <paramref name="message"/> and publishes it on <paramref name="topic"/>. <typeparamref name="T"/>
    /// must be the topic's payload type (the encoder writes the fields of <typeparamref name="T"/>, so a base
    /// type would lose fields). Returns false when the socket refused the message (counted in <see cref="DroppedMessages"/>).
    /// </summary>
    public bool Publish<T>(Topic topic, T message) where T : class
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(message);
        if (typeof(T) != topic.PayloadType)
            throw new ArgumentException(
                $"Topic {topic.Name} carries {topic.PayloadType.Name}, not {typeof(T).Name}. Pass a {topic.PayloadType.Name} typed as such.",
                nameof(message));
        lock (_sendLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _payload.ResetWrittenCount();
            WireCodec.Encode(_payload, message);
            return SendLocked(topic.Name, _payload.WrittenSpan);
        }
    }

    /// <summary>
    /// Publishes a payload already encoded with <see cref="WireCodec"/> (e.g. when the pipeline stamps the end of
    /// its encode stage before handing over). The bytes are copied before this returns; the caller keeps them.
    /// </summary>
    public bool PublishEncoded(Topic topic, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(topic);
        lock (_sendLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return SendLocked(topic.Name, payload);
        }
    }

    private bool SendLocked(string topicName, ReadOnlySpan<byte> payload)
    {
        if (!_topicFrames.TryGetValue(topicName, out var topicFrame))
            throw new ArgumentException($"Topic '{topicName}' is not in the topic registry. Valid topics: {string.Join(", ", _topicFrames.Keys)}.");

        var frame = new Msg();
        frame.InitGC(topicFrame, topicFrame.Length);
        if (!_socket.TrySend(ref frame, TimeSpan.Zero, more: true))
        {
            frame.Close();
            Interlocked.Increment(ref _dropped);
            return false;
        }
        frame.Close();

        // NetMQ takes ownership of a pooled frame; the copy is what lets _payload be reused at once.
        frame.InitPool(payload.Length);
        payload.CopyTo(frame);
        bool sent = _socket.TrySend(ref frame, TimeSpan.Zero, more: false);
        frame.Close();
        if (!sent)
            // ZeroMQ accepts the later parts of a message whose first part it took (atomic multipart);
            // reaching here would leave a half message on the socket, which no retry can repair.
            throw new InvalidOperationException($"The socket took the topic frame of {topicName} but refused its payload; the publisher is unusable.");
        Interlocked.Increment(ref _published);
        Interlocked.Add(ref _publishedBytes, payload.Length);
        return true;
    }

    /// <summary>Closes the socket; queued messages may leave for up to <see cref="PublisherOptions.Linger"/>.</summary>
    public void Dispose()
    {
        lock (_sendLock)
        {
            if (_disposed) return;
            _disposed = true;
            // Closing alone frees the endpoint later, on NetMQ's reaper thread; unbinding first frees it now,
            // so a publisher created right after (a restart in the same process) can bind it again.
            try
            {
                _socket.Unbind(Endpoint);
            }
            catch (NetMQException)
            {
                // Already unbound or the context is terminating: closing below is all that is left to do.
            }
            _socket.Dispose();
        }
    }
}
