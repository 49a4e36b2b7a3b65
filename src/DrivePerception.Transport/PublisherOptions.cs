namespace DrivePerception.Transport;

/// <summary>
/// Settings of <see cref="PerceptionPublisher"/>. Defaults and ranges:
/// <list type="table">
/// <item><term>Endpoint</term><description><c>tcp://127.0.0.1:5556</c>; tcp://host:port, ipc:///path or inproc://name; port 0 or * binds a free port.</description></item>
/// <item><term>SendHighWatermark</term><description>64 messages per subscriber, 1..100000.</description></item>
/// <item><term>Linger</term><description>100 ms, 0..5 s.</description></item>
/// </list>
/// </summary>
public sealed class PublisherOptions
{
    /// <summary>Largest accepted <see cref="SendHighWatermark"/>.</summary>
    public const int MaxHighWatermark = 100_000;

    /// <summary>Largest accepted <see cref="Linger"/>.</summary>
    public static readonly TimeSpan MaxLinger = TimeSpan.FromSeconds(5);

    /// <summary>Where the PUB socket binds.</summary>
    public string Endpoint { get; set; } = TransportEndpoint.DefaultPublish;

    /// <summary>
    /// Messages queued per subscriber before NetMQ drops further ones for that subscriber. Small on
    /// purpose: a planner wants the newest frame, not a backlog, and a dead subscriber must not grow the
    /// node's memory. 0 (unlimited in ZeroMQ) is refused for that reason.
    /// </summary>
    public int SendHighWatermark { get; set; } = DefaultSendHighWatermark;

    /// <summary>The default <see cref="SendHighWatermark"/>: messages a single-camera node queues per subscriber.</summary>
    public const int DefaultSendHighWatermark = 64;

    /// <summary>
    /// How long queued messages may still leave after <see cref="PerceptionPublisher.Dispose"/>: long enough
    /// for the final "stopped" status to go out, short enough that a stuck subscriber cannot hold the exit.
    /// </summary>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The node's CURVE certificate (public and secret key, <see cref="CurveKeyFile.LoadSecret"/>); null: no
    /// encryption. With it the socket is a CURVE server: every message is encrypted, and only subscribers that
    /// were given the node's public key can connect (they also know it is this node). docs/SECURITY.md.
    /// </summary>
    public NetMQ.NetMQCertificate? CurveCertificate { get; set; }

    /// <summary>Throws with the fix when a setting is out of range; the endpoint through <see cref="TransportEndpoint.Validate"/>.</summary>
    public void Validate()
    {
        TransportEndpoint.Validate(Endpoint);
        if (SendHighWatermark < 1 || SendHighWatermark > MaxHighWatermark)
            throw new ArgumentOutOfRangeException(nameof(SendHighWatermark), SendHighWatermark,
                $"Send high-water mark must be 1..{MaxHighWatermark} messages (0 would mean unlimited: a stuck subscriber could grow the node's memory without bound).");
        if (CurveCertificate is { HasSecretKey: false })
            throw new ArgumentException("The CURVE certificate of a publisher needs its secret key: load the NAME.key_secret file.", nameof(CurveCertificate));
        if (Linger < TimeSpan.Zero || Linger > MaxLinger)
            throw new ArgumentOutOfRangeException(nameof(Linger), Linger,
                $"Linger must be between 0 and {MaxLinger.TotalSeconds} s.");
    }
}
