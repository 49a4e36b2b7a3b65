namespace DrivePerception.Vision.Inference;

/// <summary>
/// How a <see cref="ModelSession"/> opens its model: provider choice and its settings, CPU threading, warm-up.
/// Checked by <see cref="Validate"/> when a session is loaded.
/// </summary>
public sealed class ModelSessionOptions
{
    /// <summary>The default TensorRT cache folder: ~/.cache/drive-perception/trt.</summary>
    public static string DefaultTensorRtCacheDirectory { get; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "drive-perception", "trt");

    /// <summary>
    /// Let idle ORT worker threads spin for work. Off by default: with several sessions sharing few cores the
    /// spinning of one session's pool starves the next session. Turn on for a single model on many cores.
    /// </summary>
    public bool AllowSpinning { get; set; }

    /// <summary>Execution provider. Default <see cref="Accelerator.Auto"/>.</summary>
    public Accelerator Accelerator { get; set; } = Accelerator.Auto;

    /// <summary>CPU threads inside one operator (ORT intra-op pool). Default: all cores; range 1..1024.</summary>
    public int IntraOpThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>GPU ordinal for CUDA and TensorRT. Default 0.</summary>
    public int DeviceId { get; set; }

    /// <summary>Let TensorRT build fp16 kernels (inputs and outputs stay uint8/fp32). Default true.</summary>
    public bool TensorRtFp16 { get; set; } = true;

    /// <summary>
    /// Folder for TensorRT's engine and timing caches, created when TensorRT is tried. Building an engine takes
    /// seconds to minutes; the cache makes later starts fast. Default <see cref="DefaultTensorRtCacheDirectory"/>.
    /// </summary>
    public string TensorRtCacheDirectory { get; set; } = DefaultTensorRtCacheDirectory;

    /// <summary>Runs on a blank frame before <see cref="ModelSession.Load(string, ModelSessionOptions, Microsoft.Extensions.Logging.ILogger)"/> returns, so the first real frame
    /// does not pay for lazy initialisation (and TensorRT engine building). Default 3; range 0..100.</summary>
    public int WarmupRuns { get; set; } = 3;

    /// <summary>
    /// Where the input and outputs live when CUDA or TensorRT runs the model. Default <see cref="GpuIoMode.Host"/>;
    /// <see cref="GpuIoMode.Device"/> falls back to it (logged once) when the CUDA runtime or the check at load fails.
    /// </summary>
    public GpuIoMode GpuIo { get; set; } = GpuIoMode.Host;

    /// <summary>
    /// Capture the model into a CUDA graph and replay it (ORT's enable_cuda_graph; TensorRT's trt_cuda_graph_enable):
    /// one launch per run instead of one per kernel. Needs <see cref="GpuIoMode.Device"/> (inputs and outputs at fixed
    /// device addresses). Off by default; a provider that refuses it (a node left on the CPU) is reopened without it.
    /// </summary>
    public bool CudaGraph { get; set; }

    /// <summary>
    /// cuDNN convolution algorithm search of the CUDA provider: EXHAUSTIVE (benchmark every algorithm once per shape,
    /// at warm-up; the fastest kernels), HEURISTIC (cuDNN's guess; fast start) or DEFAULT. Default EXHAUSTIVE.
    /// </summary>
    public string CudnnConvAlgoSearch { get; set; } = "EXHAUSTIVE";

    /// <summary>
    /// When set, models opened with these options are shared by the batch's cameras: one session per model file at
    /// batch N, each <see cref="ModelSession.Load(string, ModelSessionOptions, Microsoft.Extensions.Logging.ILogger)"/> returning one camera's
    /// slot of it (see <see cref="Inference.CameraBatch"/>). Default null: one session per load.
    /// </summary>
    public CameraBatch? CameraBatch { get; set; }

    /// <summary>
    /// Preprocessing in the graph: the size of the frames that will be fed (width x height, as captured). When set, a
    /// model wrapped by scripts/gpu/wrap_models.py --preprocess (ONNX metadata dp_preprocess = graph-resize) takes the
    /// frame at this size and resizes it itself, so the host only copies bytes; a model without the marker is refused
    /// (<see cref="ModelCardException"/>). Models with their own loaders (Mask R-CNN) always resize on the host.
    /// Default null: the host resizes to the card's size (FramePreprocessor).
    /// </summary>
    public OpenCvSharp.Size? CaptureSize { get; set; }

    /// <summary>
    /// When an fp16 model (card precision fp16) lands on the CPU provider, open its fp32 sibling instead (X.fp16.onnx ->
    /// X.onnx beside it, logged): fp16 gains nothing there and loses precision. Default true; `eval` turns it off, since
    /// it scores the file it was given.
    /// </summary>
    public bool Fp32OnCpu { get; set; } = true;

    /// <summary>Called with every session <see cref="ModelSession.Load(string, ModelSessionOptions, Microsoft.Extensions.Logging.ILogger)"/> opens (the bench records the I/O mode that ran).</summary>
    public Action<ModelSession>? SessionOpened { get; set; }

    /// <summary>The cuDNN search modes the CUDA provider takes.</summary>
    public static IReadOnlyList<string> CudnnSearchModes { get; } = ["EXHAUSTIVE", "HEURISTIC", "DEFAULT"];

    /// <summary>A copy of these options with host-bound buffers and no CUDA graph: what the device path falls back to.</summary>
    public ModelSessionOptions WithHostIo()
    {
        var copy = Copy();
        copy.GpuIo = GpuIoMode.Host;
        copy.CudaGraph = false;
        return copy;
    }

    /// <summary>A copy of these options whose models are slots of <paramref name="batch"/> (null: one session per load).</summary>
    public ModelSessionOptions WithCameraBatch(CameraBatch? batch)
    {
        var copy = Copy();
        copy.CameraBatch = batch;
        return copy;
    }

    private ModelSessionOptions Copy() => new()
    {
        AllowSpinning = AllowSpinning,
        Accelerator = Accelerator,
        IntraOpThreads = IntraOpThreads,
        DeviceId = DeviceId,
        TensorRtFp16 = TensorRtFp16,
        TensorRtCacheDirectory = TensorRtCacheDirectory,
        WarmupRuns = WarmupRuns,
        GpuIo = GpuIo,
        CudaGraph = CudaGraph,
        CudnnConvAlgoSearch = CudnnConvAlgoSearch,
        CameraBatch = CameraBatch,
        CaptureSize = CaptureSize,
        Fp32OnCpu = Fp32OnCpu,
        SessionOpened = SessionOpened,
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad setting, its range and the fix.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Accelerator))
            throw new ArgumentException($"Accelerator {(int)Accelerator} is not defined: use one of {string.Join(", ", AcceleratorNames.Valid)}.");
        if (IntraOpThreads is < 1 or > 1024)
            throw new ArgumentException($"IntraOpThreads is {IntraOpThreads}: use 1..1024, or leave it unset for all {Environment.ProcessorCount} cores.");
        if (DeviceId < 0)
            throw new ArgumentException($"DeviceId is {DeviceId}: use the GPU ordinal (0 for the first GPU, as nvidia-smi lists them).");
        if (WarmupRuns is < 0 or > 100)
            throw new ArgumentException($"WarmupRuns is {WarmupRuns}: use 0..100 (3 is enough to settle allocations).");
        if (string.IsNullOrWhiteSpace(TensorRtCacheDirectory))
            throw new ArgumentException($"TensorRtCacheDirectory is empty: give a writable folder, or leave it unset for {DefaultTensorRtCacheDirectory}.");
        if (!Enum.IsDefined(GpuIo))
            throw new ArgumentException($"GpuIo {(int)GpuIo} is not defined: use host or device.");
        if (CudaGraph && GpuIo != GpuIoMode.Device)
            throw new ArgumentException("CudaGraph needs GpuIo = device: a CUDA graph replays fixed device addresses, so the input and outputs must be bound on the GPU.");
        if (CaptureSize is { } capture && (capture.Width is < 1 or > 16384 || capture.Height is < 1 or > 16384))
            throw new ArgumentException($"CaptureSize is {capture.Width}x{capture.Height}: give the frames' size (1..16384 per side), or leave it unset to resize on the host.");
        if (!CudnnSearchModes.Contains(CudnnConvAlgoSearch))
            throw new ArgumentException($"CudnnConvAlgoSearch is '{CudnnConvAlgoSearch}': use one of {string.Join(", ", CudnnSearchModes)}.");
    }
}
