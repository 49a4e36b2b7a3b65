using DrivePerception.Vision.Evaluation;
using OpenCvSharp;

namespace DrivePerception.Vision.Tests.Evaluation;

/// <summary>
/// CULane matching on a 400x300 canvas with 30-px drawings. A vertical lane's drawing is 31 px wide (OpenCV's
/// thick line covers thickness + 1 columns) with round caps, so two vertical lanes d px apart overlap in 31 - d
/// columns: IoU about (31 - d) / (31 + d), a little less for the caps.
/// </summary>
public class LaneMatcherTests
{
    private const int W = 400, H = 300;

    private static LanePolyline Vertical(float x, int slot = 0) => new(slot, [x, 10, x, 150, x, 290]);

    // A lane at 45 degrees: a horizontal shift d moves it d / sqrt(2) across its direction.
    private static LanePolyline Diagonal(float x0, int slot = 0) => new(slot, [x0, 20, x0 + 260, 280]);

    [Fact]
    public void DrawingIoUs_IdenticalPolylines_OneAndMatched()
    {
        var matcher = new LaneMatcher();
        var ious = matcher.DrawingIoUs([Vertical(200)], [Vertical(200)], W, H);

        Assert.Equal(1.0, ious[0, 0], 12);
        Assert.Equal([new LaneMatch(0, 0, 1.0)], matcher.Match(ious));
    }

    [Fact]
    public void Match_Shifted40Px_NoOverlapNoMatch()
    {
        var matcher = new LaneMatcher();
        var ious = matcher.DrawingIoUs([Vertical(240)], [Vertical(200)], W, H);

        // 31-px bands 40 px apart do not touch.
        Assert.Equal(0.0, ious[0, 0]);
        Assert.Empty(matcher.Match(ious));
    }

    [Fact]
    public void Match_VerticalShifted10Px_IoUJustOverHalfAndMatched()
    {
        var matcher = new LaneMatcher();
        var ious = matcher.DrawingIoUs([Vertical(210)], [Vertical(200)], W, H);

        // (31 - 10) / (31 + 10) = 0.512 along the straight part; the caps take it a little lower. A vertical
        // lane 10 px off is the edge of what CULane accepts.
        Assert.InRange(ious[0, 0], 0.5, 0.512);
        Assert.Single(matcher.Match(ious));
    }

    [Fact]
    public void Match_DiagonalShifted10Px_Matched()
    {
        var matcher = new LaneMatcher();
        var ious = matcher.DrawingIoUs([Diagonal(60)], [Diagonal(50)], W, H);

        // 7.1 px across the lane: about (31 - 7.1) / (31 + 7.1) = 0.63.
        Assert.InRange(ious[0, 0], 0.58, 0.66);
        Assert.Single(matcher.Match(ious));
    }

    [Fact]
    public void Match_Shifted20Px_BelowThreshold()
    {
        var matcher = new LaneMatcher();
        var ious = matcher.DrawingIoUs([Vertical(220)], [Vertical(200)], W, H);

        // (31 - 20) / (31 + 20) = 0.22.
        Assert.InRange(ious[0, 0], 0.18, 0.22);
        Assert.Empty(matcher.Match(ious));
    }

    [Fact]
    public void Match_TwoPredictionsNearOneTruth_OneToOneBestFirst()
    {
        var matcher = new LaneMatcher();
        // Prediction 0 is 5 px off (IoU ~0.72), prediction 1 exactly on the truth: both pass the threshold.
        var ious = matcher.DrawingIoUs([Vertical(205), Vertical(200)], [Vertical(200)], W, H);

        Assert.True(ious[0, 0] >= 0.5 && ious[1, 0] == 1.0);
        var matches = matcher.Match(ious);
        Assert.Equal([new LaneMatch(1, 0, 1.0)], matches);
    }

    [Fact]
    public void Match_Eligibility_RestrictsPairs()
    {
        var matcher = new LaneMatcher();
        var ious = new double[,] { { 0.9, 0.6 }, { 0.7, 0.0 } };

        // Greedy: (0,0) at 0.9 first, then prediction 1's only pair (1,0) is taken -> one match.
        Assert.Equal([new LaneMatch(0, 0, 0.9)], matcher.Match(ious));
        // Forbidding (0,0): (1,0) at 0.7, then (0,1) at 0.6.
        Assert.Equal([new LaneMatch(1, 0, 0.7), new LaneMatch(0, 1, 0.6)], matcher.Match(ious, (p, t) => !(p == 0 && t == 0)));
    }

    [Fact]
    public void Draw_HorizontalSegment_ThirtyOnePixelsThickWithRoundCaps()
    {
        var matcher = new LaneMatcher();
        using var drawing = matcher.Draw(new LanePolyline(0, [100, 150, 300, 150]), W, H);

        // Across the middle of the segment: rows 135..165.
        int column = 0;
        for (int y = 0; y < H; y++) column += drawing.At<byte>(y, 200);
        Assert.Equal(31, column);
        // The caps reach about 15 px past each end, no further.
        Assert.Equal(1, drawing.At<byte>(150, 86));
        Assert.Equal(0, drawing.At<byte>(150, 83));
        Assert.Equal(1, drawing.At<byte>(150, 314));
        Assert.Equal(0, drawing.At<byte>(150, 317));
    }

    [Fact]
    public void Draw_PointsOffTheFrame_Clipped()
    {
        var matcher = new LaneMatcher();
        using var drawing = matcher.Draw(new LanePolyline(0, [-50, 150, 450, 150]), W, H);

        Assert.Equal(31 * W, Cv2.CountNonZero(drawing));
    }

    [Fact]
    public void Draw_NaNCoordinate_ThrowsNamingThePoint()
    {
        var matcher = new LaneMatcher();
        var e = Assert.Throws<InvalidDataException>(() => matcher.Draw(new LanePolyline(0, [1, 2, float.NaN, 4]), W, H));

        Assert.Contains("Lane point 1", e.Message);
    }
}
