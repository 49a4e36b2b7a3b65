using System.Diagnostics;
using DrivePerception.Core.Models;
using Microsoft.Extensions.Logging.Abstractions;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Logging;
using DrivePerception.Node.Recording;
using DrivePerception.Vision.Calibration;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Perception;
using DrivePerception.Vision.Sources;
using OpenCvSharp;
using OnnxRuntimeException = Microsoft.ML.OnnxRuntime.OnnxRuntimeException;
using Microsoft.Extensions.Logging;

namespace DrivePerception.Node.Segmenting;

/// <summary>
/// `segment`: runs the node's <see cref="PerceptionStack"/> over image files, folders, globs, videos and drives and writes
/// the outputs asked for (docs/SEGMENT.md). Three stages overlap: a reader thread decodes frames, the calling thread runs
/// the models and writes the files (PNG, JPEG, RLE), or hands them to --workers writer threads; queues between them hold
/// a few frames.
/// A frame that cannot be read or segmented is logged, counted and skipped; the run then ends with the list and exit 1.
/// </summary>
public static class SegmentRun
{
    private static readonly ILogger Log = NodeLogging.CreateLogger(typeof(SegmentRun));

    /// <summary>Frames a queue between two stages holds: enough to ride out an uneven frame, few enough to bound memory.</summary>
    internal const int QueueFrames = 4;

    /// <summary>Runs; returns the exit code (0 done, 1 some frames failed, 2 bad options, inputs or models).</summary>
    public static int Execute(SegmentOptions options, CancellationToken ct)
    {
        NodeLogging.Quiet = options.Quiet;
        List<SegmentInput> inputs;
        try
        {
            options.Validate();
            inputs = SegmentInputs.Resolve(options.Inputs);
            Directory.CreateDirectory(options.OutDir);
            // Validate allowed a --coco or --counts folder that does not exist only under --out: make it now.
            foreach (var file in new[] { options.CocoPath, options.CountsPath }.Where(f => f.Length > 0))
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        }
        catch (Exception e) when (e is SegmentInputException or IOException or UnauthorizedAccessException)
        {
            return Refuse(e.Message);
        }

        // --batch N: N stacks, slots of one in-turn batch (one session per model at batch N), sharing their trackers.
        var batch = options.Batch > 1 ? new CameraBatch(options.Batch, inTurn: true) : null;
        var stacks = new List<PerceptionStack>();
        using var stacksLifetime = new StacksLifetime(stacks, batch);
        try
        {
            var session = options.Session.WithCameraBatch(batch);
            for (int i = 0; i < options.Batch; i++)
            {
                stacks.Add(PerceptionStack.Load(options.SemanticModel, options.LaneModel, session, calibrationPath: "", undistort: false,
                    produceClassMap: true, i == 0 ? NodeLogging.Models() : NullLogger.Instance, options.InstanceModel, options.Instances, options.Tracking));
                if (i > 0) stacks[i].UseTracksOf(stacks[0]);
            }
            batch?.Arm(ct);
        }
        catch (Exception e) when (e is ModelCardException or AcceleratorUnavailableException or CalibrationFileException
                                      or ArgumentException or OnnxRuntimeException or FileNotFoundException or InvalidOperationException)
        {
            return Refuse(e.Message);
        }

        var stack = stacks[0];
        using var outputs = new SegmentOutputs(options.OutDir, options.Png, options.Overlay, stack.SemanticClasses);
        long total = CountFrames(inputs);
        var state = new SegmentPipeline(options, inputs, stacks, batch, outputs, new SegmentProgress(total, options.Quiet), NodeLogging.CreateLogger<SegmentPipeline>());
        Log.LogInformation($"segment: {inputs.Count} input(s), {(total > 0 ? $"about {total} frame(s)" : "frame count unknown")}; "
            + $"models {string.Join(", ", stack.Models.Select(m => $"{m.Name} ({m.Accelerator})"))}"
            + (batch is null ? "" : $" at batch {options.Batch}") + $"; instances from {stack.InstanceSource}; out {options.OutDir}");
        var wall = Stopwatch.StartNew();
        try
        {
            state.Progress.Run(() => state.Run(ct));
        }
        catch (OperationCanceledException)
        {
            // Every frame written so far is whole (atomic writes, record last): the COCO file and counts are not written.
            Log.LogWarning($"segment: stopped after {state.Progress.Done} frame(s); run again with --resume to go on.");
            return NodeCommandsExit.Failure;
        }
        wall.Stop();

        var records = new List<FrameRecord>();
        foreach (var name in state.Names)
        {
            if (state.FailedNames.ContainsKey(name)) continue;
            if (FrameRecord.TryRead(outputs.RecordPath(name)) is { } record) records.Add(record);
            else state.Fail(name, name, "its record frames/NAME.json is missing or unreadable");
        }
        try
        {
            if (options.CocoPath.Length > 0)
                AtomicFile.Write(options.CocoPath, CocoDocument.Build(records, $"drive-perception segment: {string.Join(" ", options.Inputs)}"));
            if (options.CountsPath.Length > 0)
                AtomicFile.WriteText(options.CountsPath, CountsTable.Build(records, stack.ClassNames));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.LogError($"segment: could not write {options.CocoPath} {options.CountsPath}: {e.Message}");
            return NodeCommandsExit.Failure;
        }

        state.PrintSummary(wall.Elapsed, records.Count);
        return state.Failures.IsEmpty ? 0 : NodeCommandsExit.Failure;
    }

    /// <summary>Frames the inputs hold, as far as their headers tell (videos estimate); 0 when unknown.</summary>
    private static long CountFrames(IReadOnlyList<SegmentInput> inputs)
    {
        long total = 0;
        foreach (var input in inputs)
        {
            switch (input.Kind)
            {
                case SegmentInputKind.Image:
                    total++;
                    break;
                case SegmentInputKind.Video:
                    using (var capture = new VideoCapture(input.Path))
                        total += capture.IsOpened() ? Math.Max(0, capture.FrameCount) : 0;
                    break;
                case SegmentInputKind.Drive:
                    try
                    {
                        using var drive = McapFrameSource.Open(input.Path, new FrameSourceOptions());
                        total += drive.FrameCount ?? 0;
                    }
                    catch (Exception e) when (e is FrameSourceException or IOException or InvalidDataException)
                    {
                        // Counted as a failure when the reader reaches it.
                    }
                    break;
            }
        }
        return total;
    }

    /// <summary>Disposes the stacks (views of the batch's buffers) first, then the batch (its sessions).</summary>
    private sealed class StacksLifetime(List<PerceptionStack> stacks, CameraBatch? batch) : IDisposable
    {
        public void Dispose()
        {
            foreach (var s in stacks) s.Dispose();
            batch?.Dispose();
        }
    }

    private static int Refuse(string message)
    {
        Log.LogError($"segment: {message}");
        return NodeCommandsExit.Usage;
    }
}
