using System.Collections.Concurrent;
using System.Diagnostics;
using DrivePerception.Core.Models;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Recording;
using DrivePerception.Vision.Calibration;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Perception;
using DrivePerception.Vision.Segmentation;
using DrivePerception.Vision.Sources;
using OpenCvSharp;
using OnnxRuntimeException = Microsoft.ML.OnnxRuntime.OnnxRuntimeException;

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
    /// <summary>Frames a queue between two stages holds: enough to ride out an uneven frame, few enough to bound memory.</summary>
    private const int QueueFrames = 4;

    /// <summary>Runs; returns the exit code (0 done, 1 some frames failed, 2 bad options, inputs or models).</summary>
    public static int Execute(SegmentOptions options, CancellationToken ct)
    {
        NodeLog.Quiet = options.Quiet;
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

        PerceptionStack stack;
        try
        {
            stack = PerceptionStack.Load(options.SemanticModel, options.LaneModel, options.Session, calibrationPath: "", undistort: false,
                produceClassMap: true, NodeLog.Info, options.InstanceModel, options.Instances, options.Tracking);
        }
        catch (Exception e) when (e is ModelCardException or AcceleratorUnavailableException or CalibrationFileException
                                      or ArgumentException or OnnxRuntimeException or FileNotFoundException)
        {
            return Refuse(e.Message);
        }

        using var stackLifetime = stack;
        using var outputs = new SegmentOutputs(options.OutDir, options.Png, options.Overlay, stack.SemanticClasses);
        long total = CountFrames(inputs);
        var state = new RunState(options, inputs, stack, outputs, new SegmentProgress(total, options.Quiet));
        NodeLog.Info($"segment: {inputs.Count} input(s), {(total > 0 ? $"about {total} frame(s)" : "frame count unknown")}; "
            + $"models {string.Join(", ", stack.Models.Select(m => $"{m.Name} ({m.Accelerator})"))}; instances from {stack.InstanceSource}; out {options.OutDir}");
        var wall = Stopwatch.StartNew();
        try
        {
            state.Progress.Run(() => state.Run(ct));
        }
        catch (OperationCanceledException)
        {
            // Every frame written so far is whole (atomic writes, record last): the COCO file and counts are not written.
            NodeLog.Warn($"segment: stopped after {state.Progress.Done} frame(s); run again with --resume to go on.");
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
            NodeLog.Error($"segment: could not write {options.CocoPath} {options.CountsPath}: {e.Message}");
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

    private static int Refuse(string message)
    {
        NodeLog.Error($"segment: {message}");
        return NodeCommandsExit.Usage;
    }

    /// <summary>One run's threads and tallies.</summary>
    private sealed class RunState(SegmentOptions options, List<SegmentInput> inputs, PerceptionStack stack, SegmentOutputs outputs, SegmentProgress progress)
    {
        private readonly BlockingCollection<SegmentWork> _decoded = new(QueueFrames);
        private readonly BlockingCollection<(SegmentWork Work, FrameLabels Labels, List<Core.Messages.LaneLine>? Lanes)> _segmented = new(QueueFrames);
        private long _decodeTicks, _modelTicks, _writeTicks, _segmentedFrames, _skipped;
        // Wall time between consecutive segmented frames leaving the model thread, ms: the throughput a frame sees.
        private readonly List<double> _frameIntervalsMs = [];
        private long _lastFrameDone;

        public SegmentProgress Progress => progress;

        /// <summary>Output names of every frame read, in input order (failed ones included; they have no record).</summary>
        public List<string> Names { get; } = [];

        /// <summary>Frames that could not be read, segmented or written, with the reason.</summary>
        public ConcurrentQueue<(string Where, string Why)> Failures { get; } = new();

        /// <summary>Output names of the failed frames: left out of the COCO file and the counts.</summary>
        public ConcurrentDictionary<string, bool> FailedNames { get; } = new();

        public void Fail(string name, string where, string why)
        {
            FailedNames[name] = true;
            Failures.Enqueue((where, why));
            NodeLog.Warn($"segment: skipped {where}: {why}");
        }

        public void Run(CancellationToken ct)
        {
            var reader = new Thread(() => Read(ct)) { IsBackground = true, Name = "segment-read" };
            var writers = Enumerable.Range(0, options.Workers).Select(i => new Thread(WriteLoop) { IsBackground = true, Name = $"segment-write-{i}" }).ToList();
            reader.Start();
            writers.ForEach(w => w.Start());
            try
            {
                SegmentLoop(ct);
            }
            finally
            {
                _segmented.CompleteAdding();
                // Unblock the reader if the loop stopped early (cancelled), then wait for every thread.
                foreach (var left in _decoded.GetConsumingEnumerable()) left.Dispose();
                reader.Join();
                writers.ForEach(w => w.Join());
            }
        }

        private void Read(CancellationToken ct)
        {
            try
            {
                foreach (var input in inputs)
                {
                    if (ct.IsCancellationRequested) break;
                    if (input.Kind == SegmentInputKind.Image) ReadImage(input);
                    else ReadFrames(input, ct);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
            {
                // The segment loop stopped taking frames (cancelled): nothing left to read for.
            }
            finally
            {
                _decoded.CompleteAdding();
            }
        }

        private void ReadImage(SegmentInput input)
        {
            if (options.Resume && outputs.IsComplete(input.Name))
            {
                _decoded.Add(new SegmentWork { Input = input, Name = input.Name, Skipped = true });
                return;
            }
            long start = Stopwatch.GetTimestamp();
            Mat? image = null;
            string? error = null;
            try
            {
                image = Cv2.ImRead(input.Path, ImreadModes.Color);
                if (image.Empty()) error = "not a readable image (corrupt, truncated or not an image format OpenCV decodes)";
            }
            catch (OpenCVException e)
            {
                error = $"not a readable image: {e.Message}";
            }
            if (error is not null)
            {
                image?.Dispose();
                image = null;
            }
            Interlocked.Add(ref _decodeTicks, Stopwatch.GetTimestamp() - start);
            _decoded.Add(new SegmentWork { Input = input, Name = input.Name, Image = image, Error = error });
        }

        private void ReadFrames(SegmentInput input, CancellationToken ct)
        {
            IFrameSource source;
            try
            {
                source = input.Kind == SegmentInputKind.Drive
                    ? McapFrameSource.Open(input.Path, new FrameSourceOptions())
                    : VideoFileSource.Open(input.Path, new FrameSourceOptions());
            }
            catch (Exception e) when (e is FrameSourceException or IOException or InvalidDataException or ArgumentException)
            {
                _decoded.Add(new SegmentWork { Input = input, Name = input.Name, Error = $"cannot be opened: {e.Message}" });
                return;
            }
            using (source)
            {
                while (true)
                {
                    long start = Stopwatch.GetTimestamp();
                    FrameRead read;
                    try
                    {
                        read = source.Read(ct);
                    }
                    catch (FrameSourceException e)
                    {
                        _decoded.Add(new SegmentWork { Input = input, Name = input.Name, Error = $"stopped reading: {e.Message}" });
                        return;
                    }
                    Interlocked.Add(ref _decodeTicks, Stopwatch.GetTimestamp() - start);
                    if (read.Status == FrameReadStatus.Ended)
                    {
                        if (read.Error is { } note) NodeLog.Warn($"segment: {input.Path} ended early: {note}");
                        return;
                    }
                    var name = input.FrameName(read.Index);
                    if (read.Status == FrameReadStatus.Corrupt)
                    {
                        _decoded.Add(new SegmentWork { Input = input, Name = name, Index = read.Index, Error = read.Error ?? "corrupt frame" });
                        continue;
                    }
                    if (options.Resume && outputs.IsComplete(name))
                    {
                        read.Frame!.Dispose();
                        _decoded.Add(new SegmentWork { Input = input, Name = name, Index = read.Index, Skipped = true });
                        continue;
                    }
                    _decoded.Add(new SegmentWork { Input = input, Name = name, Index = read.Index, Image = read.Frame });
                }
            }
        }

        private void SegmentLoop(CancellationToken ct)
        {
            SegmentInput? scene = null;
            foreach (var work in _decoded.GetConsumingEnumerable(ct))
            {
                Names.Add(work.Name);
                if (work.Error is not null || work.Skipped || work.Image is null)
                {
                    if (work.Error is not null) Fail(work.Name, work.Where, work.Error);
                    else if (work.Skipped) _skipped++;
                    work.Dispose();
                    progress.Frame();
                    continue;
                }
                // Track ids carry over between the frames of one video or drive only.
                if (!work.Input.Tracked || !ReferenceEquals(scene, work.Input)) stack.ResetTracks();
                scene = work.Input;
                long start = Stopwatch.GetTimestamp();
                try
                {
                    var image = work.Image;
                    stack.Preprocess(image);
                    stack.Infer();
                    var result = stack.Postprocess(image.Width, image.Height, work.Index);
                    var labels = FrameLabels.From(result, image.Width, image.Height);
                    _modelTicks += Stopwatch.GetTimestamp() - start;
                    if (options.Workers == 0) Write(work, labels, result.Lanes);
                    else _segmented.Add((work, labels, result.Lanes), ct);
                    _segmentedFrames++;
                    long done = Stopwatch.GetTimestamp();
                    if (_lastFrameDone != 0) _frameIntervalsMs.Add((done - _lastFrameDone) * 1000.0 / Stopwatch.Frequency);
                    _lastFrameDone = done;
                }
                catch (Exception e) when (e is OpenCVException or OnnxRuntimeException or InvalidOperationException or InvalidDataException or ArgumentException)
                {
                    Fail(work.Name, work.Where, $"segmentation failed: {e.Message}");
                    work.Dispose();
                }
                progress.Frame();
            }
        }

        private void WriteLoop()
        {
            foreach (var (work, labels, lanes) in _segmented.GetConsumingEnumerable()) Write(work, labels, lanes);
        }

        private void Write(SegmentWork work, FrameLabels labels, List<Core.Messages.LaneLine>? lanes)
        {
            long start = Stopwatch.GetTimestamp();
            try
            {
                outputs.Write(work, work.Image!, labels, lanes);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or OpenCVException)
            {
                Fail(work.Name, work.Where, $"outputs could not be written: {e.Message}");
            }
            finally
            {
                work.Dispose();
                Interlocked.Add(ref _writeTicks, Stopwatch.GetTimestamp() - start);
            }
        }

        public void PrintSummary(TimeSpan wall, int recorded)
        {
            double seconds = Math.Max(1e-9, wall.TotalSeconds);
            double Ms(long ticks) => _segmentedFrames == 0 ? 0 : ticks * 1000.0 / Stopwatch.Frequency / _segmentedFrames;
            Console.Error.WriteLine($"segment: {_segmentedFrames} frame(s) segmented, {_skipped} skipped (--resume), {Failures.Count} failed, "
                + $"{recorded} in the outputs; {wall.TotalSeconds:F1} s, {_segmentedFrames / seconds:F2} frames/s; per frame: decode {Ms(_decodeTicks):F1} ms, "
                + $"models {Ms(_modelTicks):F1} ms, write {Ms(_writeTicks):F1} ms ({options.Workers} writer thread(s))");
            if (_frameIntervalsMs.Count > 0)
            {
                var sorted = _frameIntervalsMs.Order().ToList();
                double Percentile(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
                Console.Error.WriteLine($"segment: time between frames p50 {Percentile(0.50):F1} ms, p99 {Percentile(0.99):F1} ms over {sorted.Count} intervals");
            }
            if (Failures.IsEmpty) return;
            Console.Error.WriteLine($"segment: {Failures.Count} frame(s) failed:");
            foreach (var (where, why) in Failures) Console.Error.WriteLine($"  {where}: {why}");
        }
    }
}
