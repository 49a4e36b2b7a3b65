using DrivePerception.Node.Benchmarking;
using DrivePerception.Node.Tests.EndToEnd;
using DrivePerception.Synthetic;
using DrivePerception.Vision.Calibration;
using DrivePerception.Vision.Sources;
using OpenCvSharp;

namespace DrivePerception.Node.Tests.Benchmarking;

/// <summary>Pre-rendered frames handed to the capture loop without copies, and the gate after the warm-up.</summary>
public class RenderedFrameSourceTests
{
    private static RenderedCameraFrames Render(int seed, int count) => RenderedCameraFrames.Render(SyntheticScenario.Cruising,
        CameraCalibration.Load(Path.Combine(RepoPaths.Root, "calibration", "synthetic-480x360.yaml")), seed, count, CancellationToken.None);

    [Fact]
    public void Render_TwoSeeds_DistinctFramesOfTheCalibrationSize()
    {
        using var a = Render(seed: 1, count: 2);
        using var b = Render(seed: 2, count: 2);

        Assert.Equal(new Size(480, 360), a[0].Size());
        Assert.True(Cv2.Norm(a[0], a[1], NormTypes.L1) > 0, "consecutive frames of one camera differ");
        Assert.True(Cv2.Norm(a[0], b[0], NormTypes.L1) > 0, "cameras with different seeds differ");
    }

    [Fact]
    public void Read_EveryFrameThenEnd_HeadersOverTheRenderedPixels()
    {
        using var frames = Render(seed: 1, count: 3);
        using var gate = new MeasurementGate(1);
        using var source = new RenderedFrameSource(frames, warmupFrames: 0, gate, CancellationToken.None);

        for (int i = 0; i < 3; i++)
        {
            var read = source.Read(CancellationToken.None);
            Assert.Equal(FrameReadStatus.Frame, read.Status);
            Assert.Equal(i, read.Index);
            Assert.True(read.CaptureMonoNs > 0);
            Assert.Equal(frames[i].Data, read.Frame!.Data);
            read.Frame.Dispose();
            Assert.False(frames[i].IsDisposed);
            Assert.Equal(new Size(480, 360), frames[i].Size());
        }
        Assert.Equal(FrameReadStatus.Ended, source.Read(CancellationToken.None).Status);
        Assert.Equal(SourceState.Ended, source.State);
    }

    [Fact]
    public void Read_FirstMeasuredFrame_OpensTheGateOnlyThen()
    {
        using var frames = Render(seed: 1, count: 2);
        using var gate = new MeasurementGate(1);
        using var source = new RenderedFrameSource(frames, warmupFrames: 1, gate, CancellationToken.None);

        source.Read(CancellationToken.None).Frame!.Dispose();
        Assert.Equal(0, gate.StartNs);
        source.Read(CancellationToken.None).Frame!.Dispose();

        Assert.True(gate.StartNs > 0);
    }

    [Fact]
    public void Read_OtherCameraNeverArrives_BenchStopReleasesTheGate()
    {
        using var frames = Render(seed: 1, count: 1);
        using var gate = new MeasurementGate(2);
        using var stop = new CancellationTokenSource();
        using var source = new RenderedFrameSource(frames, warmupFrames: 0, gate, stop.Token);
        stop.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => source.Read(CancellationToken.None));
    }
}
