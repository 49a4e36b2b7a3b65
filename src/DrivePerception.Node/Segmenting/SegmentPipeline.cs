using System.Collections.Concurrent;
using System.Diagnostics;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Recording;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Perception;
using DrivePerception.Vision.Segmentation;
using DrivePerception.Vision.Sources;
using OpenCvSharp;
using OnnxRuntimeException = Microsoft.ML.OnnxRuntime.OnnxRuntimeException;
using Microsoft.Extensions.Logging;
using DrivePerception.Node.Logging;

namespace DrivePerception.Node.Segmenting;

/// <summary>
/// The threads and tallies of one `segment` run (<see cref="SegmentRun"/>): a reader thread decodes frames into a
/// bounded queue, the calling thread runs the models and writes the outputs (or hands them to --workers writer threads
/// through a second queue). With --batch N it takes up to N decoded frames at a time, one per stack, and the stacks,
/// slots of one in-turn <see cref="CameraBatch"/>, run each model once for all of them. Frame ownership: the reader creates each Mat, whoever holds its <see cref="SegmentWork"/>
/// disposes it.
/// </summary>
internal sealed class SegmentPipeline(SegmentOptions options, List<SegmentInput> inputs, IReadOnlyList<PerceptionStack> stacks, CameraBatch? batch,
    SegmentOutputs outputs, SegmentProgress progress, ILogger log)
{
    // Room for two rounds of --batch frames, so the reader decodes the next round while the models run this one.
    private readonly BlockingCollection<SegmentWork> _decoded = new(Math.Max(SegmentRun.QueueFrames, 2 * stacks.Count));
    private readonly BlockingCollection<(SegmentWork Work, FrameLabels Labels, List<Core.Messages.LaneLine>? Lanes)> _segmented = new(SegmentRun.QueueFrames);
    private long _decodeTicks, _modelTicks, _writeTicks, _segmentedFrames, _skipped;
    // Wall time between consecutive segmented frames leaving the model thread, ms: the throughput a frame sees.
    private readonly List<double> _frameIntervalsMs = [];
    private long _lastFrameDone;

    /// <summary>The run's progress display and frame count.</summary>
    public SegmentProgress Progress => progress;

    /// <summary>Output names of every frame read, in input order (failed ones included; they have no record).</summary>
    public List<string> Names { get; } = [];

    /// <summary>Frames that could not be read, segmented or written, with the reason.</summary>
    public ConcurrentQueue<(string Where, string Why)> Failures { get; } = new();

    /// <summary>Output names of the failed frames: left out of the COCO file and the counts.</summary>
    public ConcurrentDictionary<string, bool> FailedNames { get; } = new();

    /// <summary>Counts frame <paramref name="name"/> (at <paramref name="where"/>) as failed and logs why.</summary>
    public void Fail(string name, string where, string why)
    {
        FailedNames[name] = true;
        Failures.Enqueue((where, why));
        log.LogWarning($"segment: skipped {where}: {why}");
    }

    /// <summary>Reads, segments and writes every frame; returns when all threads are done. Throws when cancelled.</summary>
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
                    if (read.Error is { } note) log.LogWarning($"segment: {input.Path} ended early: {note}");
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
        var round = new List<SegmentWork>(stacks.Count);
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
            round.Add(work);
            // --batch N: gather N frames, or fewer when no more are decoded yet (the end, or a slow reader) so that a
            // short input never waits; they then go through the batch in one run per model.
            if (round.Count < stacks.Count && _decoded.Count > 0) continue;
            SegmentRound(round, ref scene, ct);
            round.Clear();
        }
        if (round.Count > 0) SegmentRound(round, ref scene, ct);
    }

    /// <summary>
    /// Segments the frames of one round: each into its own stack (a slot of the batch when --batch is over 1),
    /// the models once for all, then post-processing in frame order (the stacks share their trackers).
    /// </summary>
    private void SegmentRound(List<SegmentWork> round, ref SegmentInput? scene, CancellationToken ct)
    {
        long start = Stopwatch.GetTimestamp();
        var ready = new bool[round.Count];
        batch?.StartRound();
        for (int i = 0; i < round.Count; i++)
        {
            try
            {
                stacks[i].Preprocess(round[i].Image!);
                ready[i] = true;
            }
            catch (Exception e) when (e is OpenCVException or InvalidOperationException or ArgumentException)
            {
                Fail(round[i].Name, round[i].Where, $"segmentation failed: {e.Message}");
            }
        }
        try
        {
            for (int i = 0; i < round.Count; i++)
                if (ready[i]) stacks[i].Infer();
        }
        catch (Exception e) when (e is OnnxRuntimeException or InvalidOperationException)
        {
            for (int i = 0; i < round.Count; i++)
            {
                if (ready[i]) Fail(round[i].Name, round[i].Where, $"segmentation failed: {e.Message}");
                round[i].Dispose();
                progress.Frame();
            }
            return;
        }
        long inferred = Stopwatch.GetTimestamp();
        for (int i = 0; i < round.Count; i++)
        {
            var work = round[i];
            if (!ready[i])
            {
                work.Dispose();
                progress.Frame();
                continue;
            }
            long postStart = Stopwatch.GetTimestamp();
            try
            {
                // Track ids carry over between the frames of one video or drive only.
                if (!work.Input.Tracked || !ReferenceEquals(scene, work.Input)) stacks[i].ResetTracks();
                scene = work.Input;
                var image = work.Image!;
                var result = stacks[i].Postprocess(image.Width, image.Height, work.Index);
                var labels = FrameLabels.From(result, image.Width, image.Height);
                _modelTicks += Stopwatch.GetTimestamp() - postStart;
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
        // Preprocessing and the batch's run, shared by the round's frames (post-processing is counted per frame above).
        _modelTicks += inferred - start;
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

    /// <summary>Prints the counts, speed and failures to stderr.</summary>
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
