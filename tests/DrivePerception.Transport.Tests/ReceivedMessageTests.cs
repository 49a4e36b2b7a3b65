using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;

namespace DrivePerception.Transport.Tests;

/// <summary>Decoding and boundary checks of a received payload, without sockets.</summary>
public class ReceivedMessageTests
{
    private static ReceivedMessage Received(Topic topic, byte[] payload) => new(topic.Name, payload, 0);

    [Fact]
    public void As_WrongType_ThrowsNamingTheRightCall()
    {
        var message = Received(TopicRegistry.Status, WireCodec.Encode(SampleMessages.Status(1)));

        var e = Assert.Throws<InvalidOperationException>(() => message.As<LaneMessage>());

        Assert.Equal("perception/status carries StatusMessage; call As<StatusMessage>() (asked for LaneMessage).", e.Message);
    }

    [Fact]
    public void As_CalledTwice_DecodesOnce()
    {
        var message = Received(TopicRegistry.Lanes, WireCodec.Encode(SampleMessages.Lanes(1)));

        Assert.Same(message.As<LaneMessage>(), message.As<LaneMessage>());
    }

    [Fact]
    public void As_TruncatedPayload_ThrowsNamingTopicAndSize()
    {
        var full = WireCodec.Encode(SampleMessages.Lanes(1));
        var message = Received(TopicRegistry.Lanes, full[..(full.Length / 2)]);

        var e = Assert.Throws<PayloadDecodeException>(() => message.As<LaneMessage>());

        Assert.Equal(TopicRegistry.Lanes.Name, e.Topic);
        Assert.StartsWith($"Unreadable payload on perception/lanes ({full.Length / 2} bytes): not a valid LaneMessage", e.Message);
    }

    [Fact]
    public void As_EmptyPayload_Throws()
    {
        var e = Assert.Throws<PayloadDecodeException>(() => Received(TopicRegistry.Status, []).As<StatusMessage>());

        Assert.Contains("Unreadable payload on perception/status (0 bytes)", e.Message);
    }

    [Fact]
    public void As_NilPayload_ThrowsRatherThanReturningNull()
    {
        var e = Assert.Throws<PayloadDecodeException>(() => Received(TopicRegistry.Status, [0xC0]).As<StatusMessage>());

        Assert.Contains("the payload is MessagePack nil", e.Message);
    }

    [Fact]
    public void As_OtherSchemaVersion_ThrowsNamingBothVersions()
    {
        var lanes = SampleMessages.Lanes(1);
        lanes.Schema = WireSchema.Version + 1;

        var e = Assert.Throws<PayloadDecodeException>(() => Received(TopicRegistry.Lanes, WireCodec.Encode(lanes)).As<LaneMessage>());

        Assert.Contains($"it carries wire schema {WireSchema.Version + 1}, this library reads schema {WireSchema.Version}", e.Message);
    }

    [Fact]
    public void As_LaneMaskCountsShort_ThrowsWithPathAndSums()
    {
        var lanes = SampleMessages.Lanes(1);
        lanes.Lanes[2].Mask = new RleMask { Width = 4, Height = 2, Counts = [3, 2] };

        var e = Assert.Throws<PayloadDecodeException>(() => Received(TopicRegistry.Lanes, WireCodec.Encode(lanes)).As<LaneMessage>());

        Assert.Contains("lanes[2].mask run lengths sum to 5, expected 8 (4x2)", e.Message);
    }

    [Fact]
    public void As_InstanceMaskNotBoxSized_Throws()
    {
        var vehicles = SampleMessages.Vehicles(1);
        vehicles.Instances[1].Mask = new RleMask { Width = 2, Height = 2, Counts = [4] };

        var e = Assert.Throws<PayloadDecodeException>(() => Received(TopicRegistry.Vehicles, WireCodec.Encode(vehicles)).As<InstanceMessage>());

        Assert.Contains("instances[1].mask is 2x2 but its box is 10x6", e.Message);
    }

    [Fact]
    public void As_ClassMapValuesAndCountsDiffer_Throws()
    {
        var map = SampleMessages.ClassMap(1);
        map.ClassMap.Values = map.ClassMap.Values[1..];

        var e = Assert.Throws<PayloadDecodeException>(() => Received(TopicRegistry.ClassMap, WireCodec.Encode(map)).As<ClassMapMessage>());

        Assert.Contains($"classmap has {map.ClassMap.Values.Length} values but {map.ClassMap.Counts.Length} counts", e.Message);
    }

    [Fact]
    public void As_NegativeRunLength_Throws()
    {
        var pedestrians = SampleMessages.Pedestrians(1);
        var box = pedestrians.Instances[0].Box;
        pedestrians.Instances[0].Mask = new RleMask { Width = box.Width, Height = box.Height, Counts = [box.Area + 1, -1] };

        var e = Assert.Throws<PayloadDecodeException>(() => Received(TopicRegistry.Pedestrians, WireCodec.Encode(pedestrians)).As<InstanceMessage>());

        Assert.Contains("instances[0].mask has a negative run length -1", e.Message);
    }

    [Fact]
    public void Constructor_UnknownTopic_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new ReceivedMessage("perception/radar", [], 0));

        Assert.StartsWith("Unknown topic 'perception/radar'.", e.Message);
    }
}
