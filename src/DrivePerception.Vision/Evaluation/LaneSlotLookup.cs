namespace DrivePerception.Vision.Evaluation;

/// <summary>
/// Gives a true lane polyline its slot from a slot mask of the same frame (CULane's label images: value
/// 5 x slot, divided by 5 before this): the slot that most of its points fall on.
/// </summary>
public static class LaneSlotLookup
{
    /// <summary>
    /// The majority slot (1..4) under the points of <paramref name="points"/> (flat x,y pairs in pixels, each
    /// rounded to the nearest pixel) in <paramref name="slotMap"/> (row-major, <paramref name="width"/> x
    /// <paramref name="height"/>, 0 background). Points outside the frame and on background do not vote; ties go
    /// to the smaller slot. Returns 0 when no point lies on a slot.
    /// </summary>
    /// <exception cref="InvalidDataException">The map holds a value above 4.</exception>
    public static int SlotUnder(ReadOnlySpan<float> points, ReadOnlySpan<byte> slotMap, int width, int height)
    {
        if (slotMap.Length != width * height)
            throw new ArgumentException($"The slot map has {slotMap.Length} pixels; a {width}x{height} frame has {width * height}.", nameof(slotMap));
        Span<int> votes = stackalloc int[CuLaneF1.SlotCount + 1];
        for (int i = 0; i + 1 < points.Length; i += 2)
        {
            float fx = MathF.Round(points[i]), fy = MathF.Round(points[i + 1]);
            if (!(fx >= 0 && fx < width && fy >= 0 && fy < height)) continue;
            int slot = slotMap[(int)fy * width + (int)fx];
            if (slot > CuLaneF1.SlotCount)
                throw new InvalidDataException($"The slot map holds {slot} at ({fx}, {fy}); slots are 0 (background) to {CuLaneF1.SlotCount}.");
            votes[slot]++;
        }
        int best = 0, bestVotes = 0;
        for (int slot = 1; slot <= CuLaneF1.SlotCount; slot++)
            if (votes[slot] > bestVotes) (best, bestVotes) = (slot, votes[slot]);
        return best;
    }
}
