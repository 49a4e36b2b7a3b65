namespace DrivePerception.Node.Recording;

/// <summary>What a recorder wrote and what it had to drop; printed at stop. Drops are never silent.</summary>
public sealed record RecordingStats
{
    /// <summary>The file.</summary>
    public required string Path { get; init; }
    /// <summary>Camera frames written.</summary>
    public long FramesRecorded { get; init; }
    /// <summary>Frames not recorded because the recorder's queue was full (the disk or the encoder fell behind).</summary>
    public long FramesDropped { get; init; }
    /// <summary>Frames that failed to encode as JPEG, not recorded.</summary>
    public long FramesFailed { get; init; }
    /// <summary>Wire messages and overlays written.</summary>
    public long MessagesRecorded { get; init; }
    /// <summary>Messages not recorded because the queue was full, or after a write error.</summary>
    public long MessagesDropped { get; init; }
    /// <summary>Bytes in the file.</summary>
    public long Bytes { get; init; }
    /// <summary>Why writing stopped early (disk full, ...); null when it did not.</summary>
    public string? WriteError { get; init; }

    /// <summary>One line for the log.</summary>
    public override string ToString() =>
        $"recorded {FramesRecorded} frame(s) and {MessagesRecorded} message(s) to {Path} ({Bytes / 1e6:F1} MB); "
        + $"dropped {FramesDropped} frame(s) and {MessagesDropped} message(s) (recorder queue full){(FramesFailed > 0 ? $", {FramesFailed} frame(s) failed to encode" : "")}"
        + (WriteError is null ? "" : $"; WRITING STOPPED: {WriteError}");
}
