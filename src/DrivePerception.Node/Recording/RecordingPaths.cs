using DrivePerception.Node.Hosting;
using DrivePerception.Node.Options;
using Microsoft.Extensions.Logging;
using DrivePerception.Node.Logging;

namespace DrivePerception.Node.Recording;

/// <summary>What record, replay and regress check about the files they are given, and the recorded run they share.</summary>
public static class RecordingPaths
{
    private static readonly ILogger Log = NodeLogging.CreateLogger(typeof(RecordingPaths));

    /// <summary>Why an --out path cannot be written, or null when it can.</summary>
    public static string? CheckOutput(string? path, bool overwrite, string? input)
    {
        if (string.IsNullOrWhiteSpace(path)) return "--out is required: give the .mcap file to write, e.g. --out recordings/drive.mcap.";
        if (!path.EndsWith(".mcap", StringComparison.OrdinalIgnoreCase)) return $"--out '{path}' must end in .mcap (recordings are MCAP files).";
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder)) return $"--out '{path}': folder '{folder}' does not exist. Create it first.";
        if (Directory.Exists(full)) return $"--out '{path}' is a folder; give a file name ending in .mcap.";
        if (!string.IsNullOrEmpty(input) && string.Equals(full, Path.GetFullPath(input.Split('#')[0]), StringComparison.Ordinal))
            return $"--out '{path}' is the recording being read; write to another file.";
        if (File.Exists(full) && !overwrite) return $"--out '{path}' exists. Delete it, pick another name, or pass --overwrite.";
        return null;
    }

    /// <summary>Why a drive path cannot be replayed, or null when it can (a .mcap file, optionally with #camera).</summary>
    public static string? CheckDrive(string? drive, string what)
    {
        if (string.IsNullOrWhiteSpace(drive)) return $"Give the {what} (.mcap), e.g. recordings/cruising.mcap.";
        var path = drive.Contains(".mcap#", StringComparison.OrdinalIgnoreCase) ? drive[..(drive.LastIndexOf('#'))] : drive;
        if (Directory.Exists(path)) return null;
        if (!path.EndsWith(".mcap", StringComparison.OrdinalIgnoreCase)) return $"The {what} '{drive}' is not a .mcap recording. Record one with `drive-perception record --source VIDEO --out drive.mcap`.";
        if (!File.Exists(path)) return $"The {what} '{path}' was not found.";
        return null;
    }

    /// <summary>Why --out cannot be written for any of <paramref name="inputs"/> (the cameras' sources), or null when it can.</summary>
    public static string? CheckOutputForAll(string? path, bool overwrite, IEnumerable<string> inputs) =>
        inputs.Select(i => CheckOutput(path, overwrite, i)).FirstOrDefault(p => p is not null) ?? CheckOutput(path, overwrite, "");

    /// <summary>Logs <paramref name="problem"/> and returns exit code 2.</summary>
    public static int Refuse(string problem)
    {
        Log.LogError(problem);
        return NodeCommandsExit.Usage;
    }

    /// <summary>Runs the node with a recorder on its messages and a tap on its source; returns the exit code (1 when writing failed).</summary>
    public static int RunRecorded(RunOptions options, FrameSourceRegistry sources, string outPath, DriveRecordingOptions recording, CancellationToken ct)
    {
        DriveRecordingSink sink;
        try
        {
            sink = new DriveRecordingSink(outPath, recording);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Refuse($"cannot record to '{outPath}': {e.Message}");
        }
        int exit;
        RecordingStats stats;
        using (sink)
        {
            exit = options.IsMultiCamera
                ? MultiCameraRunner.Run(options, sources, ct, sink, (cameraId, source) => new FrameTap(source, sink, cameraId))
                : NodeRunner.Run(options, sources, ct, sink, source => new FrameTap(source, sink));
            stats = sink.Complete();
        }
        if (exit == NodeCommandsExit.Usage && stats.FramesRecorded == 0)
        {
            // The node never started: an empty recording would only look like a drive with nothing in it.
            File.Delete(stats.Path);
            return exit;
        }
        Console.WriteLine(stats);
        if (stats.FramesDropped > 0 || stats.MessagesDropped > 0)
            Log.LogWarning($"The recorder dropped {stats.FramesDropped} frame(s) and {stats.MessagesDropped} message(s): the disk or the JPEG encoder was too slow. Lower --jpeg-quality or record to a faster disk.");
        return exit != 0 ? exit : stats.WriteError is not null ? NodeCommandsExit.Failure : 0;
    }
}
