using DrivePerception.Core.Topics;

namespace DrivePerception.Transport.Tests;

public class SequenceGapCounterTests
{
    [Fact]
    public void Observe_ConsecutiveNumbers_NoGap()
    {
        var gaps = new SequenceGapCounter();

        Assert.Equal([0L, 0L, 0L], new long[] { 5, 6, 7 }.Select(s => gaps.Observe("t", s)));
        Assert.Equal(0, gaps.TotalMissed);
    }

    [Fact]
    public void Observe_SkippedNumbers_CountsThemPerTopic()
    {
        var gaps = new SequenceGapCounter();
        gaps.Observe("a", 1);
        gaps.Observe("b", 1);

        Assert.Equal(3, gaps.Observe("a", 5));
        Assert.Equal(1, gaps.Observe("b", 3));
        Assert.Equal(3, gaps.Missed("a"));
        Assert.Equal(1, gaps.Missed("b"));
        Assert.Equal(4, gaps.TotalMissed);
    }

    [Fact]
    public void Observe_SequenceGoesBack_CountsRestartNotGap()
    {
        var gaps = new SequenceGapCounter();
        gaps.Observe("t", 100);

        Assert.Equal(0, gaps.Observe("t", 0));
        Assert.Equal(0, gaps.Observe("t", 1));
        Assert.Equal(1, gaps.Restarts);
        Assert.Equal(0, gaps.TotalMissed);
    }

    [Fact]
    public void Observe_Repeat_IsNoGap()
    {
        var gaps = new SequenceGapCounter();
        gaps.Observe("t", 4);

        Assert.Equal(0, gaps.Observe("t", 4));
        Assert.Equal(0, gaps.Restarts);
    }

    [Fact]
    public void Observe_ReceivedMessages_UseFrameAndHeartbeatSequences()
    {
        var gaps = new SequenceGapCounter();
        ReceivedMessage Lanes(long seq) => new(TopicRegistry.Lanes.Name, SampleMessages.Encode(SampleMessages.Lanes(seq)), 0);
        ReceivedMessage Status(long seq) => new(TopicRegistry.Status.Name, SampleMessages.Encode(SampleMessages.Status(seq)), 0);

        gaps.Observe(Lanes(10));
        gaps.Observe(Status(1));
        Assert.Equal(2, gaps.Observe(Lanes(13)));
        Assert.Equal(0, gaps.Observe(Status(2)));
    }
}
