using System.Globalization;
using System.Text.Json.Nodes;
using DrivePerception.Core.Frames;
using DrivePerception.Node.Pipeline;

namespace DrivePerception.Node.Benchmarking;

/// <summary>The figures of one configuration (a frame size and a camera count), all measured over its window.</summary>
public sealed class BenchConfigurationResult
{
    /// <summary>The quantities reported, in pipeline order; the last is the frame's end to end.</summary>
    public static readonly IReadOnlyList<string> Quantities =
        [StageNames.Preprocess, StageNames.Infer, StageNames.Postprocess, StageNames.Encode, EndToEnd];

    /// <summary>Name of the end-to-end quantity, as in the node's --report.</summary>
    public const string EndToEnd = "end_to_end";

    /// <summary>Frame size.</summary>
    public required FrameResolution Resolution { get; init; }
    /// <summary>Cameras run at once.</summary>
    public required int Cameras { get; init; }
    /// <summary>ONNX Runtime intra-op threads of each session.</summary>
    public required int IntraOpThreads { get; init; }
    /// <summary>Measured frames per camera asked for.</summary>
    public required int FramesPerCamera { get; init; }
    /// <summary>Warm-up frames per camera, left out.</summary>
    public required int WarmupFrames { get; init; }
    /// <summary>Providers that ran the models (cpu, cuda, tensorrt), as the sessions report them.</summary>
    public required IReadOnlyList<string> Accelerators { get; init; }
    /// <summary>Per camera: frames and rate.</summary>
    public required IReadOnlyList<CameraRate> PerCamera { get; init; }
    /// <summary>Seconds from the start of the measured window to the end of the last camera's last frame.</summary>
    public required double Seconds { get; init; }
    /// <summary>Latency per quantity over every computed measured frame of every camera.</summary>
    public required IReadOnlyDictionary<string, LatencySummary> Latency { get; init; }
    /// <summary>per-camera (a session and thread per camera) or batched (one batch of all cameras per model).</summary>
    public string Mode { get; init; } = "per-camera";
    /// <summary>What each model's sessions bound, as <see cref="ModelIoLog"/> noted it.</summary>
    public IReadOnlyList<string> ModelIo { get; init; } = [];

    /// <summary>Seconds spent loading (and warming up) every camera's models before the configuration ran; not part of any latency.</summary>
    public double LoadSeconds { get; init; }
    /// <summary>Per model, the milliseconds of each of its loads in this configuration (see <see cref="ModelIoLog.LoadMs"/>).</summary>
    public IReadOnlyList<(string Model, IReadOnlyList<double> Ms)> ModelLoadMs { get; init; } = [];

    /// <summary>This result with its mode, the models' I/O and the load times set.</summary>
    public BenchConfigurationResult With(string mode, ModelIoLog io, double loadSeconds) => new()
    {
        Resolution = Resolution, Cameras = Cameras, IntraOpThreads = IntraOpThreads, FramesPerCamera = FramesPerCamera,
        WarmupFrames = WarmupFrames, Accelerators = Accelerators, PerCamera = PerCamera, Seconds = Seconds, Latency = Latency,
        Mode = mode, ModelIo = io.Entries, ModelLoadMs = io.LoadMs, LoadSeconds = loadSeconds,
    };

    /// <summary>Measured frames computed, all cameras.</summary>
    public int Frames => PerCamera.Sum(c => c.Frames);

    /// <summary>Measured frames published not valid, all cameras.</summary>
    public int InvalidFrames => PerCamera.Sum(c => c.InvalidFrames);

    /// <summary>Computed frames per second over all cameras: <see cref="Frames"/> over <see cref="Seconds"/>.</summary>
    public double ThroughputFps => Seconds > 0 ? Frames / Seconds : 0;

    /// <summary>The slowest camera's rate: what every camera sustained.</summary>
    public double SlowestCameraFps => PerCamera.Min(c => c.Fps);

    /// <summary>True when every camera ran at <paramref name="targetFps"/> or faster with no frame left not valid.</summary>
    public bool Sustains(double targetFps) => InvalidFrames == 0 && SlowestCameraFps >= targetFps;

    /// <summary>Collects the figures of finished cameras; <paramref name="windowStartNs"/> is when the gate opened.</summary>
    public static BenchConfigurationResult From(FrameResolution resolution, int intraOpThreads, int framesPerCamera, int warmupFrames,
        IReadOnlyList<string> accelerators, IReadOnlyList<CameraBench> cameras, long windowStartNs)
    {
        var statistics = new StageStatistics();
        foreach (var camera in cameras)
            foreach (var s in camera.Samples)
            {
                statistics.Add(StageNames.Preprocess, s.PreprocessMs);
                statistics.Add(StageNames.Infer, s.InferMs);
                statistics.Add(StageNames.Postprocess, s.PostprocessMs);
                statistics.Add(StageNames.Encode, s.EncodeMs);
                statistics.Add(EndToEnd, s.EndToEndMs);
            }
        long windowEndNs = cameras.Max(c => c.LastFrameEndNs);
        return new BenchConfigurationResult
        {
            Resolution = resolution,
            Cameras = cameras.Count,
            IntraOpThreads = intraOpThreads,
            FramesPerCamera = framesPerCamera,
            WarmupFrames = warmupFrames,
            Accelerators = accelerators,
            PerCamera = cameras.Select(c => new CameraRate(c.Index, c.Seed, c.Samples.Count, c.InvalidFrames,
                RatePerSecond(c.Samples.Count + c.InvalidFrames, windowStartNs, c.LastFrameEndNs))).ToList(),
            Seconds = MonotonicClock.Ms(windowStartNs, windowEndNs) / 1000.0,
            Latency = Quantities.ToDictionary(q => q, statistics.Summarise),
        };
    }

    private static double RatePerSecond(int frames, long startNs, long endNs) =>
        endNs > startNs ? frames / (MonotonicClock.Ms(startNs, endNs) / 1000.0) : 0;

    /// <summary>One line for the progress log.</summary>
    public string ProgressLine(double targetFps)
    {
        var e2e = Latency[EndToEnd];
        var c = CultureInfo.InvariantCulture;
        var invalid = InvalidFrames > 0 ? string.Create(c, $", {InvalidFrames} frames not valid") : "";
        return string.Create(c, $"{Resolution} x {Cameras} camera(s), {Mode}: {Frames} frames in {Seconds:F1} s, {ThroughputFps:F1} frames/s in all, ")
            + string.Create(c, $"slowest camera {SlowestCameraFps:F1} frames/s ({(Sustains(targetFps) ? "sustains" : "below")} {targetFps:0.##}), ")
            + (e2e.Count == 0 ? "no frame computed" : string.Create(c, $"end to end p50 {e2e.P50Ms:F1} ms p99 {e2e.P99Ms:F1} ms")) + invalid;
    }

    /// <summary>{"model": [ms of each load, ...], ...}, milliseconds rounded to 0.1.</summary>
    public static JsonObject LoadMsJson(IReadOnlyList<(string Model, IReadOnlyList<double> Ms)> loads)
    {
        var json = new JsonObject();
        foreach (var (model, ms) in loads)
            json[model] = new JsonArray(ms.Select(t => (JsonNode)Math.Round(t, 1)).ToArray());
        return json;
    }

    /// <summary>The configuration's entry in the JSON.</summary>
    public JsonObject ToJson(double targetFps)
    {
        var latency = new JsonObject();
        foreach (var q in Quantities)
        {
            var l = Latency[q];
            // No sample, no figure: null rather than a zero that was never measured.
            latency[q] = l.Count == 0 ? null : new JsonObject
            {
                ["count"] = l.Count, ["mean"] = l.MeanMs, ["p50"] = l.P50Ms, ["p99"] = l.P99Ms, ["max"] = l.MaxMs,
            };
        }
        return new JsonObject
        {
            ["resolution"] = Resolution.ToString(),
            ["width"] = Resolution.Width,
            ["height"] = Resolution.Height,
            ["cameras"] = Cameras,
            ["mode"] = Mode,
            ["model_io"] = new JsonArray(ModelIo.Select(m => (JsonNode)m).ToArray()),
            ["load_seconds"] = LoadSeconds,
            ["model_load_ms"] = LoadMsJson(ModelLoadMs),
            ["intra_op_threads_per_session"] = IntraOpThreads,
            ["frames_per_camera"] = FramesPerCamera,
            ["warmup_frames_per_camera"] = WarmupFrames,
            ["frames"] = Frames,
            ["invalid_frames"] = InvalidFrames,
            ["seconds"] = Seconds,
            ["throughput_fps"] = ThroughputFps,
            ["slowest_camera_fps"] = SlowestCameraFps,
            ["sustains_target_fps"] = Sustains(targetFps),
            ["accelerators"] = new JsonArray(Accelerators.Select(a => (JsonNode)a).ToArray()),
            ["per_camera"] = new JsonArray(PerCamera.Select(c => (JsonNode)new JsonObject
            {
                ["camera"] = c.Camera, ["seed"] = c.Seed, ["frames"] = c.Frames, ["invalid_frames"] = c.InvalidFrames, ["fps"] = c.Fps,
            }).ToArray()),
            ["latency_ms"] = latency,
        };
    }
}
