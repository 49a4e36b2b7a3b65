using System.Diagnostics;
using System.Text.Json;
using DrivePerception.Core.Models;
using DrivePerception.Node.Benchmarking;
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
/// cameras in turn (<see cref="CameraRoundRobin"/>). Each camera keeps its own sequence numbers, accounting,
/// deadlines, track ids and status heartbeat. Start-up problems end with exit code 2 and one line naming the fix.
/// </summary>
public static class MultiCameraRunner
{
    private static readonly ILogger Log = NodeLogging.CreateLogger(typeof(MultiCameraRunner));

    /// <summary>
    /// Runs the node over <see cref="RunOptions.Sources"/> and <see cref="RunOptions.CamerasFile"/>; returns the exit code.
    /// <paramref name="extraSink"/> gets every message's wire bytes too (a recorder, regress's collector);
    /// <paramref name="wrapSource"/> wraps each camera's opened source (the recorder's frame tap), taking ownership of it.
    /// </summary>
    public static int Run(RunOptions options, FrameSourceRegistry sources, CancellationToken ct, IWireSink? extraSink = null, Func<string, IFrameSource, IFrameSource>? wrapSource = null)
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

        // Bind first: subscribers connect while the models load and warm up, so they miss no frame.
        PerceptionPublisher publisher;
        try
        {
            publisher = new PerceptionPublisher(new PublisherOptions { Endpoint = options.Publish.Endpoint });
        }
        catch (Exception e) when (e is TransportEndpointException or ArgumentException)
        {
            return StartFailure("publish", e.Message);
        }

        using var publisherLifetime = publisher;
        var owned = new List<IDisposable>();
        try
        {
            // Each camera encodes into its own WireEncoder (it keeps that camera's per-frame encode time); the socket and
            // any recorder behind them are shared, one Accept at a time, so the cameras may run on threads of their own.
            var gate = new Lock();
            IWireSink[] wireSinks = extraSink is null ? [new PublisherSink(publisher)] : [new PublisherSink(publisher), extraSink];
            using var scheduler = new CameraRoundRobin();
            var modelIo = new ModelIoLog();
            var feeds = new List<CameraFeed>();
            var stacks = new List<PerceptionStack>();
            var loadWatch = Stopwatch.StartNew();
            foreach (var camera in cameras)
            {
                var sourceOptions = options.Source.OpenOptions();
                IFrameSource source;
                try
                {
                    source = sources.Open(camera.Source, sourceOptions);
                    if (wrapSource is not null) source = wrapSource(camera.Id, source);
                }
                catch (Exception e) when (e is FrameSourceException or ArgumentException or IOException or InvalidDataException)
                {
                    return StartFailure($"source {camera.Id}", e.Message);
                }
                owned.Add(source);

                PerceptionStack stack;
                try
                {
                    // The camera's own model set, trackers and calibration (CameraSetup put --calibration where it has none).
                    stack = RunStackLoader.Load(options, camera.Calibration, new PrefixedLogger(NodeLogging.Models(), $"{camera.Id}: "), modelIo);
                }
                catch (Exception e) when (e is ModelCardException or AcceleratorUnavailableException or CalibrationFileException
                                              or ArgumentException or OnnxRuntimeException or FileNotFoundException)
                {
                    return StartFailure($"models {camera.Id}", e.Message);
                }
                owned.Add(stack);
                stacks.Add(stack);

                var mode = source.IsLive || options.Source.Paced ? SlotMode.DropOldest : SlotMode.Lossless;
                var slot = new NewestFrameSlot<CapturedFrame>(mode) { Changed = scheduler.Wake };
                var capture = new CaptureLoop(source, slot, camera.Id, options.Source.MaxFrames);
                // Disposed in reverse: the capture thread stops before its slot, stack and source go.
                owned.Add(slot);
                owned.Add(capture);
                var heartbeat = new StatusHeartbeat(camera.Source, options.Publish.Budget.DeadlineMs, stack.Models, TimeSpan.FromSeconds(1), camera.Id);
                var sink = new WireEncoder(wireSinks.Select(w => (IWireSink)new SerializedWireSink(w, gate)).ToArray());
                feeds.Add(new CameraFeed(camera.Id, slot, capture, new PerceptionPipeline(stack, sink, options.Publish.Budget, options.Publish.ClassMap, heartbeat,
                    Degrade.DegradeController.Off("not yet with several cameras in one node (docs/DEGRADE.md)"))));
            }

            var scheduling = SchedulingFor(options.CameraScheduling, stacks);
            Log.LogInformation($"ready: {feeds.Count} cameras ({string.Join(", ", cameras.Select(c => $"{c.Id}={c.Source}"))}); one model set per camera, "
                + $"loaded in {loadWatch.Elapsed.TotalSeconds:F1} s, process memory {Environment.WorkingSet / (1024 * 1024)} MiB; publishing on {publisher.Endpoint}; "
                + $"deadline {options.Publish.Budget.DeadlineMs} ms per camera; "
                + (scheduling == CameraScheduling.Threads ? "each camera on a pipeline thread of its own" : "cameras served in turn on one pipeline thread")
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
