using DrivePerception.Core.Masks;

namespace DrivePerception.Vision.Postprocessing;

/// <summary>
/// Nearest-neighbour mapping between a model output (source) and the frame (target), with pixel centres
/// aligned as in the resize that made the model input (OpenCV's resize, PyTorch's <c>align_corners=False</c>):
/// target pixel t takes source pixel <c>floor((t + 0.5) * source / target)</c>, and a continuous source
/// coordinate s (pixel centres at integers) lands at <c>(s + 0.5) * target / source - 0.5</c> in the frame.
/// Lane polylines, lane masks, instance boxes and masks, and the scaled class map all use this one mapping,
/// so they agree pixel for pixel. Lookup tables are rebuilt only when a size changes. Not thread-safe.
/// </summary>
public sealed class NearestResampler
{
    private int[] _sourceColumn = [];
    private int[] _sourceRow = [];
    // _firstColumn[c]: first target column whose source column is >= c (length source width + 1).
    private int[] _firstColumn = [];
    private int[] _firstRow = [];

    /// <summary>Source (model) width in pixels.</summary>
    public int SourceWidth { get; private set; }

    /// <summary>Source (model) height in pixels.</summary>
    public int SourceHeight { get; private set; }

    /// <summary>Target (frame) width in pixels.</summary>
    public int TargetWidth { get; private set; }

    /// <summary>Target (frame) height in pixels.</summary>
    public int TargetHeight { get; private set; }

    /// <summary>Sets the sizes; cheap when they did not change. Throws when a size is not positive.</summary>
    public void Configure(int sourceWidth, int sourceHeight, int targetWidth, int targetHeight)
    {
        if (sourceWidth <= 0 || sourceHeight <= 0)
            throw new ArgumentOutOfRangeException(nameof(sourceWidth), $"The model output size must be positive, got {sourceWidth}x{sourceHeight}.");
        if (targetWidth <= 0 || targetHeight <= 0)
            throw new ArgumentOutOfRangeException(nameof(targetWidth), $"The frame size must be positive, got {targetWidth}x{targetHeight}.");
        if (sourceWidth == SourceWidth && sourceHeight == SourceHeight && targetWidth == TargetWidth && targetHeight == TargetHeight) return;
        (_sourceColumn, _firstColumn) = Tables(sourceWidth, targetWidth);
        (_sourceRow, _firstRow) = Tables(sourceHeight, targetHeight);
        SourceWidth = sourceWidth;
        SourceHeight = sourceHeight;
        TargetWidth = targetWidth;
        TargetHeight = targetHeight;
    }

    private static (int[] SourceOf, int[] FirstTarget) Tables(int source, int target)
    {
        var sourceOf = new int[target];
        for (int t = 0; t < target; t++)
            sourceOf[t] = (int)Math.Min(source - 1, (2L * t + 1) * source / (2L * target));
        var first = new int[source + 1];
        int s = 0;
        for (int t = 0; t < target; t++)
            while (s <= sourceOf[t]) first[s++] = t;
        while (s <= source) first[s++] = target;
        return (sourceOf, first);
    }

    /// <summary>The source column a target column takes its value from.</summary>
    public int SourceColumn(int targetX) => _sourceColumn[targetX];

    /// <summary>The source row a target row takes its value from.</summary>
    public int SourceRow(int targetY) => _sourceRow[targetY];

    /// <summary>The first target column whose source column is at least <paramref name="sourceX"/> (0..source width; the target width when none).</summary>
    public int FirstTargetColumn(int sourceX) => _firstColumn[sourceX];

    /// <summary>A continuous source x (pixel centres at integers) in target pixels.</summary>
    public float TargetX(float sourceX) => (sourceX + 0.5f) * TargetWidth / SourceWidth - 0.5f;

    /// <summary>A continuous source y (pixel centres at integers) in target pixels.</summary>
    public float TargetY(float sourceY) => (sourceY + 0.5f) * TargetHeight / SourceHeight - 0.5f;

    /// <summary>
    /// The target pixels whose source pixel lies in <paramref name="sourceBox"/>. When the target is smaller
    /// than the source a thin box may cover no whole target pixel; it is then widened to the one target pixel
    /// nearest to it, so that a box is never empty.
    /// </summary>
    public PixelBox TargetBox(PixelBox sourceBox)
    {
        int x0 = _firstColumn[sourceBox.X], x1 = _firstColumn[sourceBox.X + sourceBox.Width];
        int y0 = _firstRow[sourceBox.Y], y1 = _firstRow[sourceBox.Y + sourceBox.Height];
        if (x1 <= x0) { x0 = Math.Min(x0, TargetWidth - 1); x1 = x0 + 1; }
        if (y1 <= y0) { y0 = Math.Min(y0, TargetHeight - 1); y1 = y0 + 1; }
        return new PixelBox(x0, y0, x1 - x0, y1 - y0);
    }

    /// <summary>
    /// Resamples the whole source (rows of <paramref name="sourceStride"/> bytes) into the target (rows of
    /// <paramref name="targetStride"/> bytes). Target rows that take the same source row are copied, so the
    /// cost is one gather per source row plus memory copies.
    /// </summary>
    public void Resample(ReadOnlySpan<byte> source, int sourceStride, Span<byte> target, int targetStride)
    {
        if (SourceWidth == 0) throw new InvalidOperationException("Call Configure with the model and frame sizes before Resample.");
        if (sourceStride < SourceWidth || source.Length < (long)(SourceHeight - 1) * sourceStride + SourceWidth)
            throw new ArgumentException($"The source span ({source.Length} bytes, stride {sourceStride}) does not hold a {SourceWidth}x{SourceHeight} image.", nameof(source));
        if (targetStride < TargetWidth || target.Length < (long)(TargetHeight - 1) * targetStride + TargetWidth)
            throw new ArgumentException($"The target span ({target.Length} bytes, stride {targetStride}) does not hold a {TargetWidth}x{TargetHeight} image.", nameof(target));
        int previousSourceRow = -1;
        for (int y = 0; y < TargetHeight; y++)
        {
            var dst = target.Slice(y * targetStride, TargetWidth);
            int sy = _sourceRow[y];
            if (sy == previousSourceRow)
            {
                target.Slice((y - 1) * targetStride, TargetWidth).CopyTo(dst);
                continue;
            }
            var src = source.Slice(sy * sourceStride, SourceWidth);
            for (int x = 0; x < dst.Length; x++) dst[x] = src[_sourceColumn[x]];
            previousSourceRow = sy;
        }
    }
}
