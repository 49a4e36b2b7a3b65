using DrivePerception.Core.Messages;
using DrivePerception.Node.Pipeline;
using DrivePerception.Vision.Sources;
using OpenCvSharp;

namespace DrivePerception.Node.Tests.Pipeline;

public class CaptureLoopTests
{
    /// <summary>A camera that delivers a few frames, then loses its device until the test lets it come back.</summary>
    private sealed class FlakyCamera(int framesBeforeLoss) : IFrameSource
    {
        private int _index;
        public ManualResetEventSlim Lost { get; } = new();
        public ManualResetEventSlim Back { get; } = new();
        public string Description => "fake camera";
        public double NominalFps => 30;
        public bool IsLive => true;
        public SourceState State { get; private set; } = SourceState.Starting;
        public long Reconnects { get; private set; }

        public FrameRead Read(CancellationToken ct)
        {
            if (_index == framesBeforeLoss && !Back.IsSet)
            {
                State = SourceState.Reconnecting;
                Reconnects++;
                Lost.Set();
                Back.Wait(ct);
            }
            State = SourceState.Streaming;
            Thread.Sleep(5);
            return FrameRead.Decoded(new Mat(6, 8, MatType.CV_8UC3), _index++, -1, Core.Frames.MonotonicClock.NowNs());
        }

        public void Dispose() { }
    }

    [Fact]
    public void State_CameraLost_ReportsReconnectingAndCountsReconnects()
    {
        var camera = new FlakyCamera(3);
        using var slot = new NewestFrameSlot<CapturedFrame>(SlotMode.DropOldest);
        using var loop = new CaptureLoop(camera, slot, "front", maxFrames: 6);
        loop.Start();
        Assert.True(camera.Lost.Wait(TimeSpan.FromSeconds(30)), "the fake camera never got to lose its device");
        Assert.Equal("reconnecting", loop.State);
        Assert.Equal(1, loop.Reconnects);
        camera.Back.Set();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (loop.State == "reconnecting" && DateTime.UtcNow < deadline) Thread.Sleep(5);
        Assert.NotEqual("reconnecting", loop.State);
    }

    [Fact]
    public void Heartbeat_WhileReconnecting_IsDegradedWithTheReason()
    {
        var camera = new FlakyCamera(2);
        using var slot = new NewestFrameSlot<CapturedFrame>(SlotMode.DropOldest);
        using var loop = new CaptureLoop(camera, slot, "front", maxFrames: 4);
        loop.Start();
        Assert.True(camera.Lost.Wait(TimeSpan.FromSeconds(30)));
        var heartbeat = new StatusHeartbeat("camera:0", 100, [], TimeSpan.FromSeconds(1));
        var status = heartbeat.Beat(loop, new PipelineCounters(), new LatencyWindow(), failing: false, final: false);
        Assert.Equal("degraded", status.Health);
        Assert.Equal("reconnecting", status.SourceState);
        Assert.Equal("camera lost, reconnecting", status.Message);
        Assert.Equal(1, status.Reconnects);
        camera.Back.Set();
    }
}
