using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Node.Pipeline;
using DrivePerception.Node.Recording;
using DrivePerception.Recording.Drives;
using DrivePerception.Recording.Mcap;

namespace DrivePerception.Node.Tests.Recording;

[Collection(RecordingCollection.Name)]
public sealed class DriveRecordingSinkTests
{
    [Fact]
    public void OfferFrame_DiskStalled_DropsAndCountsInsteadOfWaiting()
    {
        var disk = new StallingStream();
        var sink = new DriveRecordingSink(new DriveRecorder(disk, leaveOpen: true), new DriveRecordingOptions { MaxPendingFrames = 1, QueueCapacity = 8 });
        using var frame = PaletteClip.Draw(0);
        disk.Stall();

        // Frame 0 reaches the recorder thread, which then waits on the stalled disk; frame 1 finds no room.
        sink.OfferFrame(frame, 0, 0, 1);
        sink.OfferFrame(frame, 1, 66_000_000, 2);
        for (int i = 0; i < 20; i++)
            new WireEncoder(sink).Publish(TopicRegistry.Lanes, new LaneMessage { Header = new() { Sequence = i, SourceTimeNs = i }, Valid = false, Reason = "test" });
        disk.Resume();
        var stats = sink.Complete();

        Assert.Equal(1, stats.FramesRecorded);
        Assert.Equal(1, stats.FramesDropped);
        Assert.True(stats.MessagesDropped >= 12, stats.ToString());
        Assert.Equal(20, stats.MessagesDropped + stats.MessagesRecorded - stats.FramesRecorded - Overlays(disk));
        Assert.Contains("dropped 1 frame(s)", stats.ToString());
        sink.Dispose();
    }

    [Fact]
    public void Accept_StatusBeforeAnyFrame_StampedWithTheFirstFrameTime()
    {
        var disk = new StallingStream();
        var sink = new DriveRecordingSink(new DriveRecorder(disk, leaveOpen: true), new DriveRecordingOptions());
        using var frame = PaletteClip.Draw(0);
        var source = new FakeRecordingSource();
        sink.AttachSource(source);

        new WireEncoder(sink).Publish(TopicRegistry.Status, new StatusMessage { Sequence = 0, Health = "ok" });
        sink.OfferFrame(frame, 0, 5_000_000, 1);
        sink.Complete();
        sink.Dispose();
        disk.Position = 0;
        using var reader = new McapReader(disk, leaveOpen: true);

        var messages = reader.ReadMessages().ToList();
        var image = messages.Single(m => m.Channel.Topic == DriveChannels.CameraImage("front"));
        var status = messages.Single(m => m.Channel.Topic == "/perception/status");
        Assert.Equal(image.LogTime, status.LogTime);
    }

    private static long Overlays(StallingStream disk)
    {
        disk.Position = 0;
        using var reader = new McapReader(disk, leaveOpen: true);
        return reader.ReadMessages().LongCount(m => m.Channel.Topic == DriveChannels.Overlay);
    }

    /// <summary>A memory stream whose writes wait while it is stalled, as a full or slow disk would.</summary>
    private sealed class StallingStream : MemoryStream
    {
        private readonly ManualResetEventSlim _open = new(true);

        public void Stall() => _open.Reset();

        public void Resume() => _open.Set();

        public override void Write(byte[] buffer, int offset, int count)
        {
            _open.Wait();
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _open.Wait();
            base.Write(buffer);
        }
    }

    /// <summary>A file source as far as the recorder's clock cares: not live, not a recording.</summary>
    private sealed class FakeRecordingSource : DrivePerception.Vision.Sources.IFrameSource
    {
        public string Description => "fake";
        public double NominalFps => 15;
        public bool IsLive => false;
        public DrivePerception.Vision.Sources.SourceState State => DrivePerception.Vision.Sources.SourceState.Streaming;
        public long Reconnects => 0;
        public DrivePerception.Vision.Sources.FrameRead Read(CancellationToken ct) => throw new NotSupportedException();
        public void Dispose() { }
    }
}
