using Microsoft.ML.OnnxRuntime;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// The real providers, through ONNX Runtime's C# API. With the CPU package (the default build) both appends
/// throw: <see cref="OnnxRuntimeException"/> "... is not enabled in this build". With the GPU package on a machine
/// without CUDA they throw <see cref="OnnxRuntimeException"/> "Failed to load library ... libcublasLt.so.13: cannot
/// open shared object file" (TensorRT: libcublas.so.13, then libnvinfer.so.10).
/// </summary>
public sealed class OrtExecutionProviders : IExecutionProviders
{
    /// <summary>The one instance; it holds no state.</summary>
    public static OrtExecutionProviders Instance { get; } = new();

    private OrtExecutionProviders() { }

    /// <inheritdoc />
    public void AppendTensorRt(SessionOptions target, IReadOnlyDictionary<string, string> tensorRtOptions)
    {
        // The provider options are copied into the session options by the append, so they are released here.
        using var options = new OrtTensorRTProviderOptions();
        options.UpdateOptions(new Dictionary<string, string>(tensorRtOptions));
        target.AppendExecutionProvider_Tensorrt(options);
    }

    /// <inheritdoc />
    public void AppendCuda(SessionOptions target, int deviceId) =>
        AppendCuda(target, new Dictionary<string, string> { ["device_id"] = deviceId.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    /// <inheritdoc />
    public void AppendCuda(SessionOptions target, IReadOnlyDictionary<string, string> cudaOptions)
    {
        // As for TensorRT: the append copies the options into the session options.
        using var options = new OrtCUDAProviderOptions();
        options.UpdateOptions(new Dictionary<string, string>(cudaOptions));
        target.AppendExecutionProvider_CUDA(options);
    }
}
