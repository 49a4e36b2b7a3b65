using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;

namespace DrivePerception.Transport.Tests;

/// <summary>A subscriber that stops reading must never hold the node up; what it misses shows as sequence gaps.</summary>
public class SlowSubscriberTests
{
    private const int Messages = 10_000;

    [Fact]
    public void Publish_SubscriberNotReading_PublisherCompletesAndLossShowsAsGaps()
    {
        using var publisher = new PerceptionPublisher(new PublisherOptions { Endpoint = TestWire.EphemeralTcp, SendHighWatermark = 2 });
        using var subscriber = TestWire.Connect(publisher,
            new SubscriberOptions { Topics = [TopicRegistry.Vehicles.Name], ReceiveHighWatermark = 2 });
        var message = LargeVehicles();

        // ~16 KB each, 160 MB in all: far more than the socket buffers of a subscriber that does not read.
        var publishing = new Thread(() =>
        {
            for (int seq = 0; seq < Messages; seq++)
            {
                message.Header.Sequence = seq;
                publisher.Publish(TopicRegistry.Vehicles, message);
            }
        });
        publishing.Start();
        // A liveness bound, not a speed check: a blocking send would never finish.
        Assert.True(publishing.Join(TimeSpan.FromMinutes(2)), "Publishing to a subscriber that does not read blocked the publisher.");

        // NetMQ's PUB reports no drop to the sender (see PerceptionPublisher remarks); this pins that behaviour.
        Assert.True(publisher.PublishedMessages >= Messages);
        Assert.Equal(0, publisher.DroppedMessages);

        var gaps = new SequenceGapCounter();
        var seen = new HashSet<long>();
        bool markerSeen = false;
        var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!markerSeen && DateTime.UtcNow < giveUp)
        {
            // The marker is republished until it gets through, so the tail of the loss becomes a visible gap.
            message.Header.Sequence = Messages;
            publisher.Publish(TopicRegistry.Vehicles, message);
            while (subscriber.TryReceive(TimeSpan.FromMilliseconds(100), out var received))
            {
                long seq = received.As<InstanceMessage>().Header.Sequence;
                gaps.Observe(received.Topic, seq);
                if (seq == Messages) markerSeen = true;
                else seen.Add(seq);
            }
        }

        Assert.True(markerSeen, "The subscriber never received the marker after the backlog.");
        Assert.True(seen.Count < Messages, $"All {Messages} messages arrived: the test did not overrun the high-water mark.");
        Assert.Equal(Messages - seen.Count, gaps.TotalMissed);
        Assert.Equal(gaps.TotalMissed, gaps.Missed(TopicRegistry.Vehicles.Name));
    }

    private static InstanceMessage LargeVehicles()
    {
        const int side = 128;
        var box = new PixelBox(0, 0, side, side);
        var checkerboard = new byte[side * side];
        for (int i = 0; i < checkerboard.Length; i++) checkerboard[i] = (byte)((i + i / side) & 1);
        var message = SampleMessages.Vehicles(0);
        // A frame the box fits in: subscribers refuse masks larger than their frame (WireLimits).
        message.Header.Width = message.Header.Height = side;
        message.Instances = [new DetectedInstance { TrackId = 1, ClassName = "car", ClassId = 13, Score = 0.5f, Box = box,
            Mask = RleMask.Encode(checkerboard, side, side) }];
        return message;
    }
}
