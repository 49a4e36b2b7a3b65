namespace DrivePerception.Vision.Inference;

/// <summary>
/// One try at opening a model on an execution provider, kept so the node can report in its status why it runs
/// where it runs.
/// </summary>
/// <param name="Provider">The provider tried (never <see cref="Accelerator.Auto"/>).</param>
/// <param name="Succeeded">Whether the session opened on it.</param>
/// <param name="Error">When it failed: the exception type and ONNX Runtime's exact text; null on success.</param>
public sealed record ProviderAttempt(Accelerator Provider, bool Succeeded, string? Error)
{
    /// <summary>"cuda: failed (OnnxRuntimeException: ...)" or "cpu: ok".</summary>
    public override string ToString() => Succeeded ? $"{Provider.ToName()}: ok" : $"{Provider.ToName()}: failed ({Error})";
}
