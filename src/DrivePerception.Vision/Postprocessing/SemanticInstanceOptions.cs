namespace DrivePerception.Vision.Postprocessing;

/// <summary>Settings of <see cref="SemanticInstanceExtractor"/>.</summary>
public sealed class SemanticInstanceOptions
{
    /// <summary>
    /// Smallest component kept, as a fraction of the model output's pixels; default 0.0005 (86 pixels of a
    /// 480x360 map, about a 9x9 blob), in [0, 1). Smaller blobs are mostly speckle at segment borders.
    /// Components of at least 1 pixel are always required.
    /// </summary>
    public double MinAreaFraction { get; set; } = 0.0005;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the setting and its range.</summary>
    public void Validate()
    {
        if (!(MinAreaFraction >= 0 && MinAreaFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(MinAreaFraction), $"MinAreaFraction must be in [0, 1) of the model output's pixels, got {MinAreaFraction}.");
    }

    /// <summary>The minimum component area in pixels for a map of <paramref name="pixels"/> pixels.</summary>
    public int MinAreaPixels(int pixels) => Math.Max(1, (int)Math.Ceiling(MinAreaFraction * pixels));
}
