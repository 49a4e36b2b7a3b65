using DrivePerception.Vision.Evaluation;

namespace DrivePerception.Vision.Tests.Evaluation;

/// <summary>Every expected value here is worked out by hand in the comment beside it.</summary>
public class ConfusionMatrixTests
{
    private const double Exact = 1e-12;

    [Fact]
    public void Add_IgnoreLabel_IgnoredPixelsCountNowhere()
    {
        var m = new ConfusionMatrix(3);
        // Pixels 5 and 6 are void (3): predicted 0 and 2 there, which must not count as predictions.
        m.Add([0, 0, 1, 1, 2, 3, 3], [0, 1, 1, 1, 2, 0, 2], ignoreId: 3);

        Assert.Equal(5, m.ScoredPixels);
        Assert.Equal(2, m.IgnoredPixels);
        Assert.Equal(1, m[0, 0]);
        Assert.Equal(1, m[0, 1]);
        Assert.Equal(2, m[1, 1]);
        Assert.Equal(1, m[2, 2]);
        Assert.Equal(1, m.PredictedPixels(0));
        Assert.Equal(1, m.PredictedPixels(2));
        // class 0: TP 1, truth 2, predicted 1 -> 1 / (2 + 1 - 1) = 1/2
        Assert.Equal(0.5, m.IoU(0)!.Value, Exact);
        // class 1: TP 2, truth 2, predicted 3 -> 2 / 3
        Assert.Equal(2.0 / 3, m.IoU(1)!.Value, Exact);
        // class 2: TP 1, truth 1, predicted 1 -> 1
        Assert.Equal(1.0, m.IoU(2)!.Value, Exact);
        Assert.Equal((0.5 + 2.0 / 3 + 1.0) / 3, m.MeanIoU!.Value, Exact);
        // 4 of the 5 scored pixels are right
        Assert.Equal(0.8, m.PixelAccuracy!.Value, Exact);
    }

    [Fact]
    public void IoU_ClassAbsentFromBothTruthAndPrediction_NullAndLeftOutOfMean()
    {
        var m = new ConfusionMatrix(4);
        // Class 3 never appears. Class 0: TP 2 of truth 2, predicted 3 -> 2/3; class 1: TP 1 of truth 2, predicted 1 -> 1/2;
        // class 2: TP 1, truth 1, predicted 1 -> 1.
        m.Add([0, 0, 1, 1, 2], [0, 0, 1, 0, 2], ignoreId: -1);

        Assert.Null(m.IoU(3));
        Assert.Equal(3, m.ScoredClasses);
        Assert.Equal((2.0 / 3 + 0.5 + 1.0) / 3, m.MeanIoU!.Value, Exact);
    }

    [Fact]
    public void IoU_ClassPredictedButAbsentFromTruth_ZeroAndCountsInMean()
    {
        var m = new ConfusionMatrix(3);
        // Class 0: TP 3, truth 4, predicted 3 -> 3/4. Class 2 predicted once, never true -> 0. Class 1 absent -> n/a.
        m.Add([0, 0, 0, 0], [0, 0, 0, 2], ignoreId: -1);

        Assert.Equal(0.75, m.IoU(0)!.Value, Exact);
        Assert.Equal(0.0, m.IoU(2)!.Value, Exact);
        Assert.Null(m.IoU(1));
        // (3/4 + 0) / 2: the absent class 1 is not a zero in the mean.
        Assert.Equal(0.375, m.MeanIoU!.Value, Exact);
    }

    [Fact]
    public void MeanIoU_TwoFrames_FromSummedMatrixNotMeanOfFrames()
    {
        var m = new ConfusionMatrix(2);
        // Frame A: class 0 everywhere, right: IoU 1 on its own.
        m.Add([0, 0], [0, 0], ignoreId: -1);
        // Frame B: class 0 everywhere, 6 of 8 predicted as 1: IoU0 2/8 on its own.
        m.Add([0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 1, 1, 1, 1, 1, 1], ignoreId: -1);

        // Summed: class 0 TP 4, truth 10, predicted 4 -> 4/10 (the mean of the frames would be 0.625);
        // class 1 TP 0, predicted 6 -> 0. Mean (0.4 + 0) / 2.
        Assert.Equal(0.4, m.IoU(0)!.Value, Exact);
        Assert.Equal(0.0, m.IoU(1)!.Value, Exact);
        Assert.Equal(0.2, m.MeanIoU!.Value, Exact);
        Assert.Equal(0.4, m.PixelAccuracy!.Value, Exact);
    }

    [Fact]
    public void Add_TruthIdThatIsNeitherClassNorIgnore_ThrowsNamingFixAndCountsNothing()
    {
        var m = new ConfusionMatrix(3);
        var e = Assert.Throws<InvalidDataException>(() => m.Add([0, 1, 7], [0, 1, 1], ignoreId: 3));

        Assert.Contains("Truth pixel 2 holds id 7", e.Message);
        Assert.Contains("classes are 0..2 and the ignore id is 3", e.Message);
        Assert.Contains("set the ignore id", e.Message);
        Assert.Equal(0, m.ScoredPixels);
        Assert.Equal(0, m[0, 0]);
    }

    [Fact]
    public void Add_PredictedIdNotAClass_Throws()
    {
        var m = new ConfusionMatrix(3);
        var e = Assert.Throws<InvalidDataException>(() => m.Add([0, 1], [0, 9], ignoreId: -1));

        Assert.Contains("Predicted pixel 1 holds id 9", e.Message);
    }

    [Fact]
    public void Add_SizesDiffer_Throws()
    {
        var m = new ConfusionMatrix(3);
        var e = Assert.Throws<ArgumentException>(() => m.Add([0, 1, 2], [0, 1], ignoreId: -1));

        Assert.Contains("same size", e.Message);
    }

    [Fact]
    public void MeanIoU_EveryPixelIgnored_NullNotZero()
    {
        var m = new ConfusionMatrix(3);
        m.Add([3, 3], [0, 1], ignoreId: 3);

        Assert.Null(m.MeanIoU);
        Assert.Null(m.PixelAccuracy);
        Assert.Equal(2, m.IgnoredPixels);
    }
}
