using DrivePerception.Synthetic.Rendering;
using DrivePerception.Synthetic.Scenarios;
using DrivePerception.Synthetic.World;
using DrivePerception.Vision.Calibration;
using OpenCvSharp;

namespace DrivePerception.Synthetic;

/// <summary>
/// Renders the frames of one run of a scenario, with exact ground truth, on the CPU with OpenCV drawing.
/// Deterministic: the same scenario, settings (seed, frame count, rate, calibration) and frame index give the
/// same bytes, in any order of calls and in any renderer instance (on one platform and runtime: floating point
/// maths may differ in the last bit between CPU architectures).
/// </summary>
/// <remarks>
/// Each frame is an independent function of time, so frames can be rendered in any order. The renderer keeps
/// a scratch shade mask and is therefore not thread-safe: use one renderer per thread. Frames returned by
/// <see cref="Render"/> belong to the caller, who disposes them.
/// </remarks>
public sealed class SceneRenderer : IDisposable
{
    private readonly SceneScript _script;
    private readonly CameraGeometry _geometry;
    private readonly GroundPlaneProjection _projection;
    private readonly GroundShader _ground;
    private readonly Mat _shade;
    private bool _disposed;

    /// <summary>Lays out the run (road, scenery, actors) and prepares per-pixel geometry.</summary>
    /// <param name="scenario">What happens; see <see cref="SyntheticScenario.All"/>.</param>
    /// <param name="settings">Seed, frame count, frame rate and camera.</param>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it and the fix.</exception>
    public SceneRenderer(SyntheticScenario scenario, SceneSettings settings)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Scenario = scenario;
        Settings = settings;
        _script = scenario.Build(new ScenarioContext(settings.Seed, settings.DurationSeconds, settings.Sky));
        _geometry = new CameraGeometry(settings.Calibration);
        _projection = new GroundPlaneProjection(_geometry);
        _ground = new GroundShader(new PixelRays(settings.Calibration), _script, settings.Seed);
        var size = settings.Calibration.ImageSize;
        _shade = new Mat(size.Height, size.Width, MatType.CV_8UC1);
    }

    /// <summary>The scenario being rendered.</summary>
    public SyntheticScenario Scenario { get; }

    /// <summary>The settings of the run.</summary>
    public SceneSettings Settings { get; }

    /// <summary>The virtual camera (image size, intrinsics, mounting).</summary>
    public CameraCalibration Calibration => Settings.Calibration;

    /// <summary>Number of frames in the run.</summary>
    public int FrameCount => Settings.FrameCount;

    /// <summary>Renders frame <paramref name="frameIndex"/> of the run. The caller owns and disposes the result.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside 0..FrameCount-1.</exception>
    public SyntheticFrame Render(int frameIndex)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (frameIndex < 0 || frameIndex >= FrameCount)
            throw new ArgumentOutOfRangeException(nameof(frameIndex), frameIndex,
                $"Frame index must be within 0..{FrameCount - 1} for this run of '{Scenario.Name}' ({FrameCount} frames); raise SceneSettings.FrameCount to render more.");

        double time = frameIndex / Settings.Fps;
        var size = Calibration.ImageSize;
        var view = new ViewFrame(_script, _geometry, time);
        var image = new Mat(size.Height, size.Width, MatType.CV_8UC3);
        var classes = new Mat(size.Height, size.Width, MatType.CV_8UC1);
        var instances = new Mat(size.Height, size.Width, MatType.CV_16UC1, Scalar.All(0));
        var lanes = new Mat(size.Height, size.Width, MatType.CV_8UC1, Scalar.All(0));
        try
        {
            var canvas = new FrameCanvas(image, classes, instances, _geometry);
            ShadowPainter.Paint(_shade, canvas, view);
            _ground.Paint(view, image.AsSpan<byte>(), classes.AsSpan<byte>(), _shade.AsSpan<byte>());
            DrawObjects(canvas, view);
            CameraEffects.Apply(image, _script.Lighting, time, Settings.Seed, frameIndex, Settings.SensorNoise);
            var laneLines = LaneTruthBuilder.Build(view, _projection, lanes);
            var instanceRecords = InstanceTruthBuilder.Build(instances, view);
            var truth = new GroundTruth(classes, instances, lanes, instanceRecords, laneLines);
            return new SyntheticFrame(frameIndex, time, _script.Ego.Speed(time), image, truth);
        }
        catch
        {
            image.Dispose();
            classes.Dispose();
            instances.Dispose();
            lanes.Dispose();
            throw;
        }
    }

    /// <summary>Frees the scratch mask.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _shade.Dispose();
    }

    private void DrawObjects(FrameCanvas canvas, ViewFrame view)
    {
        var queue = new DrawQueue();
        var light = new SurfaceLight(view);
        foreach (var b in _script.Buildings)
            BuildingPainter.Enqueue(queue, canvas, view, light, b);
        foreach (var t in _script.Trees)
            TreePainter.Enqueue(queue, canvas, view, light, t);
        foreach (var p in _script.Poles)
            StreetFurniturePainter.Enqueue(queue, canvas, view, light, p);
        foreach (var f in _script.Fences)
            StreetFurniturePainter.Enqueue(queue, canvas, view, light, f);
        foreach (var v in _script.Vehicles)
            VehiclePainter.Enqueue(queue, canvas, view, light, v);
        foreach (var p in _script.Pedestrians)
            PedestrianPainter.Enqueue(queue, canvas, view, light, p);
        queue.Run();
    }
}
