using System.Globalization;
using DrivePerception.Core.Models;
using DrivePerception.Vision.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
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
    private readonly ILogger _log;

    /// <summary>A factory with these settings (validated here).</summary>
    /// <param name="options">Provider choice and settings.</param>
    /// <param name="providers">Appends GPU providers; default <see cref="OrtExecutionProviders.Instance"/>.</param>
    /// <param name="log">Receives one line per provider tried; default: nowhere.</param>
    public SessionFactory(ModelSessionOptions options, IExecutionProviders? providers = null, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _providers = providers ?? OrtExecutionProviders.Instance;
        _log = log ?? NullLogger.Instance;
    }

    /// <summary>The providers tried for a request, in order: Auto gives TensorRT, Cuda, Cpu; others give themselves.</summary>
    public static IReadOnlyList<Accelerator> CandidatesFor(Accelerator requested) => requested switch
    {
        Accelerator.Auto => [Accelerator.TensorRT, Accelerator.Cuda, Accelerator.Cpu],
        _ => [requested],
    };

    /// <summary>
    /// Opens <paramref name="onnxPath"/> (input described by <paramref name="input"/>, used for TensorRT's shape
    /// profile, at batch <paramref name="batch"/>). With <see cref="ModelSessionOptions.CudaGraph"/>, a GPU provider
    /// that refuses the graph (ORT does when a node is not on the GPU) is opened again without it, logged; see
    /// <see cref="AcceleratedSession.CudaGraph"/>. The caller owns the result.
    /// </summary>
    /// <exception cref="AcceleratorUnavailableException">An explicit tensorrt or cuda could not be used.</exception>
    /// <exception cref="ModelCardException">ONNX Runtime cannot load the file at all (corrupt, truncated, not ONNX).</exception>
    public AcceleratedSession Create(string onnxPath, ModelCardInput input, int batch = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
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
                InferenceSession? session = null;
                var tuning = Tunings(provider);
                for (int t = 0; session is null; t++)
                {
                    try
                    {
                        sessionOptions = BuildOptions(provider, input, batch, tuning[t].CudaGraph, tuning[t].Plain);
                        // TensorRT builds its engine here, at load and off the hot path: say so, as the first build
                        // of a model can take minutes (later starts read the cache).
                        if (provider == Accelerator.TensorRT)
                            _log.LogInformation($"{model}: TensorRT is building or loading its engine (first build: up to minutes; cache {_options.TensorRtCacheDirectory})");
                        var opening = System.Diagnostics.Stopwatch.StartNew();
                        session = new InferenceSession(onnxPath, sessionOptions);
                        if (provider == Accelerator.TensorRT)
                            _log.LogInformation($"{model}: TensorRT engine ready in {opening.Elapsed.TotalSeconds:F1} s");
                    }
                    catch (Exception e) when (t + 1 < tuning.Count && ProviderFailureAdvice.IsProviderFailure(e) && !IsProviderMissing(e))
                    {
                        // The graph or a tuning key, not the provider, may be what failed: the next variant drops it.
                        // (A provider missing from the build or its libraries fails the same way every time: not retried.)
                        sessionOptions?.Dispose();
                        sessionOptions = null;
                        _log.LogInformation($"{model}: {provider.ToName()} {tuning[t].Name} refused ({ProviderFailureAdvice.Describe(e)}); trying {tuning[t + 1].Name}");
                        continue;
                    }
                    attempts.Add(new ProviderAttempt(provider, true, null));
                    _log.LogInformation($"{model}: running on {provider.ToName()}{(tuning[t].CudaGraph ? " with a CUDA graph" : "")}");
                    return new AcceleratedSession(session, sessionOptions, provider, attempts) { CudaGraph = tuning[t].CudaGraph };
                }
                throw new InvalidOperationException("unreachable: the loop returns or throws");
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
                _log.LogInformation($"{model}: {provider.ToName()} unavailable ({ProviderFailureAdvice.Describe(e)}){next}");
            }
        }

        // Only an explicit GPU request gets here. Tell a broken file apart from a missing provider before blaming the provider.
        ThrowIfCpuCannotLoad(onnxPath);
        throw new AcceleratorUnavailableException(_options.Accelerator, onnxPath, attempts,
            ProviderFailureAdvice.Fix(_options.Accelerator, lastFailure!));
    }

    /// <summary>
    /// The session whose host-bound runs are the reference of the device I/O check at load for
    /// <paramref name="checkedSession"/>: null when that session has no CUDA graph (its own host-bound runs are the
    /// reference), else a separate session of the same file on the same provider, opened without the graph (tuned
    /// options, or the device id alone if those are refused). A graph session cannot be its own reference: on an H100
    /// (ORT 1.31) its host-bound runs with gpu_graph_id = -1 still replayed the captured graph, reading the device
    /// input, so they gave the same outputs for every input. The caller owns the result and disposes it after the check.
    /// </summary>
    /// <exception cref="AcceleratorUnavailableException">The provider refused a second session (out of memory, say).</exception>
    public AcceleratedSession? OpenCheckReference(string onnxPath, ModelCardInput input, int batch, AcceleratedSession checkedSession)
    {
        ArgumentNullException.ThrowIfNull(checkedSession);
        if (!checkedSession.CudaGraph) return null;
        var options = _options.WithHostIo();
        // Explicit, not Auto: a reference on another provider would compare other kernels, and a failure must not
        // quietly land on the CPU.
        options.Accelerator = checkedSession.Accelerator;
        return new SessionFactory(options, _providers, new PrefixedLogger(_log, "check reference: ")).Create(onnxPath, input, batch);
    }

    /// <summary>
    /// Session options for one provider: CPU settings (intra-op threads, graph optimisation ALL, memory pattern on)
    /// and, for TensorRT or CUDA, the provider appended (TensorRT's profile at <paramref name="batch"/>, the CUDA graph
    /// when <paramref name="cudaGraph"/>). The caller owns the result.
    /// </summary>
    public SessionOptions BuildOptions(Accelerator provider, ModelCardInput input, int batch = 1, bool cudaGraph = false, bool plainCuda = false)
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
                    var tensorRt = new Dictionary<string, string>(TensorRtOptions(input, batch));
                    if (cudaGraph) tensorRt["trt_cuda_graph_enable"] = "1";
                    _providers.AppendTensorRt(sessionOptions, tensorRt);
                    // Nodes TensorRT does not take run on CUDA rather than falling to the CPU; TensorRT holds the graph.
                    _providers.AppendCuda(sessionOptions, plainCuda ? PlainCudaOptions() : CudaOptions(cudaGraph: false));
                    break;
                case Accelerator.Cuda:
                    _providers.AppendCuda(sessionOptions, plainCuda ? PlainCudaOptions() : CudaOptions(cudaGraph));
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
    /// The ways a provider is opened, best first: with the CUDA graph when asked for, then the tuned options without
    /// it, then (last resort, what this node ran before any tuning) the device alone. CPU: once, as it is.
    /// </summary>
    private IReadOnlyList<(string Name, bool CudaGraph, bool Plain)> Tunings(Accelerator provider)
    {
        if (provider == Accelerator.Cpu) return [("as is", false, false)];
        var list = new List<(string, bool, bool)>();
        if (_options.CudaGraph) list.Add(("with a CUDA graph", true, false));
        list.Add(("with tuned CUDA options", false, false));
        list.Add(("with the device id alone", false, true));
        return list;
    }

    /// <summary>A failure that says the provider is not in this build or its libraries do not load: no variant helps.</summary>
    private static bool IsProviderMissing(Exception e) =>
        e is EntryPointNotFoundException or DllNotFoundException
        || e.Message.Contains("not enabled in this build", StringComparison.Ordinal)
        || e.Message.Contains("Failed to load", StringComparison.Ordinal)
        || e.Message.Contains("cannot open shared object file", StringComparison.Ordinal);

    /// <summary>The CUDA provider options the node used before tuning: the device alone.</summary>
    private Dictionary<string, string> PlainCudaOptions() =>
        new() { ["device_id"] = _options.DeviceId.ToString(CultureInfo.InvariantCulture) };

    /// <summary>
    /// CUDA provider options (ORT's keys): the device; cuDNN's algorithm search per settings (EXHAUSTIVE by default:
    /// the benchmark runs once per shape, at warm-up, never on a measured frame) with the largest workspace it wants;
    /// copies in the compute stream's order (do_copy_in_default_stream, ORT's recommended setting); the arena grown
    /// by what is asked rather than in powers of two (eight cameras with two sessions each on one GPU); and
    /// enable_cuda_graph when <paramref name="cudaGraph"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> CudaOptions(bool cudaGraph)
    {
        var options = new Dictionary<string, string>
        {
            ["device_id"] = _options.DeviceId.ToString(CultureInfo.InvariantCulture),
            ["cudnn_conv_algo_search"] = _options.CudnnConvAlgoSearch,
            ["cudnn_conv_use_max_workspace"] = "1",
            ["do_copy_in_default_stream"] = "1",
            ["arena_extend_strategy"] = "kSameAsRequested",
        };
        if (cudaGraph) options["enable_cuda_graph"] = "1";
        return options;
    }

    /// <summary>
    /// TensorRT provider options: fp16 per settings, engine and timing caches in the cache folder, and a fixed
    /// shape profile at <paramref name="batch"/> (1 per camera, or the cameras of a <see cref="CameraBatch"/>) so a
    /// dynamic-batch model builds one engine, once.
    /// </summary>
    public IReadOnlyDictionary<string, string> TensorRtOptions(ModelCardInput input, int batch = 1)
    {
        string n = batch.ToString(CultureInfo.InvariantCulture);
        string dims = input.Layout == "NCHW"
            ? $"{n}x3x{input.Height}x{input.Width}"
            : $"{n}x{input.Height}x{input.Width}x3";
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
