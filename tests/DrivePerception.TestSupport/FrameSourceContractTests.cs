using DrivePerception.Vision.Sources;
using OpenCvSharp;

namespace DrivePerception.TestSupport;

/// <summary>
/// The behaviour every <see cref="IFrameSource"/> owes the capture loop, run once per source kind (in the manner of
/// dotnet/runtime's ChannelTestBase): a derived class opens its kind over a known, finite set of frames, and inherits
/// these tests. What is particular to one kind (decoding, pacing, reconnects, corrupt inputs it can be given) stays
/// in that kind's own test class.
/// </summary>
public abstract class FrameSourceContractTests
{
    /// <summary>Opens a fresh source of the kind under test, not paced (it reads as fast as it is asked).</summary>
    protected abstract IFrameSource Open();

    /// <summary>How many frames <see cref="Open"/>'s source delivers before it ends (at least 2).</summary>
    protected abstract int FrameCount { get; }

    [Fact]
    public void Open_Fresh_StartingNotLiveWithDescriptionAndFps()
    {
        using var source = Open();

        Assert.Equal(SourceState.Starting, source.State);
        Assert.False(string.IsNullOrWhiteSpace(source.Description));
        Assert.False(source.IsLive);
        Assert.Equal(0, source.Reconnects);
        Assert.True(source.NominalFps > 0, $"nominal fps {source.NominalFps}: a file source knows its rate");
    }

    [Fact]
    public void Read_ToTheEnd_EveryFrameInOrderThenEnded()
    {
        using var source = Open();
        long lastTimeNs = -1, lastCaptureNs = 0;

        for (int i = 0; i < FrameCount; i++)
        {
            var read = source.Read(CancellationToken.None);
            Assert.Equal(FrameReadStatus.Frame, read.Status);
            using var frame = read.Frame!;
            Assert.Equal(i, read.Index);
            Assert.True(read.SourceTimeNs > lastTimeNs, $"frame {i}: source time {read.SourceTimeNs} ns after {lastTimeNs} ns");
            Assert.True(read.CaptureMonoNs >= lastCaptureNs && read.CaptureMonoNs > 0, $"frame {i}: capture time {read.CaptureMonoNs} ns");
            Assert.False(frame.Empty());
            Assert.Equal(MatType.CV_8UC3, frame.Type());
            Assert.Null(read.Error);
            Assert.Equal(SourceState.Streaming, source.State);
            (lastTimeNs, lastCaptureNs) = (read.SourceTimeNs, read.CaptureMonoNs);
        }

        var end = source.Read(CancellationToken.None);
        Assert.Equal(FrameReadStatus.Ended, end.Status);
        Assert.Null(end.Frame);
        Assert.Equal(FrameCount, end.Index);
        Assert.Equal(SourceState.Ended, source.State);
    }

    [Fact]
    public void Read_AfterTheEnd_EndsAgain()
    {
        using var source = Open();
        for (int i = 0; i < FrameCount; i++) source.Read(CancellationToken.None).Frame?.Dispose();
        Assert.Equal(FrameReadStatus.Ended, source.Read(CancellationToken.None).Status);

        var again = source.Read(CancellationToken.None);

        Assert.Equal(FrameReadStatus.Ended, again.Status);
        Assert.Null(again.Frame);
        Assert.Equal(SourceState.Ended, source.State);
    }

    [Fact]
    public void Read_CancelledToken_ThrowsOperationCanceled()
    {
        // The capture loop stops by cancelling its token: a source must not hand out a frame after that.
        using var source = Open();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => source.Read(cancelled.Token));
    }

    [Fact]
    public void Dispose_MidStreamWhileTheCallerHoldsAFrame_FrameStaysValid()
    {
        // The caller owns a frame it was handed: disposing the source (the node stops mid-drive) must not free it.
        var source = Open();
        var read = source.Read(CancellationToken.None);
        using var frame = read.Frame!;
        using var copy = frame.Clone();

        source.Dispose();

        Assert.Equal(0, Cv2.Norm(copy, frame, NormTypes.L1));
    }

    [Fact]
    public void Dispose_Twice_DoesNotThrow()
    {
        var source = Open();
        source.Read(CancellationToken.None).Frame?.Dispose();

        source.Dispose();
        source.Dispose();
    }
}
