using DrivePerception.Core.Frames;
using DrivePerception.Node.Hosting;
using DrivePerception.Synthetic;
using DrivePerception.Vision.Calibration;
using DrivePerception.Vision.Sources;

namespace DrivePerception.Node.Synthetic;

/// <summary>
/// The --source kind <c>synthetic:SCENARIO</c>: renders a scenario frame by frame as the camera, with the settings
/// `synth` uses by default (seed 1, <see cref="FrameCount"/> frames at 15 fps, calibration/synthetic-480x360.yaml), so
/// `run --source synthetic:cruising` sees the same pixels as `synth --scenario cruising` writes, before JPEG. Read
/// from one capture thread; the renderer is not thread-safe.
/// </summary>
public sealed class SyntheticSceneSource : IFrameSource
{
    /// <summary>The spec prefix this source claims.</summary>
    public const string Prefix = "synthetic:";

    /// <summary>Frames in the run (`synth`'s default: ten seconds at 15 fps).</summary>
    public const int FrameCount = 150;

    private readonly SceneRenderer _renderer;
    private readonly FramePacer _pacer;
    private int _next;
    private volatile SourceState _state = SourceState.Starting;

    private SyntheticSceneSource(SceneRenderer renderer, bool realTime)
    {
        _renderer = renderer;
        _pacer = new FramePacer(realTime);
    }

    /// <summary>
    /// A source for a <c>synthetic:SCENARIO</c> spec; null for any other spec (the next resolver gets it).
    /// Throws <see cref="FrameSourceException"/> naming the valid scenarios when the name is not one.
    /// </summary>
    public static IFrameSource? Resolve(string spec, FrameSourceOptions options)
    {
        if (!spec.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return null;
        SyntheticScenario scenario;
        CameraCalibration calibration;
        try
        {
            scenario = SyntheticScenario.Get(spec[Prefix.Length..]);
            calibration = CameraCalibration.Load(ProductPaths.Under("calibration", "synthetic-480x360.yaml"));
        }
        catch (Exception e) when (e is ArgumentException or CalibrationFileException)
        {
            throw new FrameSourceException(spec, $"--source {spec}: {e.Message.Split(" (Parameter")[0]}", e);
        }
        var settings = new SceneSettings { Seed = 1, FrameCount = FrameCount, Fps = 15, Calibration = calibration };
        return new SyntheticSceneSource(new SceneRenderer(scenario, settings), options.RealTime);
    }

    /// <inheritdoc/>
    public string Description =>
        $"synthetic '{_renderer.Scenario.Name}' (seed {_renderer.Settings.Seed}, {FrameCount} frames, "
        + $"{_renderer.Calibration.ImageSize.Width}x{_renderer.Calibration.ImageSize.Height} @ {_renderer.Settings.Fps:0.##} fps)";

    /// <inheritdoc/>
    public double NominalFps => _renderer.Settings.Fps;

    /// <inheritdoc/>
    public bool IsLive => false;

    /// <inheritdoc/>
    public SourceState State => _state;

    /// <inheritdoc/>
    public long Reconnects => 0;

    /// <inheritdoc/>
    public FrameRead Read(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (_next == _renderer.FrameCount)
        {
            _state = SourceState.Ended;
            return FrameRead.End(_next);
        }
        int index = _next++;
        long sourceTimeNs = (long)Math.Round(index * 1e9 / _renderer.Settings.Fps);
        _pacer.WaitFor(sourceTimeNs, ct);
        // The rendered frame owns its image and ground truth; the caller gets a copy of the image only.
        using var frame = _renderer.Render(index);
        var image = frame.Image.Clone();
        _state = SourceState.Streaming;
        return FrameRead.Decoded(image, index, sourceTimeNs, MonotonicClock.NowNs());
    }

    /// <summary>Frees the renderer.</summary>
    public void Dispose() => _renderer.Dispose();
}
