using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;

namespace DrivePerception.Transport.Tests;

public class PerceptionPublisherTests
{
    [Fact]
    public void Constructor_PortZero_ReportsTheBoundPort()
    {
        using var publisher = new PerceptionPublisher(new PublisherOptions { Endpoint = TestWire.EphemeralTcp });

        Assert.Matches(@"^tcp://127\.0\.0\.1:\d+$", publisher.Endpoint);
        Assert.NotEqual("tcp://127.0.0.1:0", publisher.Endpoint);
    }

    [Fact]
    public void Constructor_TcpEndpointInUse_ThrowsNamingTheFix()
    {
        using var first = new PerceptionPublisher(new PublisherOptions { Endpoint = TestWire.EphemeralTcp });

        var e = Assert.Throws<TransportEndpointException>(() => new PerceptionPublisher(new PublisherOptions { Endpoint = first.Endpoint }));

        Assert.Equal(
            $"Endpoint {first.Endpoint} is already in use (another drive-perception node?). Stop it or pass --publish tcp://127.0.0.1:<free port>",
            e.Message);
    }

    [Fact]
    public void Constructor_InprocNameInUse_ThrowsNamingTheFix()
    {
        var endpoint = TestWire.UniqueInproc();
        using var first = new PerceptionPublisher(new PublisherOptions { Endpoint = endpoint });

        var e = Assert.Throws<TransportEndpointException>(() => new PerceptionPublisher(new PublisherOptions { Endpoint = endpoint }));

        Assert.Equal($"Endpoint {endpoint} is already in use (another drive-perception node?). Stop it or pass --publish inproc://<other name>", e.Message);
    }

    [Fact]
    public void Dispose_ThenBindSameInprocName_Succeeds()
    {
        var endpoint = TestWire.UniqueInproc();
        new PerceptionPublisher(new PublisherOptions { Endpoint = endpoint }).Dispose();

        using var second = new PerceptionPublisher(new PublisherOptions { Endpoint = endpoint });

        Assert.Equal(endpoint, second.Endpoint);
    }

    [Fact]
    public void Dispose_ThenBindSameTcpPort_SucceedsOnceNetMQHasClosedTheListener()
    {
        var first = new PerceptionPublisher(new PublisherOptions { Endpoint = TestWire.EphemeralTcp });
        var endpoint = first.Endpoint;
        first.Dispose();

        // NetMQ closes a tcp listener on its I/O thread after Dispose returns; the port comes free shortly after.
        PerceptionPublisher? second = null;
        var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (second is null)
        {
            try
            {
                second = new PerceptionPublisher(new PublisherOptions { Endpoint = endpoint });
            }
            catch (TransportEndpointException) when (DateTime.UtcNow < giveUp)
            {
                Thread.Sleep(10);
            }
        }
        using (second) Assert.Equal(endpoint, second.Endpoint);
    }

    [Theory]
    [InlineData("localhost:5556", "no transport prefix")]
    [InlineData("tcp://127.0.0.1", "the port is missing")]
    [InlineData("pgm://239.0.0.1:5556", "transport 'pgm' is not supported")]
    public void Constructor_MalformedEndpoint_ThrowsWithExamples(string endpoint, string problem)
    {
        var e = Assert.Throws<TransportEndpointException>(() => new PerceptionPublisher(new PublisherOptions { Endpoint = endpoint }));

        Assert.Contains(problem, e.Message);
        Assert.Contains("e.g. tcp://127.0.0.1:5556", e.Message);
        Assert.Contains("inproc://name", e.Message);
    }

    [Fact]
    public void Constructor_UnresolvableHost_ThrowsNamingALocalAddress()
    {
        var e = Assert.Throws<TransportEndpointException>(() =>
            new PerceptionPublisher(new PublisherOptions { Endpoint = "tcp://no-such-host.invalid:5556" }));

        Assert.StartsWith("Cannot bind tcp://no-such-host.invalid:5556: ", e.Message);
        Assert.Contains("tcp://127.0.0.1:5556", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(PublisherOptions.MaxHighWatermark + 1)]
    public void Constructor_HighWatermarkOutOfRange_ThrowsWithRange(int hwm)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new PerceptionPublisher(new PublisherOptions { Endpoint = TestWire.UniqueInproc(), SendHighWatermark = hwm }));

        Assert.Contains("Send high-water mark must be 1..100000 messages", e.Message);
    }

    [Fact]
    public void Constructor_NegativeLinger_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new PerceptionPublisher(new PublisherOptions { Endpoint = TestWire.UniqueInproc(), Linger = TimeSpan.FromSeconds(-1) }));

        Assert.Contains("Linger must be between 0 and 5 s", e.Message);
    }

    [Fact]
    public void Publish_TypeOtherThanTopics_ThrowsNamingBoth()
    {
        using var publisher = new PerceptionPublisher(new PublisherOptions { Endpoint = TestWire.UniqueInproc() });

        var e = Assert.Throws<ArgumentException>(() => publisher.Publish(TopicRegistry.Lanes, SampleMessages.Status(1)));

        Assert.Contains("Topic perception/lanes carries LaneMessage, not StatusMessage", e.Message);
    }

    [Fact]
    public void Publish_TopicNotInRegistry_ThrowsListingValidTopics()
    {
        using var publisher = new PerceptionPublisher(new PublisherOptions { Endpoint = TestWire.UniqueInproc() });
        var rogue = new Topic("perception/radar", typeof(StatusMessage), "1 Hz", "not a real topic");

        var e = Assert.Throws<ArgumentException>(() => publisher.Publish(rogue, SampleMessages.Status(1)));

        Assert.Contains("Topic 'perception/radar' is not in the topic registry", e.Message);
        Assert.Contains("perception/lanes", e.Message);
    }

    [Fact]
    public void Publish_AfterDispose_Throws()
    {
        var publisher = new PerceptionPublisher(new PublisherOptions { Endpoint = TestWire.UniqueInproc() });
        publisher.Dispose();

        Assert.Throws<ObjectDisposedException>(() => publisher.Publish(TopicRegistry.Status, SampleMessages.Status(1)));
    }

    [Fact]
    public void Publish_NoSubscriber_CountsMessagesAndBytes()
    {
        using var publisher = new PerceptionPublisher(new PublisherOptions { Endpoint = TestWire.UniqueInproc() });
        var status = SampleMessages.Status(1);

        Assert.True(publisher.Publish(TopicRegistry.Status, status));
        Assert.True(publisher.PublishEncoded(TopicRegistry.Status, WireCodec.Encode(status)));

        Assert.Equal(2, publisher.PublishedMessages);
        Assert.Equal(2L * WireCodec.Encode(status).Length, publisher.PublishedBytes);
        Assert.Equal(0, publisher.DroppedMessages);
    }

    [Fact]
    public void Publish_Steady_AllocatesOnlyNetMQsFrameCopy()
    {
        // NetMQ's default buffer pool allocates one payload-sized frame per message (the copy that lets the
        // publisher reuse its encode buffer); anything beyond that here would be a copy or buffer of ours.
        using var publisher = new PerceptionPublisher(new PublisherOptions { Endpoint = TestWire.UniqueInproc() });
        var lanes = SampleMessages.Lanes(1);
        int payload = WireCodec.Encode(lanes).Length;
        for (int i = 0; i < 100; i++) publisher.Publish(TopicRegistry.Lanes, lanes);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) publisher.Publish(TopicRegistry.Lanes, lanes);
        double perMessage = (GC.GetAllocatedBytesForCurrentThread() - before) / 100.0;

        Assert.InRange(perMessage, payload, payload + 256);
    }

    [Fact]
    public void PublishEncoded_PayloadArrivesByteForByte()
    {
        using var publisher = new PerceptionPublisher(new PublisherOptions { Endpoint = TestWire.UniqueInproc() });
        using var subscriber = TestWire.Connect(publisher, new SubscriberOptions { Topics = [TopicRegistry.Lanes.Name] });
        var payload = WireCodec.Encode(SampleMessages.Lanes(5));

        publisher.PublishEncoded(TopicRegistry.Lanes, payload);

        Assert.True(subscriber.TryReceive(TimeSpan.FromSeconds(10), out var received));
        Assert.Equal(payload, received.Payload);
        Assert.Equal(5, received.As<LaneMessage>().Header.Sequence);
    }

    [Fact]
    public void Publish_PipelineAndStatusThreadsTogether_EveryMessageKeepsItsTopicAndPayload()
    {
        const int perThread = 2000;
        using var publisher = new PerceptionPublisher(new PublisherOptions { Endpoint = TestWire.UniqueInproc(), SendHighWatermark = 100_000 });
        using var subscriber = TestWire.Connect(publisher,
            new SubscriberOptions { Topics = [TopicRegistry.Lanes.Name, TopicRegistry.Status.Name], ReceiveHighWatermark = 100_000 });
        var lanes = SampleMessages.Lanes(1);
        var status = SampleMessages.Status(1);

        var pipeline = new Thread(() => { for (int i = 0; i < perThread; i++) publisher.Publish(TopicRegistry.Lanes, lanes); });
        var heartbeat = new Thread(() => { for (int i = 0; i < perThread; i++) publisher.Publish(TopicRegistry.Status, status); });
        pipeline.Start();
        heartbeat.Start();
        Assert.True(pipeline.Join(TimeSpan.FromSeconds(60)) && heartbeat.Join(TimeSpan.FromSeconds(60)), "publishing from two threads did not finish");

        // Interleaved frames from the two threads would pair a topic with the other topic's payload.
        int received = 0;
        while (received < 2 * perThread && subscriber.TryReceive(TimeSpan.FromSeconds(10), out var message))
        {
            received++;
            Assert.IsType(message.TopicInfo.PayloadType, message.Decode());
        }
        Assert.Equal(2 * perThread, received);
    }
}
