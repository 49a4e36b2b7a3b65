using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using DrivePerception.Node.Segmenting;
using DrivePerception.Node.Tests.EndToEnd;
using DrivePerception.Vision.Inference;
using OpenCvSharp;

namespace DrivePerception.Node.Tests.Segmenting;

/// <summary>
/// `segment` end to end in process, on drawn 256 x 192 frames through the palette-panoptic fixture (cars and
/// pedestrians with centre markers: tests/fixtures/make_fixture_models.py), so every frame has known instances.
/// The COCO file is read back with a decoder written here from the COCO format's definition, not with the writer's code.
/// </summary>
public sealed class SegmentRunTests : IDisposable
{
    private const int Width = 256, Height = 192;
    // BGR. CamVid road RGB 128,64,128, car 64,0,128, pedestrian 64,64,0; markers add 32 to blue (the fixture's centres).
    private static readonly Scalar Road = new(128, 64, 128), Car = new(128, 0, 64), Pedestrian = new(0, 64, 64);
    private static readonly Scalar CarMarker = new(160, 0, 64), PedestrianMarker = new(32, 64, 64);
    private readonly TempFolder _temp = new("segment");

    public void Dispose() => _temp.Dispose();

    private string Images => Path.Combine(_temp.Path, "images");
    private string Out => Path.Combine(_temp.Path, "out");

    /// <summary>Frame <paramref name="f"/>: two cars and a pedestrian, moved by <paramref name="f"/>.</summary>
    private static Mat Draw(int f)
    {
        var frame = new Mat(Height, Width, MatType.CV_8UC3, Road);
        Cv2.Rectangle(frame, new Rect(16 + 8 * f, 64, 64, 48), Car, -1);
        Cv2.Rectangle(frame, new Rect(40 + 8 * f, 80, 8, 8), CarMarker, -1);
        Cv2.Rectangle(frame, new Rect(120, 120 - 8 * f, 48, 40), Car, -1);
        Cv2.Rectangle(frame, new Rect(136, 136 - 8 * f, 8, 8), CarMarker, -1);
        Cv2.Rectangle(frame, new Rect(192, 48, 32, 96), Pedestrian, -1);
        Cv2.Rectangle(frame, new Rect(200, 96, 8, 8), PedestrianMarker, -1);
        return frame;
    }

    private void WriteImages(int count)
    {
        Directory.CreateDirectory(Images);
        for (int f = 0; f < count; f++)
        {
            using var frame = Draw(f);
            Cv2.ImWrite(Path.Combine(Images, $"frame{f}.png"), frame);
        }
    }

    private int Segment(bool resume = false, params string[] inputs) => SegmentRun.Execute(new SegmentOptions
    {
        Inputs = inputs.Length > 0 ? inputs : [Images],
        OutDir = Out,
        Png = true,
        CocoPath = Path.Combine(Out, "coco.json"),
        CountsPath = Path.Combine(Out, "counts.csv"),
        Resume = resume,
        SemanticModel = RepoPaths.FixtureModel("palette-panoptic.onnx"),
        Session = new ModelSessionOptions { Accelerator = Accelerator.Cpu, WarmupRuns = 1, IntraOpThreads = 1 },
        Quiet = true,
    }, CancellationToken.None);

    [Fact]
    public void Execute_Coco_RleDecodedIndependentlyEqualsTheInstancePngPixelForPixel()
    {
        WriteImages(3);

        Assert.Equal(0, Segment());

        using var coco = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Out, "coco.json")));
        var images = coco.RootElement.GetProperty("images").EnumerateArray().ToList();
        var annotations = coco.RootElement.GetProperty("annotations").EnumerateArray().ToList();
        Assert.Equal(3, images.Count);
        Assert.Equal(9, annotations.Count); // two cars and a pedestrian a frame
        foreach (var image in images)
        {
            using var ids = Cv2.ImRead(Path.Combine(Out, "instances", image.GetProperty("frame_name").GetString() + ".png"), ImreadModes.Unchanged);
            Assert.Equal(MatType.CV_16UC1, ids.Type());
            Assert.Equal((Width, Height), (ids.Width, ids.Height));
            var covered = new int[Width * Height];
            foreach (var a in annotations.Where(a => a.GetProperty("image_id").GetInt32() == image.GetProperty("id").GetInt32()))
            {
                var segmentation = a.GetProperty("segmentation");
                Assert.Equal([Height, Width], segmentation.GetProperty("size").EnumerateArray().Select(e => e.GetInt32()));
                var mask = DecodeCocoRle(segmentation.GetProperty("counts").GetString()!, Height, Width);
                int value = a.GetProperty("instance_value").GetInt32();
                int area = 0;
                for (int y = 0; y < Height; y++)
                    for (int x = 0; x < Width; x++)
                    {
                        bool inPng = ids.At<ushort>(y, x) == value;
                        Assert.True(inPng == mask[y, x], $"pixel ({x}, {y}) of instance {value}: PNG {inPng}, RLE {mask[y, x]}");
                        if (mask[y, x]) { area++; covered[y * Width + x]++; }
                    }
                Assert.Equal(area, a.GetProperty("area").GetInt32());
            }
            // Every instance pixel of the PNG belongs to exactly one annotation.
            for (int y = 0; y < Height; y++)
                for (int x = 0; x < Width; x++)
                    Assert.Equal(ids.At<ushort>(y, x) == 0 ? 0 : 1, covered[y * Width + x]);
        }
    }

    [Fact]
    public void Execute_Counts_EqualThePngsComponentsAndClassPixels()
    {
        WriteImages(2);

        Assert.Equal(0, Segment());

        var rows = File.ReadAllLines(Path.Combine(Out, "counts.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        using var coco = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Out, "coco.json")));
        var categories = coco.RootElement.GetProperty("categories").EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetInt32(), c => c.GetProperty("name").GetString()!);
        var classNames = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(RepoPaths.FixtureModel("palette-panoptic.onnx"), null) + ".card.json"))
            .RootElement.GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToList();
        foreach (var image in coco.RootElement.GetProperty("images").EnumerateArray())
        {
            string name = image.GetProperty("frame_name").GetString()!;
            var classMap = ReadPaletteIndices(Path.Combine(Out, "classmap", name + ".png"), out int w, out int h);
            Assert.Equal((Width, Height), (w, h));
            using var ids = Cv2.ImRead(Path.Combine(Out, "instances", name + ".png"), ImreadModes.Unchanged);
            var frameRows = rows.Where(r => r[0] == name).ToDictionary(r => r[1]);
            // Class pixels: the class-map PNG's histogram.
            for (int id = 0; id < classNames.Count; id++)
            {
                long pixels = classMap.LongCount(v => v == id);
                long reported = frameRows.TryGetValue(classNames[id], out var row) ? long.Parse(row[4]) : 0;
                Assert.Equal(pixels, reported);
            }
            // Instances: the distinct values of the instance PNG, by the class COCO gives each.
            var classOfValue = coco.RootElement.GetProperty("annotations").EnumerateArray()
                .Where(a => a.GetProperty("image_id").GetInt32() == image.GetProperty("id").GetInt32())
                .ToDictionary(a => a.GetProperty("instance_value").GetInt32(), a => categories[a.GetProperty("category_id").GetInt32()]);
            var pixelsOfValue = new Dictionary<int, long>();
            for (int y = 0; y < Height; y++)
                for (int x = 0; x < Width; x++)
                    if (ids.At<ushort>(y, x) is var v && v != 0) pixelsOfValue[v] = pixelsOfValue.GetValueOrDefault(v) + 1;
            Assert.Equal(3, pixelsOfValue.Count);
            foreach (var group in pixelsOfValue.GroupBy(p => classOfValue[p.Key]))
            {
                Assert.Equal(group.Count(), int.Parse(frameRows[group.Key][2]));
                Assert.Equal(group.Sum(p => p.Value), long.Parse(frameRows[group.Key][3]));
            }
        }
        var carTotal = rows.Single(r => r[0] == "TOTAL" && r[1] == "car");
        Assert.Equal(4, int.Parse(carTotal[2]));
    }

    [Fact]
    public void Execute_CorruptImageAmongGood_SkipsListsAndExitsOne()
    {
        WriteImages(2);
        File.WriteAllBytes(Path.Combine(Images, "frame1b.png"), [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3]);

        int exit = Segment();

        Assert.Equal(1, exit);
        Assert.True(File.Exists(Path.Combine(Out, "instances", "frame0.png")));
        Assert.True(File.Exists(Path.Combine(Out, "instances", "frame1.png")));
        Assert.False(File.Exists(Path.Combine(Out, "instances", "frame1b.png")));
        using var coco = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Out, "coco.json")));
        Assert.Equal(["frame0", "frame1"], coco.RootElement.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("frame_name").GetString()));
        Assert.Empty(Directory.EnumerateFiles(Out, "*.tmp-*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Execute_Resume_SkipsFramesWhoseOutputsExistAndRedoesTheRest()
    {
        WriteImages(3);
        Assert.Equal(0, Segment());
        var kept = Path.Combine(Out, "instances", "frame0.png");
        var keptTime = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(kept, keptTime);
        File.Delete(Path.Combine(Out, "classmap", "frame2.png"));

        Assert.Equal(0, Segment(resume: true));

        Assert.Equal(keptTime, File.GetLastWriteTimeUtc(kept));
        Assert.True(File.Exists(Path.Combine(Out, "classmap", "frame2.png")));
        using var coco = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Out, "coco.json")));
        Assert.Equal(3, coco.RootElement.GetProperty("images").GetArrayLength());
        Assert.Equal(9, coco.RootElement.GetProperty("annotations").GetArrayLength());
    }

    [Fact]
    public void Execute_Video_FramesNamedByIndexWithTrackIds()
    {
        Directory.CreateDirectory(Images);
        var video = Path.Combine(Images, "clip.avi");
        using (var writer = new VideoWriter(video, FourCC.MJPG, 15, new Size(Width, Height)))
        {
            for (int f = 0; f < 3; f++)
            {
                using var frame = Draw(f);
                writer.Write(frame);
            }
        }

        Assert.Equal(0, Segment(false, video));

        using var coco = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Out, "coco.json")));
        var images = coco.RootElement.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(["clip_f000000", "clip_f000001", "clip_f000002"], images.Select(i => i.GetProperty("frame_name").GetString()));
        Assert.Equal(video + "#2", images[2].GetProperty("file_name").GetString());
        var annotations = coco.RootElement.GetProperty("annotations").EnumerateArray().ToList();
        Assert.NotEmpty(annotations);
        Assert.All(annotations, a => Assert.True(a.GetProperty("track_id").GetInt64() > 0));
    }

    [Fact]
    public void Execute_MissingInput_ExitsTwo()
    {
        Assert.Equal(2, Segment(false, Path.Combine(_temp.Path, "no-such-folder")));
    }

    /// <summary>
    /// COCO compressed RLE from its definition: characters from 48, 5 bits each, 0x20 "more follows", 0x10 on the last
    /// group the sign; from the fourth count on, add the count two before; runs go down columns, zeros first.
    /// </summary>
    private static bool[,] DecodeCocoRle(string text, int height, int width)
    {
        var counts = new List<long>();
        int p = 0;
        while (p < text.Length)
        {
            long x = 0;
            int k = 0;
            bool more = true;
            while (more)
            {
                long c = text[p] - 48;
                x |= (c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) x |= -1L << (5 * k);
            }
            if (counts.Count > 2) x += counts[^2];
            counts.Add(x);
        }
        var mask = new bool[height, width];
        long position = 0;
        for (int i = 0; i < counts.Count; i++)
        {
            for (long n = 0; n < counts[i]; n++, position++)
                if (i % 2 == 1) mask[position % height, position / height] = true;
        }
        Assert.Equal((long)height * width, position);
        return mask;
    }

    /// <summary>The indices of an 8-bit palette PNG written with filter 0 rows (the writer's choice; anything else fails here).</summary>
    private static byte[] ReadPaletteIndices(string path, out int width, out int height)
    {
        var png = File.ReadAllBytes(path);
        int at = 8;
        width = height = 0;
        using var idat = new MemoryStream();
        while (at < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                Assert.Equal(3, data[9]);
            }
            if (type == "IDAT") idat.Write(data);
            at += 12 + length;
        }
        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        var bytes = raw.ToArray();
        var indices = new byte[width * height];
        for (int y = 0; y < height; y++)
        {
            Assert.Equal(0, bytes[y * (width + 1)]);
            Array.Copy(bytes, y * (width + 1) + 1, indices, y * width, width);
        }
        return indices;
    }

    private int SegmentInto(string outDir, int batch, params string[] inputs) => SegmentRun.Execute(new SegmentOptions
    {
        Inputs = inputs,
        OutDir = outDir,
        Png = true,
        CocoPath = Path.Combine(outDir, "coco.json"),
        CountsPath = Path.Combine(outDir, "counts.csv"),
        Batch = batch,
        SemanticModel = RepoPaths.FixtureModel("palette-panoptic.onnx"),
        LaneModel = RepoPaths.LaneModel,
        Session = new ModelSessionOptions { Accelerator = Accelerator.Cpu, WarmupRuns = 1, IntraOpThreads = 1 },
        Quiet = true,
    }, CancellationToken.None);

    /// <summary>Asserts that two segment outputs hold the same COCO content (its date aside), counts and PNGs.</summary>
    private static void AssertSameOutputs(string expected, string actual)
    {
        using var a = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(expected, "coco.json")));
        using var b = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(actual, "coco.json")));
        foreach (var key in new[] { "categories", "images", "annotations" })
            Assert.Equal(a.RootElement.GetProperty(key).GetRawText(), b.RootElement.GetProperty(key).GetRawText());
        Assert.Equal(File.ReadAllText(Path.Combine(expected, "counts.csv")), File.ReadAllText(Path.Combine(actual, "counts.csv")));
        var pngs = Directory.GetFiles(expected, "*.png", SearchOption.AllDirectories);
        Assert.NotEmpty(pngs);
        foreach (var png in pngs)
            Assert.Equal(File.ReadAllBytes(png), File.ReadAllBytes(Path.Combine(actual, Path.GetRelativePath(expected, png))));
    }

    [Fact]
    public void Execute_Batch3OverFiveImages_WritesWhatFrameByFrameWrites()
    {
        // Five frames at batch 3: a full round and a short last one.
        WriteImages(5);
        string one = Path.Combine(_temp.Path, "one"), three = Path.Combine(_temp.Path, "three");

        Assert.Equal(0, SegmentInto(one, 1, Images));
        Assert.Equal(0, SegmentInto(three, 3, Images));

        AssertSameOutputs(one, three);
        using var coco = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(three, "coco.json")));
        Assert.Equal(15, coco.RootElement.GetProperty("annotations").GetArrayLength()); // two cars and a pedestrian a frame
    }

    [Fact]
    public void Execute_Batch4OnAShippedDrive_SameMasksAndTrackIdsAsFrameByFrame()
    {
        // A drive is tracked: the batch's stacks share their trackers, so the track ids are those of one stack.
        string one = Path.Combine(_temp.Path, "one"), four = Path.Combine(_temp.Path, "four");

        Assert.Equal(0, SegmentInto(one, 1, RepoPaths.ShippedDrive));
        Assert.Equal(0, SegmentInto(four, 4, RepoPaths.ShippedDrive));

        AssertSameOutputs(one, four);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void Execute_BatchOutOfRange_ExitsTwo(int batch)
    {
        WriteImages(1);

        Assert.Equal(2, SegmentInto(Out, batch, Images));
    }
}
