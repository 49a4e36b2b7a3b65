using System.Buffers;
using DrivePerception.Core.Frames;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Recording.Foxglove;
using DrivePerception.Recording.Mcap;

namespace DrivePerception.Recording.Drives;

/// <summary>
/// Writes a drive recording (MCAP, channels from <see cref="DriveChannels"/>): camera frames, the node's wire
/// messages, the Foxglove overlay, and any ground-truth channels a producer adds.
/// <code>
/// using var drive = DriveRecorder.Create("recordings/cruising.mcap");
/// drive.AddCamera(new DriveCameraInfo("front", Fps: 15, Width: 1280, Height: 720));
/// drive.WriteFrame("front", seq, timeNs, jpegBytes);                       // /camera/front/image
/// drive.WriteMessage(TopicRegistry.Lanes, seq, timeNs, wirePayload);       // /perception/lanes (x-msgpack), exact bytes
/// drive.WriteWireMessage(TopicRegistry.Vehicles, seq, timeNs, vehicles);   // or a message, encoded with WireCodec
/// drive.WriteOverlay(seq, timeNs, DriveOverlay.Build(timeNs, lanes, vehicles, pedestrians));
/// drive.AddChannel(DriveChannels.GroundTruth("lanes"), "json");            // then drive.Write("/groundtruth/lanes", ...)
/// </code>
/// Times are nanoseconds on one clock for the whole recording (the node uses UTC); give a frame and every message
/// about it the same time, which is how replay, regression and Foxglove pair them. Sequence numbers are frame ids.
/// </summary>
/// <remarks>Not thread-safe: one thread writes (the node's recorder thread). Dispose closes the file (summary and footer).</remarks>
public sealed class DriveRecorder : IDisposable
{
    private readonly McapWriter _writer;
    private readonly Dictionary<string, (ushort Channel, DriveCameraInfo Info)> _cameras = [];
    private readonly Dictionary<string, ushort> _channels = [];
    // Reused for every image's JSON; owned by this recorder, written and copied by the writer within one call.
    private readonly ArrayBufferWriter<byte> _json = new(256 * 1024);
    private ushort _imageSchema;
    private ushort _overlaySchema;

    /// <summary>Starts a recording on <paramref name="stream"/>; <paramref name="options"/> default to zstd, 1 MiB chunks, profile <see cref="DriveChannels.Profile"/>.</summary>
    public DriveRecorder(Stream stream, McapWriterOptions? options = null, bool leaveOpen = false)
    {
        _writer = new McapWriter(stream, options ?? new McapWriterOptions { Profile = DriveChannels.Profile }, leaveOpen);
    }

    /// <summary>Creates (or overwrites) the recording at <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The file cannot be created (missing folder, no permission); the message names it.</exception>
    public static DriveRecorder Create(string path, McapWriterOptions? options = null)
    {
        var full = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Cannot record to '{path}': folder '{folder}' does not exist. Create it first.");
        var stream = new FileStream(full, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            return new DriveRecorder(stream, options) { Path = full };
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The file written, or null when recording to a caller's stream.</summary>
    public string? Path { get; private init; }

    /// <summary>Camera frames written.</summary>
    public long FramesWritten { get; private set; }

    /// <summary>Messages written on all channels, frames included.</summary>
    public long MessagesWritten => (long)_writer.MessageCount;

    /// <summary>Bytes written to the file so far (the open chunk not included).</summary>
    public long BytesWritten => _writer.BytesWritten;

    /// <summary>The cameras added so far.</summary>
    public IReadOnlyCollection<DriveCameraInfo> Cameras => _cameras.Values.Select(c => c.Info).ToList();

    /// <summary>Declares a camera and writes its image channel, with fps, size and format as channel metadata. Call once per camera before its first frame.</summary>
    /// <exception cref="ArgumentException">The info is invalid, or the camera was already added.</exception>
    public void AddCamera(DriveCameraInfo camera)
    {
        ArgumentNullException.ThrowIfNull(camera);
        camera.Validate();
        if (_cameras.ContainsKey(camera.CameraId))
            throw new ArgumentException($"Camera '{camera.CameraId}' was already added to this recording; add each camera once.");
        if (_imageSchema == 0) _imageSchema = _writer.RegisterCompressedImageSchema();
        var channel = _writer.RegisterChannel(DriveChannels.CameraImage(camera.CameraId), McapEncodings.Json, _imageSchema, camera.ToMetadata());
        _cameras.Add(camera.CameraId, (channel, camera));
    }

    /// <summary>True when <paramref name="cameraId"/> was added.</summary>
    public bool HasCamera(string cameraId) => _cameras.ContainsKey(cameraId);

    /// <summary>Writes one encoded frame (JPEG unless the camera was added with another format) as a <c>foxglove.CompressedImage</c>.</summary>
    /// <param name="cameraId">A camera added with <see cref="AddCamera"/>.</param>
    /// <param name="seq">Frame sequence number (0-based, at most 2^32-1).</param>
    /// <param name="timeNs">Capture time, ns (log time and the image's timestamp).</param>
    /// <param name="image">The encoded image; read during the call only (the caller keeps ownership).</param>
    /// <param name="publishTimeNs">When it was recorded; the current UTC time when negative.</param>
    public void WriteFrame(string cameraId, long seq, long timeNs, ReadOnlyMemory<byte> image, long publishTimeNs = -1)
    {
        if (!_cameras.TryGetValue(cameraId, out var camera))
            throw new ArgumentException($"Camera '{cameraId}' was not added; call AddCamera(new DriveCameraInfo(\"{cameraId}\", fps, width, height)) before its first frame.");
        if (image.IsEmpty) throw new ArgumentException($"Frame {seq} of camera '{cameraId}' has no image bytes; a frame that failed to encode must not be recorded as empty.");
        _json.ResetWrittenCount();
        new FoxgloveCompressedImage(Time(timeNs, "timeNs"), DriveChannels.FrameId(cameraId), camera.Info.Format, image).WriteJson(_json);
        _writer.Write(camera.Channel, Sequence(seq), Time(timeNs, "timeNs"), PublishTime(publishTimeNs), _json.WrittenSpan);
        FramesWritten++;
    }

    /// <summary>Writes a wire payload exactly as the node publishes it (MessagePack), on the topic's channel (created on first use).</summary>
    /// <param name="topic">A topic of <see cref="TopicRegistry"/>.</param>
    /// <param name="seq">Frame sequence number (status: heartbeat number).</param>
    /// <param name="timeNs">Capture time of the frame the message is about, ns (status: publish time on the same clock).</param>
    /// <param name="payload">The MessagePack bytes from <see cref="WireCodec"/>; copied.</param>
    /// <param name="publishTimeNs">When the node published it; the current UTC time when negative.</param>
    /// <param name="cameraId">A recording of several cameras: the camera the message is about, whose outputs go on a channel of
    /// their own (<c>/perception/lanes#rear</c>, <see cref="DriveChannels.ForWireTopic(Topic, string?)"/>). Null: the single-camera channel.</param>
    public void WriteMessage(Topic topic, long seq, long timeNs, ReadOnlySpan<byte> payload, long publishTimeNs = -1, string? cameraId = null)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (!TopicRegistry.All.Contains(topic))
            throw new ArgumentException($"Topic '{topic.Name}' is not a wire topic. Valid topics: {string.Join(", ", TopicRegistry.All.Select(t => t.Name))}.");
        var name = DriveChannels.ForWireTopic(topic, cameraId);
        if (!_channels.TryGetValue(name, out var channel))
        {
            var schema = _writer.RegisterSchema(DriveChannels.SchemaName(topic.PayloadType), McapEncodings.NoSchemaText, []);
            var metadata = new Dictionary<string, string> { [DriveChannels.SchemaVersionKey] = WireSchema.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            if (cameraId is not null) metadata[DriveChannels.CameraIdKey] = cameraId;
            channel = _writer.RegisterChannel(name, McapEncodings.MessagePack, schema, metadata);
            _channels.Add(name, channel);
        }
        _writer.Write(channel, Sequence(seq), Time(timeNs, "timeNs"), PublishTime(publishTimeNs), payload);
    }

    /// <summary>Encodes <paramref name="message"/> with <see cref="WireCodec"/> and writes it (for producers that hold messages, not payloads).</summary>
    public void WriteWireMessage<T>(Topic topic, long seq, long timeNs, T message, long publishTimeNs = -1, string? cameraId = null) where T : class
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (typeof(T) != topic.PayloadType)
            throw new ArgumentException($"Topic '{topic.Name}' carries {topic.PayloadType.Name}, not {typeof(T).Name}.");
        WriteMessage(topic, seq, timeNs, WireCodec.Encode(message), publishTimeNs, cameraId);
    }

    /// <summary>
    /// Writes the Foxglove annotations of one frame on <see cref="DriveChannels.Overlay"/> (or, with <paramref name="cameraId"/>,
    /// on that camera's <c>/perception/overlay#id</c>); give it the frame's time.
    /// </summary>
    public void WriteOverlay(long seq, long timeNs, FoxgloveImageAnnotations overlay, long publishTimeNs = -1, string? cameraId = null)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        var name = DriveChannels.OverlayOf(cameraId);
        if (!_channels.TryGetValue(name, out var channel))
        {
            if (_overlaySchema == 0) _overlaySchema = _writer.RegisterImageAnnotationsSchema();
            channel = _writer.RegisterChannel(name, McapEncodings.Json, _overlaySchema,
                cameraId is null ? null : new Dictionary<string, string> { [DriveChannels.CameraIdKey] = cameraId });
            _channels.Add(name, channel);
        }
        _json.ResetWrittenCount();
        overlay.WriteJson(_json);
        _writer.Write(channel, Sequence(seq), Time(timeNs, "timeNs"), PublishTime(publishTimeNs), _json.WrittenSpan);
    }

    /// <summary>
    /// Adds a channel of the producer's own, e.g. ground truth on <see cref="DriveChannels.GroundTruth"/>. Give a schema
    /// name and text for self-describing tools (for Foxglove's panels use <see cref="FoxgloveSchemas"/>' names and texts),
    /// or none. The node's own channels (cameras, perception, overlay) are refused: use the methods above.
    /// </summary>
    /// <param name="topic">Channel topic, e.g. "/groundtruth/lanes".</param>
    /// <param name="messageEncoding">"json", <see cref="McapEncodings.MessagePack"/>, ...</param>
    /// <param name="schemaName">Schema name, or null for no schema.</param>
    /// <param name="schemaEncoding">"jsonschema", "" (named type without text), ...</param>
    /// <param name="schemaText">The schema text in <paramref name="schemaEncoding"/>.</param>
    /// <param name="metadata">Channel metadata.</param>
    public void AddChannel(string topic, string messageEncoding, string? schemaName = null, string schemaEncoding = "",
        ReadOnlySpan<byte> schemaText = default, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        if (DriveChannels.IsReserved(topic))
            throw new ArgumentException($"Channel '{topic}' is one the recorder writes itself; use AddCamera/WriteFrame, WriteMessage or WriteOverlay for it, or pick a name under {DriveChannels.GroundTruthPrefix}.");
        if (_channels.ContainsKey(topic))
            throw new ArgumentException($"Channel '{topic}' was already added to this recording.");
        ushort schema = schemaName is null ? (ushort)0 : _writer.RegisterSchema(schemaName, schemaEncoding, schemaText);
        _channels.Add(topic, _writer.RegisterChannel(topic, messageEncoding, schema, metadata));
    }

    /// <summary>Writes a message on a channel added with <see cref="AddChannel"/>.</summary>
    public void Write(string topic, long seq, long timeNs, ReadOnlySpan<byte> payload, long publishTimeNs = -1)
    {
        if (!_channels.TryGetValue(topic, out var channel) || DriveChannels.IsReserved(topic))
            throw new ArgumentException($"Channel '{topic}' was not added; call AddChannel(\"{topic}\", encoding, ...) first.");
        _writer.Write(channel, Sequence(seq), Time(timeNs, "timeNs"), PublishTime(publishTimeNs), payload);
    }

    /// <summary>Writes the open chunk and flushes: what was written so far survives a crash.</summary>
    public void Flush() => _writer.Flush();

    /// <summary>Closes the recording: last chunk, summary, footer.</summary>
    public void Dispose() => _writer.Dispose();

    private static uint Sequence(long seq) =>
        seq is >= 0 and <= uint.MaxValue ? (uint)seq : throw new ArgumentOutOfRangeException(nameof(seq), $"Sequence {seq} must be 0..{uint.MaxValue} (MCAP stores 32 bits).");

    private static ulong Time(long ns, string name) =>
        ns >= 0 ? (ulong)ns : throw new ArgumentOutOfRangeException(name, $"Time {ns} ns is negative; recordings use ns since the Unix epoch (or another non-negative clock).");

    private static ulong PublishTime(long ns) => ns >= 0 ? (ulong)ns : (ulong)MonotonicClock.UtcNowNs();
}
