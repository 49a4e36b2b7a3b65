using DrivePerception.Core.Models;
using DrivePerception.Vision.Preprocessing;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// What the semantic and lane models share: a model whose outputs are a per-pixel uint8 map plus a per-pixel
/// confidence at the model's size. <see cref="Preprocess"/> a BGR frame into the input tensor, <see cref="Infer"/>,
/// then read the map. The steps are separate so the pipeline can time them apart.
/// <para>Ownership: owns its <see cref="ModelSession"/>. The map and confidence Mats are views over the session's
/// output buffers, owned by this object (do not dispose them): they never move, but the next <see cref="Infer"/>
/// overwrites them and <see cref="Dispose"/> frees them. Clone to keep a result. Not thread-safe.</para>
/// </summary>
public abstract class PixelMapModel : IDisposable
{
    private readonly FramePreprocessor _preprocessor;
    private readonly Mat _map;
    private readonly Mat _confidence;
    private bool _inputReady;
    private bool _hasResult;
    private bool _disposed;

    /// <summary>
    /// Wraps an open session of task <paramref name="task"/> whose map output is <paramref name="mapOutput"/>, and
    /// takes ownership of it. Throws <see cref="ArgumentException"/> for another task (the session is then not taken).
    /// </summary>
    protected PixelMapModel(ModelSession session, string task, string mapOutput)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Card.Task != task)
            throw new ArgumentException($"Model '{session.Card.Name}' has task '{session.Card.Task}': {GetType().Name} runs task '{task}' models.", nameof(session));
        Session = session;
        _preprocessor = new FramePreprocessor(session);
        try
        {
            _map = TensorMats.Map(session.OutputTensor(mapOutput));
            _confidence = TensorMats.Map(session.OutputTensor("confidence"));
        }
        catch
        {
            _map?.Dispose();
            _preprocessor.Dispose();
            throw;
        }
    }

    /// <summary>Loads a model with its card and wraps it with <paramref name="wrap"/>, disposing the session if that throws.</summary>
    protected static T Load<T>(string onnxPath, ModelSessionOptions options, ILogger? log, Func<ModelSession, T> wrap)
    {
        var session = ModelSession.Load(onnxPath, options, log);
        try
        {
            return wrap(session);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The session; owned by this object.</summary>
    public ModelSession Session { get; }

    /// <summary>The model's card: classes, input, outputs.</summary>
    public ModelCard Card => Session.Card;

    /// <summary>The model's input and output size.</summary>
    public Size InputSize => _preprocessor.InputSize;

    /// <summary>Whether the outputs hold the result of the last <see cref="Infer"/>.</summary>
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

    /// <summary>Max softmax probability x 255 per pixel (CV_8UC1, model size). Valid until the next Infer.</summary>
    /// <exception cref="InvalidOperationException">No successful Infer yet.</exception>
    public Mat Confidence => Result(_confidence);

    /// <summary>The per-pixel map (CV_8UC1, model size); subclasses name it. Valid until the next Infer.</summary>
    protected Mat Map => Result(_map);

    /// <summary>Throws unless the outputs hold a result; subclasses guard their other outputs with it.</summary>
    protected void EnsureResult() => Result(_map);

    /// <summary>Releases the views, the preprocessor and the session.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _map.Dispose();
        _confidence.Dispose();
        _preprocessor.Dispose();
        Session.Dispose();
        GC.SuppressFinalize(this);
    }

    private Mat Result(Mat view)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_hasResult)
            throw new InvalidOperationException("No result: call Preprocess(frame) and Infer() first (a failed Infer leaves no result).");
        return view;
    }
}
