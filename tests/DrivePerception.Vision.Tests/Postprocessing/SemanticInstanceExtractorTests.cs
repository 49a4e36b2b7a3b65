using DrivePerception.Core.Masks;
using DrivePerception.Core.Models;
using DrivePerception.Vision.Postprocessing;
using OpenCvSharp;
using static DrivePerception.Vision.Tests.Postprocessing.ClassMapFixture;

namespace DrivePerception.Vision.Tests.Postprocessing;

public sealed class SemanticInstanceExtractorTests
{
    private static readonly InstanceClass[] VehiclesAndPeople =
        [new(Car, "car"), new(Pedestrian, "pedestrian"), new(Bicyclist, "bicyclist")];

    private static void AssertMaskIsDrawnShapeAt2x(ClassMapFixture map, int classId, PixelBox frameBox, RleMask mask)
    {
        Assert.Equal((frameBox.Width, frameBox.Height), (mask.Width, mask.Height));
        var pixels = mask.Decode();
        var classes = map.ClassBytes;
        for (int y = 0; y < frameBox.Height; y++)
            for (int x = 0; x < frameBox.Width; x++)
            {
                int mx = (frameBox.X + x) / 2, my = (frameBox.Y + y) / 2;
                bool expected = classes[my * map.Width + mx] == classId;
                if ((pixels[y * frameBox.Width + x] == 1) != expected)
                    Assert.Fail($"mask differs from the drawn shape at box pixel ({x}, {y})");
            }
    }

    [Fact]
    public void Extract_TwoCarsAndAPedestrian_BoxesMasksScoresAtFrameSize()
    {
        using var map = new ClassMapFixture(480, 360);
        map.Box(Car, new Rect(50, 100, 60, 40), confidence: 204);
        map.Disc(Car, new Point(320, 200), 25, confidence: 153);
        map.Box(Pedestrian, new Rect(200, 150, 12, 30), confidence: 255);
        using var extractor = new SemanticInstanceExtractor(VehiclesAndPeople);

        var instances = extractor.Extract(map.ClassBytes, map.ConfidenceBytes, 480, 360, 960, 720);

        Assert.Equal(3, instances.Count);
        Assert.Equal(["car", "car", "pedestrian"], instances.Select(i => i.ClassName));
        Assert.Equal([Car, Car, Pedestrian], instances.Select(i => i.ClassId));
        Assert.All(instances, i => Assert.Equal(0, i.TrackId));

        var box = instances[0];
        Assert.Equal(new PixelBox(100, 200, 120, 80), box.Box);
        Assert.Equal(120 * 80, box.Mask.Area());
        Assert.Equal(0.8f, box.Score, 5);

        var disc = instances[1];
        Assert.Equal(new PixelBox(2 * (320 - 25), 2 * (200 - 25), 2 * 51, 2 * 51), disc.Box);
        AssertMaskIsDrawnShapeAt2x(map, Car, disc.Box, disc.Mask);
        Assert.Equal(0.6f, disc.Score, 5);

        var walker = instances[2];
        Assert.Equal(new PixelBox(400, 300, 24, 60), walker.Box);
        AssertMaskIsDrawnShapeAt2x(map, Pedestrian, walker.Box, walker.Mask);
        Assert.Equal(1f, walker.Score, 5);
    }

    [Fact]
    public void Extract_ComponentsBelowMinArea_Filtered()
    {
        using var map = new ClassMapFixture(480, 360);
        map.Box(Car, new Rect(10, 10, 9, 9));      // 81 px < 87 px (0.0005 of 172800, rounded up)
        map.Box(Car, new Rect(100, 10, 10, 9));    // 90 px, kept
        map.Box(Pedestrian, new Rect(200, 10, 3, 3));
        using var extractor = new SemanticInstanceExtractor(VehiclesAndPeople);

        var instances = extractor.Extract(map.ClassBytes, map.ConfidenceBytes, 480, 360, 480, 360);

        var kept = Assert.Single(instances);
        Assert.Equal(new PixelBox(100, 10, 10, 9), kept.Box);
    }

    [Fact]
    public void Extract_MinAreaZero_KeepsSinglePixels()
    {
        using var map = new ClassMapFixture(64, 48);
        map.Box(Pedestrian, new Rect(5, 5, 1, 1));
        using var extractor = new SemanticInstanceExtractor(VehiclesAndPeople, new SemanticInstanceOptions { MinAreaFraction = 0 });
        var instance = Assert.Single(extractor.Extract(map.ClassBytes, map.ConfidenceBytes, 64, 48, 128, 96));
        Assert.Equal(new PixelBox(10, 10, 2, 2), instance.Box);
        Assert.Equal(4, instance.Mask.Area());
    }

    [Fact]
    public void Extract_NoChosenClassInMap_EmptyList()
    {
        using var map = new ClassMapFixture(480, 360);
        map.Box(0, new Rect(0, 0, 480, 100));
        using var extractor = new SemanticInstanceExtractor(VehiclesAndPeople);
        Assert.Empty(extractor.Extract(map.ClassBytes, map.ConfidenceBytes, 480, 360, 960, 720));
    }

    [Fact]
    public void Extract_TouchingCars_MergeIntoOneInstance()
    {
        // The documented limitation: same-class objects that touch (here only at a corner, 8-connected) are one.
        using var map = new ClassMapFixture(480, 360);
        map.Box(Car, new Rect(100, 100, 30, 20));
        map.Box(Car, new Rect(130, 120, 30, 20));
        using var extractor = new SemanticInstanceExtractor(VehiclesAndPeople);
        var merged = Assert.Single(extractor.Extract(map.ClassBytes, map.ConfidenceBytes, 480, 360, 480, 360));
        Assert.Equal(new PixelBox(100, 100, 60, 40), merged.Box);
        Assert.Equal(1200, merged.Mask.Area());
    }

    [Fact]
    public void Extract_NonIntegerScale_MasksAgreeWithScaledClassMap()
    {
        using var map = new ClassMapFixture(480, 360);
        map.Disc(Car, new Point(100, 200), 30);
        map.Box(Bicyclist, new Rect(300, 50, 17, 41));
        using var extractor = new SemanticInstanceExtractor(VehiclesAndPeople);
        using var scaler = new ClassMapScaler();
        const int fw = 1280, fh = 720;

        var instances = extractor.Extract(map.ClassBytes, map.ConfidenceBytes, 480, 360, fw, fh);
        var scaled = scaler.Scale(map.ClassBytes, 480, 360, fw, fh).AsSpan<byte>().ToArray();

        Assert.Equal(2, instances.Count);
        foreach (var instance in instances)
        {
            var b = instance.Box;
            var mask = instance.Mask.Decode();
            int inFrame = 0;
            for (int y = 0; y < fh; y++)
                for (int x = 0; x < fw; x++)
                {
                    bool onClass = scaled[y * fw + x] == instance.ClassId;
                    bool inBox = x >= b.X && x < b.X + b.Width && y >= b.Y && y < b.Y + b.Height;
                    if (onClass) { inFrame++; Assert.True(inBox, $"class pixel ({x}, {y}) outside box {b}"); }
                    if (inBox && (mask[(y - b.Y) * b.Width + x - b.X] == 1) != onClass) Assert.Fail($"mask differs from scaled map at ({x}, {y})");
                }
            Assert.Equal(inFrame, instance.Mask.Area());
        }
    }

    [Fact]
    public void ForClasses_NamesFromCard_ResolvesIds()
    {
        using var extractor = SemanticInstanceExtractor.ForClasses(Card(), ["pedestrian", "bicyclist"]);
        Assert.Equal([new InstanceClass(9, "pedestrian"), new InstanceClass(10, "bicyclist")], extractor.Classes);
    }

    [Fact]
    public void ForClasses_UnknownName_ThrowsListingClasses()
    {
        var e = Assert.Throws<ArgumentException>(() => SemanticInstanceExtractor.ForClasses(Card(), ["truck"]));
        Assert.StartsWith("Class 'truck' is not in model 'camvid-fast'. Its classes are: sky, building, pole, road, sidewalk, tree, sign, fence, car, pedestrian, bicyclist.", e.Message);
    }

    [Fact]
    public void Extract_SpanSizeMismatch_Throws()
    {
        using var extractor = new SemanticInstanceExtractor(VehiclesAndPeople);
        var e = Assert.Throws<InvalidDataException>(() => extractor.Extract(new byte[100], new byte[100], 480, 360, 960, 720));
        Assert.Equal("Semantic outputs do not match the model size 480x360: class map has 100 values, confidence 100, expected 172800 each (docs/MODEL-CONTRACT.md).", e.Message);
    }

    [Fact]
    public void Ctor_NoClasses_ThrowsWithExample()
    {
        var e = Assert.Throws<ArgumentException>(() => new SemanticInstanceExtractor([]));
        Assert.StartsWith("Give at least one class to extract instances of, e.g. car.", e.Message);
    }

    [Fact]
    public void Ctor_MinAreaOutOfRange_ThrowsNamingSetting()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SemanticInstanceExtractor(VehiclesAndPeople, new SemanticInstanceOptions { MinAreaFraction = 1 }));
        Assert.StartsWith("MinAreaFraction must be in [0, 1) of the model output's pixels, got 1.", e.Message);
    }

    private static ModelCard Card() => new()
    {
        Name = "camvid-fast",
        Task = "semantic",
        Classes = new[] { "sky", "building", "pole", "road", "sidewalk", "tree", "sign", "fence", "car", "pedestrian", "bicyclist" }
            .Select((n, i) => new ModelCardClass { Id = i, Name = n }).ToList(),
    };
}
