using DrivePerception.Synthetic;
using DrivePerception.Vision.Inference;

namespace DrivePerception.Node.Benchmarking;

/// <summary>What one `bench` run measures: sizes, camera counts, frames, models and where the results go.</summary>
public sealed class BenchOptions
{
    /// <summary>Frame sizes, each rendered by its synthetic camera (calibration/synthetic-WxH.yaml).</summary>
    public IReadOnlyList<FrameResolution> Resolutions { get; init; } = [new(480, 360), new(1280, 720)];

    /// <summary>Camera counts; every size is run with each.</summary>
    public IReadOnlyList<int> CameraCounts { get; init; } = [1, 2, 4, 8];

    /// <summary>Measured frames per camera and configuration.</summary>
    public int Frames { get; init; } = 100;

    /// <summary>Frames per camera processed before the measured ones and left out of every figure.</summary>
    public int WarmupFrames { get; init; } = 5;

    /// <summary>auto, tensorrt, cuda or cpu.</summary>
    public string Accelerator { get; init; } = "auto";

    /// <summary>Semantic model (.onnx with its card), full path.</summary>
    public required string SemanticModel { get; init; }

    /// <summary>Lane model, full path; empty for none.</summary>
    public string LaneModel { get; init; } = "";

    /// <summary>Instance model (Mask R-CNN contract, with its card), full path; empty for none (instances from the class map).</summary>
    public string InstanceModel { get; init; } = "";

    /// <summary>Per camera, batched across cameras, or both (each configuration twice).</summary>
    public BenchBatching Batching { get; init; } = BenchBatching.PerCamera;

    /// <summary>Where GPU providers bind the buffers (see <see cref="ModelSessionOptions.GpuIo"/>); ignored on the CPU.</summary>
    public GpuIoMode GpuIo { get; init; } = GpuIoMode.Host;

    /// <summary>Capture each model into a CUDA graph (implies device I/O).</summary>
    public bool CudaGraph { get; init; }

    /// <summary>cuDNN convolution algorithm search of the CUDA provider.</summary>
    public string CudnnSearch { get; init; } = "EXHAUSTIVE";

    /// <summary>Also produce and encode the class map (perception/classmap), as `run --classmap` does.</summary>
    public bool ClassMap { get; init; }

    /// <summary>Rate each camera should sustain, frames/s.</summary>
    public double TargetFps { get; init; } = 30;

    /// <summary>Folder of the synthetic calibrations.</summary>
    public required string CalibrationFolder { get; init; }

    /// <summary>Scenario the cameras film; each camera renders its own run of it (own seed).</summary>
    public SyntheticScenario Scenario { get; init; } = SyntheticScenario.Cruising;

    /// <summary>Logical cores the ONNX Runtime threads are split over.</summary>
    public int Cores { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// --preprocess graph: the models resize the frame in their graph (models made by scripts/gpu/wrap_models.py
    /// --preprocess), opened at each resolution's size, so preprocessing is a copy. Default false (host resize).
    /// </summary>
    public bool PreprocessInGraph { get; init; }

    /// <summary>The command line as typed, for the JSON.</summary>
    public string CommandLine { get; init; } = "";

    /// <summary>
    /// Checks values and files before anything is rendered or loaded; throws <see cref="BenchInputException"/>
    /// with the fix (the command line checks the same values first, with the same messages).
    /// </summary>
    public void Validate()
    {
        if (Resolutions.Count == 0) throw new BenchInputException("--resolutions is empty; give sizes like 480x360,1280x720.");
        if (CameraCounts.Count == 0) throw new BenchInputException("--cameras is empty; give camera counts like 1,2,4,8.");
        foreach (var n in CameraCounts)
            if (BenchArguments.CameraCountError(n) is { } countError) throw new BenchInputException(countError);
        if ((BenchArguments.FramesError(Frames) ?? BenchArguments.WarmupError(WarmupFrames) ?? BenchArguments.TargetFpsError(TargetFps)) is { } error)
            throw new BenchInputException(error);
        if (!AcceleratorNames.TryParse(Accelerator, out _))
            throw new BenchInputException($"--accelerator '{Accelerator}' is not one of {string.Join(", ", AcceleratorNames.Valid)}.");
        if (Cores < 1) throw new BenchInputException($"Cores is {Cores}: the machine must report at least one core.");
        if (!File.Exists(SemanticModel))
            throw new BenchInputException($"--semantic-model {SemanticModel} does not exist; give a semantic model such as models/camvid-fast.onnx (its .card.json beside it).");
        if (LaneModel.Length > 0 && !File.Exists(LaneModel))
            throw new BenchInputException($"--lane-model {LaneModel} does not exist; give a lane model such as models/culane-lanes.onnx, or 'none'.");
        if (InstanceModel.Length > 0 && !File.Exists(InstanceModel))
            throw new BenchInputException($"--instance-model {InstanceModel} does not exist; give an instance model (Mask R-CNN contract, docs/MODEL-CONTRACT.md, its .card.json beside it), or leave the option out.");
        if (Cli.GpuOptions.ConflictError(GpuIo, CudaGraph) is { } gpuError) throw new BenchInputException(gpuError);
        if (!ModelSessionOptions.CudnnSearchModes.Contains(CudnnSearch))
            throw new BenchInputException($"--cudnn-search '{CudnnSearch}' is not one of {string.Join(", ", ModelSessionOptions.CudnnSearchModes)}.");
        foreach (var r in Resolutions) SyntheticCameras.PathFor(r, CalibrationFolder);
    }

    /// <summary>
    /// ONNX Runtime intra-op threads per session when <paramref name="cameras"/> cameras run at once: the cores split
    /// evenly, at least one (more cameras than cores then share cores through the OS scheduler).
    /// </summary>
    public int IntraOpThreadsFor(int cameras) => Math.Max(1, Cores / cameras);

    /// <summary>The modes each configuration runs in, in order.</summary>
    public IReadOnlyList<BenchBatching> Modes => Batching == BenchBatching.Both ? [BenchBatching.PerCamera, BenchBatching.Batched] : [Batching];
}
