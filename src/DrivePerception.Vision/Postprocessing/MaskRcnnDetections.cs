namespace DrivePerception.Vision.Postprocessing;

/// <summary>
/// One frame's raw Mask R-CNN outputs at model size (docs/MODEL-CONTRACT.md, decoder maskrcnn): K rows of box,
/// score, label and an M x M mask. A view: the spans belong to whoever produced them (an <c>InstanceModel</c>'s
/// ONNX Runtime outputs, valid until its next Infer, or a test's arrays).
/// </summary>
public readonly ref struct MaskRcnnDetections
{
    /// <summary>Wraps the four outputs; <paramref name="maskSize"/> is M.</summary>
    /// <exception cref="ArgumentException">The lengths do not agree on one K; the message gives each length.</exception>
    public MaskRcnnDetections(ReadOnlySpan<float> boxes, ReadOnlySpan<float> scores, ReadOnlySpan<long> labels,
        ReadOnlySpan<float> masks, int maskSize)
    {
        if (maskSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(maskSize), $"Mask size must be positive (M of masks [K, 1, M, M]), got {maskSize}.");
        int count = scores.Length;
        if (boxes.Length != 4 * count || labels.Length != count || masks.Length != count * maskSize * maskSize)
            throw new ArgumentException(
                $"Mask R-CNN outputs disagree on K: scores {count}, boxes {boxes.Length} values (want 4 K), labels {labels.Length} (want K), "
                + $"masks {masks.Length} values (want K x {maskSize} x {maskSize}); the model does not follow docs/MODEL-CONTRACT.md.");
        Boxes = boxes;
        Scores = scores;
        Labels = labels;
        Masks = masks;
        MaskSize = maskSize;
    }

    /// <summary>x1, y1, x2, y2 per detection in model-input pixels, [K, 4] row-major.</summary>
    public ReadOnlySpan<float> Boxes { get; }

    /// <summary>Score per detection, [K].</summary>
    public ReadOnlySpan<float> Scores { get; }

    /// <summary>Class id per detection (card ids, never 0), [K].</summary>
    public ReadOnlySpan<long> Labels { get; }

    /// <summary>Mask probabilities per detection over its box, [K, 1, M, M] row-major.</summary>
    public ReadOnlySpan<float> Masks { get; }

    /// <summary>M, the side of each mask.</summary>
    public int MaskSize { get; }

    /// <summary>K, the number of detections.</summary>
    public int Count => Scores.Length;
}
