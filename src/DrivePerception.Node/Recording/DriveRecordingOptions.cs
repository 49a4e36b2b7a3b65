namespace DrivePerception.Node.Recording;

/// <summary>
/// Settings of the node's recorder. Defaults and ranges:
/// <list type="table">
/// <item><term><see cref="CameraId"/></term><description>"front"; the camera channel is /camera/&lt;id&gt;/image.</description></item>
/// <item><term><see cref="JpegQuality"/></term><description>90; 1..100.</description></item>
/// <item><term><see cref="FramesOnly"/></term><description>false; true records the camera frames and nothing else.</description></item>
/// <item><term><see cref="QueueCapacity"/></term><description>256 items (frames and messages); 8..65536.</description></item>
/// <item><term><see cref="MaxPendingFrames"/></term><description>16 frame copies waiting for the encoder; 1..1024. Bounds the memory a slow disk can take (16 1080p frames: 100 MB).</description></item>
/// </list>
/// </summary>
public sealed class DriveRecordingOptions
{
    /// <summary>Camera id of the recorded channel.</summary>
    public string CameraId { get; init; } = "front";

    /// <summary>
    /// A run of several cameras: every camera's frames, outputs and overlay on channels of their own
    /// (<c>/camera/rear/image</c>, <c>/perception/lanes#rear</c>, <c>/perception/overlay#rear</c>), each message filed under
    /// the camera in its header. False: one camera, <see cref="CameraId"/>, on the single-camera channels.
    /// </summary>
    public bool PerCameraChannels { get; init; }

    /// <summary>JPEG quality of re-encoded frames (frames replayed from a recording keep their original bytes).</summary>
    public int JpegQuality { get; init; } = 90;

    /// <summary>Record the frames only (no messages, no overlay).</summary>
    public bool FramesOnly { get; init; }

    /// <summary>
    /// Record the outputs only (no camera frames): enough for a golden, whose frames are already in its drive.
    /// Frames still set the log times of the messages about them.
    /// </summary>
    public bool OutputsOnly { get; init; }

    /// <summary>Items the recorder thread may have waiting; past it new items are dropped and counted.</summary>
    public int QueueCapacity { get; init; } = 256;

    /// <summary>Frame copies that may wait for the encoder; past it new frames are dropped and counted.</summary>
    public int MaxPendingFrames { get; init; } = 16;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the setting and its range.</summary>
    public void Validate()
    {
        if (FramesOnly && OutputsOnly) throw new ArgumentException("Record frames only or outputs only, not both.");
        if (JpegQuality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(JpegQuality), $"JPEG quality must be 1..100, got {JpegQuality}.");
        if (QueueCapacity is < 8 or > 65536) throw new ArgumentOutOfRangeException(nameof(QueueCapacity), $"Recorder queue capacity must be 8..65536, got {QueueCapacity}.");
        if (MaxPendingFrames is < 1 or > 1024) throw new ArgumentOutOfRangeException(nameof(MaxPendingFrames), $"Pending frames must be 1..1024, got {MaxPendingFrames}.");
    }
}
