using DrivePerception.Vision.Sources;

namespace DrivePerception.TestSupport;

/// <summary>
/// The contract of <see cref="FrameSourceContractTests"/> plus what a source over stored frames owes when one of them
/// does not decode: it reports that frame as <see cref="FrameReadStatus.Corrupt"/> with its index and a reason, and
/// the next frame still comes (a bad frame on disk must not end a drive, nor look like an empty one).
/// Derived by the kinds whose input a test can damage (image sequences, recorded drives).
/// </summary>
public abstract class CorruptibleFrameSourceContractTests : FrameSourceContractTests
{
    /// <summary>Opens a source of <see cref="FrameSourceContractTests.FrameCount"/> frames whose frame 1 does not decode.</summary>
    protected abstract IFrameSource OpenWithCorruptSecondFrame();

    [Fact]
    public void Read_CorruptSecondFrame_ReportedAsCorruptThenTheNextFrameComes()
    {
        using var source = OpenWithCorruptSecondFrame();

        var first = source.Read(CancellationToken.None);
        first.Frame?.Dispose();
        var corrupt = source.Read(CancellationToken.None);
        var next = source.Read(CancellationToken.None);
        using var nextFrame = next.Frame;

        Assert.Equal(FrameReadStatus.Frame, first.Status);
        Assert.Equal(FrameReadStatus.Corrupt, corrupt.Status);
        Assert.Equal(1, corrupt.Index);
        Assert.Null(corrupt.Frame);
        Assert.False(string.IsNullOrWhiteSpace(corrupt.Error), "a corrupt frame says why");
        Assert.Equal(FrameReadStatus.Frame, next.Status);
        Assert.Equal(2, next.Index);
        Assert.True(next.SourceTimeNs > first.SourceTimeNs);
    }
}
