namespace DrivePerception.Vision.Sources;

/// <summary>
/// Something the node reads frames from: a video file, an image sequence, a camera, or a source the node
/// registers itself (synthetic scenes, recordings). <see cref="Read"/> is called from one capture thread;
/// dispose only after that thread has stopped (cancel its token first).
/// </summary>
public interface IFrameSource : IDisposable
{
    /// <summary>What the source is, for logs and status (e.g. "video 'drive.mp4' 1280x720 @ 30 fps").</summary>
    string Description { get; }

    /// <summary>Frames per second the source is meant to play at; 0 when unknown.</summary>
    double NominalFps { get; }

    /// <summary>True for live sources (cameras): frames come at the device's pace and cannot be replayed.</summary>
    bool IsLive { get; }

    /// <summary>Current state, safe to read from any thread.</summary>
    SourceState State { get; }

    /// <summary>Reconnection attempts so far (cameras; 0 for files).</summary>
    long Reconnects { get; }

    /// <summary>
    /// Blocks for the next frame. Returns a frame (owned by the caller), a corrupt frame that was skipped, or
    /// the end. Throws <see cref="OperationCanceledException"/> when <paramref name="ct"/> is cancelled and
    /// <see cref="FrameSourceException"/> when the source has failed for good.
    /// </summary>
    FrameRead Read(CancellationToken ct);
}
