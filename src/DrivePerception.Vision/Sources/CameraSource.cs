using System.Diagnostics;
using System.Globalization;
using DrivePerception.Core.Frames;
using OpenCvSharp;

namespace DrivePerception.Vision.Sources;

/// <summary>
/// A live camera, <c>camera:N</c> or <c>/dev/videoN</c>. When the camera stops delivering (unplugged, driver
/// reset) the source goes to <see cref="SourceState.Reconnecting"/> and reopens it with exponential back-off
/// (<see cref="FrameSourceOptions.ReconnectInitialDelay"/> doubling up to <see cref="FrameSourceOptions.ReconnectMaxDelay"/>),
/// counting every attempt in <see cref="Reconnects"/>; waits end at once when the read is cancelled. With
/// <see cref="FrameSourceOptions.ReconnectGiveUpAfter"/> set, a camera away longer than that fails the source.
/// A read blocked inside the driver is not interrupted by cancellation (V4L2 times out after about 10 s).
/// </summary>
public sealed class CameraSource : IFrameSource
{
    private const string CameraPrefix = "camera:";
    private const string DevicePrefix = "/dev/video";

    private readonly ICameraDevice _device;
    private readonly string _spec;
    private readonly ReconnectBackoff _backoff;
    private readonly TimeSpan? _giveUpAfter;
    private bool _connected;
    private long _lostAtTicks;
    private long _next;
    private long _reconnects;
    private string? _failure;
    private volatile SourceState _state = SourceState.Starting;
    private bool _disposed;

    /// <summary>
    /// Opens <paramref name="device"/> (the source owns it from here and disposes it, also when this
    /// constructor throws). Throws <see cref="FrameSourceException"/> when the device cannot be opened.
    /// </summary>
    public CameraSource(string spec, ICameraDevice device, FrameSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(device);
        try
        {
            ArgumentNullException.ThrowIfNull(options);
            options.Validate();
            _spec = spec;
            _device = device;
            _backoff = new ReconnectBackoff(options.ReconnectInitialDelay, options.ReconnectMaxDelay);
            _giveUpAfter = options.ReconnectGiveUpAfter;
            if (!device.Open())
                throw new FrameSourceException(spec, $"Camera '{spec}' cannot be opened: {device.ExplainOpenFailure()} Or give a video file or an image pattern like 'frames/*.png'.");
            _connected = true;
            NominalFps = device.Fps > 0 ? device.Fps : options.CameraFps;
            Description = $"camera '{spec}' ({device.Name}{(NominalFps > 0 ? $" @ {NominalFps:0.##} fps" : "")})";
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    /// <summary>Opens a V4L2 camera from <c>camera:N</c> or <c>/dev/videoN</c>.</summary>
    public static CameraSource Open(string spec, FrameSourceOptions options) =>
        new(spec, new V4l2Camera(ParseIndex(spec), options), options);

    /// <summary>True when <paramref name="spec"/> names a camera (valid or not): it starts with <c>camera:</c> or <c>/dev/video</c>.</summary>
    public static bool IsCameraSpec(string spec) =>
        spec.StartsWith(CameraPrefix, StringComparison.OrdinalIgnoreCase) || spec.StartsWith(DevicePrefix, StringComparison.Ordinal);

    /// <summary>The V4L2 index N of <c>camera:N</c> or <c>/dev/videoN</c>; throws <see cref="FrameSourceException"/> otherwise.</summary>
    public static int ParseIndex(string spec)
    {
        var digits = spec.StartsWith(CameraPrefix, StringComparison.OrdinalIgnoreCase) ? spec[CameraPrefix.Length..]
            : spec.StartsWith(DevicePrefix, StringComparison.Ordinal) ? spec[DevicePrefix.Length..]
            : null;
        if (digits is null || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            throw new FrameSourceException(spec,
                $"Camera '{spec}' is not a valid camera: use camera:N (N the V4L2 index, camera:0 is /dev/video0) or /dev/videoN.");
        return index;
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public double NominalFps { get; }

    /// <inheritdoc />
    public bool IsLive => true;

    /// <inheritdoc />
    public SourceState State => _state;

    /// <inheritdoc />
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <inheritdoc />
    public FrameRead Read(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (_failure is not null) throw new FrameSourceException(_spec, _failure);
            if (!_connected)
            {
                Reconnect(ct);
                continue;
            }
            var frame = new Mat();
            if (_device.Read(frame))
            {
                long captured = MonotonicClock.NowNs();
                var ms = _device.TimestampMs;
                long timeNs = double.IsFinite(ms) && ms > 0 ? (long)Math.Round(ms * 1e6) : -1;
                _backoff.Reset();
                _state = SourceState.Streaming;
                return FrameRead.Decoded(frame, _next++, timeNs, captured);
            }
            frame.Dispose();
            _device.Close();
            _connected = false;
            _lostAtTicks = Stopwatch.GetTimestamp();
            _state = SourceState.Reconnecting;
        }
    }

    private void Reconnect(CancellationToken ct)
    {
        if (ct.WaitHandle.WaitOne(_backoff.NextDelay())) ct.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _reconnects);
        if (_device.Open())
        {
            _connected = true;
            return;
        }
        var away = Stopwatch.GetElapsedTime(_lostAtTicks);
        if (_giveUpAfter is { } limit && away >= limit)
        {
            _failure = $"Camera '{_spec}' disappeared and did not come back within {limit.TotalSeconds:0.#} s ({Reconnects} attempts): {_device.ExplainOpenFailure()} Check the cable and restart the node.";
            _state = SourceState.Failed;
            throw new FrameSourceException(_spec, _failure);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _device.Dispose();
    }
}
