using DrivePerception.Vision.Inference;
using Microsoft.ML.OnnxRuntime;

namespace DrivePerception.Vision.Tests.Inference;

/// <summary>
/// GPU providers that fail (or do nothing) as configured and record what was appended, so the fallback order
/// and the settings handed to TensorRT can be checked without a GPU. A provider that "succeeds" appends nothing,
/// so the session really runs on the CPU while the factory believes it runs on that provider.
/// </summary>
internal sealed class FakeProviders(Exception? tensorRtFailure, Exception? cudaFailure,
    Func<IReadOnlyDictionary<string, string>, Exception?>? cudaOptionsFailure = null) : IExecutionProviders
{
    public List<string> Appended { get; } = [];
    public IReadOnlyDictionary<string, string>? TensorRtOptions { get; private set; }
    /// <summary>The CUDA provider options of every append, in order.</summary>
    public List<IReadOnlyDictionary<string, string>> CudaOptions { get; } = [];

    /// <summary>As ORT: the options are taken whole; <c>cudaOptionsFailure</c> may refuse some (an unknown key, a graph).</summary>
    public void AppendCuda(SessionOptions target, IReadOnlyDictionary<string, string> cudaOptions)
    {
        CudaOptions.Add(new Dictionary<string, string>(cudaOptions));
        if (cudaOptionsFailure?.Invoke(cudaOptions) is { } refused)
        {
            Appended.Add($"cuda:{cudaOptions["device_id"]}");
            throw refused;
        }
        AppendCuda(target, int.Parse(cudaOptions["device_id"], System.Globalization.CultureInfo.InvariantCulture));
    }

    public void AppendTensorRt(SessionOptions target, IReadOnlyDictionary<string, string> tensorRtOptions)
    {
        Appended.Add("tensorrt");
        TensorRtOptions = tensorRtOptions;
        if (tensorRtFailure is not null) throw tensorRtFailure;
    }

    public void AppendCuda(SessionOptions target, int deviceId)
    {
        Appended.Add($"cuda:{deviceId}");
        if (cudaFailure is not null) throw cudaFailure;
    }
}
