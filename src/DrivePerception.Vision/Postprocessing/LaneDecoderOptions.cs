namespace DrivePerception.Vision.Postprocessing;

/// <summary>
/// Settings of <see cref="LaneDecoder"/>. Defaults and ranges:
/// <see cref="ExistThreshold"/> 0.5 in [0, 1]; <see cref="MinRows"/> 2, at least 2;
/// <see cref="MaxPolylinePoints"/> 36, at least 2.
/// </summary>
public sealed class LaneDecoderOptions
{
    /// <summary>A slot is present only when its lane_exist probability is above this.</summary>
    public float ExistThreshold { get; set; } = 0.5f;

    /// <summary>A slot is present only when at least this many model rows hold its pixels (a line needs two points).</summary>
    public int MinRows { get; set; } = 2;

    /// <summary>Polylines with more rows are subsampled evenly to this many points, first and last kept.</summary>
    public int MaxPolylinePoints { get; set; } = 36;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the setting and its range.</summary>
    public void Validate()
    {
        if (!(ExistThreshold >= 0 && ExistThreshold <= 1))
            throw new ArgumentOutOfRangeException(nameof(ExistThreshold), $"ExistThreshold must be a probability in [0, 1], got {ExistThreshold}.");
        if (MinRows < 2)
            throw new ArgumentOutOfRangeException(nameof(MinRows), $"MinRows must be at least 2 (a polyline needs two points), got {MinRows}.");
        if (MaxPolylinePoints < 2)
            throw new ArgumentOutOfRangeException(nameof(MaxPolylinePoints), $"MaxPolylinePoints must be at least 2, got {MaxPolylinePoints}.");
    }
}
