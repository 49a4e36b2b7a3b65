using DrivePerception.Core.Frames;
using DrivePerception.Node.Hosting;
using DrivePerception.Recording.Drives;
using DrivePerception.Recording.Mcap;
using DrivePerception.Vision.Sources;
using OpenCvSharp;
using Microsoft.Extensions.Logging;
using DrivePerception.Node.Logging;

namespace DrivePerception.Node.Recording;

/// <summary>
/// Frames from a drive recording's camera channel (<c>/camera/&lt;id&gt;/image</c>), decoded with OpenCV. Source time is the
/// frame's log time, so the outputs of a replay carry the drive's own times. A frame that does not decode is reported
/// as <see cref="FrameReadStatus.Corrupt"/>. With <see cref="FrameSourceOptions.RealTime"/> frames come at their
/// recorded pace. A recording cut short plays the frames that were recovered, and says so.
/// </summary>
public sealed class McapFrameSource : FileFrameSource
{
    /// <summary>Frames looked at to estimate the frame rate when the channel metadata has none.</summary>
    public const int FpsProbeFrames = 100;

    private readonly DriveReader _reader;
    private readonly IEnumerator<DriveFrame> _frames;
    private long _next;

    private McapFrameSource(DriveReader reader, DriveCameraInfo camera, double fps, long? frameCount, FrameSourceOptions options) : base(options.RealTime)
    {
        _reader = reader;
        Camera = camera;
        NominalFps = fps;
        FrameCount = frameCount;
        _frames = reader.ReadFrames(camera.CameraId).GetEnumerator();
        var size = camera.Width > 0 ? $"{camera.Width}x{camera.Height} " : "";
        var count = frameCount is { } n ? $"{n} frames" : "frame count unknown";
        var cut = reader.Recovery is null ? "" : ", cut short: playing the recovered frames";
        Description = $"recording '{reader.Path}' camera {camera.CameraId} ({size}@ {fps:0.##} fps, {count}{cut})";
    }

    /// <summary>
    /// Opens <paramref name="spec"/>: a .mcap path, or <c>path.mcap#camera</c> to pick a camera when several were recorded.
    /// Throws <see cref="FrameSourceException"/> with the fix when the file is missing, not a drive, or has no frames. A file
    /// played from what recovery saved is said on <paramref name="log"/> (default: a logger of this type's category).
    /// </summary>
    public static McapFrameSource Open(string spec, FrameSourceOptions options, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var (path, cameraId) = Split(spec);
        if (!File.Exists(path))
            throw new FrameSourceException(spec, $"Recording '{path}' not found. Give the path of a .mcap drive (e.g. recordings/cruising.mcap), or record one with `drive-perception record --source VIDEO --out drive.mcap`.");
        DriveReader reader;
        try
        {
            reader = DriveReader.Open(path);
        }
        catch (DriveRecordingException e)
        {
            throw new FrameSourceException(spec, e.Message, e);
        }
        try
        {
            var camera = PickCamera(reader, spec, cameraId);
            var topic = DriveChannels.CameraImage(camera.CameraId);
            var probe = reader.ReadFrames(camera.CameraId).Take(camera.Fps > 0 ? 1 : FpsProbeFrames + 1).Select(f => f.LogTimeNs).ToList();
            if (probe.Count == 0)
                throw new FrameSourceException(spec, $"Recording '{path}' has a camera channel {topic} but no frame on it{(reader.Recovery is null ? "" : $" survived ({reader.Recovery.Message})")}. Record the drive again.");
            double fps = camera.Fps > 0 ? camera.Fps : MedianFps(probe);
            if (reader.Recovery is { } report)
                (log ?? NodeLogging.CreateLogger<McapFrameSource>()).LogWarning($"Recording '{path}' was cut short or damaged; playing what was recovered. {report.Message}");
            return new McapFrameSource(reader, camera, fps, reader.MessageCount(topic), options);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>True when <paramref name="spec"/> names a recording (ends in .mcap, optionally followed by #camera).</summary>
    public static bool IsRecordingSpec(string spec) => Split(spec).Path.EndsWith(".mcap", StringComparison.OrdinalIgnoreCase);

    /// <summary>The camera played.</summary>
    public DriveCameraInfo Camera { get; }

    /// <summary>Frames on the camera channel (statistics, or counted when recovered); null when unknown.</summary>
    public long? FrameCount { get; }

    /// <summary>What recovery found when the recording was cut short or damaged; null for a complete file.</summary>
    public McapRecoveryReport? Recovery => _reader.Recovery;

    /// <summary>The recorded frame behind the last frame <see cref="Read"/> returned (its original encoded bytes), for re-recording without re-encoding. Read on the capture thread.</summary>
    public DriveFrame? LastFrame { get; private set; }

    /// <inheritdoc />
    protected override FrameRead ReadNext(CancellationToken ct)
    {
        if (HasEnded || !_frames.MoveNext())
        {
            LastFrame = null;
            var note = _reader.Recovery is null ? null
                : $"'{_reader.Path}' was cut short: played the {_next} frame(s) recovered. {_reader.Recovery.Message}";
            return Ended(_next, note);
        }
        long index = _next++;
        var recorded = _frames.Current;
        LastFrame = null;
        if (recorded.Error is not null) return FrameRead.Corrupt(index, recorded.LogTimeNs, $"'{_reader.Path}': {recorded.Error}.");
        // ImDecode copies out of the span into a Mat this method owns until it is handed to the caller.
        var frame = Cv2.ImDecode(recorded.Image.Span, ImreadModes.Color);
        if (frame.Empty())
        {
            frame.Dispose();
            return FrameRead.Corrupt(index, recorded.LogTimeNs,
                $"Frame {recorded.Sequence} of '{_reader.Path}' ({recorded.Format}, {recorded.Image.Length} bytes, log time {recorded.LogTimeNs} ns) did not decode.");
        }
        var read = Deliver(frame, index, recorded.LogTimeNs, ct);
        LastFrame = recorded;
        return read;
    }

    private static DriveCameraInfo PickCamera(DriveReader reader, string spec, string? cameraId)
    {
        if (cameraId is not null)
        {
            try
            {
                return reader.Camera(cameraId);
            }
            catch (Exception e) when (e is DriveRecordingException or ArgumentException)
            {
                throw new FrameSourceException(spec, e.Message, e);
            }
        }
        var cameras = reader.Cameras;
        if (cameras.Count == 1) return cameras[0];
        if (cameras.Count == 0)
            throw new FrameSourceException(spec,
                $"Recording '{reader.Path}' has no camera channel (/camera/<id>/image), so there is nothing to play. Channels found: {reader.DescribeChannels()}. "
                + "Record a drive with frames: `drive-perception record --source VIDEO --out drive.mcap`.");
        throw new FrameSourceException(spec,
            $"Recording '{reader.Path}' has {cameras.Count} cameras ({string.Join(", ", cameras.Select(c => c.CameraId))}); pick one with --source '{reader.Path}#{cameras[0].CameraId}'.");
    }

    private static double MedianFps(List<long> times)
    {
        var intervals = times.Zip(times.Skip(1), (a, b) => b - a).Where(d => d > 0).Order().ToList();
        if (intervals.Count == 0) return 0;
        return 1e9 / intervals[intervals.Count / 2];
    }

    private static (string Path, string? CameraId) Split(string spec)
    {
        int hash = spec.LastIndexOf('#');
        if (hash > 0 && spec[..hash].EndsWith(".mcap", StringComparison.OrdinalIgnoreCase)) return (spec[..hash], spec[(hash + 1)..]);
        return (spec, null);
    }

    /// <inheritdoc />
    protected override void DisposeFile()
    {
        _frames.Dispose();
        _reader.Dispose();
    }
}
