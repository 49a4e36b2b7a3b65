using DrivePerception.Node.Hosting;
using DrivePerception.Node.Options;
using DrivePerception.Vision.Sources;
using Microsoft.Extensions.Logging;
using DrivePerception.Node.Logging;

namespace DrivePerception.Node.Recording;

/// <summary>
/// `record --frames-only`: captures a source and records its frames, with no inference at all (no models needed), for
/// collecting drives on a machine that only has the camera. Honours --max-frames, --duration and --rate.
/// </summary>
public static class FramesOnlyRecording
{
    private static readonly ILogger Log = NodeLogging.CreateLogger(typeof(FramesOnlyRecording));

    /// <summary>Records until the source ends, a limit is reached or <paramref name="ct"/> is cancelled; returns the exit code.</summary>
    public static int Run(RunOptions options, FrameSourceRegistry sources, string outPath, DriveRecordingOptions recording, CancellationToken ct)
    {
        NodeLogging.Quiet = options.Quiet;
        IFrameSource source;
        try
        {
            source = sources.OpenOrDefault(options.Source.Spec, options.Source.OpenOptions());
        }
        catch (Exception e) when (e is FrameSourceException or ArgumentException or IOException or InvalidDataException)
        {
            Log.LogError($"cannot start (source): {e.Message}");
            return NodeCommandsExit.Usage;
        }
        DriveRecordingSink sink;
        try
        {
            sink = new DriveRecordingSink(outPath, recording);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            source.Dispose();
            Log.LogError($"cannot start (recording): {e.Message}");
            return NodeCommandsExit.Usage;
        }
        using var tap = new FrameTap(source, sink);
        Log.LogInformation($"recording frames only from {source.Description} to {sink.Path}");
        // --duration stops the reading as a cancellation would: the state is "stopped" either way.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (options.Source.Duration > TimeSpan.Zero) stop.CancelAfter(options.Source.Duration);
        var (frames, corrupt, state) = Capture(tap, options.Source.MaxFrames, stop.Token);
        var stats = sink.Complete();
        sink.Dispose();
        Console.WriteLine($"source {state}: captured {frames} frame(s), corrupt {corrupt}; {stats}");
        return state == "failed" || stats.WriteError is not null ? NodeCommandsExit.Failure : 0;
    }

    /// <summary>
    /// `record --frames-only` with several cameras: one reading thread per camera, every camera's frames on its own
    /// channel; --max-frames counts per camera, --duration the whole recording. Returns the exit code.
    /// </summary>
    public static int Run(IReadOnlyList<CameraSpec> cameras, RunOptions options, FrameSourceRegistry registry, string outPath, DriveRecordingOptions recording, CancellationToken ct)
    {
        NodeLogging.Quiet = options.Quiet;
        var sources = new List<(string Id, IFrameSource Source)>();
        DriveRecordingSink? sink = null;
        try
        {
            foreach (var camera in cameras)
            {
                try
                {
                    sources.Add((camera.Id, registry.Open(camera.Source, new FrameSourceOptions { ImageSequenceFps = options.Source.SequenceFps, RealTime = options.Source.Paced })));
                }
                catch (Exception e) when (e is FrameSourceException or ArgumentException or IOException or InvalidDataException)
                {
                    Log.LogError($"cannot start (source {camera.Id}): {e.Message}");
                    return NodeCommandsExit.Usage;
                }
            }
            try
            {
                sink = new DriveRecordingSink(outPath, recording);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.LogError($"cannot start (recording): {e.Message}");
                return NodeCommandsExit.Usage;
            }
            var taps = sources.Select(s => new FrameTap(s.Source, sink, s.Id)).ToList();
            sources.Clear(); // the taps own them now
            Log.LogInformation($"recording frames only from {taps.Count} cameras ({string.Join(", ", cameras.Select(c => c.Id))}) to {sink.Path}");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (options.Source.Duration > TimeSpan.Zero) stop.CancelAfter(options.Source.Duration);
            var results = new (long Frames, long Corrupt, string State)[taps.Count];
            var threads = taps.Select((tap, i) => new Thread(() => results[i] = Capture(tap, options.Source.MaxFrames, stop.Token)) { Name = $"record {cameras[i].Id}" }).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            taps.ForEach(t => t.Dispose());
            var stats = sink.Complete();
            for (int i = 0; i < taps.Count; i++)
                Console.WriteLine($"camera {cameras[i].Id}: source {results[i].State}: captured {results[i].Frames} frame(s), corrupt {results[i].Corrupt}");
            Console.WriteLine(stats);
            return results.Any(r => r.State == "failed") || stats.WriteError is not null ? NodeCommandsExit.Failure : 0;
        }
        finally
        {
            sources.ForEach(s => s.Source.Dispose());
            sink?.Dispose();
        }
    }

    private static (long Frames, long Corrupt, string State) Capture(FrameTap tap, long maxFrames, CancellationToken ct)
    {
        long frames = 0, corrupt = 0;
        try
        {
            while (!ct.IsCancellationRequested && (maxFrames <= 0 || frames < maxFrames))
            {
                var read = tap.Read(ct);
                if (read.Status == FrameReadStatus.Ended)
                {
                    if (read.Error is not null) Log.LogWarning(read.Error);
                    return (frames, corrupt, "ended");
                }
                if (read.Status == FrameReadStatus.Corrupt)
                {
                    corrupt++;
                    Log.LogWarning($"Skipped a corrupt frame: {read.Error}");
                    continue;
                }
                read.Frame!.Dispose();
                frames++;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (FrameSourceException e)
        {
            Log.LogError($"Source {tap.Description} failed: {e.Message}");
            return (frames, corrupt, "failed");
        }
        return (frames, corrupt, "stopped");
    }
}
