using DrivePerception.Core.Frames;
using OpenCvSharp;

namespace DrivePerception.Vision.Sources;

/// <summary>
/// Frames from a video file (.mp4, .avi, .mkv, .mov, .webm) through OpenCV's FFmpeg backend. Source time is
/// the decoder's position of each frame, or index / fps when the container gives none. A frame that is
/// grabbed but does not decode is reported as <see cref="FrameReadStatus.Corrupt"/>.
/// </summary>
public sealed class VideoFileSource : FileFrameSource
{
    private readonly VideoCapture _capture;
    private readonly string _path;
    private readonly long _announcedFrames;
    // The first frame, decoded at open to prove the file is readable; handed to the caller by the first Read.
    private Mat? _first;
    private readonly long _firstTimeNs;
    private long _next;

    private VideoFileSource(VideoCapture capture, string path, Mat first, long firstTimeNs, FrameSourceOptions options) : base(options.RealTime)
    {
        _capture = capture;
        _path = path;
        _first = first;
        _firstTimeNs = firstTimeNs;
        var fps = capture.Fps;
        NominalFps = double.IsFinite(fps) && fps > 0 ? fps : 0;
        _announcedFrames = Math.Max(0, capture.FrameCount);
        Description = $"video '{path}' ({first.Width}x{first.Height} @ {NominalFps:0.##} fps, {_announcedFrames} frames announced)";
    }

    /// <summary>
    /// Opens <paramref name="path"/> and decodes its first frame. Throws <see cref="FrameSourceException"/>
    /// when the file is missing, not a video FFmpeg can read, or has no decodable frame.
    /// </summary>
    public static VideoFileSource Open(string path, FrameSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!File.Exists(path))
            throw new FrameSourceException(path, $"Source '{path}' not found. {FrameSourceFactory.Usage}.");
        var capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
        Mat? first = null;
        try
        {
            if (!capture.IsOpened())
                throw new FrameSourceException(path,
                    $"Source '{path}' could not be opened as a video: FFmpeg cannot read the container (truncated, still being written, or not a video). Check the file with 'ffprobe {path}' or re-encode it, e.g. 'ffmpeg -i {path} -c:v libx264 out.mp4'.");
            first = new Mat();
            if (!capture.Grab() || !capture.Retrieve(first) || first.Empty())
                throw new FrameSourceException(path,
                    $"Source '{path}' opened but no frame decodes: the video stream is empty or uses a codec this build cannot decode (it reads H.264, HEVC, VP8, MJPG). Re-encode it, e.g. 'ffmpeg -i {path} -c:v libx264 out.mp4'.");
            var source = new VideoFileSource(capture, path, first, PositionNs(capture, 0, capture.Fps), options);
            return source;
        }
        catch
        {
            first?.Dispose();
            capture.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    protected override FrameRead ReadNext(CancellationToken ct)
    {
        if (HasEnded) return Ended(_next);
        long index = _next;
        Mat frame;
        long timeNs;
        if (_first is not null)
        {
            frame = _first;
            _first = null;
            timeNs = _firstTimeNs;
        }
        else
        {
            if (!_capture.Grab())
            {
                var note = _announcedFrames > 0 && index < _announcedFrames
                    ? $"'{_path}' ended after {index} frames but its container announced {_announcedFrames}: the file may be truncated."
                    : null;
                return Ended(index, note);
            }
            timeNs = PositionNs(_capture, index, NominalFps);
            frame = new Mat();
            if (!_capture.Retrieve(frame) || frame.Empty())
            {
                frame.Dispose();
                _next++;
                return FrameRead.Corrupt(index, timeNs, $"Frame {index} of '{_path}' was read but did not decode.");
            }
        }
        var read = Deliver(frame, index, timeNs, ct);
        _next++;
        return read;
    }

    // After Grab, FFmpeg's position is the presentation time of the grabbed frame. Some containers report 0
    // for every frame; then index / fps stands in.
    private static long PositionNs(VideoCapture capture, long index, double fps)
    {
        var ms = capture.Get(VideoCaptureProperties.PosMsec);
        if (double.IsFinite(ms) && ms >= 0 && (ms > 0 || index == 0)) return (long)Math.Round(ms * 1e6);
        return double.IsFinite(fps) && fps > 0 ? (long)Math.Round(index * 1e9 / fps) : -1;
    }

    /// <inheritdoc />
    protected override void DisposeFile()
    {
        _first?.Dispose();
        _first = null;
        _capture.Dispose();
    }
}
