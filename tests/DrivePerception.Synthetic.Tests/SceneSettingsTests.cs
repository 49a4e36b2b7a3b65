using DrivePerception.Vision.Calibration;

namespace DrivePerception.Synthetic.Tests;

public class SceneSettingsTests
{
    [Fact]
    public void Defaults_AreCamVidLike()
    {
        var settings = new SceneSettings();

        Assert.Equal(15, settings.Fps);
        Assert.Equal(new OpenCvSharp.Size(480, 360), settings.Calibration.ImageSize);
        settings.Validate();
    }

    [Fact]
    public void Constructor_ZeroFrames_ThrowsWithRange()
    {
        var e = Assert.Throws<ArgumentException>(() => new SceneRenderer(SyntheticScenario.EmptyRoad, new SceneSettings { FrameCount = 0 }));

        Assert.Contains("FrameCount is 0", e.Message);
    }

    [Fact]
    public void Constructor_DistortedCalibration_ThrowsSayingHowToFix()
    {
        var distorted = VirtualCamera.Default.WithDistortion(new LensDistortion(-0.2, 0, 0, 0, 0));

        var e = Assert.Throws<ArgumentException>(() => new SceneRenderer(SyntheticScenario.EmptyRoad, new SceneSettings { Calibration = distorted }));

        Assert.Contains("WithDistortion(LensDistortion.None)", e.Message);
    }

    [Fact]
    public void Render_IndexPastTheRun_ThrowsNamingTheRange()
    {
        using var renderer = new SceneRenderer(SyntheticScenario.EmptyRoad, new SceneSettings { FrameCount = 3 });

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => renderer.Render(3));

        Assert.Contains("0..2", e.Message);
    }
}
