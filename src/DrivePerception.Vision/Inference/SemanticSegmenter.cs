using DrivePerception.Core.Models;
using DrivePerception.Vision.Preprocessing;
using OpenCvSharp;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// A semantic model (task "semantic"): <see cref="Preprocess"/> a BGR frame into the input tensor, <see cref="Infer"/>,
/// then read <see cref="ClassMap"/> and <see cref="Confidence"/> at the model's size. The steps are separate so the
/// pipeline can time them apart.
/// <para>Ownership: owns its <see cref="ModelSession"/>. <see cref="ClassMap"/> and <see cref="Confidence"/> are Mat
/// views over the session's output buffers, owned by this object (do not dispose them): they never move, but the next <see cref="Infer"/>
/// overwrites them and <see cref="Dispose"/> frees them. Clone to keep a result. Not thread-safe.</para>
/// </summary>
public sealed class SemanticSegmenter : IDisposable
{
    private readonly FramePreprocessor _preprocessor;
    private readonly Mat _classMap;
    private readonly Mat _confidence;
    private bool _inputReady;
    private bool _hasResult;
    private bool _disposed;

    /// <summary>Wraps an open session of task "semantic" and takes ownership of it.</summary>
    /// <exception cref="ArgumentException">The session's task is not semantic (the session is then not taken).</exception>
    public SemanticSegmenter(ModelSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Card.Task != "semantic")
            throw new ArgumentException($"Model '{session.Card.Name}' has task '{session.Card.Task}': SemanticSegmenter runs task 'semantic' models.", nameof(session));
        Session = session;
        _preprocessor = new FramePreprocessor(session);
        try
        {
            _classMap = TensorMats.Map(session.OutputTensor("classmap"));
            _confidence = TensorMats.Map(session.OutputTensor("confidence"));
        }
        catch
        {
            _classMap?.Dispose();
            _preprocessor.Dispose();
            throw;
        }
    }

    /// <summary>Loads models/NAME.onnx with its card (see <see cref="ModelSession.Load(string, ModelSessionOptions, Action{string}?)"/>) and wraps it.</summary>
    public static SemanticSegmenter Load(string onnxPath, ModelSessionOptions options, Action<string>? log = null)
    {
        var session = ModelSession.Load(onnxPath, options, log);
        try
        {
            return new SemanticSegmenter(session);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The session; owned by this object.</summary>
    public ModelSession Session { get; }

    /// <summary>The model's card: class ids, names and colours.</summary>
    public ModelCard Card => Session.Card;

    /// <summary>The model's input and output size.</summary>
    public Size InputSize => _preprocessor.InputSize;

    /// <summary>Whether <see cref="ClassMap"/> holds the result of the last <see cref="Infer"/>.</summary>
    public bool HasResult => _hasResult;

    /// <summary>Resizes (and, if the card says so, normalises) the frame into the model's input. See <see cref="FramePreprocessor.Process"/>.</summary>
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

    /// <summary>Class id per pixel (CV_8UC1, model size), ids as in <see cref="Card"/>. Valid until the next Infer.</summary>
    /// <exception cref="InvalidOperationException">No successful Infer yet.</exception>
    public Mat ClassMap => Result(_classMap);

    /// <summary>Max softmax probability x 255 per pixel (CV_8UC1, model size). Valid until the next Infer.</summary>
    /// <exception cref="InvalidOperationException">No successful Infer yet.</exception>
    public Mat Confidence => Result(_confidence);

    /// <summary>Releases the views, the preprocessor and the session.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _classMap.Dispose();
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
