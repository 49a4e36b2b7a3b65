using Microsoft.ML.OnnxRuntime;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// Appends GPU execution providers to ONNX Runtime session options. <see cref="OrtExecutionProviders"/> calls
/// ONNX Runtime; tests substitute fakes to drive <see cref="SessionFactory"/>'s fallback on a CPU-only machine.
/// An implementation throws what ONNX Runtime throws when a provider is missing
/// (<see cref="EntryPointNotFoundException"/>, <see cref="OnnxRuntimeException"/>, <see cref="DllNotFoundException"/>).
/// </summary>
public interface IExecutionProviders
{
    /// <summary>Appends the TensorRT provider with these provider options (ORT's trt_* keys).</summary>
    void AppendTensorRt(SessionOptions target, IReadOnlyDictionary<string, string> tensorRtOptions);

    /// <summary>Appends the CUDA provider on this GPU.</summary>
    void AppendCuda(SessionOptions target, int deviceId);

    /// <summary>
    /// Appends the CUDA provider with these provider options (ORT's keys: device_id, cudnn_conv_algo_search,
    /// enable_cuda_graph, ...). The default implementation hands on only device_id.
    /// </summary>
    void AppendCuda(SessionOptions target, IReadOnlyDictionary<string, string> cudaOptions) =>
        AppendCuda(target, int.Parse(cudaOptions["device_id"], System.Globalization.CultureInfo.InvariantCulture));
}
