using DrivePerception.Core.Messages;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Perception;
using OpenCvSharp;

namespace DrivePerception.Node.Degrade;

/// <summary>
/// Every camera of a node as one processor, for the degrade warm-up (<see cref="DegradeWarmUp"/>): a "frame" is one
/// round, each camera's processor taking it in turn (slots of one in-turn <see cref="CameraBatch"/>: a round of the
/// batch), so a rung's measured cost is a round's, as the node-wide ladder (<see cref="CameraRoundDegrade"/>) holds it.
/// A camera that needs frames of its own size (a calibration, models that resize in their graph) gets a grey frame of
/// that size instead of the one given. Owns the grey frames only, not the processors.
/// </summary>
public sealed class CameraRound : IDegradableProcessor
{
    private readonly IReadOnlyList<IDegradableProcessor> _cameras;
    private readonly CameraBatch? _batch;
    private readonly Mat?[] _ownFrames;

    /// <summary>
    /// The cameras' processors (one ladder: the first's lanes and light model stand for all), the batch they are slots of
    /// (armed), and per camera the frame size it needs or null for any.
    /// </summary>
    public CameraRound(IReadOnlyList<IDegradableProcessor> cameras, CameraBatch? batch, IReadOnlyList<Size?> frameSizes)
    {
        if (cameras.Count == 0) throw new ArgumentException("a round needs at least one camera", nameof(cameras));
        if (frameSizes.Count != cameras.Count) throw new ArgumentException("one frame size (or null) per camera", nameof(frameSizes));
        _cameras = cameras;
        _batch = batch;
        _ownFrames = frameSizes.Select(s => s is { } size ? new Mat(size, MatType.CV_8UC3, Scalar.All(128)) : null).ToArray();
    }

    /// <inheritdoc/>
    public IReadOnlyList<ModelStatus> Models => _cameras[0].Models;

    /// <inheritdoc/>
    public bool HasLanes => _cameras[0].HasLanes;

    /// <inheritdoc/>
    public IReadOnlyList<string> LightSemanticNames => _cameras[0].LightSemanticNames;

    /// <inheritdoc/>
    public FramePlan Plan
    {
        get => _cameras[0].Plan;
        set
        {
            foreach (var camera in _cameras) camera.Plan = value;
        }
    }

    /// <inheritdoc/>
    public void ResetTracks()
    {
        foreach (var camera in _cameras) camera.ResetTracks();
    }

    /// <inheritdoc/>
    public void Preprocess(Mat frame)
    {
        _batch?.StartRound();
        for (int i = 0; i < _cameras.Count; i++) _cameras[i].Preprocess(_ownFrames[i] ?? frame);
    }

    /// <inheritdoc/>
    public void Infer()
    {
        foreach (var camera in _cameras) camera.Infer();
    }

    /// <inheritdoc/>
    public FrameResult Postprocess(int frameWidth, int frameHeight, long frameSequence)
    {
        FrameResult last = null!;
        for (int i = 0; i < _cameras.Count; i++)
            last = _ownFrames[i] is { } own
                ? _cameras[i].Postprocess(own.Width, own.Height, frameSequence)
                : _cameras[i].Postprocess(frameWidth, frameHeight, frameSequence);
        return last;
    }

    /// <summary>Frees the grey frames; the processors are the caller's.</summary>
    public void Dispose()
    {
        foreach (var frame in _ownFrames) frame?.Dispose();
    }
}
