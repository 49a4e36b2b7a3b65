using Microsoft.Extensions.Logging;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// A lane model (task "lanes"): <see cref="PixelMapModel.Preprocess"/> a BGR frame, <see cref="PixelMapModel.Infer"/>,
/// then read <see cref="LaneMap"/> (slot per pixel: 0 background, 1 second-left, 2 ego-left, 3 ego-right,
/// 4 second-right), <see cref="PixelMapModel.Confidence"/> and <see cref="LaneExist"/>. Ownership as
/// <see cref="PixelMapModel"/>; <see cref="LaneExist"/> is a view over an output buffer too.
/// </summary>
public sealed class LaneDetector : PixelMapModel
{
    /// <summary>Number of lane slots (1..4) in <see cref="LaneExist"/>.</summary>
    public const int SlotCount = 4;

    private readonly PinnedTensor _laneExist;

    /// <summary>Wraps an open session of task "lanes" and takes ownership of it.</summary>
    /// <exception cref="ArgumentException">The session's task is not lanes (the session is then not taken).</exception>
    public LaneDetector(ModelSession session) : base(session, "lanes", "lanes") =>
        _laneExist = session.OutputTensor("lane_exist");

    /// <summary>Loads models/NAME.onnx with its card and wraps it.</summary>
    public static LaneDetector Load(string onnxPath, ModelSessionOptions options, ILogger? log = null) =>
        Load(onnxPath, options, log, s => new LaneDetector(s));

    /// <summary>Lane slot per pixel (CV_8UC1, model size). Valid until the next Infer.</summary>
    /// <exception cref="InvalidOperationException">No successful Infer yet.</exception>
    public OpenCvSharp.Mat LaneMap => Map;

    /// <summary>Probability that slot 1..4 is present (index 0 is slot 1, second-left). Valid until the next Infer.</summary>
    /// <exception cref="InvalidOperationException">No successful Infer yet.</exception>
    public ReadOnlySpan<float> LaneExist
    {
        get
        {
            EnsureResult();
            return _laneExist.AsSpan<float>()[..SlotCount];
        }
    }
}
