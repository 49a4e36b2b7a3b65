using DrivePerception.Vision.Evaluation;

namespace DrivePerception.Vision.Tests.Evaluation;

/// <summary>
/// COCO mask AP per object-height range (pycocotools' areaRng rules, box height for area), on hand-made cases worked
/// out in the comments with the reading rule of <see cref="MaskAveragePrecisionTests"/>: with G truths in the range,
/// recall point r (0..100) is reached at the first rank whose TP / G &gt;= r / 100; AP = sum of the monotone precision
/// at the 101 points / 101. Ignored detections are left out of the ranking.
/// </summary>
public class MaskAveragePrecisionByHeightTests
{
    private const double Exact = 1e-12;
    private const int Size = 64;

    /// <summary>The union of filled rectangles (x, y, w, h) in a 64x64 image.</summary>
    private static InstanceMask Paint(params (int X, int Y, int W, int H)[] rects)
    {
        var pixels = new byte[Size * Size];
        foreach (var (x, y, w, h) in rects)
            for (int row = y; row < y + h; row++) pixels.AsSpan(row * Size + x, w).Fill(1);
        return InstanceMask.FromImage(pixels, Size, Size);
    }

    private static MaskDetection Det(double score, InstanceMask mask) => new(score, mask);

    private static ObjectHeightRange Range(string name) => ObjectHeightRange.Standard.Single(r => r.Name == name);

    private static MaskAveragePrecision[] AllRows() =>
        [new MaskAveragePrecision(), .. ObjectHeightRange.Standard.Select(r => new MaskAveragePrecision(heights: r))];

    // A tiny walker 8 px tall (32 px), a near one 30 px tall (300 px): h<12 and h24-48.
    private static readonly InstanceMask Far = Paint((0, 0, 4, 8));
    private static readonly InstanceMask Near = Paint((20, 0, 10, 30));

    /// <summary>
    /// One image, truths Far (h 8) and Near (h 30); detections, by score: D1 0.9 = Near exactly, D2 0.8 a false
    /// positive 6 px tall, D3 0.7 a false positive 40 px tall, D4 0.6 = Far exactly. Every IoU is 1 or 0, so each
    /// AP is the same at all ten thresholds and AP = AP50 = AP75.
    /// </summary>
    private static MaskAveragePrecision[] TwoWalkersFourDetections()
    {
        var rows = AllRows();
        var detections = new[]
        {
            Det(0.9, Paint((20, 0, 10, 30))),
            Det(0.8, Paint((40, 0, 3, 6))),
            Det(0.7, Paint((50, 0, 10, 40))),
            Det(0.6, Paint((0, 0, 4, 8))),
        };
        foreach (var row in rows) row.AddImage(detections, [Far, Near]);
        return rows;
    }

    [Fact]
    public void AddImage_AllObjects_TheDefaultMetric()
    {
        var all = TwoWalkersFourDetections()[0];

        // G = 2. Ranked TP FP FP TP: precision 1, 1/2, 1/3, 1/2 -> monotone 1, 1/2, 1/2, 1/2. Recall 1/2 at rank 1
        // (r = 0..50 read 1), 1 at rank 4 (r = 51..100 read 1/2): AP = (51 + 50 x 1/2) / 101 = 76/101.
        Assert.Same(ObjectHeightRange.All, all.Heights);
        Assert.Equal(2, all.Truths);
        Assert.Equal(0, all.IgnoredTruths);
        Assert.Equal(76.0 / 101, all.AveragePrecision!.Value, Exact);
        Assert.Equal(76.0 / 101, all.AP50!.Value, Exact);
        Assert.Equal(76.0 / 101, all.AP75!.Value, Exact);
    }

    [Fact]
    public void AddImage_TinyRange_NearWalkerAndTallFalsePositiveIgnored()
    {
        var tiny = TwoWalkersFourDetections()[1];

        // G = 1 (Far). D1 matches Near, ignored, so D1 is ignored; D2 (h 6) is an unmatched detection in the range: FP;
        // D3 (h 40) unmatched outside it: ignored; D4 matches Far: TP. Ranked FP TP: precision 0, 1/2 -> monotone
        // 1/2, 1/2; recall 1 at rank 2, so all 101 points read 1/2: AP = 0.5.
        Assert.Equal("h<12", tiny.Heights.Name);
        Assert.Equal(1, tiny.Truths);
        Assert.Equal(1, tiny.IgnoredTruths);
        Assert.Equal(4, tiny.Detections);
        Assert.Equal(0.5, tiny.AveragePrecision!.Value, Exact);
        Assert.Equal(0.5, tiny.AP50!.Value, Exact);
        Assert.Equal(0.5, tiny.AP75!.Value, Exact);
        Assert.Equal(1, tiny.TruePositivesAt(50));
        Assert.Equal(1.0, tiny.RecallAt(95)!.Value, Exact);
    }

    [Fact]
    public void AddImage_NearRange_FarWalkerAndSmallFalsePositiveIgnored()
    {
        var near = TwoWalkersFourDetections()[3];

        // G = 1 (Near). D1 TP; D2 (h 6) unmatched outside the range: ignored; D3 (h 40) unmatched inside: FP; D4
        // matches Far, ignored: ignored. Ranked TP FP: recall 1 at rank 1 with precision 1: AP = 1.
        Assert.Equal("h24-48", near.Heights.Name);
        Assert.Equal(1, near.Truths);
        Assert.Equal(1, near.IgnoredTruths);
        Assert.Equal(1.0, near.AveragePrecision!.Value, Exact);
        Assert.Equal(1.0, near.AP50!.Value, Exact);
        Assert.Equal(1.0, near.AP75!.Value, Exact);
    }

    [Fact]
    public void AddImage_RangesWithoutTruths_NotApplicableThoughDetectionsFallInThem()
    {
        var rows = TwoWalkersFourDetections();

        // No truth 12-23 or >= 48 px tall: nothing to recall, AP undefined (COCO's -1), even though D3 (h 40) is not
        // in h>=48 and D2 is not in h12-24 either way.
        foreach (var row in new[] { rows[2], rows[4] })
        {
            Assert.Equal(0, row.Truths);
            Assert.Equal(2, row.IgnoredTruths);
            Assert.Null(row.AveragePrecision);
            Assert.Null(row.AP50);
            Assert.Null(row.AP75);
        }
    }

    /// <summary>
    /// Truths A (10 x 10, h 10) and B (5 x 20, h 20), side by side, 100 px each; one detection D = A + B (200 px,
    /// box h 20), IoU exactly 1/2 with each: it matches only at .50, where the two tie.
    /// </summary>
    private static MaskAveragePrecision Tie(ObjectHeightRange? heights)
    {
        var ap = new MaskAveragePrecision(heights: heights);
        ap.AddImage([Det(0.9, Paint((0, 0, 10, 10), (10, 0, 5, 20)))], [Paint((0, 0, 10, 10)), Paint((10, 0, 5, 20))]);
        return ap;
    }

    [Fact]
    public void AddImage_TieBetweenTruthInRangeAndIgnoredOne_TruthInRangeWinsAsCocoEval()
    {
        // All objects: on a tie the later truth (B) is taken. G = 2, TP 1 at .50: AP50 = 51/101; 0 from .55.
        var all = Tie(null);
        Assert.Equal(51.0 / 101, all.AP50!.Value, Exact);
        Assert.Equal(5.1 / 101, all.AveragePrecision!.Value, Exact);

        // h<12: A is in the range, B ignored. COCOeval walks A first and, holding A, stops at the ignored B, so D
        // matches A at .50 (a TP, though D's own box is 20 px tall: only unmatched detections are judged by their
        // height). From .55 D is unmatched and 20 px tall: ignored, nothing ranked, AP 0. AP = (1 + 9 x 0) / 10.
        var tiny = Tie(Range("h<12"));
        Assert.Equal(1, tiny.Truths);
        Assert.Equal(1.0, tiny.AP50!.Value, Exact);
        Assert.Equal(0.0, tiny.AtThreshold(55)!.Value, Exact);
        Assert.Equal(0.1, tiny.AveragePrecision!.Value, Exact);

        // h12-24: B in the range, A ignored, B is walked first: D matches B at .50, TP; from .55 D is unmatched and
        // 20 px tall, in the range: a false positive, AP 0. AP = 0.1 again, but with D ranked.
        var mid = Tie(Range("h12-24"));
        Assert.Equal(1.0, mid.AP50!.Value, Exact);
        Assert.Equal(0.1, mid.AveragePrecision!.Value, Exact);
        Assert.Equal(0, mid.TruePositivesAt(55));
    }

    [Fact]
    public void AddImage_IgnoredTruthTakenFirst_LaterDetectionStillFindsTheTruthInRange()
    {
        var ap = new MaskAveragePrecision(heights: Range("h<12"));
        // Near (h 30, ignored) is matched by D1 (0.9); D2 (0.8) = Far, in the range. Each truth is matched once, the
        // ignored match takes nothing from the range: D1 ignored, D2 TP, AP 1.
        ap.AddImage([Det(0.9, Paint((20, 0, 10, 30))), Det(0.8, Paint((0, 0, 4, 8)))], [Near, Far]);

        Assert.Equal(1.0, ap.AveragePrecision!.Value, Exact);
        Assert.Equal(1, ap.TruePositivesAt(95));
    }

    [Fact]
    public void AddImage_RangeOfEverything_SameAsTheDefault()
    {
        var plain = new MaskAveragePrecision();
        var open = new MaskAveragePrecision(heights: new ObjectHeightRange("open", 0, null));
        var detections = new[] { Det(0.9, Paint((0, 0, 10, 10), (10, 0, 5, 20))), Det(0.5, Paint((40, 0, 3, 6))), Det(0.4, Paint((0, 0, 4, 8))) };

        plain.AddImage(detections, [Far, Near, Paint((10, 0, 5, 20))]);
        open.AddImage(detections, [Far, Near, Paint((10, 0, 5, 20))]);

        foreach (int t in MaskAveragePrecision.ThresholdPercents)
            Assert.Equal(plain.AtThreshold(t)!.Value, open.AtThreshold(t)!.Value, Exact);
        Assert.Equal(plain.Truths, open.Truths);
    }

    [Fact]
    public void AddImage_PlannerRange_TinyMissIgnoredAndTinyFalsePositiveNotCounted()
    {
        // Truths Far (h 8) and Near (h 30); detections, by score: D1 0.95 a false positive 6 px tall, D2 0.9 = Near
        // exactly, D3 0.8 a false positive 40 px tall. Far is never found. Every IoU is 1 or 0: AP = AP50 = AP75.
        var all = new MaskAveragePrecision();
        var planner = new MaskAveragePrecision(heights: ObjectHeightRange.Planner);
        var detections = new[] { Det(0.95, Paint((40, 0, 3, 6))), Det(0.9, Paint((20, 0, 10, 30))), Det(0.8, Paint((50, 0, 10, 40))) };
        all.AddImage(detections, [Far, Near]);
        planner.AddImage(detections, [Far, Near]);

        // All objects: G = 2. Ranked FP TP FP: precision 0, 1/2, 1/3 -> monotone 1/2, 1/2, 1/3. Recall 1/2 at rank 2
        // (r = 0..50 read 1/2), never 1 (r = 51..100 read 0): AP = 51 x 1/2 / 101.
        Assert.Equal(25.5 / 101, all.AP50!.Value, Exact);
        Assert.Equal(25.5 / 101, all.AveragePrecision!.Value, Exact);

        // h>=12: G = 1 (Near), the missed Far ignored. D1 unmatched and 6 px tall: ignored, not a false positive (were
        // it counted, the ranking FP TP would give 1/2); D2 TP; D3 unmatched and 40 px tall: FP. Ranked TP FP: recall
        // 1 at rank 1 with precision 1: AP = 1.
        Assert.Equal("h>=12", planner.Heights.Name);
        Assert.Equal(1, planner.Truths);
        Assert.Equal(1, planner.IgnoredTruths);
        Assert.Equal(1.0, planner.AP50!.Value, Exact);
        Assert.Equal(1.0, planner.AveragePrecision!.Value, Exact);
        Assert.Equal(1, planner.TruePositivesAt(50));
        Assert.Equal(1.0, planner.RecallAt(50)!.Value, Exact);
    }

    [Fact]
    public void AddImage_PlannerRangeWithTallFalsePositiveFirst_CountsIt()
    {
        var planner = new MaskAveragePrecision(heights: ObjectHeightRange.Planner);
        // D1 0.95 a false positive 40 px tall, D2 0.9 = Near: in the range both count. Ranked FP TP: precision 0, 1/2
        // -> monotone 1/2, 1/2; recall 1 at rank 2: AP = 0.5.
        planner.AddImage([Det(0.95, Paint((50, 0, 10, 40))), Det(0.9, Paint((20, 0, 10, 30)))], [Far, Near]);

        Assert.Equal(0.5, planner.AP50!.Value, Exact);
    }

    [Fact]
    public void Planner_EveryHeightNotTiny_AndReportedAfterTheStandardRows()
    {
        // Open-ended at 12 px: exactly the heights h<12 leaves out, i.e. the union of the last three standard rows.
        for (int h = 0; h <= 1000; h++)
            Assert.Equal(!Range("h<12").Contains(h), ObjectHeightRange.Planner.Contains(h));
        Assert.Equal(12, ObjectHeightRange.Planner.MinHeight);
        Assert.Null(ObjectHeightRange.Planner.MaxHeight);
        Assert.Equal(["h<12", "h12-24", "h24-48", "h>=48", "h>=12"], ObjectHeightRange.Reported.Select(r => r.Name));
        Assert.DoesNotContain(ObjectHeightRange.Planner, ObjectHeightRange.Standard);
    }

    [Theory]
    [InlineData("h<12", 0, true)]
    [InlineData("h<12", 11, true)]
    [InlineData("h<12", 12, false)]
    [InlineData("h12-24", 12, true)]
    [InlineData("h12-24", 23, true)]
    [InlineData("h12-24", 24, false)]
    [InlineData("h24-48", 24, true)]
    [InlineData("h24-48", 47, true)]
    [InlineData("h24-48", 48, false)]
    [InlineData("h>=48", 47, false)]
    [InlineData("h>=48", 48, true)]
    [InlineData("h>=48", 360, true)]
    public void Standard_EdgesAsTheHalfOpenRangesOfThePythonScript(string name, int height, bool inside)
    {
        Assert.Equal(inside, Range(name).Contains(height));
    }

    [Fact]
    public void Standard_EveryHeightInExactlyOneRange()
    {
        for (int h = 0; h <= 1000; h++)
            Assert.Single(ObjectHeightRange.Standard, r => r.Contains(h));
    }

    [Fact]
    public void Constructor_UpperEndBelowLowerEnd_ThrowsSayingBothAreIncluded()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ObjectHeightRange("bad", 12, 11));

        Assert.Contains("upper end 11 is below the lower end 12", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ObjectHeightRange("negative", -1, null));
    }
}
