using System.Text.Json;
using DrivePerception.Core.Topics;

namespace DrivePerception.Transport.Tests;

/// <summary>Every message type through a real PUB/SUB pair: the payload bytes and every field arrive unchanged.</summary>
public class RoundTripTests
{
    public static TheoryData<string, string> TransportsAndTopics()
    {
        var data = new TheoryData<string, string>();
        foreach (var transport in new[] { "tcp", "inproc" })
            foreach (var topic in TopicRegistry.All)
                data.Add(transport, topic.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(TransportsAndTopics))]
    public void PublishReceive_EveryMessageType_AllFieldsSurvive(string transport, string topicName)
    {
        var topic = TopicRegistry.Get(topicName);
        using var publisher = new PerceptionPublisher(new PublisherOptions { Endpoint = TestWire.BindEndpoint(transport) });
        using var subscriber = TestWire.Connect(publisher, new SubscriberOptions { Topics = [topicName] });
        var sent = SampleMessages.For(topic, 42);

        Assert.True(SampleMessages.Publish(publisher, topic, sent));
        Assert.True(subscriber.TryReceive(TimeSpan.FromSeconds(10), out var received), $"nothing on {topicName} over {transport}");

        Assert.Equal(topicName, received.Topic);
        Assert.Equal(SampleMessages.Encode(sent), received.Payload);
        var decoded = received.Decode();
        Assert.IsType(topic.PayloadType, decoded);
        Assert.Equal(JsonSerializer.Serialize(sent, topic.PayloadType), JsonSerializer.Serialize(decoded, topic.PayloadType));
    }

    [Fact]
    public void PublishReceive_InvalidFrame_ArrivesNotValidWithReason()
    {
        using var publisher = new PerceptionPublisher(new PublisherOptions { Endpoint = TestWire.UniqueInproc() });
        using var subscriber = TestWire.Connect(publisher, new SubscriberOptions { Topics = [TopicRegistry.Vehicles.Name] });

        publisher.Publish(TopicRegistry.Vehicles, SampleMessages.InvalidVehicles(9));
        Assert.True(subscriber.TryReceive(TimeSpan.FromSeconds(10), out var received));

        var message = received.As<Core.Messages.InstanceMessage>();
        Assert.False(message.Valid);
        Assert.Equal("deadline", message.Reason);
        Assert.Equal(9, message.Header.Sequence);
    }
}
