namespace DrivePerception.Vision.Postprocessing;

/// <summary>
/// One frame's panoptic outputs at model size (docs/MODEL-CONTRACT.md, task panoptic, decoder centre-offset): the
/// class map and confidence (W x H bytes), the centre heatmap (W/s x H/s, already max-pool NMS'd in the graph) and
/// the offsets (2 x H/s x W/s, dy then dx, in model-input pixels). A view: the spans belong to whoever produced them
/// (a <c>PanopticSegmenter</c>'s output buffers, overwritten by its next Infer, or a test's arrays).
/// </summary>
public readonly ref struct CentreOffsetOutputs
{
    /// <summary>Wraps the four outputs of a <paramref name="width"/> x <paramref name="height"/> model whose heads have stride <paramref name="stride"/>.</summary>
    /// <exception cref="ArgumentException">A span's length does not match the sizes; the message gives each length.</exception>
    public CentreOffsetOutputs(ReadOnlySpan<byte> classMap, ReadOnlySpan<byte> confidence, ReadOnlySpan<float> centre,
        ReadOnlySpan<float> offset, int width, int height, int stride)
    {
        if (width <= 0 || height <= 0 || stride <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"Sizes and stride must be positive: {width}x{height}, stride {stride}.");
        int cellsX = width / stride, cellsY = height / stride;
        if (cellsX == 0 || cellsY == 0)
            throw new ArgumentException($"A {width}x{height} model with stride {stride} has no centre cell; the heads need at least one.");
        int pixels = width * height, cells = cellsX * cellsY;
        if (classMap.Length != pixels || confidence.Length != pixels || centre.Length != cells || offset.Length != 2 * cells)
            throw new ArgumentException(
                $"Panoptic outputs do not match a {width}x{height} model with stride {stride}: classmap {classMap.Length} and confidence "
                + $"{confidence.Length} values (want {pixels} each), centre {centre.Length} (want {cellsY} x {cellsX} = {cells}), offset "
                + $"{offset.Length} (want 2 x {cells}); the model does not follow docs/MODEL-CONTRACT.md.");
        ClassMap = classMap;
        Confidence = confidence;
        Centre = centre;
        Offset = offset;
        Width = width;
        Height = height;
        Stride = stride;
        CellsX = cellsX;
        CellsY = cellsY;
    }

    /// <summary>Class id per model pixel, row-major.</summary>
    public ReadOnlySpan<byte> ClassMap { get; }
    /// <summary>Max softmax x 255 per model pixel, row-major.</summary>
    public ReadOnlySpan<byte> Confidence { get; }
    /// <summary>Centre heatmap 0..1 per cell, row-major; non-peaks are 0.</summary>
    public ReadOnlySpan<float> Centre { get; }
    /// <summary>Offsets [2, CellsY, CellsX]: the dy plane, then the dx plane.</summary>
    public ReadOnlySpan<float> Offset { get; }
    /// <summary>Model width in pixels.</summary>
    public int Width { get; }
    /// <summary>Model height in pixels.</summary>
    public int Height { get; }
    /// <summary>Model pixels per cell.</summary>
    public int Stride { get; }
    /// <summary>Cells across (Width / Stride).</summary>
    public int CellsX { get; }
    /// <summary>Cells down (Height / Stride).</summary>
    public int CellsY { get; }
}
