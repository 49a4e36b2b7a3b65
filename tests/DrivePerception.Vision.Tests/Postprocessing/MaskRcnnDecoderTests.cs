using DrivePerception.Core.Messages;
using DrivePerception.Vision.Postprocessing;

namespace DrivePerception.Vision.Tests.Postprocessing;

/// <summary>Hand-made Mask R-CNN outputs at model size (128x96) decoded to frame size.</summary>
public class MaskRcnnDecoderTests
{
    private const int ModelWidth = 128, ModelHeight = 96, M = 28;
    private const long Vehicle = 1, Pedestrian = 2;
    // The pasted ellipse's area differs from the grid's fraction by the stair-stepped border of a 28-cell mask:
    // a few percent of the box, named here so every area test uses the same allowance.
    private const double EllipseAreaTolerance = 0.04;

    private static readonly string[] Classes = ["background", "vehicle", "pedestrian"];

    private sealed record Detection(float X1, float Y1, float X2, float Y2, float Score, long Label, float[] Mask);

    private static List<DetectedInstance> Decode(Detection[] detections, int frameWidth, int frameHeight, MaskRcnnDecoderOptions? options = null,
        int modelWidth = ModelWidth, int modelHeight = ModelHeight)
    {
        var boxes = detections.SelectMany(d => new[] { d.X1, d.Y1, d.X2, d.Y2 }).ToArray();
        var scores = detections.Select(d => d.Score).ToArray();
        var labels = detections.Select(d => d.Label).ToArray();
        var masks = detections.SelectMany(d => d.Mask).ToArray();
        return new MaskRcnnDecoder(Classes, options).Decode(new MaskRcnnDetections(boxes, scores, labels, masks, M),
            modelWidth, modelHeight, frameWidth, frameHeight);
    }

    /// <summary>The fixture's mask: 1 inside a circle of radius 12 centred in the 28x28 grid, else 0.</summary>
    private static float[] Ellipse()
    {
        var mask = new float[M * M];
        const float centre = (M - 1) / 2f;
        for (int y = 0; y < M; y++)
        for (int x = 0; x < M; x++)
            mask[y * M + x] = (y - centre) * (y - centre) + (x - centre) * (x - centre) <= 144 ? 1f : 0f;
        return mask;
    }

    private static float[] Full() => Enumerable.Repeat(1f, M * M).ToArray();

    private static double EllipseFraction() => Ellipse().Count(v => v > 0) / (double)(M * M);

    [Fact]
    public void Decode_BoxInModelPixels_ExactBoxAtFrameScale()
    {
        var instances = Decode([new(10, 20, 60, 60, 0.9f, Vehicle, Ellipse())], 512, 384);

        var only = Assert.Single(instances);
        Assert.Equal(new Core.Masks.PixelBox(40, 80, 200, 160), only.Box);
        Assert.Equal("vehicle", only.ClassName);
        Assert.Equal(1, only.ClassId);
        Assert.Equal(0.9f, only.Score);
        Assert.Equal(0, only.TrackId);
        Assert.Equal((200, 160), (only.Mask.Width, only.Mask.Height));
    }

    [Fact]
    public void Decode_OverlappingBoxesOfOneClass_NmsDropsTheLowerScore()
    {
        var instances = Decode([new(14, 22, 62, 64, 0.6f, Vehicle, Ellipse()), new(10, 20, 60, 60, 0.9f, Vehicle, Ellipse())], 128, 96);

        var only = Assert.Single(instances);
        Assert.Equal(0.9f, only.Score);
        Assert.Equal(new Core.Masks.PixelBox(10, 20, 50, 40), only.Box);
    }

    [Fact]
    public void Decode_OverlappingBoxesOfTwoClasses_BothKeptBestFirst()
    {
        var instances = Decode([new(14, 22, 62, 64, 0.6f, Pedestrian, Ellipse()), new(10, 20, 60, 60, 0.9f, Vehicle, Ellipse())], 128, 96);

        Assert.Equal(["vehicle", "pedestrian"], instances.Select(i => i.ClassName));
    }

    [Fact]
    public void Decode_ScoreBelowThreshold_Dropped()
    {
        var instances = Decode([new(10, 20, 60, 60, 0.3f, Vehicle, Ellipse()), new(80, 30, 110, 90, 0.5f, Pedestrian, Ellipse())], 128, 96);

        var only = Assert.Single(instances);
        Assert.Equal("pedestrian", only.ClassName);
    }

    [Fact]
    public void Decode_MoreThanMaxDetections_KeepsTheBest()
    {
        var detections = Enumerable.Range(0, 5)
            .Select(i => new Detection(i * 20, 0, i * 20 + 10, 10, 0.5f + i * 0.1f, Vehicle, Full())).ToArray();

        var instances = Decode(detections, 128, 96, new MaskRcnnDecoderOptions { MaxDetections = 2 });

        Assert.Equal([80, 60], instances.Select(i => i.Box.X));
    }

    [Fact]
    public void Decode_EllipseMask_PastedEllipseAreaAndCentreOn()
    {
        var instances = Decode([new(80, 30, 110, 90, 0.8f, Pedestrian, Ellipse())], 512, 384);

        var only = Assert.Single(instances);
        Assert.Equal(new Core.Masks.PixelBox(320, 120, 120, 240), only.Box);
        double fraction = only.Mask.Area() / (double)only.Box.Area;
        Assert.InRange(fraction, EllipseFraction() - EllipseAreaTolerance, EllipseFraction() + EllipseAreaTolerance);
        var pixels = only.Mask.Decode();
        Assert.Equal(1, pixels[120 * 120 + 60]);
        Assert.Equal(0, pixels[0]);
        Assert.Equal(0, pixels[^1]);
    }

    [Fact]
    public void Decode_FractionalBox_PixelsWithCentreOutsideTheBoxOff()
    {
        // Box 10.7..20.2 x 5.7..15.2: pixels 10 and 20 touch it, but their centres (10.5, 20.5) lie outside.
        var instances = Decode([new(10.7f, 5.7f, 20.2f, 15.2f, 0.9f, Vehicle, Full())], 128, 96);

        var only = Assert.Single(instances);
        Assert.Equal(new Core.Masks.PixelBox(10, 5, 11, 11), only.Box);
        var pixels = only.Mask.Decode();
        for (int y = 0; y < 11; y++)
        for (int x = 0; x < 11; x++)
        {
            bool inside = x is >= 1 and <= 9 && y is >= 1 and <= 9;
            Assert.True(pixels[y * 11 + x] == (inside ? 1 : 0), $"pixel ({x}, {y}) of the box is {pixels[y * 11 + x]}");
        }
    }

    [Fact]
    public void Decode_BoxPastTheFrameBorder_ClippedBoxAndMask()
    {
        var instances = Decode([new(-10, -5, 40, 30, 0.9f, Vehicle, Full()), new(100, 80, 140, 120, 0.8f, Pedestrian, Full())], 128, 96);

        Assert.Equal(new Core.Masks.PixelBox(0, 0, 40, 30), instances[0].Box);
        Assert.Equal(40 * 30, instances[0].Mask.Area());
        Assert.Equal(new Core.Masks.PixelBox(100, 80, 28, 16), instances[1].Box);
        Assert.Equal((28, 16), (instances[1].Mask.Width, instances[1].Mask.Height));
        Assert.Equal(28 * 16, instances[1].Mask.Area());
    }

    [Fact]
    public void Decode_NoDetections_EmptyList()
    {
        Assert.Empty(Decode([], 512, 384));
    }

    [Fact]
    public void Decode_BoxWhollyOutsideTheFrame_Dropped()
    {
        Assert.Empty(Decode([new(130, 10, 150, 20, 0.9f, Vehicle, Full())], 128, 96));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(3L)]
    public void Decode_LabelNotADetectedClass_ThrowsListingTheClasses(long label)
    {
        var error = Assert.Throws<InvalidDataException>(() => Decode([new(10, 20, 60, 60, 0.9f, label, Full())], 128, 96));

        Assert.Contains("vehicle, pedestrian", error.Message);
    }

    [Fact]
    public void Detections_LengthsDisagree_ThrowsGivingEachLength()
    {
        var error = Assert.Throws<ArgumentException>(() => new MaskRcnnDetections(new float[8], new float[2], new long[1], new float[2 * M * M], M));

        Assert.Contains("labels 1 (want K)", error.Message);
    }

    [Theory]
    [InlineData(nameof(MaskRcnnDecoderOptions.ScoreThreshold), 1.5f)]
    [InlineData(nameof(MaskRcnnDecoderOptions.NmsIoU), 0f)]
    [InlineData(nameof(MaskRcnnDecoderOptions.MaskThreshold), 0f)]
    [InlineData(nameof(MaskRcnnDecoderOptions.MaxDetections), 0f)]
    public void Validate_OutOfRange_ThrowsNamingTheSetting(string setting, float value)
    {
        var options = new MaskRcnnDecoderOptions();
        if (setting == nameof(MaskRcnnDecoderOptions.MaxDetections)) options.MaxDetections = (int)value;
        else typeof(MaskRcnnDecoderOptions).GetProperty(setting)!.SetValue(options, value);

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.Equal(setting, error.ParamName);
    }
}
