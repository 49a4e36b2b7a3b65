namespace DrivePerception.Vision.Sources;

/// <summary>What one <see cref="IFrameSource.Read"/> produced.</summary>
public enum FrameReadStatus
{
    /// <summary>A decoded frame: <see cref="FrameRead.Frame"/> is set.</summary>
    Frame,
    /// <summary>The next frame exists but could not be decoded; it is skipped and the stream goes on.</summary>
    Corrupt,
    /// <summary>The source has no more frames; every later read says the same.</summary>
    Ended,
}
