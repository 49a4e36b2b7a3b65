using System.Diagnostics;
using System.Text.Json;
using DrivePerception.Core.Models;
using DrivePerception.Node.Benchmarking;
using DrivePerception.Node.Degrade;
using DrivePerception.Node.Logging;
using DrivePerception.Node.Options;
using DrivePerception.Node.Pipeline;
using DrivePerception.Transport;
using DrivePerception.Vision.Calibration;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Logging;
using DrivePerception.Vision.Perception;
using DrivePerception.Vision.Sources;
using OnnxRuntimeException = Microsoft.ML.OnnxRuntime.OnnxRuntimeException;
using Microsoft.Extensions.Logging;

namespace DrivePerception.Node.Hosting;

/// <summary>
/// Wires and runs `run` with several cameras in one process (docs/MULTI-CAMERA.md): one publisher socket, one capture
/// thread and newest-frame slot per camera, one <see cref="PerceptionStack"/> per camera (the stack holds per-frame
/// buffers, trackers and the camera's calibration, so cameras cannot share one), and one pipeline thread serving the
/// cameras in turn (<see cref="CameraRoundRobin"/>). With --batching batched the stacks' models are slots of one in-turn
/// <see cref="CameraBatch"/>: one session per model for all cameras, run once per step. Each camera keeps its own sequence
/// numbers, accounting, deadlines, track ids and status heartbeat; the degrade ladder is the node's
/// (<see cref="CameraRoundDegrade"/>). Start-up problems end with exit code 2 and one line naming the fix.
/// </summary>
public static class MultiCameraRunner
{
    private static readonly ILogger Log = NodeLogging.CreateLogger(typeof(MultiCameraRunner));

    /// <summary>
    /// Runs the node over the cameras of <see cref="SourceStageOptions.Specs"/> and <see cref="SourceStageOptions.CamerasFile"/>; returns the exit code.
    /// <paramref name="extraSink"/> gets every message's wire bytes too (a recorder, regress's collector);
    /// <paramref name="wrapSource"/> wraps each camera's opened source (the recorder's frame tap), taking ownership of it.
    /// </summary>
    public static int Run(RunOptions options, FrameSourceRegistry registry, CancellationToken ct, IWireSink? extraSink = null, Func<string, IFrameSource, IFrameSource>? wrapSource = null)
    {
        IReadOnlyList<CameraSpec> cameras;
        try
        {
            cameras = CameraSetup.Resolve(options.Source.Specs, options.Source.CamerasFile, options.Source.Calibration);
        }
        catch (CameraSetupException e)
        {
            return StartFailure("cameras", e.Message);
        }
        var sourceOptions = options.Source.OpenOptions();
        bool batched = options.BatchedCameras && cameras.Count > 1;
        if (batched && options.CameraScheduling == CameraScheduling.Threads)
            return StartFailure("cameras", "--batching batched runs every camera's frame in one step on one thread, so it cannot go with "
                + "--camera-threads threads: give one of them (docs/MULTI-CAMERA.md).");

        // --preprocess graph: the .prep.onnx models, opened at each camera's capture size (read before anything loads).
        var captureSizes = new OpenCvSharp.Size?[cameras.Count];
        if (options.Models.PreprocessInGraph)
        {
            try
            {
                options = GraphPreprocessing.UsePrepModels(options);
            }
            catch (FileNotFoundException e)
            {
                return StartFailure("models", e.Message);
            }
            for (int i = 0; i < cameras.Count; i++)
            {
                try
                {
                    captureSizes[i] = GraphPreprocessing.ProbeCaptureSize(registry, cameras[i].Source, sourceOptions, ct);
                }
                catch (Exception e) when (e is FrameSourceException or ArgumentException or IOException or InvalidDataException)
                {
                    return StartFailure($"source {cameras[i].Id}", e.Message);
                }
            }
            if (batched && captureSizes.Distinct().Count() > 1)
                return StartFailure("cameras", "--batching batched with --preprocess graph needs every camera at one size (the batch is one tensor), and they give "
                    + string.Join(", ", cameras.Select((c, i) => $"{c.Id} {captureSizes[i]!.Value.Width}x{captureSizes[i]!.Value.Height}"))
                    + ": use --preprocess host, or --batching per-camera.");
        }

        // Bind first: subscribers connect while the models load and warm up, so they miss no frame.
        // The same CURVE key and network warning as one camera (NodePublisher), with room for every camera's messages.
        var publisher = NodePublisher.Open(options.Publish, cameras.Count, Log, out var publishFailure);
        if (publisher is null) return StartFailure(publishFailure.What, publishFailure.Message);

        using var publisherLifetime = publisher;
        var owned = new List<IDisposable>();
        try
        {
            // Each camera encodes into its own WireEncoder (it keeps that camera's per-frame encode time); the socket and
            // any recorder behind them are shared, one Accept at a time, so the cameras may run on threads of their own.
            var gate = new Lock();
            IWireSink[] wireSinks = extraSink is null ? [new PublisherSink(publisher)] : [new PublisherSink(publisher), extraSink];
            // Disposed last (owned is disposed in reverse): the stacks hold views of its sessions' buffers.
            var batch = batched ? new CameraBatch(cameras.Count, inTurn: true) : null;
            if (batch is not null) owned.Add(batch);
            var sources = new List<IFrameSource>();
            foreach (var camera in cameras)
            {
                try
                {
                    var source = registry.Open(camera.Source, sourceOptions);
                    owned.Add(source);
                    if (wrapSource is not null) owned[^1] = source = wrapSource(camera.Id, source);
                    sources.Add(source);
                }
                catch (Exception e) when (e is FrameSourceException or ArgumentException or IOException or InvalidDataException)
                {
                    return StartFailure($"source {camera.Id}", e.Message);
                }
            }
            bool anyLive = sources.Any(s => s.IsLive);
            // --camera-threads threads has no node-wide ladder: its light models would only cost memory and, on a GPU, a
            // device check each (seconds a model, times every camera). Auto decides after loading, so it loads them.
            IReadOnlyList<string> lightModels = options.CameraScheduling == CameraScheduling.Threads ? [] : DegradeSetup.LightModelsFor(options, anyLive);
            // The light rungs need their models in the same form as the others: a light model without its .prep.onnx has no rung.
            if (options.Models.PreprocessInGraph) lightModels = lightModels.Select(GraphPreprocessing.PrepSibling).Where(File.Exists).ToList();

            var modelIo = new ModelIoLog();
            var stacks = new List<PerceptionStack>();
            var loadWatch = Stopwatch.StartNew();
            for (int i = 0; i < cameras.Count; i++)
            {
                try
                {
                    // The camera's own model set, trackers and calibration (CameraSetup put --calibration where it has none).
                    var stack = RunStackLoader.Load(options, cameras[i].Calibration, new PrefixedLogger(NodeLogging.Models(), $"{cameras[i].Id}: "), modelIo,
                        lightModels, batch, captureSizes[i]);
                    owned.Add(stack);
                    stacks.Add(stack);
                }
                catch (Exception e) when (e is ModelCardException or AcceleratorUnavailableException or CalibrationFileException
                                              or ArgumentException or OnnxRuntimeException or FileNotFoundException or InvalidOperationException)
                {
                    return StartFailure($"models {cameras[i].Id}", e.Message);
                }
            }
            // From here each model of the batch runs once per round (StartRound), for the cameras of that round.
            batch?.Arm(ct);

            using var round = new CameraRound(stacks, batch, stacks.Select((s, i) => captureSizes[i] ?? s.CalibratedFrameSize).ToList());
            // A batch is one step on one thread: turns. Threads run each camera's pipeline as a single-camera node does, where the
            // node-wide ladder, which steps between rounds of the turns, has no round to judge.
            var scheduling = batch is not null ? CameraScheduling.Turns : SchedulingFor(options.CameraScheduling, stacks);
            // Measured before the captures start: the warm-up's frames must not compete with real ones.
            var (nodeDegrade, degradeOff) = scheduling == CameraScheduling.Threads
                ? (null, "not with a pipeline thread per camera (--camera-threads; docs/DEGRADE.md)")
                : DegradeSetup.CreateForCameras(options, round, anyLive, sources.Max(s => s.NominalFps));
            using var scheduler = new CameraRoundRobin(batch, nodeDegrade);
            var feeds = new List<CameraFeed>();
            for (int i = 0; i < cameras.Count; i++)
            {
                var mode = sources[i].IsLive || options.Source.Paced ? SlotMode.DropOldest : SlotMode.Lossless;
                var slot = new NewestFrameSlot<CapturedFrame>(mode) { Changed = scheduler.Wake };
                var capture = new CaptureLoop(sources[i], slot, cameras[i].Id, options.Source.MaxFrames);
                // Disposed in reverse: the capture thread stops before its slot, stack and source go.
                owned.Add(slot);
                owned.Add(capture);
                var heartbeat = new StatusHeartbeat(cameras[i].Source, options.Publish.Budget.DeadlineMs, stacks[i].Models, TimeSpan.FromSeconds(1), cameras[i].Id);
                var degrade = nodeDegrade?.ControllerFor(stacks[i]) ?? DegradeController.Off(degradeOff);
                var sink = new WireEncoder(wireSinks.Select(w => (IWireSink)new SerializedWireSink(w, gate)).ToArray());
                feeds.Add(new CameraFeed(cameras[i].Id, slot, capture, new PerceptionPipeline(stacks[i], sink, options.Publish.Budget, options.Publish.ClassMap, heartbeat, degrade)));
            }

            Log.LogInformation($"ready: {feeds.Count} cameras ({string.Join(", ", cameras.Select(c => $"{c.Id}={c.Source}"))}); "
                + (batch is null ? "one model set per camera" : $"one session per model at batch {cameras.Count} (--batching batched)")
                + (options.Models.PreprocessInGraph ? ", resize in the graph from " + string.Join("/", captureSizes.Distinct().Select(s => $"{s!.Value.Width}x{s.Value.Height}")) : "")
                + $", loaded in {loadWatch.Elapsed.TotalSeconds:F1} s, process memory {Environment.WorkingSet / (1024 * 1024)} MiB; publishing on {publisher.Endpoint}; "
                + $"deadline {options.Publish.Budget.DeadlineMs} ms per camera; "
                + (batch is not null ? "cameras served in batched steps on one pipeline thread"
                    : scheduling == CameraScheduling.Threads ? "each camera on a pipeline thread of its own" : "cameras served in turn on one pipeline thread")
                + $" (--camera-threads {options.CameraScheduling.ToString().ToLowerInvariant()}), {(options.Source.Paced ? "newest frame wins" : "every frame processed")}");
            var started = Stopwatch.StartNew();
            foreach (var f in feeds) ((CaptureLoop)f.Source).Start();
            if (scheduling == CameraScheduling.Threads) CameraThreads.Run(feeds, options.Source.Duration, ct);
            else scheduler.Run(feeds, options.Source.Duration, ct);

            var summary = MultiCameraSummary.From(
                feeds.Select((f, i) => CameraSummary.From(f, cameras[i].Source)).ToList(), started.Elapsed.TotalSeconds, publisher, modelIo.Entries);
            summary.Print();
            if (!string.IsNullOrEmpty(options.ReportPath))
            {
                File.WriteAllText(options.ReportPath, JsonSerializer.Serialize(summary, RunSummary.JsonOptions));
                Log.LogInformation($"wrote report {options.ReportPath}");
            }
            return feeds.Any(f => f.Source.State == "failed") ? NodeCommandsExit.Failure : 0;
        }
        finally
        {
            for (int i = owned.Count - 1; i >= 0; i--) owned[i].Dispose();
        }
    }

    /// <summary>
    /// Threads or turns for <paramref name="requested"/>: auto gives threads only when every model of every camera
    /// runs on a GPU provider; on the CPU, cameras on threads of their own would split the same cores, frame for frame.
    /// </summary>
    public static CameraScheduling SchedulingFor(CameraScheduling requested, IEnumerable<PerceptionStack> stacks) => requested switch
    {
        CameraScheduling.Auto => stacks.SelectMany(s => s.Models).All(m => m.Accelerator is "cuda" or "tensorrt") ? CameraScheduling.Threads : CameraScheduling.Turns,
        _ => requested,
    };

    private static int StartFailure(string what, string message)
    {
        Log.LogError($"cannot start ({what}): {message}");
        return NodeCommandsExit.Usage;
    }
}
