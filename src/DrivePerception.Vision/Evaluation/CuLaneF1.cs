namespace DrivePerception.Vision.Evaluation;

/// <summary>
/// CULane precision, recall and F1 over a split: frame by frame, predicted and true lanes are matched one to
/// one by <see cref="LaneMatcher"/> (30-px drawings, IoU &gt;= 0.5), and the TP/FP/FN counts are summed over
/// all frames before the ratios are taken (<see cref="DetectionCounts"/> for the conventions when a ratio has
/// nothing to divide).
/// <para>Per slot (1 second-left .. 4 second-right) a second matching also requires the prediction and the
/// truth to have the same slot; for slot k it counts the predictions and truths of slot k only. True lanes of
/// unknown slot (0) count in <see cref="Overall"/> but in no slot, and are counted in
/// <see cref="UnslottedTruths"/>.</para>
/// Not thread-safe.
/// </summary>
public sealed class CuLaneF1
{
    /// <summary>Lane slots scored per slot: 1..SlotCount.</summary>
    public const int SlotCount = 4;

    private readonly DetectionCounts[] _slots = new DetectionCounts[SlotCount + 1];

    /// <summary>A split accumulator; <paramref name="matcher"/> defaults to CULane's settings.</summary>
    public CuLaneF1(LaneMatcher? matcher = null) => Matcher = matcher ?? new LaneMatcher();

    /// <summary>The frame matcher (drawing width, IoU threshold).</summary>
    public LaneMatcher Matcher { get; }

    /// <summary>Frames added.</summary>
    public int Frames { get; private set; }

    /// <summary>Counts over every lane, whatever its slot.</summary>
    public DetectionCounts Overall { get; private set; }

    /// <summary>True lanes whose slot was unknown (0): scored in <see cref="Overall"/> only.</summary>
    public long UnslottedTruths { get; private set; }

    /// <summary>Counts of slot <paramref name="slot"/> (1..4) with the same-slot matching.</summary>
    public DetectionCounts Slot(int slot) =>
        slot is >= 1 and <= SlotCount ? _slots[slot]
            : throw new ArgumentOutOfRangeException(nameof(slot), $"Lane slots are 1..{SlotCount}, got {slot}.");

    /// <summary>Adds every count of <paramref name="other"/>: several datasets pooled, as if their frames had been one split.</summary>
    public void Add(CuLaneF1 other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int slot = 1; slot <= SlotCount; slot++) _slots[slot] += other._slots[slot];
        UnslottedTruths += other.UnslottedTruths;
        Overall += other.Overall;
        Frames += other.Frames;
    }

    /// <summary>
    /// Scores one frame of <paramref name="width"/> x <paramref name="height"/> pixels and adds it to the split.
    /// Returns the frame's overall counts.
    /// </summary>
    public DetectionCounts AddFrame(IReadOnlyList<LanePolyline> predicted, IReadOnlyList<LanePolyline> truth, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        var ious = Matcher.DrawingIoUs(predicted, truth, width, height);

        int matched = Matcher.Match(ious).Count;
        var frame = new DetectionCounts(matched, predicted.Count - matched, truth.Count - matched);

        var sameSlot = Matcher.Match(ious, (p, t) => predicted[p].Slot == truth[t].Slot && truth[t].Slot != 0);
        for (int slot = 1; slot <= SlotCount; slot++)
        {
            int tp = sameSlot.Count(m => predicted[m.Prediction].Slot == slot);
            int predictions = predicted.Count(l => l.Slot == slot);
            int truths = truth.Count(l => l.Slot == slot);
            _slots[slot] += new DetectionCounts(tp, predictions - tp, truths - tp);
        }
        UnslottedTruths += truth.Count(l => l.Slot == 0);
        Overall += frame;
        Frames++;
        return frame;
    }
}
