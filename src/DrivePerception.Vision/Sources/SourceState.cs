namespace DrivePerception.Vision.Sources;

/// <summary>Where a frame source is in its life; published in the node's status as lower-case text.</summary>
public enum SourceState
{
    /// <summary>Opened, no frame delivered yet.</summary>
    Starting,
    /// <summary>Delivering frames.</summary>
    Streaming,
    /// <summary>A live camera stopped delivering; the source is trying to open it again.</summary>
    Reconnecting,
    /// <summary>A file or sequence has no more frames.</summary>
    Ended,
    /// <summary>The source gave up (a camera that did not come back in time); <see cref="IFrameSource.Read"/> throws.</summary>
    Failed,
}
