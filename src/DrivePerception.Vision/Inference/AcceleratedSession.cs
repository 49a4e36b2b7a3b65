using Microsoft.ML.OnnxRuntime;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// An ONNX Runtime session opened by <see cref="SessionFactory"/>, with the provider it landed on and every provider
/// tried on the way. Owns the session and its options: disposing this disposes both.
/// </summary>
public sealed class AcceleratedSession : IDisposable
{
    private readonly SessionOptions _options;

    internal AcceleratedSession(InferenceSession session, SessionOptions options, Accelerator accelerator,
        IReadOnlyList<ProviderAttempt> attempts)
    {
        Session = session;
        _options = options;
        Accelerator = accelerator;
        Attempts = attempts;
    }

    /// <summary>The session; owned by this object, valid until <see cref="Dispose"/>.</summary>
    public InferenceSession Session { get; }

    /// <summary>The provider that opened the model: TensorRT, Cuda or Cpu (never Auto).</summary>
    public Accelerator Accelerator { get; }

    /// <summary>Whether the provider was opened with a CUDA graph (asked for, and not refused).</summary>
    public bool CudaGraph { get; init; }

    /// <summary>Providers tried in order; the last one succeeded.</summary>
    public IReadOnlyList<ProviderAttempt> Attempts { get; }

    /// <summary>Releases the session and its options.</summary>
    public void Dispose()
    {
        Session.Dispose();
        _options.Dispose();
    }
}
