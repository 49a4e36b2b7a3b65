using DrivePerception.Node.Logging;
using DrivePerception.Vision.Logging;
using DrivePerception.Vision.Perception;
using DrivePerception.Core.Messages;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Pipeline;
using DrivePerception.Vision.Calibration;
using DrivePerception.Vision.Inference;
using Microsoft.Extensions.Logging;

namespace DrivePerception.Node.Benchmarking;

/// <summary>
/// `bench`: for each frame size and camera count, runs every camera's frames through the node's own per-frame path,
/// cameras in parallel, and measures latency per stage and end to end, throughput and per-camera rate.
/// Frames are rendered before any timing; models are loaded (and warmed up) before each configuration's clock starts.
/// </summary>
public static class MultiCameraBench
{
    private static readonly ILogger Log = NodeLogging.CreateLogger(typeof(MultiCameraBench));

    /// <summary>
    /// Runs every configuration and returns the figures. Throws <see cref="BenchInputException"/> (or the model
    /// loaders' exceptions) for input the user can fix, <see cref="BenchRunException"/> when a camera broke and
    /// <see cref="OperationCanceledException"/> when <paramref name="ct"/> stopped it. <paramref name="progress"/>
    /// gets a line per step.
    /// </summary>
    public static BenchReport Run(BenchOptions options, CancellationToken ct, ILogger progress)
    {
        options.Validate();
        var calibrations = options.Resolutions.ToDictionary(r => r, r => LoadCalibration(r, options.CalibrationFolder));

        // Load once before minutes of rendering: a wrong model or a missing provider fails now, with the loader's fix.
        IReadOnlyList<ModelStatus> models;
        var probeIo = new ModelIoLog();
        using (var probe = LoadStack(options, options.Resolutions[0], calibrations[options.Resolutions[0]].Path, options.IntraOpThreadsFor(1), NodeLogging.Models(), probeIo, null))
            models = probe.Models;
        progress.LogInformation($"models: {string.Join(", ", models.Select(m => $"{m.Name} ({m.Task}, {m.Precision}) on {m.Accelerator}"))}"
            + (probeIo.Entries.Count > 0 ? $"; I/O {string.Join(", ", probeIo.Entries)}; loaded in {probeIo.LoadSummary()}" : ""));

        var results = new List<BenchConfigurationResult>();
        int maxCameras = options.CameraCounts.Max();
        foreach (var resolution in options.Resolutions)
        {
            var (calibrationPath, calibration) = calibrations[resolution];
            int perCamera = options.WarmupFrames + options.Frames;
            progress.LogInformation($"{resolution}: rendering {maxCameras} camera(s) x {perCamera} frames of '{options.Scenario.Name}' before timing");
            var frames = RenderCameras(options, calibration, maxCameras, perCamera, ct);
            try
            {
                foreach (int cameras in options.CameraCounts)
                    foreach (var mode in options.Modes)
                    {
                        var result = RunConfiguration(options, resolution, calibrationPath, frames, cameras, mode, models, ct, progress);
                        results.Add(result);
                        progress.LogInformation(result.ProgressLine(options.TargetFps));
                    }
            }
            finally
            {
                foreach (var f in frames) f.Dispose();
            }
        }

        var report = new BenchReport
        {
            Date = DateTimeOffset.UtcNow,
            CommandLine = options.CommandLine,
            Machine = MachineFacts.Collect(gpuUsed: results.SelectMany(r => r.Accelerators).Any(a => a != "cpu")),
            AcceleratorRequested = options.Accelerator,
            Models = models,
            ModelPaths = [options.SemanticModel, .. options.LaneModel.Length > 0 ? [options.LaneModel] : Array.Empty<string>(),
                .. options.InstanceModel.Length > 0 ? [options.InstanceModel] : Array.Empty<string>()],
            ModelIo = probeIo.Entries,
            ModelLoadMs = probeIo.LoadMs,
            GpuIoRequested = options.GpuIo == GpuIoMode.Device ? "device" : "host",
            CudaGraphRequested = options.CudaGraph,
            ClassMap = options.ClassMap,
            Scenario = options.Scenario.Name,
            TargetFps = options.TargetFps,
            Configurations = results,
        };
        return report;
    }

    private static (string Path, CameraCalibration Calibration) LoadCalibration(FrameResolution resolution, string folder)
    {
        var path = SyntheticCameras.PathFor(resolution, folder);
        CameraCalibration calibration;
        try
        {
            calibration = CameraCalibration.Load(path);
        }
        catch (CalibrationFileException e)
        {
            throw new BenchInputException($"{path}: {e.Message}");
        }
        if (calibration.ImageSize.Width != resolution.Width || calibration.ImageSize.Height != resolution.Height)
            throw new BenchInputException($"{path} is named {resolution} but describes a {calibration.ImageSize.Width}x{calibration.ImageSize.Height} camera: fix its image_width and image_height.");
        if (!calibration.Distortion.IsZero)
            throw new BenchInputException($"{path} has lens distortion; the renderer draws an ideal pinhole image: give a distortion-free synthetic calibration.");
        return (path, calibration);
    }

    /// <summary>Camera k renders seed k + 1 (seed 1 is `synth`'s default), on as many threads as there are cores.</summary>
    private static RenderedCameraFrames[] RenderCameras(BenchOptions options, CameraCalibration calibration, int cameras, int frames, CancellationToken ct)
    {
        var rendered = new RenderedCameraFrames[cameras];
        try
        {
            Parallel.For(0, cameras, new ParallelOptions { MaxDegreeOfParallelism = options.Cores, CancellationToken = ct },
                k => rendered[k] = RenderedCameraFrames.Render(options.Scenario, calibration, seed: k + 1, frames, ct));
            return rendered;
        }
        catch
        {
            foreach (var r in rendered) r?.Dispose();
            throw;
        }
    }

    private static BenchConfigurationResult RunConfiguration(BenchOptions options, FrameResolution resolution, string calibrationPath,
        RenderedCameraFrames[] frames, int cameras, BenchBatching mode, IReadOnlyList<ModelStatus> probed, CancellationToken ct, ILogger progress)
    {
        bool batched = mode == BenchBatching.Batched;
        // Batched: one session per model for all cameras, so it gets every core; per camera: the cores are split.
        int threads = batched ? options.IntraOpThreadsFor(1) : options.IntraOpThreadsFor(cameras);
        string label = $"{resolution} x {cameras} camera(s), {BenchArguments.ModeName(mode)}";
        progress.LogInformation(batched
            ? $"{label}: loading {cameras} perception stack(s) sharing one session per model at batch {cameras}, {threads} ONNX Runtime thread(s)"
            : $"{label}: loading {cameras} perception stack(s), {threads} ONNX Runtime thread(s) per session");
        var stacks = new List<PerceptionStack>(cameras);
        var io = new ModelIoLog();
        using var batch = batched ? new CameraBatch(cameras) : null;
        var loading = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            for (int i = 0; i < cameras; i++)
            {
                ct.ThrowIfCancellationRequested();
                // The first load logged provider choice and warm-up; repeating it per camera says nothing new unless
                // a camera's models landed elsewhere (a GPU out of memory under auto), so keep the lines for that case.
                var lines = new LineListLogger();
                var stack = LoadStack(options, resolution, calibrationPath, threads, lines, io, batch);
                stacks.Add(stack);
                if (!stack.Models.Select(m => m.Accelerator).SequenceEqual(probed.Select(m => m.Accelerator)))
                    Log.LogWarning($"{label}: camera {i}'s models run on {string.Join(", ", stack.Models.Select(m => $"{m.Name} {m.Accelerator}"))}, "
                        + $"unlike the first load: {string.Join("; ", lines)}");
            }
            using var gate = new MeasurementGate(cameras);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            // From here a camera's infer waits for the others; a broken camera cancels stop, which frees them.
            batch?.Arm(stop.Token);
            var runs = Enumerable.Range(0, cameras)
                .Select(i => new CameraBench(i, stacks[i], frames[i], options.WarmupFrames, gate, options.ClassMap, stop))
                .ToList();
            double loadSeconds = loading.Elapsed.TotalSeconds;
            // What ran, per model: device I/O and the CUDA graph may have fallen back at load (logged once, by the probe).
            progress.LogInformation($"{label}: I/O as loaded: {string.Join("; ", io.Entries)}");
            // Loading is not measured, but it is most of a GPU sweep's wall time (a cuDNN search per session): say it.
            progress.LogInformation(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{label}: loaded in {loadSeconds:F1} s ({io.LoadSummary()}); running {options.WarmupFrames} warm-up + {options.Frames} measured frames per camera"));
            foreach (var run in runs) run.Start();
            foreach (var run in runs) run.Join();
            if (runs.FirstOrDefault(r => r.Failure is not null) is { } failed)
                throw new BenchRunException($"{label}: camera {failed.Index} failed: {failed.Failure}");
            ct.ThrowIfCancellationRequested();
            if (runs.FirstOrDefault(r => !r.Completed) is { } unfinished)
                throw new BenchRunException($"{label}: camera {unfinished.Index} stopped before its last frame.");
            var accelerators = stacks.SelectMany(s => s.Models).Select(m => m.Accelerator).Distinct().ToList();
            var result = BenchConfigurationResult.From(resolution, threads, options.Frames, options.WarmupFrames, accelerators, runs, gate.StartNs);
            return result.With(BenchArguments.ModeName(mode), io, loadSeconds);
        }
        finally
        {
            // The stacks hold views of the batch's buffers: they go first, the batch (its sessions) after.
            foreach (var s in stacks) s.Dispose();
        }
    }

    /// <summary>
    /// One camera's models for frames of <paramref name="resolution"/>, each session with <paramref name="threads"/> intra-op threads, with the GPU settings of
    /// the options; a slot of <paramref name="batch"/> when given. Every session opened is noted in <paramref name="io"/>.
    /// </summary>
    private static PerceptionStack LoadStack(BenchOptions options, FrameResolution resolution, string calibrationPath, int threads, ILogger log,
        ModelIoLog io, CameraBatch? batch)
    {
        var sessionOptions = new ModelSessionOptions
        {
            Accelerator = AcceleratorNames.Parse(options.Accelerator),
            IntraOpThreads = threads,
            GpuIo = options.GpuIo,
            CudaGraph = options.CudaGraph,
            CudnnConvAlgoSearch = options.CudnnSearch,
            CameraBatch = batch,
            SessionOpened = io.Add,
            // --preprocess graph: the models take the frames at the size rendered and resize in their graph.
            CaptureSize = options.PreprocessInGraph ? new OpenCvSharp.Size(resolution.Width, resolution.Height) : null,
        };
        // The camera's own calibration: lanes get their polylines in metres, as `run --calibration` publishes them.
        return PerceptionStack.Load(options.SemanticModel, options.LaneModel, sessionOptions, calibrationPath, undistort: false, options.ClassMap, log,
            instanceModel: options.InstanceModel);
    }
}
