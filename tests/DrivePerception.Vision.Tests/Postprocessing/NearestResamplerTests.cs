using DrivePerception.Core.Masks;
using DrivePerception.Vision.Postprocessing;

namespace DrivePerception.Vision.Tests.Postprocessing;

public sealed class NearestResamplerTests
{
    [Theory]
    [InlineData(512, 192, 1640, 590)]
    [InlineData(480, 360, 1920, 1080)]
    [InlineData(480, 360, 1280, 720)]
    [InlineData(7, 5, 13, 11)]
    [InlineData(20, 10, 7, 4)]
    public void Resample_AnySizes_TakesTheSourcePixelUnderEachTargetCentre(int sw, int sh, int tw, int th)
    {
        var source = new byte[sw * sh];
        new Random(sw * 31 + th).NextBytes(source);
        var target = new byte[tw * th];
        var resampler = new NearestResampler();
        resampler.Configure(sw, sh, tw, th);

        resampler.Resample(source, sw, target, tw);

        for (int y = 0; y < th; y++)
            for (int x = 0; x < tw; x++)
            {
                int sx = Math.Min(sw - 1, (int)Math.Floor((x + 0.5) * sw / tw));
                int sy = Math.Min(sh - 1, (int)Math.Floor((y + 0.5) * sh / th));
                if (target[y * tw + x] != source[sy * sw + sx]) Assert.Fail($"target ({x}, {y}) should take source ({sx}, {sy})");
            }
    }

    [Fact]
    public void TargetBox_TwiceTheSize_DoublesTheBox()
    {
        var resampler = new NearestResampler();
        resampler.Configure(100, 80, 200, 160);
        Assert.Equal(new PixelBox(20, 40, 10, 12), resampler.TargetBox(new PixelBox(10, 20, 5, 6)));
        Assert.Equal(new PixelBox(0, 0, 200, 160), resampler.TargetBox(new PixelBox(0, 0, 100, 80)));
    }

    [Fact]
    public void TargetBox_DownscaledThinBox_NeverEmpty()
    {
        var resampler = new NearestResampler();
        resampler.Configure(100, 100, 10, 10);
        // Source column 3 is under no target centre (target 0 takes 5, nothing takes 0..4).
        var box = resampler.TargetBox(new PixelBox(3, 3, 1, 1));
        Assert.Equal(1, box.Width);
        Assert.Equal(1, box.Height);
    }

    [Fact]
    public void TargetXY_PixelCentresAligned()
    {
        var resampler = new NearestResampler();
        resampler.Configure(512, 192, 1640, 590);
        Assert.Equal(-0.5f, resampler.TargetX(-0.5f), 4);
        Assert.Equal(1639.5f, resampler.TargetX(511.5f), 3);
        Assert.Equal((100 + 0.5f) * 590f / 192f - 0.5f, resampler.TargetY(100), 3);
    }

    [Fact]
    public void Configure_NonPositiveSize_ThrowsNamingSizes()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new NearestResampler().Configure(512, 192, 0, 590));
        Assert.StartsWith("The frame size must be positive, got 0x590.", e.Message);
    }

    [Fact]
    public void Resample_BeforeConfigure_ThrowsSayingWhatToCall()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new NearestResampler().Resample(new byte[4], 2, new byte[4], 2));
        Assert.Equal("Call Configure with the model and frame sizes before Resample.", e.Message);
    }
}
