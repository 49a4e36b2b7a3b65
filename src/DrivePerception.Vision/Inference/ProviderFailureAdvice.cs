using Microsoft.ML.OnnxRuntime;

namespace DrivePerception.Vision.Inference;

/// <summary>Turns a provider failure into the error text recorded for it and the fix an operator can apply.</summary>
internal static class ProviderFailureAdvice
{
    /// <summary>
    /// Whether the exception means "this provider cannot run here" (fall back) rather than a bug (propagate).
    /// The CPU package throws <see cref="EntryPointNotFoundException"/> or OnnxRuntimeException "not enabled in this
    /// build"; the GPU package without CUDA throws OnnxRuntimeException "Failed to load library".
    /// </summary>
    public static bool IsProviderFailure(Exception e) =>
        e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException
            or IOException or UnauthorizedAccessException;

    /// <summary>
    /// The GPU package without CUDA says "Failed to load library .../libonnxruntime_providers_cuda.so with error:
    /// libcublasLt.so.13: cannot open shared object file" (seen with 1.31.0); the older wording "Failed to load shared library" is matched too.
    /// </summary>
    private static bool IsLibraryLoadFailure(string message) =>
        message.Contains("Failed to load library", StringComparison.Ordinal)
        || message.Contains("Failed to load shared library", StringComparison.Ordinal)
        || message.Contains("cannot open shared object file", StringComparison.Ordinal);

    /// <summary>The exception type and its exact text, e.g. "OnnxRuntimeException: [ErrorCode:Fail] ...".</summary>
    public static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message.Trim()}";

    /// <summary>How to make the provider work, chosen by the kind of failure.</summary>
    public static string Fix(Accelerator provider, Exception e)
    {
        string libraries = provider == Accelerator.TensorRT
            ? "CUDA 13, cuDNN 9 and TensorRT 10 (libnvinfer.so.10)"
            : "CUDA 13 and cuDNN 9 (libcublasLt.so.13, libcudnn.so.9)";
        string fallback = "or choose accelerator auto (falls back to the CPU) or cpu.";
        if (e is IOException or UnauthorizedAccessException)
            return $"make the TensorRT cache folder writable or set another one (TensorRtCacheDirectory), {fallback}";
        if (e is EntryPointNotFoundException || e.Message.Contains("not enabled in this build", StringComparison.Ordinal))
            return $"this build carries the CPU-only ONNX Runtime: build with -p:OrtFlavor=gpu (Microsoft.ML.OnnxRuntime.Gpu.Linux) and run on a machine with an NVIDIA GPU and {libraries} on the library path, {fallback}";
        if (e is DllNotFoundException || IsLibraryLoadFailure(e.Message))
            return $"the GPU build of ONNX Runtime could not load its libraries: run on a machine with an NVIDIA driver and {libraries} on the library path (LD_LIBRARY_PATH), {fallback}";
        return $"read the ONNX Runtime error above; the GPU build (-p:OrtFlavor=gpu) needs an NVIDIA driver and {libraries}, {fallback}";
    }
}
