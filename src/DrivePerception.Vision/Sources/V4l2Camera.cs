using OpenCvSharp;

namespace DrivePerception.Vision.Sources;

/// <summary>A V4L2 camera (<c>/dev/videoN</c>) through OpenCV's V4L2 backend.</summary>
public sealed class V4l2Camera : ICameraDevice
{
    private readonly int _index;
    private readonly FrameSourceOptions _options;
    private VideoCapture? _capture;

    /// <summary>Camera <c>/dev/video{index}</c> with the size and rate requested in <paramref name="options"/>.</summary>
    public V4l2Camera(int index, FrameSourceOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentNullException.ThrowIfNull(options);
        _index = index;
        _options = options;
    }

    /// <inheritdoc />
    public string Name => $"/dev/video{_index}";

    /// <inheritdoc />
    public double Fps => _capture is { } c && double.IsFinite(c.Fps) && c.Fps > 0 ? c.Fps : 0;

    /// <inheritdoc />
    public double TimestampMs => _capture?.Get(VideoCaptureProperties.PosMsec) ?? 0;

    /// <inheritdoc />
    public bool Open()
    {
        Close();
        var capture = new VideoCapture(_index, VideoCaptureAPIs.V4L2);
        if (!capture.IsOpened())
        {
            capture.Dispose();
            return false;
        }
        if (_options.CameraWidth > 0) capture.Set(VideoCaptureProperties.FrameWidth, _options.CameraWidth);
        if (_options.CameraHeight > 0) capture.Set(VideoCaptureProperties.FrameHeight, _options.CameraHeight);
        if (_options.CameraFps > 0) capture.Set(VideoCaptureProperties.Fps, _options.CameraFps);
        _capture = capture;
        return true;
    }

    /// <inheritdoc />
    public string ExplainOpenFailure() => File.Exists(Name)
        ? $"{Name} exists but did not open: another process may hold it, or this user may lack permission (add it to the 'video' group)."
        : $"{Name} does not exist: no camera is connected at index {_index}. List cameras with 'ls /dev/video*' or 'v4l2-ctl --list-devices'.";

    /// <inheritdoc />
    public bool Read(Mat into) => _capture is { } c && c.Read(into) && !into.Empty();

    /// <inheritdoc />
    public void Close()
    {
        _capture?.Dispose();
        _capture = null;
    }

    /// <inheritdoc />
    public void Dispose() => Close();
}
