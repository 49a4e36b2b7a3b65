namespace DrivePerception.Vision.Tracking;

/// <summary>
/// Settings of <see cref="InstanceTracker"/>. Defaults and ranges: <see cref="MaxMissedFrames"/> 5, 0..1000;
/// <see cref="MinIoU"/> 0.3, (0, 1]; <see cref="VelocitySmoothing"/> 0.5, (0, 1]; <see cref="ConfirmFrames"/> 1, 1..100.
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

    /// <summary>
    /// A track is confirmed once it has been matched in this many frames (its first included); the node publishes only
    /// confirmed tracks' detections (<see cref="InstanceTracker.RemoveUnconfirmed"/>). 1 (the default) publishes every
    /// detection at once; 2 drops one-frame blips (such as the last false pedestrian on the synthetic empty road) at the
    /// cost of every new object appearing one frame later.
    /// </summary>
    public int ConfirmFrames { get; set; } = 1;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the setting and its range.</summary>
    public void Validate()
    {
        if (MaxMissedFrames is < 0 or > 1000)
            throw new ArgumentOutOfRangeException(nameof(MaxMissedFrames), $"MaxMissedFrames must be 0..1000 updates, got {MaxMissedFrames}.");
        if (!(MinIoU > 0 && MinIoU <= 1))
            throw new ArgumentOutOfRangeException(nameof(MinIoU), $"MinIoU must be in (0, 1], got {MinIoU}.");
        if (!(VelocitySmoothing > 0 && VelocitySmoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(VelocitySmoothing), $"VelocitySmoothing must be in (0, 1], got {VelocitySmoothing}.");
        if (ConfirmFrames is < 1 or > 100)
            throw new ArgumentOutOfRangeException(nameof(ConfirmFrames), $"--instance-confirm-frames must be 1..100 frames (1: publish at once), got {ConfirmFrames}.");
    }
}
