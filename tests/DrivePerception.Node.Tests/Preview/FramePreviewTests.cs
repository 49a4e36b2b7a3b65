using DrivePerception.Core.Frames;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Dashboard.Preview;
using DrivePerception.Node.Preview;
using OpenCvSharp;

namespace DrivePerception.Node.Tests.Preview;

/// <summary>The preview joins an offered frame with its three messages, draws it on its own thread, and never waits on a skipped frame.</summary>
public sealed class FramePreviewTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static T Message<T>(long seq, string camera = "front") where T : PerceptionMessage, new() => new()
    {
        Header = new FrameHeader { CameraId = camera, Sequence = seq, Width = 640, Height = 480 }, Valid = true,
    };

    private static void All(FramePreview preview, long seq)
    {
        preview.Accept(TopicRegistry.Lanes, Message<LaneMessage>(seq), default);
        preview.Accept(TopicRegistry.Vehicles, Message<InstanceMessage>(seq), default);
        preview.Accept(TopicRegistry.Pedestrians, Message<InstanceMessage>(seq), default);
    }

    private static PreviewImage WaitFor(PreviewStore store, long seq)
    {
        var until = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < until)
        {
            if (store.Latest("front") is { } p && p.Sequence == seq) return p;
            Thread.Sleep(20);
        }
        throw new TimeoutException($"no preview of frame {seq} within {Patience.TotalSeconds} s");
    }

    [Fact]
    public void Accept_AllThreeMessagesOfTheOfferedFrame_StoresASmallJpeg()
    {
        var store = new PreviewStore();
        using var preview = new FramePreview(2, store);
        using var frame = new Mat(480, 640, MatType.CV_8UC3, new Scalar(10, 20, 30));

        preview.Offer("front", 3, frame, MonotonicClock.NowNs());
        All(preview, 3);

        var image = WaitFor(store, 3);
        Assert.Equal((FramePreview.Width, 240), (image.Width, image.Height));
        using var decoded = Cv2.ImDecode(image.Jpeg, ImreadModes.Color);
        Assert.Equal(FramePreview.Width, decoded.Width);
    }

    [Fact]
    public void IsDue_AfterAnOffer_NotUntilTheIntervalPassesOrTheFrameIsSkipped()
    {
        var store = new PreviewStore();
        using var preview = new FramePreview(0.5, store); // every 2 s
        using var frame = new Mat(48, 64, MatType.CV_8UC3, Scalar.All(0));
        long now = MonotonicClock.NowNs();

        Assert.True(preview.IsDue("front", now));
        preview.Offer("front", 0, frame, now);
        Assert.False(preview.IsDue("front", now + 3_000_000_000)); // its messages have not come yet

        // The pipeline skipped frame 0 (a later frame's message came first): the next frame is due at once.
        preview.Accept(TopicRegistry.Lanes, Message<LaneMessage>(1), default);
        Assert.True(preview.IsDue("front", now + 1));
        Assert.Null(store.Latest("front"));

        preview.Offer("front", 2, frame, now + 2);
        All(preview, 2);
        WaitFor(store, 2);
        Assert.False(preview.IsDue("front", now + 1_000_000_000));
        Assert.True(preview.IsDue("front", now + 2_000_000_003));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(10.5)]
    public void Constructor_RateOutOfRange_Throws(double hz) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FramePreview(hz, new PreviewStore()));
}
