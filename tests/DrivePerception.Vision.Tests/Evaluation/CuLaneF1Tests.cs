using DrivePerception.Vision.Evaluation;

namespace DrivePerception.Vision.Tests.Evaluation;

public class CuLaneF1Tests
{
    private const int W = 400, H = 300;
    private const double Exact = 1e-12;

    private static LanePolyline Vertical(float x, int slot) => new(slot, [x, 10, x, 290]);

    [Fact]
    public void AddFrame_TwoPredictionsNearOneTruth_OneTruePositiveOneFalsePositive()
    {
        var f1 = new CuLaneF1();
        var frame = f1.AddFrame([Vertical(200, 2), Vertical(203, 2)], [Vertical(201, 2)], W, H);

        Assert.Equal(new DetectionCounts(1, 1, 0), frame);
        // P = 1/2, R = 1, F1 = 2/3.
        Assert.Equal(0.5, f1.Overall.Precision!.Value, Exact);
        Assert.Equal(1.0, f1.Overall.Recall!.Value, Exact);
        Assert.Equal(2.0 / 3, f1.Overall.F1!.Value, Exact);
    }

    [Fact]
    public void AddFrame_NoPredictions_RecallZeroPrecisionNotApplicable()
    {
        var f1 = new CuLaneF1();
        f1.AddFrame([], [Vertical(100, 2), Vertical(300, 3)], W, H);

        Assert.Equal(new DetectionCounts(0, 0, 2), f1.Overall);
        Assert.Equal(0.0, f1.Overall.Recall!.Value, Exact);
        Assert.Null(f1.Overall.Precision);
        Assert.Equal(0.0, f1.Overall.F1!.Value, Exact);
        Assert.Equal(new DetectionCounts(0, 0, 1), f1.Slot(2));
    }

    [Fact]
    public void AddFrame_TwoFrames_CountsSummedBeforeRatios()
    {
        var f1 = new CuLaneF1();
        // Frame 1: both lanes found. Frame 2: one found, one 60 px off (FP + FN), and a truth missed (FN).
        f1.AddFrame([Vertical(100, 2), Vertical(300, 3)], [Vertical(100, 2), Vertical(300, 3)], W, H);
        f1.AddFrame([Vertical(100, 2), Vertical(240, 3)], [Vertical(100, 2), Vertical(300, 3), Vertical(30, 1)], W, H);

        Assert.Equal(2, f1.Frames);
        // TP 3, FP 1, FN 2: P 3/4, R 3/5, F1 2*3/(6+1+2) = 2/3.
        Assert.Equal(new DetectionCounts(3, 1, 2), f1.Overall);
        Assert.Equal(2.0 / 3, f1.Overall.F1!.Value, Exact);
        Assert.Equal(new DetectionCounts(2, 0, 0), f1.Slot(2));
        Assert.Equal(new DetectionCounts(1, 1, 1), f1.Slot(3));
        Assert.Equal(new DetectionCounts(0, 0, 1), f1.Slot(1));
        Assert.Equal(new DetectionCounts(0, 0, 0), f1.Slot(4));
    }

    [Fact]
    public void AddFrame_RightPlaceWrongSlot_MatchesOverallButNotPerSlot()
    {
        var f1 = new CuLaneF1();
        // The model calls the ego-left line (slot 2) second-left (slot 1).
        f1.AddFrame([Vertical(100, 1)], [Vertical(100, 2)], W, H);

        Assert.Equal(new DetectionCounts(1, 0, 0), f1.Overall);
        Assert.Equal(new DetectionCounts(0, 1, 0), f1.Slot(1));
        Assert.Equal(new DetectionCounts(0, 0, 1), f1.Slot(2));
    }

    [Fact]
    public void AddFrame_TruthOfUnknownSlot_CountsOverallOnly()
    {
        var f1 = new CuLaneF1();
        f1.AddFrame([Vertical(100, 2)], [Vertical(100, 0)], W, H);

        Assert.Equal(new DetectionCounts(1, 0, 0), f1.Overall);
        Assert.Equal(1, f1.UnslottedTruths);
        Assert.Equal(new DetectionCounts(0, 1, 0), f1.Slot(2));
    }

    [Fact]
    public void Slot_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CuLaneF1().Slot(5));
    }
}
