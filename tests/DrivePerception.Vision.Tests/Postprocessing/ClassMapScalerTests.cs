using DrivePerception.Vision.Postprocessing;
using OpenCvSharp;

namespace DrivePerception.Vision.Tests.Postprocessing;

public sealed class ClassMapScalerTests
{
    private static readonly byte[] Map3x2 = [0, 1, 2, 3, 3, 4];

    [Fact]
    public void Encode_TwiceTheSize_EachClassBecomesA2x2Block()
    {
        using var scaler = new ClassMapScaler();
        var rle = scaler.Encode(Map3x2, 3, 2, 6, 4);
        Assert.Equal((6, 4), (rle.Width, rle.Height));
        byte[] expected =
        [
            0, 0, 1, 1, 2, 2,
            0, 0, 1, 1, 2, 2,
            3, 3, 3, 3, 4, 4,
            3, 3, 3, 3, 4, 4,
        ];
        Assert.Equal(expected, rle.Decode());
    }

    [Fact]
    public void Scale_RepeatedCalls_ReuseOneMatAtFrameSize()
    {
        using var scaler = new ClassMapScaler();
        var first = scaler.Scale(Map3x2, 3, 2, 6, 4);
        var second = scaler.Scale([5, 5, 5, 5, 5, 5], 3, 2, 6, 4);
        Assert.Same(first, second);
        Assert.Equal(new Size(6, 4), second.Size());
        Assert.Equal(MatType.CV_8UC1, second.Type());
        Assert.All(second.AsSpan<byte>().ToArray(), v => Assert.Equal(5, v));
    }

    [Fact]
    public void Encode_NonIntegerScale_MatchesResampler()
    {
        var map = new byte[480 * 360];
        new Random(7).NextBytes(map);
        for (int i = 0; i < map.Length; i++) map[i] %= 12;
        using var scaler = new ClassMapScaler();
        var resampler = new NearestResampler();
        resampler.Configure(480, 360, 1280, 720);
        var expected = new byte[1280 * 720];
        resampler.Resample(map, 480, expected, 1280);

        Assert.Equal(expected, scaler.Encode(map, 480, 360, 1280, 720).Decode());
    }

    [Fact]
    public void Scale_WrongLength_ThrowsWithContract()
    {
        using var scaler = new ClassMapScaler();
        var e = Assert.Throws<InvalidDataException>(() => scaler.Scale(new byte[5], 3, 2, 6, 4));
        Assert.Equal("The class map has 5 values; a 3x2 model output has 6 (docs/MODEL-CONTRACT.md).", e.Message);
    }
}
