using DrivePerception.Node.Logging;
using DrivePerception.Vision.Perception;
using System.Text.Json;
using DrivePerception.Core.Models;
using DrivePerception.Node.Benchmarking;
using DrivePerception.Node.Degrade;
using DrivePerception.Node.Options;
using DrivePerception.Node.Pipeline;
using DrivePerception.Transport;
using DrivePerception.Vision.Calibration;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Sources;
using OnnxRuntimeException = Microsoft.ML.OnnxRuntime.OnnxRuntimeException;
using Microsoft.Extensions.Logging;

namespace DrivePerception.Node.Hosting;

/// <summary>
/// Wires and runs the node for `run` (and `replay`): opens the source, loads the models, binds the
/// publisher, then runs capture and pipeline until the source ends, a limit is reached or the user stops it.
/// Start-up problems the user can fix end with exit code 2 and one message saying how.
/// </summary>
public static class NodeRunner
{
    private static readonly ILogger Log = NodeLogging.CreateLogger(typeof(NodeRunner));

    /// <summary>
    /// Runs the node; returns the process exit code. <paramref name="extraSink"/> gets every message's wire bytes too (a recorder);
    /// <paramref name="wrapSource"/> wraps the opened source (the recorder's frame tap), taking ownership of it.
    /// </summary>
    public static int Run(RunOptions options, FrameSourceRegistry sources, CancellationToken ct, IWireSink? extraSink = null, Func<IFrameSource, IFrameSource>? wrapSource = null)
    {
        NodeLogging.Quiet = options.Quiet;
        if (options.Publish.PreviewHz > 0 && options.Publish.Dashboard is null)
            return StartFailure("preview", "--preview-hz shows the preview on the node's own page: add --dashboard HOST:PORT (e.g. --dashboard 127.0.0.1:8080), or drop --preview-hz.");
        if (options.IsMultiCamera)
            return extraSink is null && wrapSource is null
                ? MultiCameraRunner.Run(options, sources, ct)
                : StartFailure("cameras", "record and replay take one camera per run: give one --source without ID=.");
        // Bind first: subscribers connect while the models load and warm up, so they miss no frame.
        var publisher = NodePublisher.Open(options.Publish, cameras: 1, Log, out var publishFailure);
        if (publisher is null) return StartFailure(publishFailure.What, publishFailure.Message);

        using var publisherLifetime = publisher;
        // --preview-hz: drawn on its own thread, handed to the page; never published.
        using var preview = options.Publish.PreviewHz > 0 ? new Preview.FramePreview(options.Publish.PreviewHz, new Dashboard.Preview.PreviewStore { RateHz = options.Publish.PreviewHz }) : null;
        var dashboard = options.Publish.Dashboard is { } http ? NodeDashboard.StartForNode(http, publisher.Endpoint, preview?.Store) : null;
        if (options.Publish.Dashboard is not null && dashboard is null) return NodeCommandsExit.Usage;
        using var dashboardLifetime = dashboard;
        var spec = string.IsNullOrEmpty(options.Source.Spec) ? FrameSourceRegistry.EmbeddedDefault : options.Source.Spec;
        var sourceOptions = options.Source.OpenOptions();
        // --preprocess graph: the .prep.onnx models, opened at the capture size read from the source's first frame.
        OpenCvSharp.Size? captureSize = null;
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
            try
            {
                captureSize = GraphPreprocessing.ProbeCaptureSize(sources, spec, sourceOptions, ct);
            }
            catch (Exception e) when (e is FrameSourceException or ArgumentException or IOException or InvalidDataException)
            {
                return StartFailure("source", e.Message);
            }
        }
        IFrameSource source;
        try
        {
            source = sources.Open(spec, sourceOptions);
            if (wrapSource is not null) source = wrapSource(source);
            if (preview is not null) source = new Preview.PreviewTap(source, preview, options.Source.CameraId);
        }
        catch (Exception e) when (e is FrameSourceException or ArgumentException or IOException or InvalidDataException)
        {
            return StartFailure("source", e.Message);
        }

        using var sourceLifetime = source;
        // What each model actually ran with (device I/O and CUDA graphs fall back to host I/O at load), for --report.
        var modelIo = new ModelIoLog();
        PerceptionStack stack;
        try
        {
            var lightModels = DegradeSetup.LightModelsFor(options, source.IsLive);
            // The light rungs need their models in the same form as the others: a light model without its .prep.onnx has no rung.
            if (captureSize is not null)
                lightModels = lightModels.Select(GraphPreprocessing.PrepSibling).Where(File.Exists).ToList();
            stack = RunStackLoader.Load(options, options.Source.Calibration, NodeLogging.Models(), modelIo, lightModels, captureSize: captureSize);
        }
        catch (Exception e) when (e is ModelCardException or AcceleratorUnavailableException or CalibrationFileException
                                      or ArgumentException or OnnxRuntimeException or FileNotFoundException)
        {
            return StartFailure("models", e.Message);
        }

        using var stackLifetime = stack;
        // Encoded once; the publisher and the recorder get the same bytes.
        IWireSink[] sinks = extraSink is null ? [new PublisherSink(publisher)] : [new PublisherSink(publisher), extraSink];
        var sink = new WireEncoder(preview is null ? sinks : [.. sinks, preview]);

        var mode = source.IsLive || options.Source.Paced ? SlotMode.DropOldest : SlotMode.Lossless;
        using var slot = new NewestFrameSlot<CapturedFrame>(mode);
        using var capture = new CaptureLoop(source, slot, options.Source.CameraId, options.Source.MaxFrames);
        var heartbeat = new StatusHeartbeat(spec, options.Publish.Budget.DeadlineMs, stack.Models, TimeSpan.FromSeconds(1), options.Source.CameraId);
        // The stack is disposed by its own lifetime above, so the test wrapper is not.
        IDegradableProcessor processor = options.Models.InferSlowdown > 1 ? new SlowedInference(stack, options.Models.InferSlowdown) : stack;
        // Measured before the capture starts: the warm-up's frames must not compete with real ones.
        var degrade = DegradeSetup.Create(options, processor, source.IsLive, source.NominalFps, captureSize);
        var pipeline = new PerceptionPipeline(processor, sink, options.Publish.Budget, options.Publish.ClassMap, heartbeat, degrade);
        var progress = new ProgressReporter(() => pipeline.Counters, options.Source.MaxFrames, TimeSpan.FromSeconds(2));
        pipeline.FrameDone = progress.OnFrame;

        Log.LogInformation($"ready: source {source.Description}; models {string.Join(", ", stack.Models.Select(m => $"{m.Name} ({m.Task}, {m.Accelerator}, {m.Precision})"))}; "
            + (captureSize is { } size ? $"resize in the graph from {size.Width}x{size.Height}; " : "")
            + $"publishing on {publisher.Endpoint}; deadline {options.Publish.Budget.DeadlineMs} ms ({(options.Publish.Budget.Policy == Core.Budgets.DeadlinePolicy.Drop ? "drop" : "publish-invalid")}); "
            + $"{(mode == SlotMode.Lossless ? "every frame processed" : "newest frame wins")}");
        capture.Start();
        pipeline.Run(slot, capture, options.Source.Duration, ct);

        var summary = RunSummary.From(pipeline, capture, publisher, modelIo.Entries);
        summary.Print();
        if (!string.IsNullOrEmpty(options.ReportPath))
        {
            File.WriteAllText(options.ReportPath, JsonSerializer.Serialize(summary, RunSummary.JsonOptions));
            Log.LogInformation($"wrote report {options.ReportPath}");
        }
        NodeDashboard.KeepUntilStopped(dashboard, ct);
        return capture.State == "failed" ? NodeCommandsExit.Failure : 0;
    }

    private static int StartFailure(string what, string message)
    {
        Log.LogError($"cannot start ({what}): {message}");
        return NodeCommandsExit.Usage;
    }
}
