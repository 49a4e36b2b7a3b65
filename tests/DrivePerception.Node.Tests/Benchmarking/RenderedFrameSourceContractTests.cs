using DrivePerception.Node.Benchmarking;
using DrivePerception.Synthetic;
using DrivePerception.Vision.Calibration;
using DrivePerception.Vision.Sources;

namespace DrivePerception.Node.Tests.Benchmarking;

/// <summary>The <see cref="IFrameSource"/> contract for `bench`'s pre-rendered cameras (<see cref="RenderedFrameSource"/>).</summary>
public sealed class RenderedFrameSourceContractTests : FrameSourceContractTests, IDisposable
{
    private readonly RenderedCameraFrames _frames = RenderedCameraFrames.Render(SyntheticScenario.Cruising,
        CameraCalibration.Load(Path.Combine(RepoPaths.Root, "calibration", "synthetic-480x360.yaml")), seed: 1, count: 3, CancellationToken.None);
    // One camera: the gate after the warm-up opens as soon as this source arrives at it.
    private readonly MeasurementGate _gate = new(1);

    protected override int FrameCount => 3;

    protected override IFrameSource Open() => new RenderedFrameSource(_frames, warmupFrames: 0, _gate, CancellationToken.None);

    public void Dispose()
    {
        _gate.Dispose();
        _frames.Dispose();
    }
}
