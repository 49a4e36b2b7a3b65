using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Postprocessing;
using DrivePerception.Vision.Tracking;

namespace DrivePerception.Node.Options;

/// <summary>
/// Which models run where: the ONNX files (full paths), the execution provider and its GPU settings, CPU threads,
/// and the instance decoding and tracking settings. Bound once from the command line (<see cref="Cli.RunCommandLine.Bind"/>).
/// </summary>
public sealed record ModelStageOptions
{
    /// <summary>Semantic model ONNX path.</summary>
    public string SemanticModel { get; init; } = "";
    /// <summary>Lane model ONNX path, or empty for none.</summary>
    public string LaneModel { get; init; } = "";
    /// <summary>Instance model ONNX (task instance, decoder maskrcnn; or task panoptic), or empty: instances then come from the semantic model.</summary>
    public string InstanceModel { get; init; } = "";
    /// <summary>Instance score, NMS and centre thresholds (--instance-score, --instance-nms, --instance-centre-threshold).</summary>
    public InstanceDecodingOptions Instances { get; init; } = new();
    /// <summary>Instance tracking (--instance-confirm-frames).</summary>
    public InstanceTrackerOptions Tracking { get; init; } = new();
    /// <summary>--accelerator: the execution provider asked for.</summary>
    public Accelerator Accelerator { get; init; } = Accelerator.Auto;
    /// <summary>Where CUDA/TensorRT bind the models' input and outputs (--gpu-io); ignored on the CPU.</summary>
    public GpuIoMode GpuIo { get; init; } = GpuIoMode.Host;
    /// <summary>Capture each model into a CUDA graph (--cuda-graph); needs <see cref="GpuIo"/> device.</summary>
    public bool CudaGraph { get; init; }
    /// <summary>cuDNN convolution algorithm search on CUDA (--cudnn-search).</summary>
    public CudnnSearch CudnnSearch { get; init; } = CudnnSearch.Exhaustive;
    /// <summary>--preprocess graph: the models (NAME.prep.onnx) resize the captured frame in their graph (docs/GPU.md).</summary>
    public bool PreprocessInGraph { get; init; }
    /// <summary>ONNX Runtime intra-op threads on CPU (0 = all cores).</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Test hook, not on the command line: run the models this many times per frame, so inference takes this many
    /// times the time and CPU, as a really heavier model would. 1: off. The regression tests use it to show that the
    /// latency gate catches a real slowdown.
    /// </summary>
    public int InferSlowdown { get; init; } = 1;

    /// <summary>
    /// The session options these settings ask for; <paramref name="sessionOpened"/> hears what each model actually ran
    /// with (device I/O and CUDA graphs fall back to host I/O at load).
    /// </summary>
    public ModelSessionOptions SessionOptions(Action<ModelSession>? sessionOpened = null)
    {
        var session = new ModelSessionOptions
        {
            Accelerator = Accelerator,
            GpuIo = GpuIo,
            CudaGraph = CudaGraph,
            CudnnConvAlgoSearch = CudnnSearch.ToString().ToUpperInvariant(),
            SessionOpened = sessionOpened,
        };
        if (Threads > 0) session.IntraOpThreads = Threads;
        return session;
    }
}
