using DrivePerception.Core.Masks;
using DrivePerception.Vision.Postprocessing;

namespace DrivePerception.Vision.Tests.Postprocessing;

public sealed class ScaledRleEncoderTests
{
    // Blocky random maps (runs of a few pixels, few values) look like segmentation output and exercise run merging.
    private static byte[] BlockyMap(int width, int height, int values, int seed)
    {
        var random = new Random(seed);
        var map = new byte[width * height];
        for (int y = 0; y < height; y++)
        {
            byte v = (byte)random.Next(values);
            for (int x = 0; x < width; x++)
            {
                if (random.Next(6) == 0) v = (byte)random.Next(values);
                map[y * width + x] = y > 0 && random.Next(3) == 0 ? map[(y - 1) * width + x] : v;
            }
        }
        return map;
    }

    public static TheoryData<int, int, int, int> Sizes => new()
    {
        { 512, 192, 1640, 590 },
        { 480, 360, 1920, 1080 },
        { 480, 360, 1280, 720 },
        { 48, 36, 48, 36 },
        { 40, 30, 17, 11 },
        { 7, 5, 13, 11 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void EncodeMask_FullFrame_IdenticalToEncodingTheResampledImage(int sw, int sh, int tw, int th)
    {
        var map = BlockyMap(sw, sh, 4, sw + th);
        var resampler = new NearestResampler();
        resampler.Configure(sw, sh, tw, th);
        var frame = new byte[tw * th];
        resampler.Resample(map, sw, frame, tw);
        var encoder = new ScaledRleEncoder(resampler);
        for (byte v = 0; v < 5; v++)
        {
            var expected = RleMask.EncodeLabel(frame, tw, PixelBox.Full(tw, th), v);
            var actual = encoder.EncodeMask(map, sw, v, PixelBox.Full(tw, th));
            Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
            Assert.Equal(expected.Counts, actual.Counts);
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void EncodeMask_Boxes_IdenticalToCroppingTheResampledImage(int sw, int sh, int tw, int th)
    {
        var map = BlockyMap(sw, sh, 3, sw * 7 + th);
        var labels = map.Select(b => (int)b).ToArray();
        var resampler = new NearestResampler();
        resampler.Configure(sw, sh, tw, th);
        var frame = new byte[tw * th];
        resampler.Resample(map, sw, frame, tw);
        var encoder = new ScaledRleEncoder(resampler);
        var random = new Random(tw);
        for (int i = 0; i < 20; i++)
        {
            int x = random.Next(tw), y = random.Next(th);
            var box = new PixelBox(x, y, random.Next(1, tw - x + 1), random.Next(1, th - y + 1));
            int value = random.Next(3);
            var expected = RleMask.EncodeLabel(frame, tw, box, (byte)value);
            Assert.Equal(expected.Counts, encoder.EncodeMask<int>(labels, sw, value, box).Counts);
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void EncodeLabels_IdenticalToEncodingTheResampledImage(int sw, int sh, int tw, int th)
    {
        var map = BlockyMap(sw, sh, 12, sw * 3 + tw);
        var resampler = new NearestResampler();
        resampler.Configure(sw, sh, tw, th);
        var frame = new byte[tw * th];
        resampler.Resample(map, sw, frame, tw);

        var expected = LabelRle.Encode(frame, tw, th, tw);
        var actual = new ScaledRleEncoder(resampler).EncodeLabels(map, sw);

        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        Assert.Equal(expected.Values, actual.Values);
        Assert.Equal(expected.Counts, actual.Counts);
    }

    [Fact]
    public void EncodeMask_ValueAbsent_OneOffRunOfTheWholeBox()
    {
        var resampler = new NearestResampler();
        resampler.Configure(4, 3, 8, 6);
        var mask = new ScaledRleEncoder(resampler).EncodeMask<byte>(new byte[12], 4, 1, PixelBox.Full(8, 6));
        Assert.Equal([48], mask.Counts);
    }

    [Fact]
    public void EncodeMask_FirstPixelOn_StartsWithEmptyOffRun()
    {
        var resampler = new NearestResampler();
        resampler.Configure(2, 1, 4, 2);
        var mask = new ScaledRleEncoder(resampler).EncodeMask<byte>([1, 0], 2, 1, PixelBox.Full(4, 2));
        Assert.Equal([0, 2, 2, 2, 2], mask.Counts);
    }

    [Fact]
    public void EncodeMask_BoxOutsideFrame_ThrowsNamingBox()
    {
        var resampler = new NearestResampler();
        resampler.Configure(4, 3, 8, 6);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ScaledRleEncoder(resampler).EncodeMask<byte>(new byte[12], 4, 1, new PixelBox(6, 0, 4, 2)));
        Assert.StartsWith("Box (x 6, y 0, w 4, h 2) is not inside the 8x6 frame.", e.Message);
    }

    [Fact]
    public void EncodeLabels_BeforeConfigure_ThrowsSayingWhatToDo()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new ScaledRleEncoder(new NearestResampler()).EncodeLabels(new byte[4], 2));
        Assert.Equal("Configure the resampler with the model and frame sizes before encoding.", e.Message);
    }
}
