namespace DrivePerception.Vision.Evaluation;

/// <summary>
/// COCO-style mask average precision of one class, accumulated over a split, as pycocotools' COCOeval computes
/// it for segmentation without crowd regions, for all objects or for one size range (<see cref="Heights"/>):
/// <list type="number">
/// <item>Per image, only the <see cref="MaxDetectionsPerImage"/> highest-scoring detections count (ties keep the
/// order given).</item>
/// <item>Per image and IoU threshold t in .50:.05:.95, detections are matched greedily in descending score
/// order: each takes the still-unmatched ground truth with the highest mask IoU &gt;= t (on equal IoU the later
/// ground truth, as COCOeval's loop does); each ground truth is matched at most once. The matching is redone
/// per threshold: a detection that loses its ground truth to a better-ranked one at .50 may win it at .75.</item>
/// <item>Size range (COCOeval's areaRng, with the box height of <see cref="ObjectHeightRange"/> for the area): a ground
/// truth outside the range is "ignored". It is still matched, but only by a detection that finds no ground truth in
/// the range (COCOeval sorts ignored ones last and stops at the first ignored one once it holds a match); a detection
/// matched to an ignored ground truth is ignored, as is an unmatched detection whose own height is outside the range.
/// Ignored detections are neither true nor false positives, and ignored ground truths are not counted in
/// <see cref="Truths"/>. With <see cref="ObjectHeightRange.All"/> (the default) nothing is ignored.</item>
/// <item>Over the split, all images' detections are ranked by score together (ties: image order, then the
/// image's own ranking, as COCOeval's stable sort). Precision after each detection is TP / rank (ignored ones skipped); it is made
/// monotone by taking the running maximum from the right; at each recall r in 0:.01:1 the precision of the
/// first rank whose recall reaches r is read (0 when recall never reaches r) and the 101 values are
/// averaged: the AP at t.</item>
/// <item><see cref="AveragePrecision"/> is the mean of the ten; <see cref="AP50"/> and <see cref="AP75"/> are
/// the APs at .50 and .75.</item>
/// </list>
/// IoU, recall and the thresholds are doubles computed as COCOeval computes them (thresholds from numpy.linspace),
/// so that scores equal pycocotools' to rounding: an IoU of exactly 0.6 matches at .60, and a recall of exactly
/// 0.5 reaches the point .50, but, as in pycocotools, a recall of exactly 7/10 does not reach the point .70
/// (linspace gives 0.7000000000000001; likewise .35, .41, .47, .57, .69, .82, .83, .94, .95). The one difference:
/// precision is TP / rank without COCOeval's + 2.2e-16 in the denominator, so a perfect split scores 1, not
/// 0.9999999999999998. With no ground truth (in the range) over the split AP is undefined (null), detections or not (there is
/// nothing to recall); with ground truth and no detection it is 0. Not thread-safe.
/// </summary>
public sealed class MaskAveragePrecision
{
    /// <summary>COCO's cap of detections per image.</summary>
    public const int DefaultMaxDetectionsPerImage = 100;

    /// <summary>Recall points 0, .01, ..., 1 of the interpolated precision.</summary>
    public const int RecallPoints = 101;

    /// <summary>The IoU thresholds in percent: 50, 55, ..., 95.</summary>
    public static IReadOnlyList<int> ThresholdPercents { get; } = [50, 55, 60, 65, 70, 75, 80, 85, 90, 95];

    // COCOeval's iouThrs = np.linspace(.5, .95, 10) and recThrs = np.linspace(0, 1, 101), bit for bit.
    private static readonly double[] IoUThresholds = Linspace(0.5, 0.95, 10);
    private static readonly double[] RecallThresholds = Linspace(0, 1, RecallPoints);

    // Every scored detection of the split: score, arrival order (the tie-break) and per threshold whether it matched
    // and whether it is ignored. Masks are not kept: matching is done when the image is added.
    private readonly List<RankedDetection> _ranked = [];
    // Per threshold, AP and true positives; null until asked for after an image was added.
    private double[]? _ap;
    private long[]? _truePositives;

    /// <summary>
    /// A metric with COCO's cap of <paramref name="maxDetectionsPerImage"/> detections per image, over the objects
    /// whose height is in <paramref name="heights"/> (default: all).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The cap is not positive.</exception>
    public MaskAveragePrecision(int maxDetectionsPerImage = DefaultMaxDetectionsPerImage, ObjectHeightRange? heights = null)
    {
        if (maxDetectionsPerImage <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxDetectionsPerImage), $"The cap of detections per image must be positive (COCO uses {DefaultMaxDetectionsPerImage}), got {maxDetectionsPerImage}.");
        MaxDetectionsPerImage = maxDetectionsPerImage;
        Heights = heights ?? ObjectHeightRange.All;
    }

    /// <summary>The size range scored; objects and unmatched detections outside it are ignored.</summary>
    public ObjectHeightRange Heights { get; }

    /// <summary>Detections per image that are scored, the highest scores first.</summary>
    public int MaxDetectionsPerImage { get; }

    /// <summary>Images added.</summary>
    public int Images { get; private set; }

    /// <summary>Ground-truth objects over the split in <see cref="Heights"/> (all of them with the default range).</summary>
    public long Truths { get; private set; }

    /// <summary>Ground-truth objects over the split outside <see cref="Heights"/>, ignored.</summary>
    public long IgnoredTruths { get; private set; }

    /// <summary>Detections scored over the split (those within the per-image cap), ignored ones of a size range included.</summary>
    public long Detections => _ranked.Count;

    /// <summary>Detections left out because their image had more than <see cref="MaxDetectionsPerImage"/>.</summary>
    public long DetectionsOverCap { get; private set; }

    /// <summary>Mean AP over the ten IoU thresholds (COCO's AP@[.50:.95]), 0..1; null with no ground truth.</summary>
    public double? AveragePrecision => Truths == 0 ? null : Results().Ap.Average();

    /// <summary>AP at IoU .50, 0..1; null with no ground truth.</summary>
    public double? AP50 => AtThreshold(50);

    /// <summary>AP at IoU .75, 0..1; null with no ground truth.</summary>
    public double? AP75 => AtThreshold(75);

    /// <summary>Mean over the thresholds of the recall reached (COCO's AR at this cap), 0..1; null with no ground truth.</summary>
    public double? AverageRecall => Truths == 0 ? null : Results().TruePositives.Average(tp => (double)tp / Truths);

    /// <summary>AP at the IoU threshold <paramref name="percent"/> (one of <see cref="ThresholdPercents"/>); null with no ground truth.</summary>
    public double? AtThreshold(int percent) => Truths == 0 ? null : Results().Ap[IndexOf(percent)];

    /// <summary>Detections that match a ground truth (in <see cref="Heights"/>) at IoU threshold <paramref name="percent"/>.</summary>
    public long TruePositivesAt(int percent) => Results().TruePositives[IndexOf(percent)];

    /// <summary>Recall reached at IoU threshold <paramref name="percent"/>, 0..1; null with no ground truth.</summary>
    public double? RecallAt(int percent) => Truths == 0 ? null : (double)TruePositivesAt(percent) / Truths;

    /// <summary>
    /// Scores one image: <paramref name="detections"/> in any order, <paramref name="truths"/> its ground-truth
    /// objects of the class. Every mask must be of the same image size. Either list may be empty.
    /// </summary>
    /// <exception cref="ArgumentException">A score is not finite or the masks are of different image sizes.</exception>
    public void AddImage(IReadOnlyList<MaskDetection> detections, IReadOnlyList<InstanceMask> truths)
    {
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentNullException.ThrowIfNull(truths);
        for (int i = 0; i < detections.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(detections[i], nameof(detections));
            if (!double.IsFinite(detections[i].Score))
                throw new ArgumentException($"Detection {i} has score {detections[i].Score}; scores must be finite numbers to be ranked.", nameof(detections));
        }
        // Stable: equal scores keep the order given, as COCOeval's mergesort does.
        var kept = detections.Select((d, i) => (Detection: d, Index: i))
            .OrderByDescending(d => d.Detection.Score).ThenBy(d => d.Index)
            .Take(MaxDetectionsPerImage).Select(d => d.Detection).ToArray();

        var ious = Overlaps(kept, truths);
        var truthIgnored = truths.Select(g => !Heights.Contains(ObjectHeightRange.HeightOf(g))).ToArray();
        // COCOeval's gtind: truths in the range first, each group in the order given (a stable sort).
        int[] truthOrder = [.. Enumerable.Range(0, truths.Count).OrderBy(g => truthIgnored[g])];
        var matched = new ushort[kept.Length];
        var ignored = new ushort[kept.Length];
        var truthTaken = new bool[truths.Count];
        for (int t = 0; t < ThresholdPercents.Count; t++)
        {
            Array.Clear(truthTaken);
            ushort bit = (ushort)(1 << t);
            for (int d = 0; d < kept.Length; d++)
            {
                int best = BestUnmatchedTruth(ious[d], truthOrder, truthTaken, truthIgnored, IoUThresholds[t]);
                if (best < 0)
                {
                    if (!Heights.Contains(ObjectHeightRange.HeightOf(kept[d].Mask))) ignored[d] |= bit;
                    continue;
                }
                truthTaken[best] = true;
                matched[d] |= bit;
                if (truthIgnored[best]) ignored[d] |= bit;
            }
        }

        foreach (var (detection, d) in kept.Select((k, d) => (k, d)))
            _ranked.Add(new RankedDetection(detection.Score, _ranked.Count, matched[d], ignored[d]));
        DetectionsOverCap += detections.Count - kept.Length;
        int outside = truthIgnored.Count(i => i);
        Truths += truths.Count - outside;
        IgnoredTruths += outside;
        Images++;
        _ap = null;
        _truePositives = null;
    }

    /// <summary>Mask IoU of every kept detection with every truth (0 when both are empty); checks the image sizes agree.</summary>
    private static double[][] Overlaps(MaskDetection[] detections, IReadOnlyList<InstanceMask> truths)
    {
        InstanceMask? first = detections.Length > 0 ? detections[0].Mask : truths.Count > 0 ? truths[0] : null;
        foreach (var mask in detections.Select(d => d.Mask).Concat(truths))
        {
            ArgumentNullException.ThrowIfNull(mask, nameof(truths));
            if (mask.ImageWidth != first!.ImageWidth || mask.ImageHeight != first.ImageHeight)
                throw new ArgumentException($"One image's masks are of different image sizes ({first.ImageWidth}x{first.ImageHeight} and {mask.ImageWidth}x{mask.ImageHeight}): "
                    + "detections and ground truth must be at the image's size.", nameof(detections));
        }
        var ious = new double[detections.Length][];
        for (int d = 0; d < detections.Length; d++)
        {
            ious[d] = new double[truths.Count];
            for (int g = 0; g < truths.Count; g++)
            {
                long intersection = detections[d].Mask.IntersectionWith(truths[g]);
                long union = detections[d].Mask.Area + truths[g].Area - intersection;
                ious[d][g] = union == 0 ? 0 : (double)intersection / union;
            }
        }
        return ious;
    }

    /// <summary>
    /// COCOeval's match of one detection: walking the truths in <paramref name="order"/> (those in the range first),
    /// the unmatched one with the highest IoU of at least <paramref name="threshold"/>, the later one on a tie
    /// (COCOeval replaces its best on IoU &gt;= best); once a truth in the range is held, ignored truths are not
    /// looked at, so an ignored truth is taken only when no truth in the range qualifies. -1 when none.
    /// </summary>
    private static int BestUnmatchedTruth(double[] ious, int[] order, bool[] taken, bool[] ignored, double threshold)
    {
        int best = -1;
        double bestIoU = threshold;
        foreach (int g in order)
        {
            if (taken[g]) continue;
            if (best >= 0 && !ignored[best] && ignored[g]) break;
            if (ious[g] < bestIoU) continue;
            best = g;
            bestIoU = ious[g];
        }
        return best;
    }

    private (double[] Ap, long[] TruePositives) Results()
    {
        if (_ap is not null && _truePositives is not null) return (_ap, _truePositives);
        // Descending score; equal scores in arrival order (image order, then the image's own ranking).
        _ranked.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.Order.CompareTo(b.Order));
        var ap = new double[ThresholdPercents.Count];
        var truePositives = new long[ThresholdPercents.Count];
        for (int t = 0; t < ThresholdPercents.Count; t++)
        {
            // Ignored detections are left out of the ranking. COCOeval keeps them in place with TP and FP unchanged,
            // which repeats the previous precision and recall, so the interpolated AP is the same.
            int bit = 1 << t;
            var precision = new List<double>(_ranked.Count);
            var cumulative = new List<long>(_ranked.Count);
            long tp = 0;
            foreach (var detection in _ranked)
            {
                if ((detection.Ignored & bit) != 0) continue;
                if ((detection.Matched & bit) != 0) tp++;
                cumulative.Add(tp);
                precision.Add((double)tp / (precision.Count + 1));
            }
            truePositives[t] = tp;
            ap[t] = InterpolatedAp(precision, cumulative, Truths);
        }
        (_ap, _truePositives) = (ap, truePositives);
        return (ap, truePositives);
    }

    /// <summary>
    /// 101-point interpolated AP of one ranking: <paramref name="precision"/> (overwritten with its running maximum
    /// from the right) read at the first rank whose true positives reach each recall point; 0 past the last.
    /// </summary>
    private static double InterpolatedAp(List<double> precision, List<long> cumulativeTruePositives, long truths)
    {
        if (truths == 0) return 0;
        for (int i = precision.Count - 2; i >= 0; i--)
            precision[i] = Math.Max(precision[i], precision[i + 1]);
        double sum = 0;
        int rank = 0;
        foreach (double point in RecallThresholds)
        {
            // The first rank whose recall reaches the point (numpy.searchsorted, side 'left', as COCOeval).
            while (rank < precision.Count && (double)cumulativeTruePositives[rank] / truths < point) rank++;
            if (rank == precision.Count) break;
            sum += precision[rank];
        }
        return sum / RecallPoints;
    }

    /// <summary>numpy.linspace(start, stop, count): i x step + start, the last set to stop.</summary>
    private static double[] Linspace(double start, double stop, int count)
    {
        double step = (stop - start) / (count - 1);
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = i * step + start;
        values[^1] = stop;
        return values;
    }

    private static int IndexOf(int percent)
    {
        for (int i = 0; i < ThresholdPercents.Count; i++)
            if (ThresholdPercents[i] == percent) return i;
        throw new ArgumentOutOfRangeException(nameof(percent), $"IoU threshold {percent} % is not one of COCO's: {string.Join(", ", ThresholdPercents)}.");
    }

    // Bit k of Matched: matched a ground truth at ThresholdPercents[k]; of Ignored: left out of the ranking there (size range).
    private readonly record struct RankedDetection(double Score, int Order, ushort Matched, ushort Ignored);
}
