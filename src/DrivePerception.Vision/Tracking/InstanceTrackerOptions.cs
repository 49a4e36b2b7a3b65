namespace DrivePerception.Vision.Tracking;

/// <summary>
/// Settings of <see cref="InstanceTracker"/>. Defaults and ranges: <see cref="MaxMissedFrames"/> 5, 0..1000;
/// <see cref="MinIoU"/> 0.3, (0, 1]; <see cref="VelocitySmoothing"/> 0.5, (0, 1].
/// </summary>
public sealed class InstanceTrackerOptions
{
    /// <summary>A track unmatched in more than this many consecutive updates is dropped (its id is never given again).</summary>
    public int MaxMissedFrames { get; set; } = 5;

    /// <summary>A detection joins a track only when its box overlaps the track's predicted box by at least this IoU.</summary>
    public double MinIoU { get; set; } = 0.3;

    /// <summary>
    /// Weight of the newest measured centre velocity against the running estimate (1 takes only the newest;
    /// lower values damp the jitter of segmentation boxes).
    /// </summary>
    public double VelocitySmoothing { get; set; } = 0.5;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the setting and its range.</summary>
    public void Validate()
    {
        if (MaxMissedFrames is < 0 or > 1000)
            throw new ArgumentOutOfRangeException(nameof(MaxMissedFrames), $"MaxMissedFrames must be 0..1000 updates, got {MaxMissedFrames}.");
        if (!(MinIoU > 0 && MinIoU <= 1))
            throw new ArgumentOutOfRangeException(nameof(MinIoU), $"MinIoU must be in (0, 1], got {MinIoU}.");
        if (!(VelocitySmoothing > 0 && VelocitySmoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(VelocitySmoothing), $"VelocitySmoothing must be in (0, 1], got {VelocitySmoothing}.");
    }
}
