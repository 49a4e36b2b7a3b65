using System.Reflection;
using Microsoft.ML.OnnxRuntime;

namespace DrivePerception.Vision.Tests.Inference;

/// <summary>
/// ONNX Runtime exceptions as the real packages throw them (its constructor is internal, hence reflection), with
/// texts recorded from Microsoft.ML.OnnxRuntime.Gpu.Linux 1.31.0 on a machine without CUDA.
/// </summary>
internal static class OrtErrors
{
    public const string CudaLibraryMissing =
        "/onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:2043 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() "
        + "[ONNXRuntimeError] : 1 : FAIL : Failed to load library runtimes/linux-x64/native/libonnxruntime_providers_cuda.so with error: "
        + "libcublasLt.so.13: cannot open shared object file: No such file or directory\n";

    public const string TensorRtLibraryMissing =
        "/onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:2043 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() "
        + "[ONNXRuntimeError] : 1 : FAIL : Failed to load library runtimes/linux-x64/native/libonnxruntime_providers_tensorrt.so with error: "
        + "libcublas.so.13: cannot open shared object file: No such file or directory\n";

    public static OnnxRuntimeException Fail(string message)
    {
        // ErrorCode is internal too; Fail is 1, as in "[ONNXRuntimeError] : 1 : FAIL".
        var ctor = typeof(OnnxRuntimeException).GetConstructors(BindingFlags.NonPublic | BindingFlags.Instance).Single();
        var fail = Enum.ToObject(ctor.GetParameters()[0].ParameterType, 1);
        return (OnnxRuntimeException)ctor.Invoke([fail, message]);
    }
}
