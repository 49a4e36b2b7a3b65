namespace DrivePerception.Vision.Inference;

/// <summary>
/// An explicitly requested accelerator (tensorrt or cuda) could not open the model. The message holds ONNX
/// Runtime's exact error and the fix; nothing falls back silently when a provider was named.
/// </summary>
public sealed class AcceleratorUnavailableException(
    Accelerator requested, string modelPath, IReadOnlyList<ProviderAttempt> attempts, string fix)
    : Exception($"The {requested.ToName()} accelerator was requested for '{modelPath}' but ONNX Runtime could not use it: "
                + $"{string.Join("; ", attempts.Where(a => !a.Succeeded).Select(a => a.ToString()))}. Fix: {fix}")
{
    /// <summary>The provider that was asked for.</summary>
    public Accelerator Requested { get; } = requested;

    /// <summary>The model that was being opened.</summary>
    public string ModelPath { get; } = modelPath;

    /// <summary>Every provider tried, in order, with ONNX Runtime's errors.</summary>
    public IReadOnlyList<ProviderAttempt> Attempts { get; } = attempts;
}
