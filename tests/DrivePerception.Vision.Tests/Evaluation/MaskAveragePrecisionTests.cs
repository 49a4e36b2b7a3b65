using DrivePerception.Vision.Evaluation;

namespace DrivePerception.Vision.Tests.Evaluation;

/// <summary>
/// COCO mask AP on hand-made cases, each worked out by hand in a comment. Reading rule used throughout: with G
/// ground truths, recall point r (0..100) is reached at the first rank whose true positives TP give TP / G &gt;= r / 100;
/// the AP at a threshold is the sum of the monotone precision read at the 101 points, over 101.
/// </summary>
public class MaskAveragePrecisionTests
{
    private const double Exact = 1e-12;
    private const int Size = 20;

    /// <summary>A filled rectangle in a 20x20 image.</summary>
    private static InstanceMask Rect(int x, int y, int w, int h)
    {
        var pixels = new byte[Size * Size];
        for (int row = y; row < y + h; row++) pixels.AsSpan(row * Size + x, w).Fill(1);
        return InstanceMask.FromImage(pixels, Size, Size);
    }

    private static MaskDetection Det(double score, InstanceMask mask) => new(score, mask);

    private static readonly InstanceMask Square = Rect(0, 0, 10, 10);
    private static readonly InstanceMask Elsewhere = Rect(12, 12, 5, 5);

    [Fact]
    public void AddImage_OnePerfectDetection_ApOneAtEveryThreshold()
    {
        var ap = new MaskAveragePrecision();

        ap.AddImage([Det(0.9, Rect(0, 0, 10, 10))], [Square]);

        Assert.Equal(1.0, ap.AveragePrecision!.Value, Exact);
        Assert.Equal(1.0, ap.AP50!.Value, Exact);
        Assert.Equal(1.0, ap.AP75!.Value, Exact);
        Assert.Equal(1.0, ap.AverageRecall!.Value, Exact);
        Assert.Equal(1, ap.Images);
        Assert.Equal(1, ap.Truths);
        Assert.Equal(1, ap.Detections);
    }

    [Fact]
    public void AddImage_DetectionWithIoUSixTenths_MatchesUpToPointSixOnly()
    {
        var ap = new MaskAveragePrecision();

        // 10 x 6 inside the 10 x 10 truth: intersection 60, union 100, IoU 0.6 exactly.
        ap.AddImage([Det(0.9, Rect(0, 0, 10, 6))], [Square]);

        // A true positive at .50, .55, .60 (IoU >= t): one detection, recall 1, precision 1 -> all 101 points read 1 -> AP 1.
        // At .65 and above it is a false positive: recall 0 -> only r = 0 is reached, with precision 0 -> AP 0.
        // AP@[.50:.95] = (1 + 1 + 1 + 7 x 0) / 10 = 0.3.
        foreach (int t in new[] { 50, 55, 60 }) Assert.Equal(1.0, ap.AtThreshold(t)!.Value, Exact);
        foreach (int t in new[] { 65, 70, 75, 80, 85, 90, 95 }) Assert.Equal(0.0, ap.AtThreshold(t)!.Value, Exact);
        Assert.Equal(1.0, ap.AP50!.Value, Exact);
        Assert.Equal(0.0, ap.AP75!.Value, Exact);
        Assert.Equal(0.3, ap.AveragePrecision!.Value, Exact);
        Assert.Equal(1, ap.TruePositivesAt(60));
        Assert.Equal(0, ap.TruePositivesAt(65));
    }

    [Fact]
    public void AddImage_TwoTruthsOneExactDetection_FiftyOneOf101AtEveryThreshold()
    {
        var ap = new MaskAveragePrecision();

        ap.AddImage([Det(0.9, Rect(0, 0, 10, 10))], [Square, Elsewhere]);

        // G = 2, one detection, a true positive at every threshold: TP = 1, precision 1.
        // Reached points: 100 x 1 >= 2 r  <=>  r <= 50, so r = 0..50 (51 points) read 1; r = 51..100 are never
        // reached and read 0. AP = 51 / 101 at each threshold, so also averaged over them.
        Assert.Equal(51.0 / 101, ap.AP50!.Value, Exact);
        Assert.Equal(51.0 / 101, ap.AP75!.Value, Exact);
        Assert.Equal(51.0 / 101, ap.AveragePrecision!.Value, Exact);
        Assert.Equal(0.5, ap.RecallAt(50)!.Value, Exact);
    }

    [Fact]
    public void AddImage_FalsePositiveRankedAboveTruePositive_HalfPrecisionEverywhere()
    {
        var ap = new MaskAveragePrecision();

        ap.AddImage([Det(0.8, Rect(0, 0, 10, 10)), Det(0.9, Elsewhere)], [Square]);

        // Ranked: FP (0.9), TP (0.8). TP after each rank: 0, 1; precision 0/1, 1/2; monotone from the right: 1/2, 1/2.
        // r = 0 is reached at rank 0 (100 x 0 >= 0) and reads 1/2; r = 1..100 at rank 1, 1/2. AP = 101 x 0.5 / 101.
        Assert.Equal(0.5, ap.AveragePrecision!.Value, Exact);
        Assert.Equal(0.5, ap.AP50!.Value, Exact);
    }

    [Fact]
    public void AddImage_TruePositiveRankedAboveFalsePositive_ApOne()
    {
        var ap = new MaskAveragePrecision();

        ap.AddImage([Det(0.9, Rect(0, 0, 10, 10)), Det(0.8, Elsewhere)], [Square]);

        // Ranked TP, FP: precision 1, 1/2 -> monotone 1, 1/2; recall 1 is reached at rank 0, so every point reads 1.
        Assert.Equal(1.0, ap.AveragePrecision!.Value, Exact);
    }

    [Fact]
    public void AveragePrecision_PrecisionDipsThenRecovers_ReadsRunningMaximumFromTheRight()
    {
        var ap = new MaskAveragePrecision();
        var a = Rect(0, 0, 5, 5);
        var b = Rect(6, 0, 5, 5);
        var c = Rect(12, 0, 5, 5);

        ap.AddImage(
            [Det(0.9, Rect(0, 0, 5, 5)), Det(0.8, Rect(0, 10, 3, 3)), Det(0.7, Rect(5, 10, 3, 3)), Det(0.6, Rect(6, 0, 5, 5)), Det(0.5, Rect(12, 0, 5, 5))],
            [a, b, c]);

        // G = 3. Ranked TP FP FP TP TP: TP after each rank 1 1 1 2 3; precision 1, 1/2, 1/3, 1/2, 3/5;
        // monotone from the right: 1, 3/5, 3/5, 3/5, 3/5.
        // r = 0..33 (100 >= 3r) at rank 0: 34 points of 1. r = 34..66 (200 >= 3r) at rank 3: 33 points of 3/5.
        // r = 67..100 at rank 4: 34 points of 3/5. AP = (34 + 67 x 0.6) / 101 = 74.2 / 101 at every threshold.
        // (Without the running maximum rank 3 would read 1/2: (34 + 33 x 0.5 + 34 x 0.6) / 101 = 70.9 / 101.)
        Assert.Equal(74.2 / 101, ap.AP50!.Value, Exact);
        Assert.Equal(74.2 / 101, ap.AveragePrecision!.Value, Exact);
    }

    [Fact]
    public void AveragePrecision_RecallExactlySevenTenths_MissesPointSeventyAsPycocotools()
    {
        var ap = new MaskAveragePrecision();
        // Ten one-pixel truths on the diagonal; seven of them detected exactly.
        var truths = Enumerable.Range(0, 10).Select(i => Rect(i, i, 1, 1)).ToList();

        ap.AddImage([.. Enumerable.Range(0, 7).Select(i => Det(0.9 - i / 100.0, Rect(i, i, 1, 1)))], truths);

        // Seven TPs, precision 1, recall 7/10. In exact arithmetic r = 0..70 are reached (71/101), but COCOeval's
        // recall points are numpy.linspace(0, 1, 101), whose point 70 is 0.7000000000000001 > 0.7: pycocotools reads
        // r = 0..69 only, 70/101. Scores follow pycocotools so that they compare with published ones.
        Assert.Equal(70.0 / 101, ap.AP50!.Value, Exact);
        Assert.Equal(0.7, ap.RecallAt(50)!.Value, Exact);
    }

    [Fact]
    public void AddImage_TwoImages_RankedTogetherNotAveragedPerImage()
    {
        var ap = new MaskAveragePrecision();

        ap.AddImage([Det(0.5, Rect(0, 0, 10, 10))], [Square]);
        ap.AddImage([Det(0.9, Elsewhere)], [Square]);

        // Per image the APs would be 1 and 0 (mean 0.5). Over the split: G = 2, ranked FP (0.9), TP (0.5):
        // precision 0, 1/2 -> monotone 1/2, 1/2; r = 0..50 reached (100 x 1 >= 2r) and read 1/2, the rest 0.
        // AP = 51 x 0.5 / 101 = 25.5 / 101.
        Assert.Equal(25.5 / 101, ap.AveragePrecision!.Value, Exact);
        Assert.Equal(2, ap.Images);
        Assert.Equal(2, ap.Truths);
    }

    [Fact]
    public void AddImage_EqualScoresAcrossImages_EarlierImageRanksFirst()
    {
        var falseFirst = new MaskAveragePrecision();
        falseFirst.AddImage([Det(1, Elsewhere)], []);
        falseFirst.AddImage([Det(1, Rect(0, 0, 10, 10))], [Square]);
        var trueFirst = new MaskAveragePrecision();
        trueFirst.AddImage([Det(1, Rect(0, 0, 10, 10))], [Square]);
        trueFirst.AddImage([Det(1, Elsewhere)], []);

        // As COCOeval's stable sort: FP then TP reads 1/2 everywhere (see the FP-above-TP case); TP then FP reads 1.
        Assert.Equal(0.5, falseFirst.AveragePrecision!.Value, Exact);
        Assert.Equal(1.0, trueFirst.AveragePrecision!.Value, Exact);
    }

    [Fact]
    public void AddImage_DetectionOverlapsTwoTruths_TakesTheHigherIoUNotTheFirst()
    {
        var ap = new MaskAveragePrecision();
        // Overlapping truths (allowed for masks given one by one): G0 10 x 10 (100 px), G1 its top 10 x 5 (50 px).
        var g0 = Rect(0, 0, 10, 10);
        var g1 = Rect(0, 0, 10, 5);

        // D1 (0.9) is the top 10 x 6 (60 px): IoU 60/100 = 0.6 with G0, 50/60 = 0.833 with G1.
        // D2 (0.8) is G0 exactly: IoU 1 with G0, 50/100 = 0.5 with G1.
        ap.AddImage([Det(0.9, Rect(0, 0, 10, 6)), Det(0.8, Rect(0, 0, 10, 10))], [g0, g1]);

        // t = .50 .. .80: D1 takes G1 (its highest IoU), D2 takes G0: TP TP, AP 1 (7 thresholds).
        // t = .85 .. .95: D1 matches nothing (0.833 < t), D2 takes G0: FP TP, G = 2 -> precision 0, 1/2 -> monotone 1/2;
        // r = 0..50 read 1/2: AP = 25.5 / 101 (3 thresholds).
        // (Taking the first truth with IoU >= t instead would give D1 G0 at .50-.60 and leave D2 only G1 at IoU 0.5.)
        foreach (int t in new[] { 50, 55, 60, 65, 70, 75, 80 }) Assert.Equal(1.0, ap.AtThreshold(t)!.Value, Exact);
        foreach (int t in new[] { 85, 90, 95 }) Assert.Equal(25.5 / 101, ap.AtThreshold(t)!.Value, Exact);
        Assert.Equal((7 + 3 * 25.5 / 101) / 10, ap.AveragePrecision!.Value, Exact);
    }

    [Fact]
    public void AddImage_EqualIoUWithTwoTruths_LaterTruthTakenAsCocoEval()
    {
        var ap = new MaskAveragePrecision();
        var left = Rect(0, 0, 5, 10);
        var right = Rect(5, 0, 5, 10);

        // D1 (0.9) covers both 50-px halves: IoU 50/100 = 0.5 with each. D2 (0.8) is the right half exactly.
        ap.AddImage([Det(0.9, Rect(0, 0, 10, 10)), Det(0.8, Rect(5, 0, 5, 10))], [left, right]);

        // At .50 D1 takes the later truth (right), so D2 finds right taken and left at IoU 0: TP FP, G = 2,
        // precision 1, 1/2 -> monotone 1, 1/2; r = 0..50 read 1: AP50 = 51/101.
        Assert.Equal(51.0 / 101, ap.AP50!.Value, Exact);
        // At .55 D1 matches nothing and D2 takes right: FP TP -> 25.5/101.
        Assert.Equal(25.5 / 101, ap.AtThreshold(55)!.Value, Exact);
    }

    [Fact]
    public void AveragePrecision_NothingAdded_NotApplicable()
    {
        var ap = new MaskAveragePrecision();

        Assert.Null(ap.AveragePrecision);
        Assert.Null(ap.AP50);
        Assert.Null(ap.AverageRecall);
    }

    [Fact]
    public void AddImage_NoDetectionsNoTruths_NotApplicable()
    {
        var ap = new MaskAveragePrecision();

        ap.AddImage([], []);

        Assert.Null(ap.AveragePrecision);
        Assert.Equal(1, ap.Images);
    }

    [Fact]
    public void AddImage_DetectionsButNoTruths_NotApplicableDetectionsCounted()
    {
        var ap = new MaskAveragePrecision();

        ap.AddImage([Det(0.9, Square)], []);

        Assert.Null(ap.AveragePrecision);
        Assert.Null(ap.AP50);
        Assert.Equal(1, ap.Detections);
    }

    [Fact]
    public void AddImage_TruthsButNoDetections_Zero()
    {
        var ap = new MaskAveragePrecision();

        ap.AddImage([], [Square]);

        Assert.Equal(0.0, ap.AveragePrecision!.Value, Exact);
        Assert.Equal(0.0, ap.AP50!.Value, Exact);
        Assert.Equal(0.0, ap.AP75!.Value, Exact);
        Assert.Equal(0.0, ap.RecallAt(50)!.Value, Exact);
    }

    [Fact]
    public void AddImage_MoreThanTheCap_LowestScoresDropped()
    {
        var capped = new MaskAveragePrecision();
        var uncapped = new MaskAveragePrecision(maxDetectionsPerImage: 101);
        // The true positive comes first but scores lowest; 100 false positives outrank it.
        var detections = new List<MaskDetection> { Det(0.01, Rect(0, 0, 10, 10)) };
        for (int i = 0; i < 100; i++) detections.Add(Det(0.5 + i / 1000.0, Elsewhere));

        capped.AddImage(detections, [Square]);
        uncapped.AddImage(detections, [Square]);

        // Capped at 100: the TP is dropped, AP 0.
        Assert.Equal(100, capped.Detections);
        Assert.Equal(1, capped.DetectionsOverCap);
        Assert.Equal(0.0, capped.AveragePrecision!.Value, Exact);
        // Cap 101: TP at rank 101, precision there 1/101 and 0 before, monotone 1/101 everywhere; recall 1 at rank
        // 101 (and r = 0 at rank 1, also 1/101): AP = 101 x (1/101) / 101 = 1/101.
        Assert.Equal(0, uncapped.DetectionsOverCap);
        Assert.Equal(1.0 / 101, uncapped.AveragePrecision!.Value, Exact);
    }

    [Fact]
    public void AddImage_CapIsPerImage_OtherImagesKeepTheirs()
    {
        var ap = new MaskAveragePrecision(maxDetectionsPerImage: 1);

        ap.AddImage([Det(0.9, Rect(0, 0, 10, 10)), Det(0.8, Elsewhere)], [Square]);
        ap.AddImage([Det(0.7, Rect(0, 0, 10, 10))], [Square]);

        Assert.Equal(2, ap.Detections);
        Assert.Equal(1, ap.DetectionsOverCap);
        Assert.Equal(1.0, ap.AveragePrecision!.Value, Exact);
    }

    [Fact]
    public void AddImage_ScoreNotFinite_ThrowsNamingIt()
    {
        var ap = new MaskAveragePrecision();

        var e = Assert.Throws<ArgumentException>(() => ap.AddImage([Det(double.NaN, Square)], [Square]));

        Assert.Contains("Detection 0 has score NaN", e.Message);
    }

    [Fact]
    public void AddImage_MasksOfOtherImageSize_ThrowsNamingBothSizes()
    {
        var ap = new MaskAveragePrecision();
        var other = InstanceMask.FromImage(new byte[30 * 10], 30, 10);

        var e = Assert.Throws<ArgumentException>(() => ap.AddImage([Det(0.5, Square)], [other]));

        Assert.Contains("20x20 and 30x10", e.Message);
    }

    [Fact]
    public void Constructor_CapNotPositive_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MaskAveragePrecision(0));

        Assert.Contains("COCO uses 100", e.Message);
    }

    [Fact]
    public void AtThreshold_NotACocoThreshold_ThrowsListingThem()
    {
        var ap = new MaskAveragePrecision();
        ap.AddImage([], [Square]);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ap.AtThreshold(52));

        Assert.Contains("50, 55, 60", e.Message);
    }
}
