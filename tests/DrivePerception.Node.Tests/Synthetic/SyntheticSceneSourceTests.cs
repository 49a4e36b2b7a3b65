using DrivePerception.Node.Hosting;
using DrivePerception.Node.Synthetic;
using DrivePerception.Synthetic;
using DrivePerception.Vision.Sources;
using OpenCvSharp;

namespace DrivePerception.Node.Tests.Synthetic;

public class SyntheticSceneSourceTests
{
    [Fact]
    public void Open_SyntheticScenario_RendersTheFramesSynthRenders()
    {
        using var source = FrameSourceRegistry.ForNode().Open("synthetic:empty-road", new FrameSourceOptions());
        var first = source.Read(CancellationToken.None);
        var second = source.Read(CancellationToken.None);

        Assert.Equal(FrameReadStatus.Frame, first.Status);
        Assert.Equal((0L, 1L), (first.Index, second.Index));
        Assert.Equal(new Size(480, 360), first.Frame!.Size());
        Assert.Equal((long)Math.Round(1e9 / 15), second.SourceTimeNs);
        // synth's defaults: seed 1, 150 frames at 15 fps.
        using var renderer = new SceneRenderer(SyntheticScenario.EmptyRoad, new SceneSettings { Seed = 1, FrameCount = SyntheticSceneSource.FrameCount, Fps = 15,
            Calibration = Vision.Calibration.CameraCalibration.Load(ProductPaths.Under("calibration", "synthetic-480x360.yaml")) });
        using var expected = renderer.Render(1);
        Assert.Equal(0, Cv2.Norm(expected.Image, second.Frame!, NormTypes.L1));
        first.Frame!.Dispose();
        second.Frame!.Dispose();
    }

    [Fact]
    public void Open_UnknownScenario_NamesTheValidOnes()
    {
        var e = Assert.Throws<FrameSourceException>(() => FrameSourceRegistry.ForNode().Open("synthetic:moon-base", new FrameSourceOptions()));

        Assert.Contains("cruising", e.Message);
        Assert.DoesNotContain("(Parameter", e.Message);
    }

    [Fact]
    public void Resolve_OtherSpec_LeavesItToTheNextResolver()
    {
        Assert.Null(SyntheticSceneSource.Resolve("drive.mp4", new FrameSourceOptions()));
    }
}
