using System.Text.Json.Nodes;
using DrivePerception.Core.Messages;

namespace DrivePerception.Node.Benchmarking;

/// <summary>A whole bench run: where and how it ran, and the figures of every configuration (JSON with --json).</summary>
public sealed class BenchReport
{
    /// <summary>When the run finished, UTC.</summary>
    public required DateTimeOffset Date { get; init; }
    /// <summary>The command line as typed.</summary>
    public required string CommandLine { get; init; }
    /// <summary>The machine.</summary>
    public required MachineFacts Machine { get; init; }
    /// <summary>--accelerator as given.</summary>
    public required string AcceleratorRequested { get; init; }
    /// <summary>The models as their sessions report them (name, task, provider that took, precision).</summary>
    public required IReadOnlyList<ModelStatus> Models { get; init; }
    /// <summary>Full paths of the models, in the order of <see cref="Models"/>.</summary>
    public required IReadOnlyList<string> ModelPaths { get; init; }
    /// <summary>What each model's sessions bound at the first load (provider, I/O mode, batch), as <see cref="ModelIoLog"/> noted it.</summary>
    public IReadOnlyList<string> ModelIo { get; init; } = [];
    /// <summary>Per model, the milliseconds of its first load (the probe before rendering), fallbacks included.</summary>
    public IReadOnlyList<(string Model, IReadOnlyList<double> Ms)> ModelLoadMs { get; init; } = [];
    /// <summary>--gpu-io as given: host or device.</summary>
    public string GpuIoRequested { get; init; } = "host";
    /// <summary>Whether --cuda-graph was given.</summary>
    public bool CudaGraphRequested { get; init; }
    /// <summary>Whether the class map was produced and encoded.</summary>
    public required bool ClassMap { get; init; }
    /// <summary>Synthetic scenario the cameras filmed.</summary>
    public required string Scenario { get; init; }
    /// <summary>Rate each camera should sustain.</summary>
    public required double TargetFps { get; init; }
    /// <summary>Every configuration, in the order run.</summary>
    public required IReadOnlyList<BenchConfigurationResult> Configurations { get; init; }

    /// <summary>The providers that actually ran the models over all configurations, e.g. "cpu".</summary>
    public string AcceleratorUsed => string.Join("+", Configurations.SelectMany(c => c.Accelerators).Distinct());

    /// <summary>The JSON written by --json.</summary>
    public JsonObject ToJson() => new()
    {
        ["tool"] = "drive-perception bench",
        ["units"] = "latency_ms in milliseconds (nearest-rank percentiles over every computed measured frame of every camera); "
            + "*_fps in frames per second; seconds of the measured window (all cameras start it together after their warm-up)",
        ["definitions"] = "encode: message assembly plus MessagePack encoding of every per-frame message (no socket); "
            + "end_to_end: from the hand-over of a frame to its camera's pipeline to the end of that encoding; "
            + "throughput_fps: computed frames of all cameras over the window; slowest_camera_fps: the lowest per-camera rate; "
            + "sustains_target_fps: every camera at target_fps or faster with no frame left not valid (frames fed as fast as taken, not paced); "
            + "mode per-camera: each camera has its own sessions and thread; mode batched: the cameras' threads share one session per model "
            + "and meet before each model's run, which the last to arrive runs at batch = cameras (infer includes that wait; an instance model, "
            + "whose number of detections changes per frame, still runs per camera); "
            + "model_io: provider, I/O binding (host: ORT copies inside the run; device: GPU buffers and the node's copies, checked at load; "
            + "device+cuda-graph: replayed CUDA graph) and batch that actually ran; "
            + "model_load_ms: per model, the milliseconds of each session load (card checks, session and provider, cuDNN search, device I/O "
            + "check and any fallback, warm-up; for a batched configuration the first camera's load carries the shared session), not measured "
            + "frames; load_seconds: the wall time of loading a configuration's stacks",
        ["date"] = Date.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        ["command_line"] = CommandLine,
        ["machine"] = new JsonObject
        {
            ["processor"] = Machine.Processor,
            ["logical_cores"] = Machine.LogicalCores,
            ["os"] = Machine.Os,
            ["dotnet"] = Machine.DotNet,
            ["onnxruntime"] = Machine.OnnxRuntime,
            ["gpu"] = Machine.Gpu,
        },
        ["accelerator_requested"] = AcceleratorRequested,
        ["accelerator_used"] = AcceleratorUsed,
        ["gpu_io_requested"] = GpuIoRequested,
        ["cuda_graph_requested"] = CudaGraphRequested,
        ["model_io"] = new JsonArray(ModelIo.Select(m => (JsonNode)m).ToArray()),
        ["model_load_ms"] = BenchConfigurationResult.LoadMsJson(ModelLoadMs),
        ["ort_threading"] = "one intra-op pool per session, not spinning; threads per session = max(1, logical cores / cameras) per camera, "
            + "all logical cores for the shared sessions of a batched configuration",
        ["models"] = new JsonArray(Models.Select((m, i) => (JsonNode)new JsonObject
        {
            ["name"] = m.Name, ["task"] = m.Task, ["precision"] = m.Precision, ["accelerator"] = m.Accelerator, ["path"] = ModelPaths[i],
        }).ToArray()),
        ["classmap"] = ClassMap,
        ["scenario"] = Scenario,
        ["target_fps"] = TargetFps,
        ["configurations"] = new JsonArray(Configurations.Select(c => (JsonNode)c.ToJson(TargetFps)).ToArray()),
    };
}
