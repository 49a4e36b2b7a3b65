using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Recording.Foxglove;
using DrivePerception.Recording.Mcap;

namespace DrivePerception.Recording.Drives;

/// <summary>
/// Reads a drive recording: its cameras, the frames of a camera in log-time order, and the wire messages of a topic
/// decoded with <see cref="WireCodec"/>. A complete file is streamed chunk by chunk. A file cut short (crash, full
/// disk, still recording) or damaged is read in recovery mode: everything up to the last complete record is kept
/// in memory and <see cref="Recovery"/> says what was lost.
/// </summary>
/// <remarks>Not thread-safe. Enumerate one sequence at a time (each enumeration reads the file afresh).</remarks>
public sealed class DriveReader : IDisposable
{
    private readonly McapReader _reader;
    // Set instead of streaming when the file needed recovery or has no summary: every message, in log-time order.
    private readonly McapReadResult? _scanned;
    private readonly IReadOnlyDictionary<string, McapChannel> _channels;

    private DriveReader(string path, McapReader reader, McapReadResult? scanned)
    {
        Path = path;
        _reader = reader;
        _scanned = scanned;
        var channels = scanned?.Channels.Values ?? reader.Summary!.Channels.Values;
        // A topic recorded on two channels (not written by DriveRecorder) keeps the first.
        _channels = channels.OrderBy(c => c.Id).GroupBy(c => c.Topic).ToDictionary(g => g.Key, g => g.First());
        Recovery = scanned is { Report.IsComplete: false } ? scanned.Report : null;
    }

    /// <summary>
    /// Opens a recording. A complete file opens at once; a file without footer or with damage is scanned in recovery
    /// mode (check <see cref="Recovery"/>).
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="DriveRecordingException">Not an MCAP file, or nothing in it can be read.</exception>
    public static DriveReader Open(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Recording '{path}' not found. Give the path of a .mcap drive, e.g. recordings/cruising.mcap.", path);
        McapReader? strict = null;
        try
        {
            strict = McapReader.Open(path);
            if (strict.Summary is not null) return new DriveReader(path, strict, null);
            // Written without a summary: one pass gives the channels and the messages.
            return new DriveReader(path, strict, strict.ReadAll());
        }
        catch (Exception e) when (e is McapFormatException or McapCrcException)
        {
            strict?.Dispose();
            return OpenRecovering(path, e);
        }
    }

    private static DriveReader OpenRecovering(string path, Exception strictError)
    {
        McapReader reader;
        try
        {
            reader = McapReader.Open(path, new McapReaderOptions { Recover = true });
        }
        catch (McapFormatException e)
        {
            throw new DriveRecordingException(path, $"'{path}' is not a readable MCAP recording: {e.Message}", e);
        }
        try
        {
            var scanned = reader.ReadAll();
            if (scanned.Messages.Count == 0 && scanned.Channels.Count == 0)
                throw new DriveRecordingException(path,
                    $"'{path}' holds nothing that can be recovered: {scanned.Report.Message} (strict reading said: {strictError.Message})");
            return new DriveReader(path, reader, scanned);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>What recovery found when the file was cut short or damaged; null for a complete file.</summary>
    public McapRecoveryReport? Recovery { get; }

    /// <summary>Channels of the recording by topic, sorted.</summary>
    public IReadOnlyList<McapChannel> Channels => _channels.Values.OrderBy(c => c.Topic, StringComparer.Ordinal).ToList();

    /// <summary>The recorded cameras, sorted by id.</summary>
    public IReadOnlyList<DriveCameraInfo> Cameras =>
        _channels.Values.Where(c => DriveChannels.CameraIdOf(c.Topic) is not null).Select(DriveCameraInfo.FromChannel)
            .OrderBy(c => c.CameraId, StringComparer.Ordinal).ToList();

    /// <summary>A one-line list of the channels, for error messages: "/camera/front/image (json), /perception/lanes (x-msgpack)".</summary>
    public string DescribeChannels() =>
        _channels.Count == 0 ? "no channels" : string.Join(", ", Channels.Select(c => $"{c.Topic} ({c.MessageEncoding})"));

    /// <summary>True when the recording has a channel on <paramref name="channelTopic"/>.</summary>
    public bool HasChannel(string channelTopic) => _channels.ContainsKey(channelTopic);

    /// <summary>True when the recording has the wire topic's channel.</summary>
    public bool HasChannel(Topic topic) => HasChannel(DriveChannels.ForWireTopic(topic));

    /// <summary>
    /// The cameras whose outputs were recorded on channels of their own (<c>/perception/lanes#rear</c>: a recording of
    /// several cameras), sorted; empty for a single-camera recording.
    /// </summary>
    public IReadOnlyList<string> OutputCameras =>
        _channels.Keys.Select(DriveChannels.OutputCameraOf).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The channel holding <paramref name="topic"/> for <paramref name="cameraId"/>: its own channel in a recording of
    /// several cameras; else the single-camera channel, which is every camera's when the recording has no per-camera
    /// channel of the topic (null <paramref name="cameraId"/>: the single-camera channel). Null when there is none.
    /// </summary>
    public string? OutputChannel(Topic topic, string? cameraId)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (cameraId is not null && _channels.ContainsKey(DriveChannels.ForWireTopic(topic, cameraId))) return DriveChannels.ForWireTopic(topic, cameraId);
        var plain = DriveChannels.ForWireTopic(topic);
        if (!_channels.ContainsKey(plain)) return null;
        bool perCamera = _channels.Keys.Any(k => DriveChannels.OutputCameraOf(k) is not null && DriveChannels.WireTopicOf(k) == topic);
        return cameraId is null || !perCamera ? plain : null;
    }

    /// <summary>True when the recording holds the wire topic for <paramref name="cameraId"/> (see <see cref="OutputChannel"/>).</summary>
    public bool HasChannel(Topic topic, string? cameraId) => OutputChannel(topic, cameraId) is not null;

    /// <summary>The camera <paramref name="cameraId"/>; throws listing the channels when the recording has no such camera.</summary>
    public DriveCameraInfo Camera(string cameraId) =>
        _channels.TryGetValue(DriveChannels.CameraImage(cameraId), out var channel)
            ? DriveCameraInfo.FromChannel(channel)
            : throw NoCamera(cameraId);

    /// <summary>Messages on a channel: from the summary's statistics, or counted when the file was scanned; null when unknown.</summary>
    public long? MessageCount(string channelTopic)
    {
        if (!_channels.TryGetValue(channelTopic, out var channel)) return 0;
        if (_scanned is not null) return _scanned.Messages.Count(m => m.Channel.Id == channel.Id);
        return _reader.Summary?.Statistics?.ChannelMessageCounts.TryGetValue(channel.Id, out var n) == true ? (long)n : null;
    }

    /// <summary>
    /// The frames of camera <paramref name="cameraId"/> in log-time order. A recorded message that is not a readable
    /// <c>foxglove.CompressedImage</c> comes back with <see cref="DriveFrame.Error"/> set, so the caller can count it as corrupt.
    /// </summary>
    public IEnumerable<DriveFrame> ReadFrames(string cameraId)
    {
        var topic = DriveChannels.CameraImage(cameraId);
        if (!_channels.ContainsKey(topic)) throw NoCamera(cameraId);
        return Frames(cameraId, topic);
    }

    private IEnumerable<DriveFrame> Frames(string cameraId, string topic)
    {
        foreach (var m in Raw(topic))
        {
            FoxgloveCompressedImage? image = null;
            string? error = null;
            try
            {
                image = FoxgloveCompressedImage.FromJson(m.Data.Span);
            }
            catch (FormatException e)
            {
                error = $"frame {m.Sequence} at log time {m.LogTime} ns is not a readable image message: {e.Message}";
            }
            yield return image is null
                ? new DriveFrame(cameraId, m.Sequence, (long)m.LogTime, (long)m.PublishTime, "", ReadOnlyMemory<byte>.Empty, error)
                : new DriveFrame(cameraId, m.Sequence, (long)m.LogTime, (long)m.PublishTime, image.Format, image.Data);
        }
    }

    /// <summary>
    /// The messages of a wire topic in log-time order, decoded. <typeparamref name="T"/> must be the topic's payload type.
    /// </summary>
    /// <exception cref="DriveRecordingException">The recording has no channel for the topic, or it was recorded with another encoding.</exception>
    /// <exception cref="InvalidDataException">A payload does not decode (named by sequence and log time).</exception>
    public IEnumerable<DriveMessage<T>> ReadMessages<T>(Topic topic) => ReadMessages<T>(topic, null);

    /// <summary>
    /// The messages of a wire topic about camera <paramref name="cameraId"/> in log-time order, decoded: its own channel in
    /// a recording of several cameras, else the single-camera channel (<see cref="OutputChannel"/>).
    /// </summary>
    /// <exception cref="DriveRecordingException">The recording has no channel for the topic and camera, or it was recorded with another encoding.</exception>
    public IEnumerable<DriveMessage<T>> ReadMessages<T>(Topic topic, string? cameraId)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (topic.PayloadType != typeof(T))
            throw new ArgumentException($"Topic '{topic.Name}' carries {topic.PayloadType.Name}; read it as ReadMessages<{topic.PayloadType.Name}>.");
        var name = OutputChannel(topic, cameraId) ?? DriveChannels.ForWireTopic(topic, cameraId);
        if (!_channels.TryGetValue(name, out var channel))
            throw new DriveRecordingException(Path, $"'{Path}' has no channel {name}. Channels found: {DescribeChannels()}.");
        if (channel.MessageEncoding != McapEncodings.MessagePack)
            throw new DriveRecordingException(Path, $"Channel {name} of '{Path}' has encoding '{channel.MessageEncoding}', not {McapEncodings.MessagePack}: it was not written by a drive recorder.");
        return Decoded<T>(topic, name);
    }

    private IEnumerable<DriveMessage<T>> Decoded<T>(Topic topic, string name)
    {
        foreach (var m in Raw(name))
        {
            T message;
            try
            {
                message = WireCodec.Decode<T>(m.Data);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"'{Path}' {name} message {m.Sequence} at log time {m.LogTime} ns: {e.Message}", e);
            }
            yield return new DriveMessage<T>(topic, m.Sequence, (long)m.LogTime, (long)m.PublishTime, message);
        }
    }

    /// <summary>The raw messages of some channels in log-time order (ground truth, overlay).</summary>
    public IEnumerable<McapMessage> ReadRaw(params string[] channelTopics) => Raw(channelTopics);

    private IEnumerable<McapMessage> Raw(params string[] topics) =>
        _scanned is not null
            ? _scanned.Messages.Where(m => topics.Contains(m.Channel.Topic))
            : _reader.ReadMessages(McapMessageOrder.LogTime, topics);

    private DriveRecordingException NoCamera(string cameraId)
    {
        var cameras = Cameras.Select(c => c.CameraId).ToList();
        var hint = cameras.Count > 0
            ? $"It records camera(s) {string.Join(", ", cameras)}."
            : "It records no camera at all: record a drive with `drive-perception record`, or add one with DriveRecorder.AddCamera.";
        return new DriveRecordingException(Path,
            $"'{Path}' has no camera channel {DriveChannels.CameraImage(cameraId)}. {hint} Channels found: {DescribeChannels()}.");
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _reader.Dispose();
}
