using DrivePerception.Vision.Sources;

namespace DrivePerception.Vision.Tests.Sources;

public sealed class CameraSourceTests
{
    private static FrameSourceOptions FastRetry(TimeSpan? giveUp = null) => new()
    {
        ReconnectInitialDelay = TimeSpan.FromMilliseconds(5),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(20),
        ReconnectGiveUpAfter = giveUp,
    };

    [Fact]
    public void Ctor_DeviceDoesNotOpen_ThrowsWithReasonAndDisposesDevice()
    {
        var device = new FakeCameraDevice { OpenByDefault = false };
        var e = Assert.Throws<FrameSourceException>(() => new CameraSource("camera:7", device, FastRetry()));
        Assert.Equal("Camera 'camera:7' cannot be opened: /dev/fake0 is unplugged. Or give a video file or an image pattern like 'frames/*.png'.", e.Message);
        Assert.True(device.Disposed);
    }

    [Fact]
    public void Read_Streaming_FramesWithIndicesAndDeviceTimes()
    {
        using var source = new CameraSource("camera:0", new FakeCameraDevice(), FastRetry());
        Assert.True(source.IsLive);
        Assert.Equal(30, source.NominalFps);
        Assert.Equal(SourceState.Starting, source.State);
        for (int i = 0; i < 3; i++)
        {
            var read = source.Read(CancellationToken.None);
            Assert.Equal(FrameReadStatus.Frame, read.Status);
            Assert.Equal(i, read.Index);
            Assert.Equal((i + 1) * 10_000_000L, read.SourceTimeNs);
            Assert.Equal(i + 1, read.Frame!.Mean().Val0, 1e-9);
            read.Frame.Dispose();
        }
        Assert.Equal(SourceState.Streaming, source.State);
        Assert.Equal(0, source.Reconnects);
    }

    [Fact]
    public void Read_CameraDisappears_ReconnectsCountsAttemptsAndStreamsAgain()
    {
        var device = new FakeCameraDevice { FramesPerConnection = 2 };
        using var source = new CameraSource("camera:0", device, FastRetry());
        var statesDuringOpen = new List<SourceState>();
        device.OnOpen = () => statesDuringOpen.Add(source.State);
        for (int i = 0; i < 2; i++) source.Read(CancellationToken.None).Frame!.Dispose();
        device.OpenResults.Enqueue(false);
        device.OpenResults.Enqueue(false);
        device.OpenResults.Enqueue(true);

        var read = source.Read(CancellationToken.None);

        Assert.Equal(FrameReadStatus.Frame, read.Status);
        Assert.Equal(2, read.Index);
        read.Frame!.Dispose();
        Assert.Equal(3, source.Reconnects);
        Assert.Equal(1, device.CloseCalls);
        Assert.Equal([SourceState.Reconnecting, SourceState.Reconnecting, SourceState.Reconnecting], statesDuringOpen);
        Assert.Equal(SourceState.Streaming, source.State);
    }

    [Fact]
    public void Read_CameraGoneLongerThanGiveUp_FailsWithMessageAndStaysFailed()
    {
        var device = new FakeCameraDevice { FramesPerConnection = 1 };
        using var source = new CameraSource("camera:3", device, FastRetry(giveUp: TimeSpan.FromMilliseconds(60)));
        source.Read(CancellationToken.None).Frame!.Dispose();
        device.OpenByDefault = false;

        var e = Assert.Throws<FrameSourceException>(() => source.Read(CancellationToken.None));

        Assert.StartsWith("Camera 'camera:3' disappeared and did not come back within 0.1 s (", e.Message);
        Assert.EndsWith(" attempts): /dev/fake0 is unplugged. Check the cable and restart the node.", e.Message);
        Assert.Equal(SourceState.Failed, source.State);
        Assert.True(source.Reconnects >= 2);
        Assert.Equal(e.Message, Assert.Throws<FrameSourceException>(() => source.Read(CancellationToken.None)).Message);
    }

    [Fact]
    public void Read_CancelledWhileWaitingToReconnect_ThrowsOperationCanceled()
    {
        var device = new FakeCameraDevice { FramesPerConnection = 0 };
        var options = new FrameSourceOptions { ReconnectInitialDelay = TimeSpan.FromSeconds(30), ReconnectMaxDelay = TimeSpan.FromSeconds(30) };
        using var source = new CameraSource("camera:0", device, options);
        using var cts = new CancellationTokenSource();
        var reading = Task.Run(() => source.Read(cts.Token));
        Assert.True(SpinWait.SpinUntil(() => source.State == SourceState.Reconnecting, TimeSpan.FromSeconds(10)), "the source never noticed the camera was gone");
        cts.Cancel();
        // A hang here would mean the back-off wait ignores cancellation; 10 s is a guard, not a speed limit.
        Assert.True(((IAsyncResult)reading).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10)), "Read did not return after cancellation");
        Assert.IsAssignableFrom<OperationCanceledException>(reading.Exception?.InnerException);
        Assert.Equal(SourceState.Reconnecting, source.State);
        Assert.Equal(0, source.Reconnects);
    }

    [Fact]
    public void Dispose_DisposesDevice()
    {
        var device = new FakeCameraDevice();
        new CameraSource("camera:0", device, FastRetry()).Dispose();
        Assert.True(device.Disposed);
    }

    [Theory]
    [InlineData("camera:0", 0)]
    [InlineData("camera:12", 12)]
    [InlineData("CAMERA:2", 2)]
    [InlineData("/dev/video4", 4)]
    public void ParseIndex_ValidSpec_ReturnsIndex(string spec, int index) => Assert.Equal(index, CameraSource.ParseIndex(spec));

    [Theory]
    [InlineData("camera:")]
    [InlineData("camera:front")]
    [InlineData("camera:-1")]
    [InlineData("/dev/videoX")]
    public void ParseIndex_InvalidSpec_ThrowsWithForm(string spec)
    {
        var e = Assert.Throws<FrameSourceException>(() => CameraSource.ParseIndex(spec));
        Assert.Equal($"Camera '{spec}' is not a valid camera: use camera:N (N the V4L2 index, camera:0 is /dev/video0) or /dev/videoN.", e.Message);
    }
}
