using DrivePerception.Core.Frames;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Options;
using DrivePerception.Vision.Sources;

namespace DrivePerception.Node.Recording;

/// <summary>
/// `record --frames-only`: captures a source and records its frames, with no inference at all (no models needed), for
/// collecting drives on a machine that only has the camera. Honours --max-frames, --duration and --rate.
/// </summary>
public static class FramesOnlyRecording
{
    /// <summary>Records until the source ends, a limit is reached or <paramref name="ct"/> is cancelled; returns the exit code.</summary>
    public static int Run(RunOptions options, string outPath, DriveRecordingOptions recording, CancellationToken ct)
    {
        NodeLog.Quiet = options.Quiet;
        var spec = string.IsNullOrEmpty(options.Source) ? NodeSources.EmbeddedDefault : options.Source;
        IFrameSource source;
        try
        {
            source = NodeSources.Open(spec, new FrameSourceOptions { ImageSequenceFps = options.SequenceFps, RealTime = options.Paced, Loop = options.Loop });
        }
        catch (Exception e) when (e is FrameSourceException or ArgumentException or IOException or InvalidDataException)
        {
            NodeLog.Error($"cannot start (source): {e.Message}");
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
            NodeLog.Error($"cannot start (recording): {e.Message}");
            return NodeCommandsExit.Usage;
        }
        using var tap = new FrameTap(source, sink);
        NodeLog.Info($"recording frames only from {source.Description} to {sink.Path}");
        long frames = 0, corrupt = 0, start = MonotonicClock.NowNs();
        string state = "stopped";
        try
        {
            while (!ct.IsCancellationRequested && (options.MaxFrames <= 0 || frames < options.MaxFrames))
            {
                if (options.Duration > TimeSpan.Zero && MonotonicClock.Ms(start, MonotonicClock.NowNs()) >= options.Duration.TotalMilliseconds) break;
                var read = tap.Read(ct);
                if (read.Status == FrameReadStatus.Ended)
                {
                    state = "ended";
                    if (read.Error is not null) NodeLog.Warn(read.Error);
                    break;
                }
                if (read.Status == FrameReadStatus.Corrupt)
                {
                    corrupt++;
                    NodeLog.Warn($"Skipped a corrupt frame: {read.Error}");
                    continue;
                }
                read.Frame!.Dispose();
                frames++;
            }
        }
        catch (OperationCanceledException)
        {
            state = "stopped";
        }
        catch (FrameSourceException e)
        {
            state = "failed";
            NodeLog.Error($"Source {source.Description} failed: {e.Message}");
        }
        var stats = sink.Complete();
        sink.Dispose();
        Console.WriteLine($"source {state}: captured {frames} frame(s), corrupt {corrupt}; {stats}");
        return state == "failed" || stats.WriteError is not null ? NodeCommandsExit.Failure : 0;
    }
}
