using DrivePerception.Vision.Inference;
using OpenCvSharp;

namespace DrivePerception.Vision.Tests.Inference;

/// <summary>End to end on the palette fixtures: a drawn CamVid-coloured rectangle comes back as its class.</summary>
public class SemanticSegmenterTests
{
    private const byte Road = 3, Car = 8, Pedestrian = 9, Sky = 0;

    private static SemanticSegmenter Load(string name = "palette-semantic") =>
        SemanticSegmenter.Load(ModelFixtures.OnnxPath(name), ModelFixtures.Options());

    [Theory]
    [InlineData("palette-semantic")]
    [InlineData("palette-semantic-rgb")]
    [InlineData("palette-semantic-host")]
    public void Infer_LargerFrameWithDrawnCarAndPedestrian_ClassesAtScaledPlaces(string model)
    {
        using var segmenter = Load(model);
        // 480x360 is 3.75 times the model's 128x96: the resize averages (INTER_AREA).
        using var frame = DrawnFrames.Filled(360, 480, Road);
        var car = new Rect(120, 90, 120, 90);
        var pedestrian = new Rect(300, 200, 120, 120);
        DrawnFrames.Fill(frame, car, Car);
        DrawnFrames.Fill(frame, pedestrian, Pedestrian);

        segmenter.Preprocess(frame);
        segmenter.Infer();

        Assert.Equal(new Size(128, 96), segmenter.ClassMap.Size());
        DrawnFrames.AssertLabels(segmenter.ClassMap, 3.75, Road, (car, Car), (pedestrian, Pedestrian));
        Assert.Equal(Car, segmenter.ClassMap.At<byte>(36, 48));
        Assert.Equal(255, segmenter.Confidence.At<byte>(36, 48));
        Assert.Equal(255, segmenter.Confidence.At<byte>(5, 5));
    }

    [Fact]
    public void Infer_FrameAtModelSize_EveryPixelExact()
    {
        using var segmenter = Load();
        using var frame = DrawnFrames.Filled(96, 128, Road);
        for (int id = 0; id < 11; id++) DrawnFrames.Fill(frame, new Rect(id * 11, 10 + id * 3, 9, 20), id);

        segmenter.Preprocess(frame);
        segmenter.Infer();

        var map = DrawnFrames.ToArray(segmenter.ClassMap);
        for (int y = 0; y < 96; y++)
        for (int x = 0; x < 128; x++)
        {
            int expected = Road;
            for (int id = 0; id < 11; id++)
                if (x >= id * 11 && x < id * 11 + 9 && y >= 10 + id * 3 && y < 30 + id * 3) expected = id;
            Assert.True(map[y, x] == expected, $"pixel (x={x}, y={y}) is {map[y, x]}, expected {expected}");
        }
        Assert.Equal(96 * 128, Cv2.CountNonZero(segmenter.Confidence.Equals(255)));
    }

    [Fact]
    public void Infer_UpscaledSmallFrame_ClassAtScaledPlace()
    {
        using var segmenter = Load();
        using var frame = DrawnFrames.Filled(48, 64, Sky);
        var car = new Rect(16, 12, 20, 16);
        DrawnFrames.Fill(frame, car, Car);

        segmenter.Preprocess(frame);
        segmenter.Infer();

        DrawnFrames.AssertLabels(segmenter.ClassMap, 0.5, Sky, (car, Car));
    }

    [Fact]
    public void Infer_SecondFrame_ReplacesResultInSameBuffers()
    {
        using var segmenter = Load();
        using var carFrame = DrawnFrames.Filled(360, 480, Car);
        using var skyFrame = DrawnFrames.Filled(360, 480, Sky);

        segmenter.Preprocess(carFrame);
        segmenter.Infer();
        IntPtr data = segmenter.ClassMap.Data;
        Assert.Equal(96 * 128, Cv2.CountNonZero(segmenter.ClassMap.Equals(Car)));

        segmenter.Preprocess(skyFrame);
        segmenter.Infer();
        Assert.Equal(data, segmenter.ClassMap.Data);
        Assert.Equal(0, Cv2.CountNonZero(segmenter.ClassMap));
    }

    [Fact]
    public void Infer_WithoutPreprocess_Throws()
    {
        using var segmenter = Load();
        var e = Assert.Throws<InvalidOperationException>(segmenter.Infer);
        Assert.Contains("call Preprocess(frame) first", e.Message);
    }

    [Fact]
    public void Infer_TwiceOnOneFrame_Throws()
    {
        using var segmenter = Load();
        using var frame = DrawnFrames.Filled(96, 128, Road);
        segmenter.Preprocess(frame);
        segmenter.Infer();
        Assert.Throws<InvalidOperationException>(segmenter.Infer);
    }

    [Fact]
    public void ClassMap_BeforeInfer_ThrowsRatherThanGivingWarmupOutput()
    {
        using var segmenter = Load();
        Assert.False(segmenter.HasResult);
        var e = Assert.Throws<InvalidOperationException>(() => segmenter.ClassMap);
        Assert.Contains("No result", e.Message);
    }

    [Fact]
    public void Preprocess_GreyFrame_ThrowsWithConversion()
    {
        using var segmenter = Load();
        using var grey = new Mat(96, 128, MatType.CV_8UC1, Scalar.All(128));
        var e = Assert.Throws<ArgumentException>(() => segmenter.Preprocess(grey));
        Assert.Contains("GRAY2BGR", e.Message);
    }

    [Fact]
    public void Constructor_LaneModel_RefusesTask()
    {
        using var session = ModelSession.Load(ModelFixtures.OnnxPath("palette-lanes"), ModelFixtures.Options());
        var e = Assert.Throws<ArgumentException>(() => new SemanticSegmenter(session));
        Assert.Contains("has task 'lanes': SemanticSegmenter runs task 'semantic' models", e.Message);
    }
}
