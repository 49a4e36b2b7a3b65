namespace DrivePerception.Vision.Sources;

/// <summary>
/// Settings for opening a frame source. Defaults and ranges:
/// <list type="table">
/// <item><term><see cref="ImageSequenceFps"/></term><description>15; (0, 1000]. Rate an image sequence stands for.</description></item>
/// <item><term><see cref="RealTime"/></term><description>false. Pace file sources at their source time.</description></item>
/// <item><term><see cref="Loop"/></term><description>false. Play a file source again from its start when it ends.</description></item>
/// <item><term><see cref="CameraWidth"/>, <see cref="CameraHeight"/></term><description>0 (driver default); 0..8192.</description></item>
/// <item><term><see cref="CameraFps"/></term><description>0 (driver default); 0..1000.</description></item>
/// <item><term><see cref="ReconnectInitialDelay"/></term><description>0.5 s; &gt; 0.</description></item>
/// <item><term><see cref="ReconnectMaxDelay"/></term><description>8 s; &gt;= the initial delay.</description></item>
/// <item><term><see cref="ReconnectGiveUpAfter"/></term><description>null (retry for ever); &gt; 0 when set.</description></item>
/// </list>
/// </summary>
public sealed class FrameSourceOptions
{
    /// <summary>Frames per second an image sequence represents: sets its source times and its pacing.</summary>
    public double ImageSequenceFps { get; set; } = 15;

    /// <summary>
    /// When true, file sources (video, image sequence) wait so that frames come no faster than their source
    /// time, as a camera would deliver them; when false they deliver as fast as they are read.
    /// Live cameras are paced by the device either way.
    /// </summary>
    public bool RealTime { get; set; }

    /// <summary>
    /// When true, a file source (video, image sequence, recording, synthetic drive) starts again when it ends, with
    /// index and source time going on increasing (<see cref="LoopingSource"/>); a live camera is refused.
    /// </summary>
    public bool Loop { get; set; }

    /// <summary>Camera frame width to request; 0 leaves the driver's default.</summary>
    public int CameraWidth { get; set; }

    /// <summary>Camera frame height to request; 0 leaves the driver's default.</summary>
    public int CameraHeight { get; set; }

    /// <summary>Camera frame rate to request; 0 leaves the driver's default.</summary>
    public double CameraFps { get; set; }

    /// <summary>First wait before reopening a camera that disappeared; doubles on each failed attempt.</summary>
    public TimeSpan ReconnectInitialDelay { get; set; } = TimeSpan.FromSeconds(0.5);

    /// <summary>Longest wait between reconnection attempts.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>How long a camera may stay away before the source fails; null retries for ever.</summary>
    public TimeSpan? ReconnectGiveUpAfter { get; set; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the setting and its valid range.</summary>
    public void Validate()
    {
        if (!(ImageSequenceFps > 0 && ImageSequenceFps <= 1000))
            throw new ArgumentOutOfRangeException(nameof(ImageSequenceFps), $"ImageSequenceFps must be in (0, 1000] frames per second, got {ImageSequenceFps}.");
        if (CameraWidth is < 0 or > 8192)
            throw new ArgumentOutOfRangeException(nameof(CameraWidth), $"CameraWidth must be 0 (driver default) to 8192 pixels, got {CameraWidth}.");
        if (CameraHeight is < 0 or > 8192)
            throw new ArgumentOutOfRangeException(nameof(CameraHeight), $"CameraHeight must be 0 (driver default) to 8192 pixels, got {CameraHeight}.");
        if (!(CameraFps >= 0 && CameraFps <= 1000))
            throw new ArgumentOutOfRangeException(nameof(CameraFps), $"CameraFps must be 0 (driver default) to 1000, got {CameraFps}.");
        if (ReconnectInitialDelay <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(ReconnectInitialDelay), $"ReconnectInitialDelay must be positive, got {ReconnectInitialDelay}.");
        if (ReconnectMaxDelay < ReconnectInitialDelay)
            throw new ArgumentOutOfRangeException(nameof(ReconnectMaxDelay), $"ReconnectMaxDelay ({ReconnectMaxDelay}) must be at least ReconnectInitialDelay ({ReconnectInitialDelay}).");
        if (ReconnectGiveUpAfter is { } giveUp && giveUp <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(ReconnectGiveUpAfter), $"ReconnectGiveUpAfter must be positive, or null to retry for ever; got {giveUp}.");
    }
}
