using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using MessagePack;

namespace DrivePerception.Transport.Tests;

/// <summary>
/// Payloads that are MessagePack but not the node's schema: a message with a key missing (no header, no counters)
/// must not decode into a default-filled message that looks genuine; whatever the bytes, the only exception is
/// <see cref="PayloadDecodeException"/>.
/// </summary>
public class MalformedPayloadTests
{
    private static ReceivedMessage Received(Topic topic, byte[] payload) => new(topic.Name, payload, 0);

    private static byte[] Pack(object value) => MessagePackSerializer.Serialize(value, MessagePack.Resolvers.ContractlessStandardResolver.Options);

    [Fact]
    public void Decode_LanesWithNoHeader_ThrowsSayingTheHeaderIsMissing()
    {
        // Every other key of a lane message is there and says valid: without the header it must still be refused.
        var payload = Pack(new Dictionary<string, object> { ["schema"] = 1, ["valid"] = true, ["reason"] = "", ["pipeline_latency_ms"] = 1.0, ["lanes"] = Array.Empty<object>() });

        var e = Assert.Throws<PayloadDecodeException>(() => Received(TopicRegistry.Lanes, payload).Decode());

        Assert.Contains("header is missing", e.Message);
    }

    [Fact]
    public void Decode_HeaderMissingItsSequence_ThrowsNamingTheKeyPath()
    {
        var full = MessagePackSerializer.Deserialize<Dictionary<string, object>>(WireCodec.Encode(SampleMessages.Lanes(3)), MessagePack.Resolvers.ContractlessStandardResolver.Options);
        ((Dictionary<object, object>)full["header"]).Remove("seq");

        var e = Assert.Throws<PayloadDecodeException>(() => Received(TopicRegistry.Lanes, Pack(full)).Decode());

        Assert.Contains("header.seq is missing", e.Message);
    }

    [Fact]
    public void Decode_StatusWithNoCounters_Throws()
    {
        var full = MessagePackSerializer.Deserialize<Dictionary<string, object>>(WireCodec.Encode(SampleMessages.Status(2)), MessagePack.Resolvers.ContractlessStandardResolver.Options);
        full.Remove("counters");

        var e = Assert.Throws<PayloadDecodeException>(() => Received(TopicRegistry.Status, Pack(full)).Decode());

        Assert.Contains("counters is missing", e.Message);
    }

    [Fact]
    public void Decode_EveryMessageTheNodeWrites_PassesTheShapeCheck()
    {
        // The check must not refuse the node's own messages, on any topic.
        foreach (var topic in TopicRegistry.All)
            Assert.NotNull(Received(topic, SampleMessages.Encode(SampleMessages.For(topic, 5))).Decode());
        Assert.NotNull(Received(TopicRegistry.Vehicles, WireCodec.Encode(SampleMessages.InvalidVehicles(6))).Decode());
    }

    [Theory]
    [InlineData(new byte[] { 0x93, 0x01, 0x02, 0x03 })]          // an array, not a map
    [InlineData(new byte[] { 0x81, 0xA6, (byte)'h', (byte)'e', (byte)'a', (byte)'d', (byte)'e', (byte)'r', 0x05 })] // header is an int
    [InlineData(new byte[] { 0x81, 0x01, 0x02 })]                // integer key
    [InlineData(new byte[] { 0xDF, 0xFF, 0xFF, 0xFF, 0xFF })]    // a map claiming 4 billion entries
    [InlineData(new byte[] { 0xC1 })]                            // a byte MessagePack never uses
    [InlineData(new byte[] { 0xA5, (byte)'h', (byte)'e' })]      // a string cut short
    public void Decode_BytesThatAreNotTheSchema_ThrowOnlyPayloadDecodeException(byte[] payload)
    {
        foreach (var topic in TopicRegistry.All)
        {
            var e = Assert.Throws<PayloadDecodeException>(() => Received(topic, payload).Decode());
            Assert.Equal(topic.Name, e.Topic);
        }
    }
}
