using DrivePerception.Vision.Inference;
using OpenCvSharp;

namespace DrivePerception.Vision.Tests.Inference;

/// <summary>End to end on the palette-lanes fixture: slot k where the frame has slot colour k.</summary>
public class LaneDetectorTests
{
    private static readonly Scalar SecondLeft = new(255, 0, 0), EgoLeft = new(0, 255, 0), EgoRight = new(0, 0, 255), SecondRight = new(0, 255, 255);

    private static LaneDetector Load() => LaneDetector.Load(ModelFixtures.OnnxPath("palette-lanes"), ModelFixtures.Options());

    [Fact]
    public void Infer_TwoEgoLanesOnDoubleSizeFrame_SlotsAndExistence()
    {
        using var detector = Load();
        using var frame = new Mat(128, 320, MatType.CV_8UC3, Scalar.Black);
        var egoLeft = new Rect(100, 0, 40, 128);
        var egoRight = new Rect(180, 0, 40, 128);
        Cv2.Rectangle(frame, egoLeft, EgoLeft, -1);
        Cv2.Rectangle(frame, egoRight, EgoRight, -1);

        detector.Preprocess(frame);
        detector.Infer();

        Assert.Equal(new Size(160, 64), detector.LaneMap.Size());
        DrawnFrames.AssertLabels(detector.LaneMap, 2.0, 0, (egoLeft, 2), (egoRight, 3));
        Assert.Equal([0f, 1f, 1f, 0f], detector.LaneExist.ToArray());
        Assert.Equal(255, detector.Confidence.At<byte>(32, 60));
        Assert.Equal(255, detector.Confidence.At<byte>(32, 5));
    }

    [Fact]
    public void Infer_AllFourSlots_AllExist()
    {
        using var detector = Load();
        using var frame = new Mat(64, 160, MatType.CV_8UC3, Scalar.Black);
        Cv2.Rectangle(frame, new Rect(10, 0, 8, 64), SecondLeft, -1);
        Cv2.Rectangle(frame, new Rect(50, 0, 8, 64), EgoLeft, -1);
        Cv2.Rectangle(frame, new Rect(100, 0, 8, 64), EgoRight, -1);
        Cv2.Rectangle(frame, new Rect(140, 0, 8, 64), SecondRight, -1);

        detector.Preprocess(frame);
        detector.Infer();

        Assert.Equal([1f, 1f, 1f, 1f], detector.LaneExist.ToArray());
        Assert.Equal(1, detector.LaneMap.At<byte>(30, 12));
        Assert.Equal(2, detector.LaneMap.At<byte>(30, 52));
        Assert.Equal(3, detector.LaneMap.At<byte>(30, 102));
        Assert.Equal(4, detector.LaneMap.At<byte>(30, 142));
        Assert.Equal(0, detector.LaneMap.At<byte>(30, 80));
    }

    [Fact]
    public void Infer_EmptyRoad_NoLaneExists()
    {
        using var detector = Load();
        using var frame = new Mat(64, 160, MatType.CV_8UC3, new Scalar(90, 90, 90));

        detector.Preprocess(frame);
        detector.Infer();

        Assert.Equal([0f, 0f, 0f, 0f], detector.LaneExist.ToArray());
        Assert.Equal(0, Cv2.CountNonZero(detector.LaneMap));
    }

    [Fact]
    public void LaneExist_BeforeInfer_Throws()
    {
        using var detector = Load();
        Assert.Throws<InvalidOperationException>(() => detector.LaneExist.Length);
    }

    [Fact]
    public void Constructor_SemanticModel_RefusesTask()
    {
        using var session = ModelSession.Load(ModelFixtures.OnnxPath("palette-semantic"), ModelFixtures.Options());
        var e = Assert.Throws<ArgumentException>(() => new LaneDetector(session));
        Assert.Contains("LaneDetector runs task 'lanes' models", e.Message);
    }
}
