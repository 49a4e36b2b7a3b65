using DrivePerception.Core.Frames;

namespace DrivePerception.Core.Tests.Frames;

public class FrameHeaderTests
{
    [Fact]
    public void AddStage_RecordsDurationsInOrder()
    {
        var h = new FrameHeader();
        h.AddStage(StageNames.Capture, 1_000_000, 3_000_000);
        h.AddStage(StageNames.Infer, 3_000_000, 10_500_000);
        Assert.Equal([StageNames.Capture, StageNames.Infer], h.Stages.Select(s => s.Stage));
        Assert.Equal(2.0, h.StageMs(StageNames.Capture));
        Assert.Equal(7.5, h.StageMs(StageNames.Infer));
        Assert.Null(h.StageMs(StageNames.Encode));
    }

    [Fact]
    public void Clone_StagesAreIndependent()
    {
        var h = new FrameHeader { CameraId = "front", Sequence = 4 };
        h.AddStage(StageNames.Capture, 0, 1);
        var c = h.Clone();
        c.AddStage(StageNames.Encode, 1, 2);
        Assert.Single(h.Stages);
        Assert.Equal(2, c.Stages.Count);
        Assert.Equal("front", c.CameraId);
        Assert.Equal(4, c.Sequence);
    }

    [Fact]
    public void MonotonicClock_NeverGoesBackwards()
    {
        long prev = MonotonicClock.NowNs();
        for (int i = 0; i < 1000; i++)
        {
            long now = MonotonicClock.NowNs();
            Assert.True(now >= prev);
            prev = now;
        }
    }
}
