namespace DrivePerception.Vision.Evaluation;

/// <summary>
/// A range of object sizes for <see cref="MaskAveragePrecision"/>, by the height in pixels of the object's box:
/// <see cref="MinHeight"/> to <see cref="MaxHeight"/>, both included (null: no upper end), so that it reads as
/// pycocotools' areaRng, which ignores an object when <c>area &lt; lo or area &gt; hi</c>.
/// <para>
/// Why height, not COCO's mask area: at the node's 480x360 nearly every pedestrian is COCO-"small" (area &lt; 32²: a
/// walker 48 px tall is about 19 px wide and fills about 60 % of its box, some 550 px), so COCO's split puts 1576 of
/// the 1606 pedestrians of the shipped drives in one bucket. Height follows distance (it falls as 1 / distance) and
/// is the scale a detector's receptive field and output stride care about; width swings with pose and stride.
/// </para>
/// </summary>
public sealed class ObjectHeightRange
{
    /// <summary>A range of heights [<paramref name="minHeight"/>, <paramref name="maxHeight"/>] px, both included; null: no upper end.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The lower end is negative or the upper end below it.</exception>
    public ObjectHeightRange(string name, int minHeight, int? maxHeight)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (minHeight < 0)
            throw new ArgumentOutOfRangeException(nameof(minHeight), $"Range '{name}': heights are 0 or more pixels, got a lower end of {minHeight}.");
        if (maxHeight < minHeight)
            throw new ArgumentOutOfRangeException(nameof(maxHeight), $"Range '{name}': the upper end {maxHeight} is below the lower end {minHeight}; both ends are included.");
        Name = name;
        MinHeight = minHeight;
        MaxHeight = maxHeight;
    }

    /// <summary>Every object: nothing is ignored, so the AP is the plain one.</summary>
    public static ObjectHeightRange All { get; } = new("all", 0, null);

    /// <summary>
    /// The non-overlapping ranges `eval instances` reports besides <see cref="All"/> (before <see cref="Planner"/>):
    /// h &lt; 12 ("tiny"), 12 &lt;= h &lt; 24, 24 &lt;= h &lt; 48, h &gt;= 48 px. Heights are whole pixels, so [0, 11],
    /// [12, 23], [24, 47], [48, -] do not overlap (COCO's own area ranges share their edges: an area of exactly 32² is
    /// small and medium) and equal the half-open ranges of training/analysis/instance_ap_by_size.py, whose names they keep so
    /// that the two can be compared row by row.
    /// </summary>
    public static IReadOnlyList<ObjectHeightRange> Standard { get; } =
    [
        new("h<12", 0, 11),
        new("h12-24", 12, 23),
        new("h24-48", 24, 47),
        new("h>=48", 48, null),
    ];

    /// <summary>
    /// The planner range, h &gt;= 12 px ([12, -]; training/analysis/instance_ap_by_size.py's row of that name), scored with the
    /// same "don't care" rules as every range (KITTI's; pycocotools' areaRng). It overlaps <see cref="Standard"/> (it
    /// is their last three rows together), so it is reported after them, not among them (<see cref="Reported"/>).
    /// <para>
    /// Why 12 px: on the synthetic drives 66 % of the pedestrians are under 12 px tall (walkers are placed up to
    /// ~156 m ahead), so one AP over all of them is mostly about the far ones. The 480x360 virtual
    /// camera has fx = 415.7 px (calibration/synthetic-480x360.yaml), so a 1.7 m pedestrian is 12 px tall at about
    /// 59 m; KITTI's benchmark ignores objects under 25 px at fx = 721 px, i.e. the same pedestrian beyond ~49 m. So
    /// h &gt;= 12 keeps objects further out than KITTI does: it asks more of the detector, not less. The plain
    /// <see cref="All"/> AP stays the headline figure; this is an additional row.
    /// </para>
    /// </summary>
    public static ObjectHeightRange Planner { get; } = new("h>=12", 12, null);

    /// <summary>
    /// The ranges `eval instances` reports besides <see cref="All"/>, in order: <see cref="Standard"/> (which do not
    /// overlap), then <see cref="Planner"/> (which overlaps them).
    /// </summary>
    public static IReadOnlyList<ObjectHeightRange> Reported { get; } = [.. Standard, Planner];

    /// <summary>Short name, e.g. "h12-24" (JSON key and table label).</summary>
    public string Name { get; }

    /// <summary>Lowest height in the range, px.</summary>
    public int MinHeight { get; }

    /// <summary>Highest height in the range, px, included; null: no upper end.</summary>
    public int? MaxHeight { get; }

    /// <summary>Whether an object <paramref name="height"/> px tall is in the range.</summary>
    public bool Contains(int height) => height >= MinHeight && (MaxHeight is not { } max || height <= max);

    /// <summary>The height of <paramref name="mask"/> as the range reads it: its box's (ground truth: the tight box of its pixels; a published detection: the box the node published).</summary>
    public static int HeightOf(InstanceMask mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return mask.Box.Height;
    }

    /// <inheritdoc/>
    public override string ToString() => MaxHeight is { } max ? $"{Name} [{MinHeight}, {max}] px" : $"{Name} [{MinHeight}, -] px";
}
