using DrivePerception.Core.Topics;

namespace DrivePerception.Recording.Drives;

/// <summary>
/// The channels of a drive recording, declared once. Every recording the node or <c>synth</c> writes uses
/// these names, so replay, regression and Foxglove layouts find them:
/// <list type="table">
/// <item><term><c>/camera/&lt;id&gt;/image</c></term><description><c>foxglove.CompressedImage</c> (JSON, JPEG or PNG bytes); channel metadata: fps, width, height, format.</description></item>
/// <item><term><c>/perception/lanes</c>, <c>/vehicles</c>, <c>/pedestrians</c>, <c>/classmap</c>, <c>/status</c></term><description>the exact MessagePack wire payloads (encoding <c>x-msgpack</c>), schema named <c>drive_perception.&lt;Type&gt;</c>, metadata schema_version.</description></item>
/// <item><term><c>/perception/overlay</c></term><description><c>foxglove.ImageAnnotations</c>: lane polylines, instance boxes and labels, stamped like the frame.</description></item>
/// <item><term><c>/perception/lanes#&lt;id&gt;</c>, <c>/perception/overlay#&lt;id&gt;</c>, ...</term><description>a recording of several cameras: each camera's outputs and overlay on channels of their own, the camera id after <c>#</c>; metadata camera_id.</description></item>
/// <item><term><c>/groundtruth/&lt;name&gt;</c></term><description>reserved for ground truth (synthetic drives); any encoding, added with <see cref="DriveRecorder.AddChannel"/>.</description></item>
/// </list>
/// </summary>
public static class DriveChannels
{
    /// <summary>MCAP Header profile of drive recordings.</summary>
    public const string Profile = "x-drive-perception";

    /// <summary>Prefix of camera image channels.</summary>
    public const string CameraPrefix = "/camera/";

    /// <summary>Suffix of camera image channels.</summary>
    public const string ImageSuffix = "/image";

    /// <summary>Foxglove annotations drawn over the camera frames.</summary>
    public const string Overlay = "/perception/overlay";

    /// <summary>Separates a per-camera output channel from its camera id: <c>/perception/lanes#rear</c>.</summary>
    public const char CameraSeparator = '#';

    /// <summary>Channel metadata key of the camera a per-camera output channel is about.</summary>
    public const string CameraIdKey = "camera_id";

    /// <summary>Prefix of ground-truth channels (synthetic drives).</summary>
    public const string GroundTruthPrefix = "/groundtruth/";

    /// <summary>Prefix of the schema names of wire payloads: <c>drive_perception.LaneMessage</c>.</summary>
    public const string WireSchemaPrefix = "drive_perception.";

    /// <summary>Channel metadata key of the wire schema version.</summary>
    public const string SchemaVersionKey = "schema_version";

    /// <summary>The image channel of camera <paramref name="cameraId"/>: <c>/camera/front/image</c>.</summary>
    /// <exception cref="ArgumentException">The id is empty or holds '/', '#' or white space.</exception>
    public static string CameraImage(string cameraId)
    {
        ValidateName(cameraId, "Camera id");
        return CameraPrefix + cameraId + ImageSuffix;
    }

    /// <summary>The camera id of an image channel, or null when <paramref name="topic"/> is not one.</summary>
    public static string? CameraIdOf(string topic)
    {
        if (!topic.StartsWith(CameraPrefix, StringComparison.Ordinal) || !topic.EndsWith(ImageSuffix, StringComparison.Ordinal)) return null;
        var id = topic[CameraPrefix.Length..^ImageSuffix.Length];
        return id.Length > 0 && !id.Contains('/') ? id : null;
    }

    /// <summary>The channel of a wire topic: <c>perception/lanes</c> is recorded on <c>/perception/lanes</c>.</summary>
    public static string ForWireTopic(Topic topic) => "/" + topic.Name;

    /// <summary>
    /// The channel of a wire topic for one camera of a multi-camera recording: <c>/perception/lanes#rear</c>; with
    /// <paramref name="cameraId"/> null, the single-camera channel <c>/perception/lanes</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The id is empty or holds '/', '#' or white space.</exception>
    public static string ForWireTopic(Topic topic, string? cameraId) => ForCamera(ForWireTopic(topic), cameraId);

    /// <summary>The overlay channel of one camera (<c>/perception/overlay#rear</c>), or <see cref="Overlay"/> when <paramref name="cameraId"/> is null.</summary>
    public static string OverlayOf(string? cameraId) => ForCamera(Overlay, cameraId);

    /// <summary>The wire topic recorded on <paramref name="channelTopic"/> (per-camera or not), or null when it carries none.</summary>
    public static Topic? WireTopicOf(string channelTopic)
    {
        var plain = Unsuffixed(channelTopic);
        return TopicRegistry.All.FirstOrDefault(t => ForWireTopic(t) == plain);
    }

    /// <summary>The camera id after '#' of a per-camera output channel, or null for any other channel.</summary>
    public static string? OutputCameraOf(string channelTopic)
    {
        int hash = channelTopic.LastIndexOf(CameraSeparator);
        if (hash <= 0 || hash == channelTopic.Length - 1) return null;
        var plain = channelTopic[..hash];
        return plain == Overlay || TopicRegistry.All.Any(t => ForWireTopic(t) == plain) ? channelTopic[(hash + 1)..] : null;
    }

    private static string ForCamera(string channel, string? cameraId)
    {
        if (cameraId is null) return channel;
        ValidateName(cameraId, "Camera id");
        return channel + CameraSeparator + cameraId;
    }

    private static string Unsuffixed(string channelTopic) =>
        OutputCameraOf(channelTopic) is not null ? channelTopic[..channelTopic.LastIndexOf(CameraSeparator)] : channelTopic;

    /// <summary>Schema name of a wire payload type: <c>drive_perception.LaneMessage</c>.</summary>
    public static string SchemaName(Type payloadType) => WireSchemaPrefix + payloadType.Name;

    /// <summary>The Foxglove frame id of camera <paramref name="cameraId"/>: <c>camera_front</c>.</summary>
    public static string FrameId(string cameraId) => "camera_" + cameraId;

    /// <summary>A ground-truth channel: <c>/groundtruth/&lt;name&gt;</c>, e.g. <c>/groundtruth/lanes</c>.</summary>
    public static string GroundTruth(string name)
    {
        ValidateName(name, "Ground-truth channel name");
        return GroundTruthPrefix + name;
    }

    /// <summary>True for the channels the node itself writes (cameras, perception outputs, overlay).</summary>
    public static bool IsReserved(string topic) =>
        CameraIdOf(topic) is not null || Unsuffixed(topic) == Overlay || WireTopicOf(topic) is not null;

    private static void ValidateName(string name, string what)
    {
        if (string.IsNullOrEmpty(name) || name.Any(c => c is '/' or '#' || char.IsWhiteSpace(c)))
            throw new ArgumentException($"{what} '{name}' must be a non-empty name without '/', '#' or white space, e.g. 'front'.");
    }
}
