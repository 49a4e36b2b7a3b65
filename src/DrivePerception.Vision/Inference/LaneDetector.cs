using DrivePerception.Core.Models;
using DrivePerception.Vision.Preprocessing;
using OpenCvSharp;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// A lane model (task "lanes"): <see cref="Preprocess"/> a BGR frame, <see cref="Infer"/>, then read
/// <see cref="LaneMap"/> (slot per pixel: 0 background, 1 second-left, 2 ego-left, 3 ego-right, 4 second-right),
/// <see cref="Confidence"/> and <see cref="LaneExist"/>. The steps are separate so the pipeline can time them apart.
/// <para>Ownership: owns its <see cref="ModelSession"/>. The Mats and the span are views over the session's output
/// buffers, owned by this object (do not dispose them), overwritten by the next <see cref="Infer"/> and freed by <see cref="Dispose"/>. Not thread-safe.</para>
/// </summary>
public sealed class LaneDetector : IDisposable
{
    /// <summary>Number of lane slots (1..4) in <see cref="LaneExist"/>.</summary>
    public const int SlotCount = 4;

    private readonly FramePreprocessor _preprocessor;
    private readonly Mat _laneMap;
    private readonly Mat _confidence;
    private readonly PinnedTensor _laneExist;
    private bool _inputReady;
    private bool _hasResult;
    private bool _disposed;

    /// <summary>Wraps an open session of task "lanes" and takes ownership of it.</summary>
    /// <exception cref="ArgumentException">The session's task is not lanes (the session is then not taken).</exception>
    public LaneDetector(ModelSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Card.Task != "lanes")
            throw new ArgumentException($"Model '{session.Card.Name}' has task '{session.Card.Task}': LaneDetector runs task 'lanes' models.", nameof(session));
        Session = session;
        _laneExist = session.OutputTensor("lane_exist");
        _preprocessor = new FramePreprocessor(session);
        try
        {
            _laneMap = TensorMats.Map(session.OutputTensor("lanes"));
            _confidence = TensorMats.Map(session.OutputTensor("confidence"));
        }
        catch
        {
            _laneMap?.Dispose();
            _preprocessor.Dispose();
            throw;
        }
    }

    /// <summary>Loads models/NAME.onnx with its card (see <see cref="ModelSession.Load(string, ModelSessionOptions, Action{string}?)"/>) and wraps it.</summary>
    public static LaneDetector Load(string onnxPath, ModelSessionOptions options, Action<string>? log = null)
    {
        var session = ModelSession.Load(onnxPath, options, log);
        try
        {
            return new LaneDetector(session);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The session; owned by this object.</summary>
    public ModelSession Session { get; }

    /// <summary>The model's card.</summary>
    public ModelCard Card => Session.Card;

    /// <summary>The model's input and output size.</summary>
    public Size InputSize => _preprocessor.InputSize;

    /// <summary>Whether the outputs hold the result of the last <see cref="Infer"/>.</summary>
    public bool HasResult => _hasResult;

    /// <summary>Resizes the frame into the model's input. See <see cref="FramePreprocessor.Process"/>.</summary>
    public void Preprocess(Mat frameBgr)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _inputReady = false;
        _preprocessor.Process(frameBgr);
        _inputReady = true;
    }

    /// <summary>Runs the model on the last preprocessed frame. Each frame is inferred once.</summary>
    /// <exception cref="InvalidOperationException">No frame was preprocessed since the last Infer.</exception>
    public void Infer()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_inputReady)
            throw new InvalidOperationException("Infer() needs a new frame: call Preprocess(frame) first.");
        _hasResult = false;
        _inputReady = false;
        Session.Run();
        _hasResult = true;
    }

    /// <summary>Lane slot per pixel (CV_8UC1, model size). Valid until the next Infer.</summary>
    /// <exception cref="InvalidOperationException">No successful Infer yet.</exception>
    public Mat LaneMap => Result(_laneMap);

    /// <summary>Max softmax probability x 255 per pixel (CV_8UC1, model size). Valid until the next Infer.</summary>
    /// <exception cref="InvalidOperationException">No successful Infer yet.</exception>
    public Mat Confidence => Result(_confidence);

    /// <summary>Probability that slot 1..4 is present (index 0 is slot 1, second-left). Valid until the next Infer.</summary>
    /// <exception cref="InvalidOperationException">No successful Infer yet.</exception>
    public ReadOnlySpan<float> LaneExist
    {
        get
        {
            Result(_laneMap);
            return _laneExist.AsSpan<float>()[..SlotCount];
        }
    }

    /// <summary>Releases the views, the preprocessor and the session.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _laneMap.Dispose();
        _confidence.Dispose();
        _preprocessor.Dispose();
        Session.Dispose();
    }

    private Mat Result(Mat view)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_hasResult)
            throw new InvalidOperationException("No result: call Preprocess(frame) and Infer() first (a failed Infer leaves no result).");
        return view;
    }
}
