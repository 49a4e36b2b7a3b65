using DrivePerception.Node.Hosting;
using DrivePerception.Node.Recording;
using DrivePerception.Vision.Sources;

namespace DrivePerception.Node.Tests.Recording;

/// <summary>The <see cref="IFrameSource"/> contract for a recorded drive (<see cref="McapFrameSource"/>).</summary>
[Collection(RecordingCollection.Name)]
public sealed class McapFrameSourceContractTests : CorruptibleFrameSourceContractTests, IDisposable
{
    private readonly TempFolder _scratch = new("mcap-contract");

    protected override int FrameCount => 4;

    protected override IFrameSource Open() => OpenDrive();

    protected override IFrameSource OpenWithCorruptSecondFrame() => OpenDrive(1);

    private IFrameSource OpenDrive(params int[] corrupt)
    {
        var path = PaletteClip.WriteDrive(_scratch.File("drive.mcap"), FrameCount, fps: 20, 1_700_000_000_000_000_000, 50_000_000, corrupt);
        return FrameSourceRegistry.ForNode().Open(path, new FrameSourceOptions());
    }

    public void Dispose() => _scratch.Dispose();
}
