namespace DrivePerception.Node.Pipeline;

/// <summary>How the newest-frame slot treats a frame that arrives before the previous one was taken.</summary>
public enum SlotMode
{
    /// <summary>Replace it: the newest frame wins, the old one is counted as dropped (live sources, paced files).</summary>
    DropOldest,
    /// <summary>Wait for the pipeline: nothing is dropped (files and recordings read as fast as possible).</summary>
    Lossless,
}
