using DrivePerception.Core.Messages;
using DrivePerception.Vision.Perception;
using OpenCvSharp;

namespace DrivePerception.Node.Pipeline;

/// <summary>
/// A frame processor whose inference takes <c>factor</c> times as long and as much CPU: it runs the models
/// <c>factor</c> times on each frame, preparing the input again before each extra run (the stack refuses to infer
/// twice on one preparation); the outputs are those of the last run, the same as of the first. Running the
/// real inference again, rather than sleeping or spinning on one thread, loads the machine as a model with
/// <c>factor</c> times the work would, on the same threads. For tests of the latency gate
/// (<see cref="Options.RunOptions.InferSlowdown"/>) and of the degrade ladder. Passes the degrade plan on to an inner
/// processor that can degrade. Owns the inner processor.
/// </summary>
public sealed class SlowedInference : IDegradableProcessor
{
    private readonly IFrameProcessor _inner;
    private readonly int _factor;
    private Mat? _frame;

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="factor"/> is at least 1.</summary>
    public SlowedInference(IFrameProcessor inner, int factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        _inner = inner;
        _factor = factor;
    }

    /// <inheritdoc/>
    public IReadOnlyList<ModelStatus> Models => _inner.Models;

    /// <inheritdoc/>
    public bool HasLanes => _inner is IDegradableProcessor { HasLanes: true };

    /// <inheritdoc/>
    public IReadOnlyList<string> LightSemanticNames => (_inner as IDegradableProcessor)?.LightSemanticNames ?? [];

    /// <inheritdoc/>
    public FramePlan Plan
    {
        get => (_inner as IDegradableProcessor)?.Plan ?? FramePlan.Full;
        set { if (_inner is IDegradableProcessor d) d.Plan = value; }
    }

    /// <inheritdoc/>
    public void ResetTracks() => (_inner as IDegradableProcessor)?.ResetTracks();

    /// <inheritdoc/>
    public void Preprocess(Mat frame)
    {
        _frame = frame; // borrowed for this frame only: the pipeline owns it until Postprocess returns
        _inner.Preprocess(frame);
    }

    /// <inheritdoc/>
    public void Infer()
    {
        for (int i = 1; i < _factor; i++)
        {
            _inner.Infer();
            _inner.Preprocess(_frame!);
        }
        _inner.Infer();
    }

    /// <inheritdoc/>
    public FrameResult Postprocess(int frameWidth, int frameHeight, long frameSequence) => _inner.Postprocess(frameWidth, frameHeight, frameSequence);

    /// <summary>Disposes the inner processor.</summary>
    public void Dispose() => _inner.Dispose();
}
