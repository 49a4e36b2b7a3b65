using DrivePerception.Core.Budgets;

namespace DrivePerception.Node.Options;

/// <summary>
/// Everything `run` needs, parsed from the command line and validated once at start. Defaults and
/// ranges live in the option declarations (<see cref="Cli.RunCommandLine"/>), from which docs/OPTIONS.md is generated.
/// </summary>
public sealed class RunOptions
{
    /// <summary>Source spec: video file, image pattern, camera:N, /dev/videoN, synthetic:SCENARIO, or a .mcap recording.</summary>
    public string Source { get; set; } = "";
    /// <summary>Every --source as given (several, or ID=SOURCE, ask for the multi-camera node).</summary>
    public IReadOnlyList<string> Sources { get; set; } = [];
    /// <summary>--cameras FILE (run only), or empty.</summary>
    public string CamerasFile { get; set; } = "";
    /// <summary>True when the command line asks for several cameras in one node (<see cref="CameraSetup"/>).</summary>
    public bool IsMultiCamera => CameraSetup.IsMultiCamera(Sources, CamerasFile);
    /// <summary>ZeroMQ PUB endpoint to bind.</summary>
    public string Publish { get; set; } = "";
    /// <summary>Stop after this many captured frames (0 = no limit).</summary>
    public long MaxFrames { get; set; }
    /// <summary>Stop after this long (zero = no limit).</summary>
    public TimeSpan Duration { get; set; }
    /// <summary>Play a file source again from its start each time it ends (--loop; <see cref="Vision.Sources.LoopingSource"/>).</summary>
    public bool Loop { get; set; }
    /// <summary>Pace file sources at their frame rate (true) or read them as fast as the pipeline goes, losslessly.</summary>
    public bool Paced { get; set; } = true;
    /// <summary>End-to-end deadline and what happens past it.</summary>
    public LatencyBudget Budget { get; set; } = new(100, DeadlinePolicy.PublishInvalid);
    /// <summary>auto | tensorrt | cuda | cpu.</summary>
    public string Accelerator { get; set; } = "auto";
    /// <summary>Where CUDA/TensorRT bind the models' input and outputs (--gpu-io); ignored on the CPU.</summary>
    public Vision.Inference.GpuIoMode GpuIo { get; set; } = Vision.Inference.GpuIoMode.Host;
    /// <summary>Capture each model into a CUDA graph (--cuda-graph); needs <see cref="GpuIo"/> device.</summary>
    public bool CudaGraph { get; set; }
    /// <summary>cuDNN convolution algorithm search on CUDA (--cudnn-search): EXHAUSTIVE, HEURISTIC or DEFAULT.</summary>
    public string CudnnSearch { get; set; } = "EXHAUSTIVE";
    /// <summary>--batching batched: the cameras of a multi-camera node share one session per model, run once per step for all (docs/MULTI-CAMERA.md).</summary>
    public bool BatchedCameras { get; set; }
    /// <summary>--preprocess graph: the models (NAME.prep.onnx) resize the captured frame in their graph (docs/GPU.md).</summary>
    public bool PreprocessInGraph { get; set; }
    /// <summary>Semantic model ONNX path.</summary>
    public string SemanticModel { get; set; } = "";
    /// <summary>Lane model ONNX path, or empty for none.</summary>
    public string LaneModel { get; set; } = "";
    /// <summary>Instance model ONNX (task instance, decoder maskrcnn; or task panoptic), or empty: instances then come from the semantic model.</summary>
    public string InstanceModel { get; set; } = "";
    /// <summary>Instance score, NMS and centre thresholds (--instance-score, --instance-nms, --instance-centre-threshold).</summary>
    public Vision.Postprocessing.InstanceDecodingOptions Instances { get; set; } = new();
    /// <summary>Instance tracking (--instance-confirm-frames).</summary>
    public Vision.Tracking.InstanceTrackerOptions Tracking { get; set; } = new();
    /// <summary>Calibration YAML, or empty.</summary>
    public string Calibration { get; set; } = "";
    /// <summary>Undistort frames with the calibration before inference.</summary>
    public bool Undistort { get; set; }
    /// <summary>Also publish the full class map.</summary>
    public bool PublishClassMap { get; set; }
    /// <summary>Camera id put in every header.</summary>
    public string CameraId { get; set; } = "front";
    /// <summary>ONNX Runtime intra-op threads on CPU (0 = all cores).</summary>
    public int Threads { get; set; }
    /// <summary>Log warnings and errors only.</summary>
    public bool Quiet { get; set; }
    /// <summary>Write a JSON summary of the run (counters, per-stage percentiles) here.</summary>
    public string ReportPath { get; set; } = "";
    /// <summary>Where to serve the latency dashboard from this node (--dashboard), or null for none.</summary>
    public DrivePerception.Dashboard.Hosting.HttpListenAddress? Dashboard { get; set; }
    /// <summary>Previews a second on the node's own dashboard page (--preview-hz); 0: none.</summary>
    public double PreviewHz { get; set; }
    /// <summary>Frames per second for image-sequence sources.</summary>
    public double SequenceFps { get; set; } = 15;

    /// <summary>--camera-threads: several cameras served in turn on one pipeline thread, or each on its own (auto: own threads on a GPU).</summary>
    public Pipeline.CameraScheduling CameraScheduling { get; set; } = Pipeline.CameraScheduling.Auto;

    /// <summary>--degrade: step down to less work when frames take longer than the source's interval (paced sources and cameras only).</summary>
    public Degrade.DegradeMode Degrade { get; set; } = Node.Degrade.DegradeMode.Auto;

    /// <summary>The node's CURVE secret certificate (NAME.key_secret); empty: publish in plain.</summary>
    public string CurveKeyFile { get; set; } = "";

    /// <summary>
    /// Test hook, not on the command line: run the models this many times per frame, so inference takes this many
    /// times the time and CPU, as a really heavier model would. 1: off. The regression tests use it to show that the
    /// latency gate catches a real slowdown.
    /// </summary>
    public int InferSlowdown { get; set; } = 1;
}
