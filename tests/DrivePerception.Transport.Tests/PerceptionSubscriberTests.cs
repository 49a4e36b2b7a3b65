using System.Text;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using NetMQ;
using NetMQ.Sockets;

namespace DrivePerception.Transport.Tests;

public class PerceptionSubscriberTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public void TryReceive_SubscribedToOneTopic_OnlyThatTopicArrives()
    {
        using var publisher = new PerceptionPublisher(new PublisherOptions { Endpoint = TestWire.EphemeralTcp });
        using var subscriber = TestWire.Connect(publisher, new SubscriberOptions { Topics = [TopicRegistry.Pedestrians.Name] });

        for (long seq = 1; seq <= 3; seq++)
            foreach (var topic in TopicRegistry.All)
                SampleMessages.Publish(publisher, topic, SampleMessages.For(topic, seq));

        // Wait generously for the three expected messages, then briefly for any that should not come.
        var received = new List<ReceivedMessage>();
        while (received.Count < 3 && subscriber.TryReceive(Wait, out var expected)) received.Add(expected);
        while (subscriber.TryReceive(TimeSpan.FromMilliseconds(300), out var extra)) received.Add(extra);
        Assert.Equal([TopicRegistry.Pedestrians.Name], received.Select(m => m.Topic).Distinct());
        Assert.Equal([1L, 2L, 3L], received.Select(m => m.As<InstanceMessage>().Header.Sequence));
    }

    [Fact]
    public void TryReceive_TopicSharingAPrefix_IsSkippedAndCounted()
    {
        var endpoint = TestWire.UniqueInproc();
        using var raw = new PublisherSocket();
        raw.Bind(endpoint);
        using var subscriber = new PerceptionSubscriber(new SubscriberOptions { Endpoint = endpoint, Topics = [TopicRegistry.Lanes.Name] });
        var lanes = WireCodec.Encode(SampleMessages.Lanes(8));

        raw.SendMoreFrame("perception/lanes_debug").SendFrame(lanes);
        raw.SendMoreFrame(TopicRegistry.Lanes.Name).SendFrame(lanes);

        Assert.True(subscriber.TryReceive(Wait, out var received));
        Assert.Equal(TopicRegistry.Lanes.Name, received.Topic);
        Assert.Equal(1, subscriber.IgnoredMessages);
    }

    [Fact]
    public void TryReceive_KeepLatest_ReturnsOnlyTheNewestPerTopic()
    {
        // inproc: a message is in the subscriber's pipe when Publish returns, so the first receive sees the whole batch.
        using var publisher = new PerceptionPublisher(new PublisherOptions { Endpoint = TestWire.UniqueInproc(), SendHighWatermark = 1000 });
        using var subscriber = TestWire.Connect(publisher, new SubscriberOptions { KeepLatest = true });
        long supersededBefore = subscriber.SupersededMessages;

        for (long seq = 1; seq <= 5; seq++) publisher.Publish(TopicRegistry.Lanes, SampleMessages.Lanes(seq));
        for (long seq = 1; seq <= 3; seq++) publisher.Publish(TopicRegistry.Vehicles, SampleMessages.Vehicles(seq));
        for (long seq = 1; seq <= 4; seq++) publisher.Publish(TopicRegistry.Status, SampleMessages.Status(seq));

        var handedOut = new List<(string Topic, long Seq)>();
        while (subscriber.TryReceive(TimeSpan.FromMilliseconds(300), out var message))
            handedOut.Add((message.Topic, message.Decode() switch
            {
                PerceptionMessage m => m.Header.Sequence,
                StatusMessage s => s.Sequence,
                _ => -1,
            }));

        Assert.Equal(
            [(TopicRegistry.Lanes.Name, 5L), (TopicRegistry.Vehicles.Name, 3L), (TopicRegistry.Status.Name, 4L)],
            handedOut);
        Assert.Equal(4 + 2 + 3, subscriber.SupersededMessages - supersededBefore);
    }

    [Fact]
    public void TryReceive_KeepLatest_NewerArrivalAfterTakeIsHandedOutToo()
    {
        using var publisher = new PerceptionPublisher(new PublisherOptions { Endpoint = TestWire.UniqueInproc() });
        using var subscriber = TestWire.Connect(publisher, new SubscriberOptions { KeepLatest = true, Topics = [TopicRegistry.Status.Name] });

        publisher.Publish(TopicRegistry.Status, SampleMessages.Status(1));
        Assert.True(subscriber.TryReceive(Wait, out var first));
        publisher.Publish(TopicRegistry.Status, SampleMessages.Status(2));
        Assert.True(subscriber.TryReceive(Wait, out var second));

        Assert.Equal(1, first.As<StatusMessage>().Sequence);
        Assert.Equal(2, second.As<StatusMessage>().Sequence);
    }

    [Fact]
    public void TryReceive_NothingPublished_ReturnsFalseAfterTimeout()
    {
        using var publisher = new PerceptionPublisher(new PublisherOptions { Endpoint = TestWire.UniqueInproc() });
        using var subscriber = new PerceptionSubscriber(new SubscriberOptions { Endpoint = publisher.Endpoint });

        Assert.False(subscriber.TryReceive(TimeSpan.FromMilliseconds(100), out var message));
        Assert.Null(message);
    }

    [Fact]
    public void As_CorruptPayloadOverTheWire_ThrowsNamingTheTopic()
    {
        var endpoint = TestWire.UniqueInproc();
        using var raw = new PublisherSocket();
        raw.Bind(endpoint);
        using var subscriber = new PerceptionSubscriber(new SubscriberOptions { Endpoint = endpoint });

        raw.SendMoreFrame(TopicRegistry.Vehicles.Name).SendFrame(Encoding.ASCII.GetBytes("not msgpack at all"));

        Assert.True(subscriber.TryReceive(Wait, out var received));
        var e = Assert.Throws<PayloadDecodeException>(() => received.As<InstanceMessage>());
        Assert.Equal(TopicRegistry.Vehicles.Name, e.Topic);
        Assert.StartsWith("Unreadable payload on perception/vehicles (18 bytes): not a valid InstanceMessage", e.Message);
    }

    [Fact]
    public void TryReceive_SingleFrameMessage_ThrowsNamingTheTopicAndStaysUsable()
    {
        var endpoint = TestWire.UniqueInproc();
        using var raw = new PublisherSocket();
        raw.Bind(endpoint);
        using var subscriber = new PerceptionSubscriber(new SubscriberOptions { Endpoint = endpoint });

        raw.SendFrame(TopicRegistry.Status.Name);
        raw.SendMoreFrame(TopicRegistry.Status.Name).SendFrame(WireCodec.Encode(SampleMessages.Status(3)));

        var e = Assert.Throws<PayloadDecodeException>(() => subscriber.TryReceive(Wait, out _));
        Assert.Equal("Message on perception/status has a single frame; the wire format is [topic][payload] (docs/WIRE.md).", e.Message);
        Assert.True(subscriber.TryReceive(Wait, out var next));
        Assert.Equal(3, next.As<StatusMessage>().Sequence);
    }

    [Fact]
    public void TryReceive_ThreeFrameMessage_ThrowsAndSkipsTheExtraFrames()
    {
        var endpoint = TestWire.UniqueInproc();
        using var raw = new PublisherSocket();
        raw.Bind(endpoint);
        using var subscriber = new PerceptionSubscriber(new SubscriberOptions { Endpoint = endpoint });
        var status = WireCodec.Encode(SampleMessages.Status(4));

        raw.SendMoreFrame(TopicRegistry.Status.Name).SendMoreFrame(status).SendFrame("extra");
        raw.SendMoreFrame(TopicRegistry.Status.Name).SendFrame(status);

        var e = Assert.Throws<PayloadDecodeException>(() => subscriber.TryReceive(Wait, out _));
        Assert.Contains("Message on perception/status has 3 frames", e.Message);
        Assert.True(subscriber.TryReceive(Wait, out var next));
        Assert.Equal(4, next.As<StatusMessage>().Sequence);
    }

    [Fact]
    public void TryReceive_GarbageBetweenGoodMessages_CountsEachMalformedOneAndDeliversTheRest()
    {
        var endpoint = TestWire.UniqueInproc();
        using var raw = new PublisherSocket();
        raw.Bind(endpoint);
        using var subscriber = new PerceptionSubscriber(new SubscriberOptions { Endpoint = endpoint });
        var status = WireCodec.Encode(SampleMessages.Status(9));

        raw.SendFrame(TopicRegistry.Lanes.Name);                                                          // 1 frame
        raw.SendMoreFrame(TopicRegistry.Lanes.Name).SendMoreFrame([1, 2]).SendFrame([3]);                   // 3 frames
        raw.SendMoreFrame(TopicRegistry.Lanes.Name).SendFrame(Encoding.ASCII.GetBytes("not msgpack"));      // not MessagePack
        raw.SendMoreFrame(TopicRegistry.Status.Name).SendFrame(status);

        var good = new List<ReceivedMessage>();
        int thrown = 0;
        while (good.Count < 2)
        {
            try
            {
                Assert.True(subscriber.TryReceive(Wait, out var message), $"only {good.Count} messages arrived");
                good.Add(message);
            }
            catch (PayloadDecodeException)
            {
                thrown++;
            }
        }

        Assert.Equal((2, 2L), (thrown, subscriber.MalformedMessages));
        Assert.Throws<PayloadDecodeException>(() => good[0].Decode());
        Assert.Equal(9, good[1].As<StatusMessage>().Sequence);
    }

    [Fact]
    public void Constructor_UnknownTopic_ThrowsListingValidTopics()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new PerceptionSubscriber(new SubscriberOptions { Endpoint = TestWire.UniqueInproc(), Topics = ["perception/lane"] }));

        Assert.Equal("Unknown topic 'perception/lane'. Valid topics: perception/lanes, perception/vehicles, perception/pedestrians, perception/classmap, perception/status.", e.Message);
    }

    [Fact]
    public void Constructor_NoTopics_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new PerceptionSubscriber(new SubscriberOptions { Endpoint = TestWire.UniqueInproc(), Topics = [] }));

        Assert.StartsWith("Subscribe to at least one topic. Valid topics: perception/lanes", e.Message);
    }

    [Fact]
    public void Constructor_InprocNobodyBound_ThrowsSayingBindFirst()
    {
        var endpoint = TestWire.UniqueInproc();

        var e = Assert.Throws<TransportEndpointException>(() => new PerceptionSubscriber(new SubscriberOptions { Endpoint = endpoint }));

        Assert.StartsWith($"Nothing is bound at {endpoint}. An inproc:// publisher must be created (bound) before its subscribers connect", e.Message);
    }

    [Fact]
    public void Constructor_MalformedEndpoint_ThrowsWithExamples()
    {
        var e = Assert.Throws<TransportEndpointException>(() => new PerceptionSubscriber(new SubscriberOptions { Endpoint = "127.0.0.1:5556" }));

        Assert.Contains("is malformed: it has no transport prefix", e.Message);
        Assert.Contains("e.g. tcp://127.0.0.1:5556", e.Message);
    }

    [Fact]
    public void Constructor_HighWatermarkZero_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new PerceptionSubscriber(new SubscriberOptions { Endpoint = TestWire.UniqueInproc(), ReceiveHighWatermark = 0 }));

        Assert.Contains("Receive high-water mark must be 1..100000 messages", e.Message);
    }
}
