using System.CommandLine;
using System.Globalization;
using DrivePerception.Core.Budgets;
using DrivePerception.Core.Frames;
using DrivePerception.Dashboard.Hosting;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Options;

namespace DrivePerception.Node.Cli;

/// <summary>
/// The `run` command's options: one declaration each with its default and range. docs/OPTIONS.md is
/// generated from these declarations (`./drive-perception options-doc`).
/// </summary>
public sealed class RunCommandLine
{
    /// <summary>Default PUB endpoint.</summary>
    public const string DefaultEndpoint = "tcp://127.0.0.1:5556";

    /// <summary>--source.</summary>
    public Option<string[]> Source { get; } = new("--source", "-s")
    {
        Description = "Video file (.mp4/.avi/.mkv), image pattern ('frames/*.png' or 'img_%05d.jpg'), camera:N or /dev/videoN, "
            + "synthetic:SCENARIO (rendered as `synth` makes it; `synth --list` names them), or a .mcap recording. Default: the drive shipped in recordings/. "
            + "run and record: repeat as ID=SOURCE for several cameras in one node (docs/MULTI-CAMERA.md).",
    };

    /// <summary>--cameras (run and record only: <see cref="RunCommand"/> and <see cref="RecordCommand"/> add it).</summary>
    public Option<string> Cameras { get; } = new("--cameras")
    {
        Description = "A .json or .yaml file listing cameras (id, source, optional calibration) to run in one node, "
            + "with or besides --source ID=SOURCE; see docs/MULTI-CAMERA.md.",
    };

    /// <summary>--publish.</summary>
    public Option<string> Publish { get; } = new("--publish", "-p")
    {
        Description = "ZeroMQ PUB endpoint to bind (tcp://host:port, ipc:///path).", DefaultValueFactory = _ => DefaultEndpoint,
    };

    /// <summary>--curve-key.</summary>
    public Option<string> CurveKey { get; } = new("--curve-key")
    {
        Description = "Serve encrypted (ZeroMQ CURVE) with this secret certificate, NAME.key_secret from `./drive-perception keys`; "
            + "subscribers then need NAME.key (listen --curve-server-key). Default: plain, which anyone who can reach the endpoint reads "
            + "(see docs/SECURITY.md).",
    };

    /// <summary>--max-frames.</summary>
    public Option<long> MaxFrames { get; } = new("--max-frames", "-n") { Description = "Stop after this many captured frames; 0: no limit." };

    /// <summary>--duration.</summary>
    public Option<double> Duration { get; } = new("--duration") { Description = "Stop after this many seconds; 0: no limit." };

    /// <summary>--loop.</summary>
    public Option<bool> Loop { get; } = new("--loop")
    {
        Description = "Play a file source (video, image pattern, .mcap recording, synthetic:SCENARIO) again from its start each time it ends, "
            + "until --duration, --max-frames or Ctrl+C; frame numbers and source time keep increasing. Refused for a camera. For soak runs (docs/RUN.md).",
    };

    /// <summary>--rate.</summary>
    public Option<string> Rate { get; } = new("--rate")
    {
        Description = "source: pace files at their frame rate (newest frame wins, late frames dropped); "
            + "max: read files as fast as the pipeline goes, every frame processed.",
        DefaultValueFactory = _ => "source",
    };

    /// <summary>--deadline-ms.</summary>
    public Option<double> DeadlineMs { get; } = new("--deadline-ms")
    {
        Description = "End-to-end deadline from capture to publish, ms (> 0).", DefaultValueFactory = _ => 100,
    };

    /// <summary>--deadline-policy.</summary>
    public Option<string> DeadlinePolicy { get; } = new("--deadline-policy")
    {
        Description = "A frame already past its deadline before inference is dropped (drop) or published with valid=false (publish-invalid).",
        DefaultValueFactory = _ => "publish-invalid",
    };

    /// <summary>--degrade.</summary>
    public Option<string> Degrade { get; } = new("--degrade")
    {
        Description = "auto: when frames take longer than the source's frame interval (or pass the deadline), give up work in steps "
            + "(lanes every 2nd frame, then the lighter camvid-fast in place of the default panoptic model, then camvid-fast at a 384x288 input, then every 2nd frame) and take it back when "
            + "they fit; status says what was given up and why (docs/DEGRADE.md). Only with a rate to hold: paced sources and "
            + "cameras, never --rate max or replay --fast. off: always the full work.",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary>--camera-threads.</summary>
    public Option<string> CameraThreads { get; } = new("--camera-threads")
    {
        Description = "Several cameras (--source ID=SOURCE, --cameras): turns (one pipeline thread serves the cameras in turn: on a CPU two "
            + "frames at once only split the same cores), threads (a pipeline thread per camera: on a GPU the cameras' frames overlap), "
            + "auto (threads when every model runs on CUDA or TensorRT, else turns). docs/MULTI-CAMERA.md.",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary>--stage-budget.</summary>
    public Option<string> StageBudget { get; } = new("--stage-budget")
    {
        Description = "Per-stage budgets in ms, e.g. 'preprocess=5,infer=40'; overruns are counted in status.",
    };

    /// <summary>--accelerator.</summary>
    public Option<string> Accelerator { get; } = new("--accelerator", "-a")
    {
        Description = "auto tries TensorRT, then CUDA, then CPU and logs why each failed; the others insist on one.",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary>--gpu-io, --cuda-graph and --cudnn-search, declared with bench's (<see cref="GpuOptions"/>).</summary>
    public GpuOptions Gpu { get; } = new("The --report JSON's model_io says what ran.");

    /// <summary>--batching.</summary>
    public Option<string> Batching { get; } = new("--batching")
    {
        Description = "Several cameras: per-camera (each camera its own sessions, served in turn) or batched (the cameras share one session "
            + "per model; each step runs each model once on the newest frame of every camera that has one; headers, accounting and "
            + "deadlines stay per camera; docs/MULTI-CAMERA.md). One camera: no difference.",
        DefaultValueFactory = _ => "per-camera",
    };

    /// <summary>--preprocess.</summary>
    public Option<string> Preprocess { get; } = new("--preprocess")
    {
        Description = "host: the node resizes each frame to the model's size; graph: the models resize it in their graph from the capture "
            + "size (read from the source's first frame at start) and the node only copies the frame's bytes: each model NAME.onnx is loaded as "
            + "NAME.prep.onnx beside it, made by scripts/gpu/wrap_models.py --preprocess (docs/GPU.md).",
        DefaultValueFactory = _ => "host",
    };

    /// <summary>--semantic-model.</summary>
    public Option<string> SemanticModel { get; } = new("--semantic-model")
    {
        Description = "Semantic segmentation ONNX model (its .card.json beside it), or a panoptic model (task panoptic), whose "
            + "centre-offset heads then give the instances with no second network. Default: models/camvid-panoptic.onnx (panoptic: class map and instances from one network).",
    };

    /// <summary>--lane-model.</summary>
    public Option<string> LaneModel { get; } = new("--lane-model")
    {
        Description = "Lane model ONNX, or 'none' (lanes are then published with valid=false). Default: models/culane-lanes.onnx.",
    };

    /// <summary>--instance-model.</summary>
    public Option<string> InstanceModel { get; } = new("--instance-model")
    {
        Description = "Instance model ONNX for vehicles and pedestrians: Mask R-CNN (task instance) or a panoptic model (task panoptic, "
            + "run as a second network for its centre-offset heads), per docs/MODEL-CONTRACT.md. Default: none: instances come from the "
            + "semantic model's centre-offset heads when it is panoptic, else from the connected components of its class map.",
    };

    /// <summary>--instance-score.</summary>
    public Option<float?> InstanceScore { get; } = new("--instance-score")
    {
        Description = "Instances scoring below this (0-1) are not published. Default: 0.5 for Mask R-CNN; for centre-offset "
            + "the card's instance.score_threshold (models/camvid-panoptic: 0.1), else 0 (all).",
    };

    /// <summary>--instance-nms.</summary>
    public Option<float> InstanceNms { get; } = new("--instance-nms")
    {
        Description = "Mask R-CNN class-wise box NMS: a box overlapping a better one of its class by more than this IoU is dropped; "
            + "(0, 1], 1 turns it off. Centre-offset instances never overlap.",
        DefaultValueFactory = _ => 0.5f,
    };

    /// <summary>--instance-centre-threshold.</summary>
    public Option<float?> InstanceCentreThreshold { get; } = new("--instance-centre-threshold")
    {
        Description = "Panoptic models: centre heatmap cells at or above this (0-1] are instance centres. Default: the card's "
            + "instance.centre_threshold.",
    };

    /// <summary>--instance-confirm-frames.</summary>
    public Option<int> InstanceConfirmFrames { get; } = new("--instance-confirm-frames")
    {
        Description = "Publish a vehicle or pedestrian only once its track has been matched in this many frames (1..100; 1: at once). "
            + "2 drops one-frame false positives at the cost of every new object appearing one frame later.",
        DefaultValueFactory = _ => 1,
    };

    /// <summary>--calibration.</summary>
    public Option<string> Calibration { get; } = new("--calibration")
    {
        Description = "Camera calibration YAML (calibration/); enables lane polylines in metres.",
    };

    /// <summary>--undistort.</summary>
    public Option<bool> Undistort { get; } = new("--undistort") { Description = "Undistort frames with --calibration before inference." };

    /// <summary>--classmap.</summary>
    public Option<bool> ClassMap { get; } = new("--classmap") { Description = "Also publish the full class map on perception/classmap." };

    /// <summary>--camera-id.</summary>
    public Option<string> CameraId { get; } = new("--camera-id") { Description = "Camera id in every header.", DefaultValueFactory = _ => "front" };

    /// <summary>--threads.</summary>
    public Option<int> Threads { get; } = new("--threads") { Description = "ONNX Runtime CPU threads; 0: one per core." };

    /// <summary>--fps.</summary>
    public Option<double> Fps { get; } = new("--fps") { Description = "Frame rate of image-sequence sources, for pacing.", DefaultValueFactory = _ => 15 };

    /// <summary>--report.</summary>
    public Option<string> Report { get; } = new("--report") { Description = "Write a JSON summary (accounting, per-stage p50/p99, model_io: the provider and I/O each model ran with) here at stop." };

    /// <summary>--dashboard.</summary>
    public Option<string> Dashboard { get; } = new("--dashboard")
    {
        Description = "Serve the latency dashboard from this node on HOST:PORT (e.g. 127.0.0.1:8080; docs/DASHBOARD.md). "
            + "It subscribes to this node's own --publish endpoint; after the source ends the page stays up until Ctrl+C.",
    };

    /// <summary>--preview-hz.</summary>
    public Option<double> PreviewHz { get; } = new("--preview-hz")
    {
        Description = "With --dashboard: show a small preview of the frame with lanes, vehicles and pedestrians drawn on the page, "
            + "this many times a second (0 < N <= 10); drawn on its own thread and served by the page only, never published. Default 0: off.",
    };

    /// <summary>--quiet.</summary>
    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "Log warnings and errors only." };

    /// <summary>Declares the options with their range checks.</summary>
    public RunCommandLine()
    {
        Rate.AcceptOnlyFromAmong("source", "max");
        DeadlinePolicy.AcceptOnlyFromAmong("drop", "publish-invalid");
        Degrade.AcceptOnlyFromAmong("auto", "off");
        CameraThreads.AcceptOnlyFromAmong("auto", "turns", "threads");
        Accelerator.AcceptOnlyFromAmong("auto", "tensorrt", "cuda", "cpu");
        Batching.AcceptOnlyFromAmong("per-camera", "batched");
        Preprocess.AcceptOnlyFromAmong("host", "graph");
        MaxFrames.Validators.Add(r => { if (r.GetValueOrDefault<long>() < 0) r.AddError("--max-frames must be 0 (no limit) or a positive count."); });
        Duration.Validators.Add(r => { if (r.GetValueOrDefault<double>() < 0) r.AddError("--duration must be 0 (no limit) or a positive number of seconds."); });
        DeadlineMs.Validators.Add(r => { if (!(r.GetValueOrDefault<double>() > 0)) r.AddError("--deadline-ms must be a positive number of milliseconds, e.g. 100."); });
        Threads.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--threads must be 0 (one per core) or a positive count."); });
        Fps.Validators.Add(r => { if (!(r.GetValueOrDefault<double>() > 0)) r.AddError("--fps must be a positive frame rate, e.g. 15."); });
        AddInstanceValidators(InstanceScore, InstanceNms, InstanceCentreThreshold);
        InstanceConfirmFrames.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 100) r.AddError("--instance-confirm-frames must be 1..100 frames (1 publishes at once), e.g. 2."); });
        PreviewHz.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is var hz && !(hz >= 0 && hz <= Preview.FramePreview.MaxRateHz))
                r.AddError($"--preview-hz must be 0 (off) or up to {Preview.FramePreview.MaxRateHz} previews a second, e.g. 2.");
        });
        Dashboard.Validators.Add(r =>
        {
            HttpListenAddress.Parse(r.GetValueOrDefault<string>(), "--dashboard", out var problem);
            if (problem is not null) r.AddError(problem);
        });
        // Checked before the run: a report that cannot be written would otherwise end a whole replay with a crash.
        Report.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is not { Length: > 0 } path) return;
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null && !Directory.Exists(folder))
                r.AddError($"--report {path}: the folder {folder} does not exist; create it (mkdir -p) or give a file in an existing folder.");
            else if (Directory.Exists(path))
                r.AddError($"--report {path} is a folder; give a file name, e.g. {Path.Combine(path, "report.json")}.");
        });
        StageBudget.Validators.Add(r =>
        {
            try { ParseStageBudgets(r.GetValueOrDefault<string>()); }
            catch (ArgumentException e) { r.AddError(e.Message); }
        });
    }

    /// <summary>The options in help order.</summary>
    public IEnumerable<Option> All =>
    [
        Source, Publish, CurveKey, MaxFrames, Duration, Loop, Rate, DeadlineMs, DeadlinePolicy, Degrade, CameraThreads, StageBudget, Accelerator, .. Gpu.All, Batching, Preprocess,
        SemanticModel, LaneModel, InstanceModel, InstanceScore, InstanceNms, InstanceCentreThreshold, InstanceConfirmFrames, Calibration, Undistort, ClassMap, CameraId, Threads,
        Fps, Report, Dashboard, PreviewHz, Quiet,
    ];

    /// <summary>Adds the options to a command (run, record and replay share them).</summary>
    public void AddTo(Command command)
    {
        foreach (var o in All) command.Options.Add(o);
        Gpu.RefuseConflicts(command);
    }

    /// <summary>Builds validated run options from a parse result: one typed object per stage.</summary>
    public RunOptions Bind(ParseResult r) => new()
    {
        Source = BindSource(r),
        Models = BindModels(r),
        Publish = BindPublish(r),
        ReportPath = r.GetValue(Report) ?? "",
        Quiet = r.GetValue(Quiet),
        CameraScheduling = r.GetValue(CameraThreads) switch
        {
            "turns" => Pipeline.CameraScheduling.Turns,
            "threads" => Pipeline.CameraScheduling.Threads,
            _ => Pipeline.CameraScheduling.Auto,
        },
        BatchedCameras = r.GetValue(Batching) == "batched",
    };

    /// <summary>The source stage: what is read, at which pace, for how long, as which camera.</summary>
    public SourceStageOptions BindSource(ParseResult r)
    {
        var sources = r.GetValue(Source) ?? [];
        var camerasFile = r.GetResult(Cameras) is null ? "" : r.GetValue(Cameras) ?? "";
        return new SourceStageOptions
        {
            // One --source without ID= is the single-camera node, exactly as before multi-camera runs existed.
            Spec = sources.Length == 1 && !CameraSetup.IsMultiCamera(sources, camerasFile) ? sources[0] : "",
            Specs = sources,
            CamerasFile = camerasFile,
            MaxFrames = r.GetValue(MaxFrames),
            Duration = TimeSpan.FromSeconds(r.GetValue(Duration)),
            Rate = r.GetValue(Rate) == "max" ? SourceRate.Max : SourceRate.Source,
            Loop = r.GetValue(Loop),
            SequenceFps = r.GetValue(Fps),
            CameraId = r.GetValue(CameraId)!,
            Calibration = BindCalibration(r),
            Undistort = r.GetValue(Undistort),
        };
    }

    /// <summary>The model stage: the ONNX files, where they run, instance decoding and tracking.</summary>
    public ModelStageOptions BindModels(ParseResult r)
    {
        var instanceModel = r.GetValue(InstanceModel);
        return new ModelStageOptions
        {
            SemanticModel = BindSemanticModel(r),
            LaneModel = BindLaneModel(r),
            InstanceModel = instanceModel is null or "" or "none" ? "" : Path.GetFullPath(instanceModel),
            Instances = BindInstanceOptions(r, InstanceScore, InstanceNms, InstanceCentreThreshold),
            Tracking = new Vision.Tracking.InstanceTrackerOptions { ConfirmFrames = r.GetValue(InstanceConfirmFrames) },
            Accelerator = Vision.Inference.AcceleratorNames.Parse(r.GetValue(Accelerator)!),
            GpuIo = Gpu.BindIo(r),
            CudaGraph = Gpu.BindCudaGraph(r),
            CudnnSearch = Enum.Parse<CudnnSearch>(Gpu.BindCudnnSearch(r), ignoreCase: true),
            PreprocessInGraph = r.GetValue(Preprocess) == "graph",
            Threads = r.GetValue(Threads),
        };
    }

    /// <summary>The publish stage: endpoint, key, class map, deadline, degrade and the node's own page.</summary>
    public PublishStageOptions BindPublish(ParseResult r) => new()
    {
        Endpoint = r.GetValue(Publish)!,
        CurveKeyFile = r.GetValue(CurveKey) is { Length: > 0 } key ? Path.GetFullPath(key) : "",
        ClassMap = r.GetValue(ClassMap),
        Budget = BindBudget(r, r.GetValue(DeadlineMs)),
        Degrade = r.GetValue(Degrade) == "off" ? Node.Degrade.DegradeMode.Off : Node.Degrade.DegradeMode.Auto,
        Dashboard = r.GetValue(Dashboard) is { } d ? HttpListenAddress.Parse(d, "--dashboard", out _) : null,
        PreviewHz = r.GetValue(PreviewHz),
    };

    /// <summary>--semantic-model as a full path (the shipped default when not given).</summary>
    public string BindSemanticModel(ParseResult r) => Path.GetFullPath(r.GetValue(SemanticModel) ?? ProductPaths.DefaultSemanticModel);

    /// <summary>--lane-model as a full path (the shipped default when not given), or empty for "none".</summary>
    public string BindLaneModel(ParseResult r) => r.GetValue(LaneModel) is var lane && lane == "none" ? "" : Path.GetFullPath(lane ?? ProductPaths.DefaultLaneModel);

    /// <summary>--calibration as a full path, or empty.</summary>
    public string BindCalibration(ParseResult r) => r.GetValue(Calibration) is { Length: > 0 } c ? Path.GetFullPath(c) : "";

    /// <summary>The latency budget of --deadline-policy and --stage-budget with a deadline of <paramref name="deadlineMs"/>.</summary>
    public LatencyBudget BindBudget(ParseResult r, double deadlineMs) =>
        new(deadlineMs, r.GetValue(DeadlinePolicy) == "drop" ? Core.Budgets.DeadlinePolicy.Drop : Core.Budgets.DeadlinePolicy.PublishInvalid,
            ParseStageBudgets(r.GetValue(StageBudget)));

    /// <summary>The range checks of --instance-score, --instance-nms and --instance-centre-threshold (run and eval instances share them).</summary>
    public static void AddInstanceValidators(Option<float?> score, Option<float> nms, Option<float?> centre)
    {
        score.Validators.Add(r => { if (r.GetValueOrDefault<float?>() is { } v && !(v >= 0 && v <= 1)) r.AddError("--instance-score must be in [0, 1], e.g. 0.5."); });
        nms.Validators.Add(r => { if (r.GetValueOrDefault<float>() is var v && !(v > 0 && v <= 1)) r.AddError("--instance-nms must be in (0, 1] (1 turns NMS off), e.g. 0.5."); });
        centre.Validators.Add(r => { if (r.GetValueOrDefault<float?>() is { } v && !(v > 0 && v <= 1)) r.AddError("--instance-centre-threshold must be in (0, 1], e.g. 0.1."); });
    }

    /// <summary>The instance thresholds given on the command line.</summary>
    public static Vision.Postprocessing.InstanceDecodingOptions BindInstanceOptions(ParseResult r, Option<float?> score, Option<float> nms, Option<float?> centre) => new()
    {
        ScoreThreshold = r.GetValue(score),
        NmsIoU = r.GetValue(nms),
        CentreThreshold = r.GetValue(centre),
    };

    /// <summary>Parses 'stage=ms,stage=ms'; throws with the expected form on a mistake.</summary>
    public static Dictionary<string, double> ParseStageBudgets(string? text)
    {
        var result = new Dictionary<string, double>();
        if (string.IsNullOrWhiteSpace(text)) return result;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2 || !double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) || !(ms > 0))
                throw new ArgumentException($"--stage-budget entry '{part}' is not stage=milliseconds, e.g. 'infer=40'.");
            if (!StageNames.All.Contains(kv[0]))
                throw new ArgumentException($"--stage-budget names unknown stage '{kv[0]}'. Valid stages: {string.Join(", ", StageNames.All)}.");
            result[kv[0]] = ms;
        }
        return result;
    }
}
