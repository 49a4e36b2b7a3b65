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
            + "sustains_target_fps: every camera at target_fps or faster with no frame left not valid (frames fed as fast as taken, not paced)",
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
        ["ort_threading"] = "one intra-op pool per session, not spinning; threads per session = max(1, logical cores / cameras)",
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
