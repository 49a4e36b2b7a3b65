using DrivePerception.Vision.Evaluation;

namespace DrivePerception.Vision.Tests.Evaluation;

public class DetectionCountsTests
{
    private const double Exact = 1e-12;

    [Fact]
    public void F1_ThreeTruePositivesOneFalsePositiveTwoMisses_HarmonicMeanOfPrecisionAndRecall()
    {
        var c = new DetectionCounts(3, 1, 2);

        // P = 3/4, R = 3/5, F1 = 2PR/(P+R) = 0.9/1.35 = 2/3 = 2*3/(2*3 + 1 + 2).
        Assert.Equal(0.75, c.Precision!.Value, Exact);
        Assert.Equal(0.6, c.Recall!.Value, Exact);
        Assert.Equal(2.0 / 3, c.F1!.Value, Exact);
        Assert.Equal(2 * 0.75 * 0.6 / (0.75 + 0.6), c.F1!.Value, Exact);
    }

    [Fact]
    public void Precision_NothingPredicted_NotApplicableAndF1Zero()
    {
        var c = new DetectionCounts(0, 0, 4);

        Assert.Null(c.Precision);
        Assert.Equal(0.0, c.Recall!.Value, Exact);
        Assert.Equal(0.0, c.F1!.Value, Exact);
    }

    [Fact]
    public void Recall_NothingTrue_NotApplicableAndF1Zero()
    {
        var c = new DetectionCounts(0, 2, 0);

        Assert.Null(c.Recall);
        Assert.Equal(0.0, c.Precision!.Value, Exact);
        Assert.Equal(0.0, c.F1!.Value, Exact);
    }

    [Fact]
    public void F1_NothingPredictedNorTrue_NotApplicable()
    {
        var c = new DetectionCounts(0, 0, 0);

        Assert.Null(c.F1);
        Assert.Null(c.Precision);
        Assert.Null(c.Recall);
    }

    [Fact]
    public void Add_TwoCounts_SumsEachField()
    {
        Assert.Equal(new DetectionCounts(4, 6, 8), new DetectionCounts(1, 2, 3) + new DetectionCounts(3, 4, 5));
    }
}
