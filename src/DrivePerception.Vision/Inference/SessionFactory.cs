using System.Globalization;
using DrivePerception.Core.Models;
using Microsoft.ML.OnnxRuntime;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// Opens one long-lived ONNX Runtime session per model on the requested provider. Auto tries TensorRT, then CUDA,
/// then CPU, logging ONNX Runtime's exact error for each one that fails; an explicit tensorrt or cuda that fails is
/// an error at start (<see cref="AcceleratorUnavailableException"/>) naming the fix. A model that even the CPU cannot
/// load is reported as a broken file (<see cref="ModelCardException"/>), not as a provider problem.
/// </summary>
public sealed class SessionFactory
{
    private readonly ModelSessionOptions _options;
    private readonly IExecutionProviders _providers;
    private readonly Action<string> _log;

    /// <summary>A factory with these settings (validated here).</summary>
    /// <param name="options">Provider choice and settings.</param>
    /// <param name="providers">Appends GPU providers; default <see cref="OrtExecutionProviders.Instance"/>.</param>
    /// <param name="log">Receives one line per provider tried; default: nowhere.</param>
    public SessionFactory(ModelSessionOptions options, IExecutionProviders? providers = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _providers = providers ?? OrtExecutionProviders.Instance;
        _log = log ?? (_ => { });
    }

    /// <summary>The providers tried for a request, in order: Auto gives TensorRT, Cuda, Cpu; others give themselves.</summary>
    public static IReadOnlyList<Accelerator> CandidatesFor(Accelerator requested) => requested switch
    {
        Accelerator.Auto => [Accelerator.TensorRT, Accelerator.Cuda, Accelerator.Cpu],
        _ => [requested],
    };

    /// <summary>
    /// Opens <paramref name="onnxPath"/> (input described by <paramref name="input"/>, used for TensorRT's shape
    /// profile). The caller owns the result.
    /// </summary>
    /// <exception cref="AcceleratorUnavailableException">An explicit tensorrt or cuda could not be used.</exception>
    /// <exception cref="ModelCardException">ONNX Runtime cannot load the file at all (corrupt, truncated, not ONNX).</exception>
    public AcceleratedSession Create(string onnxPath, ModelCardInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        string model = Path.GetFileName(onnxPath);
        var candidates = CandidatesFor(_options.Accelerator);
        var attempts = new List<ProviderAttempt>();
        Exception? lastFailure = null;
        for (int i = 0; i < candidates.Count; i++)
        {
            var provider = candidates[i];
            SessionOptions? sessionOptions = null;
            try
            {
                sessionOptions = BuildOptions(provider, input);
                var session = new InferenceSession(onnxPath, sessionOptions);
                attempts.Add(new ProviderAttempt(provider, true, null));
                _log($"{model}: running on {provider.ToName()}");
                return new AcceleratedSession(session, sessionOptions, provider, attempts);
            }
            catch (OnnxRuntimeException e) when (provider == Accelerator.Cpu)
            {
                sessionOptions?.Dispose();
                attempts.Add(new ProviderAttempt(provider, false, ProviderFailureAdvice.Describe(e)));
                throw Unloadable(onnxPath, e);
            }
            catch (Exception e) when (provider != Accelerator.Cpu && ProviderFailureAdvice.IsProviderFailure(e))
            {
                sessionOptions?.Dispose();
                attempts.Add(new ProviderAttempt(provider, false, ProviderFailureAdvice.Describe(e)));
                lastFailure = e;
                string next = i + 1 < candidates.Count ? $"; trying {candidates[i + 1].ToName()}" : "";
                _log($"{model}: {provider.ToName()} unavailable ({ProviderFailureAdvice.Describe(e)}){next}");
            }
        }

        // Only an explicit GPU request gets here. Tell a broken file apart from a missing provider before blaming the provider.
        ThrowIfCpuCannotLoad(onnxPath);
        throw new AcceleratorUnavailableException(_options.Accelerator, onnxPath, attempts,
            ProviderFailureAdvice.Fix(_options.Accelerator, lastFailure!));
    }

    /// <summary>
    /// Session options for one provider: CPU settings (intra-op threads, graph optimisation ALL, memory pattern on)
    /// and, for TensorRT or CUDA, the provider appended. The caller owns the result.
    /// </summary>
    public SessionOptions BuildOptions(Accelerator provider, ModelCardInput input)
    {
        var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = _options.IntraOpThreads,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            EnableMemoryPattern = true,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        // The node runs several sessions back to back, each with its own intra-op pool. Spinning threads of the
        // session that just finished would keep the cores from the next one (measured on the 2-core machine:
        // both models 91 ms per frame with spinning, against 39 ms for the two sessions alone; see BENCHMARKS.md).
        if (!_options.AllowSpinning) sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        try
        {
            switch (provider)
            {
                case Accelerator.TensorRT:
                    Directory.CreateDirectory(_options.TensorRtCacheDirectory);
                    _providers.AppendTensorRt(sessionOptions, TensorRtOptions(input));
                    // Nodes TensorRT does not take run on CUDA rather than falling to the CPU.
                    _providers.AppendCuda(sessionOptions, _options.DeviceId);
                    break;
                case Accelerator.Cuda:
                    _providers.AppendCuda(sessionOptions, _options.DeviceId);
                    break;
                case Accelerator.Cpu:
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(provider), provider, "Auto is resolved by CandidatesFor, not appended.");
            }
            return sessionOptions;
        }
        catch
        {
            sessionOptions.Dispose();
            throw;
        }
    }

    /// <summary>
    /// TensorRT provider options: fp16 per settings, engine and timing caches in the cache folder, and a fixed
    /// batch-1 shape profile so a dynamic-batch model builds one engine, once.
    /// </summary>
    public IReadOnlyDictionary<string, string> TensorRtOptions(ModelCardInput input)
    {
        string dims = input.Layout == "NCHW"
            ? $"1x3x{input.Height}x{input.Width}"
            : $"1x{input.Height}x{input.Width}x3";
        string profile = $"{input.Name}:{dims}";
        return new Dictionary<string, string>
        {
            ["device_id"] = _options.DeviceId.ToString(CultureInfo.InvariantCulture),
            ["trt_fp16_enable"] = _options.TensorRtFp16 ? "1" : "0",
            ["trt_engine_cache_enable"] = "1",
            ["trt_engine_cache_path"] = _options.TensorRtCacheDirectory,
            ["trt_timing_cache_enable"] = "1",
            ["trt_timing_cache_path"] = _options.TensorRtCacheDirectory,
            ["trt_profile_min_shapes"] = profile,
            ["trt_profile_opt_shapes"] = profile,
            ["trt_profile_max_shapes"] = profile,
        };
    }

    private void ThrowIfCpuCannotLoad(string onnxPath)
    {
        using var cpuOptions = BuildOptions(Accelerator.Cpu, new ModelCardInput());
        try
        {
            using var probe = new InferenceSession(onnxPath, cpuOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw Unloadable(onnxPath, e);
        }
    }

    private static ModelCardException Unloadable(string onnxPath, OnnxRuntimeException e) => new(onnxPath,
        $"ONNX Runtime cannot load the model ({ProviderFailureAdvice.Describe(e)}). The file is truncated, corrupt, "
        + "not an ONNX model, or uses operators this ONNX Runtime lacks: copy it again, or re-run training/export.py "
        + "(opset 17) and update the card's sha256.");
}
